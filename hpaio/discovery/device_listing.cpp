#include "hpaio/discovery/device_listing.hpp"

#include <algorithm>
#include <map>

#include "base/ascii.hpp"
#include "mdns/records/hp_service.hpp"

namespace hpaio {
namespace {

void note(std::vector<std::string>* notes, std::string text) {
  if (notes != nullptr) notes->push_back(std::move(text));
}

int rank(DeviceSource s) { return static_cast<int>(s); }

// IPv4 first, then global IPv6, then link-local IPv6 (with its zone): "192.0.2.5", "2001:db8::5",
// "fe80::5%eth0".
int address_rank(const std::string& a) {
  if (a.find(':') == std::string::npos) return 0;
  return a.find('%') == std::string::npos ? 1 : 2;
}

// A device of `model` at `hosts`: named at the first in address_rank order (then by text), the
// others its aliases; nullopt when no host (or the model's token) fits in a URI.
std::optional<DeviceCandidate> candidate_at(const mdns::HpModel& model, std::vector<std::string> hosts,
                                            DeviceSource source, bool advertises_scan) {
  std::stable_sort(hosts.begin(), hosts.end(), [](const std::string& a, const std::string& b) {
    return std::pair(address_rank(a), a) < std::pair(address_rank(b), b);
  });
  std::optional<DeviceCandidate> candidate;
  for (const std::string& host : hosts) {
    try {
      DeviceUri uri = DeviceUri::make_net(model.token, HostParam::ip, host, 1, false, Scheme::hpaio);
      if (!candidate) {
        candidate = DeviceCandidate{std::move(uri), source, model.name, advertises_scan, {}};
      } else {
        candidate->aliases.push_back(uri.identity());
      }
    } catch (const UriError&) {
      // an address or token a URI cannot hold: skip it
    }
  }
  return candidate;
}

std::optional<DeviceIdentity> mdns_host_identity(const std::string& host_name, const std::string& token) {
  std::string host = host_name;
  if (!host.empty() && host.back() == '.') host.pop_back();
  if (host.size() > 6 && iequals(std::string_view(host).substr(host.size() - 6), ".local"))
    host.resize(host.size() - 6);
  if (host.empty()) return std::nullopt;
  try {
    return DeviceUri::make_net(token, HostParam::zc, host).identity();
  } catch (const UriError&) {
    return std::nullopt;
  }
}

}  // namespace

std::string_view to_string(DeviceSource source) {
  switch (source) {
    case DeviceSource::config: return "hpaio.conf";
    case DeviceSource::print_queue: return "CUPS queue";
    case DeviceSource::mdns: return "mDNS";
    case DeviceSource::wsd: return "WS-Discovery";
  }
  return "";
}

std::string readable_token(std::string_view token) {
  std::string out(token);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::vector<DeviceCandidate> candidates_from_config(const std::vector<std::string>& devices,
                                                    std::vector<std::string>* notes) {
  std::vector<DeviceCandidate> out;
  for (const std::string& d : devices) {
    try {
      out.push_back(DeviceCandidate{DeviceUri::parse(d), DeviceSource::config, {}, false, {}});
    } catch (const UriError& e) {
      note(notes, std::string("hpaio.conf: ") + e.what());
    }
  }
  return out;
}

std::vector<DeviceCandidate> candidates_from_queues(const std::vector<PrintQueue>& queues,
                                                    std::vector<std::string>* notes) {
  std::vector<DeviceCandidate> out;
  for (const PrintQueue& q : queues) {
    if (!istarts_with(q.device_uri, "hp:/net/")) continue;
    try {
      DeviceUri uri = DeviceUri::parse(std::string("hp") + q.device_uri.substr(2));  // scheme must be lowercase
      out.push_back(DeviceCandidate{std::move(uri), DeviceSource::print_queue, {}, false, {}});
    } catch (const UriError& e) {
      note(notes, "CUPS queue " + q.name + ": " + e.what());
    }
  }
  return out;
}

std::vector<DeviceCandidate> candidates_from_mdns(const std::vector<mdns::ResolvedService>& services) {
  // Group by host name (case-insensitively), else by instance name.
  std::map<std::string, std::vector<const mdns::ResolvedService*>> hosts;
  for (const mdns::ResolvedService& s : services) {
    hosts[ascii_lower(s.host_name.empty() ? "instance:" + s.name : s.host_name)].push_back(&s);
  }
  std::vector<DeviceCandidate> out;
  for (auto& [key, group] : hosts) {
    // Scanner services first, in browsed_service_types order, for the model.
    auto type_rank = [](const mdns::ResolvedService* s) {
      const auto& types = mdns::browsed_service_types;
      const auto it = std::find(types.begin(), types.end(), s->type);
      return static_cast<int>(it - types.begin());
    };
    std::optional<mdns::HpModel> model;
    bool escl = false;
    std::vector<const mdns::ResolvedService*> by_type = group;
    std::stable_sort(by_type.begin(), by_type.end(), [&](auto* a, auto* b) { return type_rank(a) < type_rank(b); });
    for (const mdns::ResolvedService* s : by_type) {
      if (!model) model = mdns::hp_model(s->txt);
      escl = escl || mdns::speaks_escl(*s);
    }
    if (!model) continue;
    std::vector<std::string> addresses;
    for (const mdns::ResolvedService* s : group)
      addresses.push_back(s->zone.empty() ? s->address : s->address + "%" + s->zone);
    std::optional<DeviceCandidate> candidate = candidate_at(*model, std::move(addresses), DeviceSource::mdns, escl);
    if (!candidate) continue;
    if (auto id = mdns_host_identity(group.front()->host_name, model->token)) candidate->aliases.push_back(*id);
    out.push_back(std::move(*candidate));
  }
  std::sort(out.begin(), out.end(),
            [](const DeviceCandidate& a, const DeviceCandidate& b) { return a.uri.sane_name() < b.uri.sane_name(); });
  return out;
}

std::vector<DeviceCandidate> candidates_from_wsd(const std::vector<WsdDevice>& devices) {
  std::vector<DeviceCandidate> out;
  for (const WsdDevice& d : devices) {
    if (d.metadata.scan_services.empty()) continue;
    const std::optional<mdns::HpModel> model = mdns::hp_model_named(d.metadata.model_name, d.metadata.manufacturer);
    if (!model) continue;
    if (auto candidate = candidate_at(*model, d.addresses, DeviceSource::wsd, true))
      out.push_back(std::move(*candidate));
  }
  std::sort(out.begin(), out.end(),
            [](const DeviceCandidate& a, const DeviceCandidate& b) { return a.uri.sane_name() < b.uri.sane_name(); });
  return out;
}

std::vector<ListedDevice> merge_devices(const std::vector<DeviceCandidate>& candidates,
                                        const models::ModelResolver* resolver, std::vector<std::string>* notes) {
  std::vector<const DeviceCandidate*> ordered;
  for (const DeviceCandidate& c : candidates) ordered.push_back(&c);
  std::stable_sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return rank(a->source) < rank(b->source); });

  struct Group {
    std::vector<const DeviceCandidate*> members;
    std::vector<DeviceIdentity> ids;
  };
  std::vector<Group> groups;
  for (const DeviceCandidate* c : ordered) {
    std::vector<DeviceIdentity> ids{c->uri.identity()};
    ids.insert(ids.end(), c->aliases.begin(), c->aliases.end());
    auto shares = [&](const Group& g) {
      return std::any_of(ids.begin(), ids.end(), [&](const DeviceIdentity& id) {
        return std::find(g.ids.begin(), g.ids.end(), id) != g.ids.end();
      });
    };
    auto it = std::find_if(groups.begin(), groups.end(), shares);
    if (it == groups.end()) {
      groups.push_back(Group{{c}, ids});
    } else {
      it->members.push_back(c);
      it->ids.insert(it->ids.end(), ids.begin(), ids.end());
      note(notes, c->uri.sane_name() + " (" + std::string(to_string(c->source)) + ") is " +
                      it->members.front()->uri.sane_name());
    }
  }

  std::vector<ListedDevice> out;
  for (const Group& g : groups) {
    const DeviceCandidate& primary = *g.members.front();
    const models::ModelSection* section = nullptr;
    bool speaks = false;
    bool escl = false;
    std::string why;
    for (const DeviceCandidate* m : g.members) {
      escl = escl || m->advertises_scan;
      if (resolver == nullptr) continue;
      const models::Resolution r = resolver->resolve(m->uri.model());
      if (!r) {
        if (why.empty()) why = "model '" + m->uri.model() + "' is not in models.dat";
        continue;
      }
      if (section == nullptr) section = r.section;
      if (models::is_network_scan_protocol(r.section->scan_type())) {
        speaks = true;
      } else if (why.empty()) {
        why =
            "[" + std::string(r.section->name()) + "] has scan-type " + models::scan_type_name(r.section->scan_type());
      }
    }
    const bool listed = primary.source == DeviceSource::config || resolver == nullptr || speaks || escl;
    if (!listed) {
      note(notes, "not listed: " + primary.uri.sane_name() + " (" + std::string(to_string(primary.source)) +
                      "): " + why + ", and the device advertises no eSCL or WS-Scan service");
      continue;
    }
    ListedDevice d;
    d.name = primary.uri.sane_name();
    d.source = primary.source;
    for (const DeviceCandidate* m : g.members) {
      if (d.model.empty() && !m->model_name.empty()) d.model = m->model_name;
    }
    if (d.model.empty() && section != nullptr) {
      const auto names = section->display_names();
      if (names.size() == 1) d.model = names.front();
    }
    if (d.model.empty()) d.model = readable_token(primary.uri.model());
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace hpaio
