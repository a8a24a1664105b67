#include "hpaio/discovery/wsd_search.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <future>
#include <memory>
#include <optional>

#include "backend/http/http_client.hpp"
#include "backend/wsd/soap_envelope.hpp"
#include "wsdd/udp_probe.hpp"

namespace hpaio {
namespace {

// Bounds on what answers can make the search hold or do (see kMaxProbeMatches for one datagram).
constexpr std::size_t kMaxDevices = 64;             // devices fetched per search; more are counted
constexpr std::size_t kMaxAddressesPerDevice = 16;  // addresses kept per device

// A host an XAddr or a sender names, as we can connect to it: an IPv4 literal, a global IPv6 literal,
// or a link-local one with the interface the answer came in on (a zone the device wrote is its own
// interface's name, not ours). nullopt for a host name (resolving it could outlast the deadline) or a
// link-local address with no interface to reach it by.
std::optional<std::string> reachable_host(std::string_view host, const std::string& interface) {
  const std::string bare(host.substr(0, host.find('%')));
  in_addr v4{};
  in6_addr v6{};
  if (::inet_pton(AF_INET, bare.c_str(), &v4) == 1) return bare;
  if (::inet_pton(AF_INET6, bare.c_str(), &v6) != 1) return std::nullopt;
  const bool link_local = v6.s6_addr[0] == 0xfe && (v6.s6_addr[1] & 0xc0) == 0x80;
  if (!link_local) return bare;
  if (interface.empty()) return std::nullopt;
  return bare + "%" + interface;
}

// The addresses of one answer: each XAddr's host we can reach, else the sender's (not as well: a
// responder answering for several devices, or any on loopback, sends from one address).
std::vector<std::string> answer_addresses(const wsdd::ProbeAnswer& a) {
  std::vector<std::string> out;
  const auto add = [&](const std::optional<std::string>& address) {
    if (address && std::find(out.begin(), out.end(), *address) == out.end()) out.push_back(*address);
  };
  for (const wsdd::XAddr& x : a.match.xaddrs) add(reachable_host(x.host, a.interface));
  // The sender's address carries its zone already when it is link-local.
  const std::string from_zone =
      a.from.find('%') == std::string::npos ? a.interface : a.from.substr(a.from.find('%') + 1);
  if (out.empty() && !a.from.empty()) add(reachable_host(a.from, from_zone));
  return out;
}

// The XAddrs a Get can go to, hosts made reachable as above; IPv4 first (a link-local IPv6 XAddr
// depends on the interface the answer came in on).
std::vector<wsdd::XAddr> reachable_xaddrs(const wsdd::ProbeAnswer& a) {
  std::vector<wsdd::XAddr> out;
  for (wsdd::XAddr x : a.match.xaddrs) {
    std::optional<std::string> host = reachable_host(x.host, a.interface);
    if (!host) continue;
    x.host = std::move(*host);
    out.push_back(std::move(x));
  }
  std::stable_partition(out.begin(), out.end(),
                        [](const wsdd::XAddr& x) { return x.host.find(':') == std::string::npos; });
  return out;
}

struct Fetched {
  std::optional<wsdd::DeviceMetadata> metadata;
  std::string error;
};

// WS-Transfer Get on each XAddr in turn, until one answers with metadata.
Fetched get_metadata(const std::string& endpoint, const std::vector<wsdd::XAddr>& xaddrs, Deadline deadline,
                     const CancelSignal* cancel) {
  using namespace backend;
  Fetched f;
  for (const wsdd::XAddr& x : xaddrs) {
    if (Clock::now() >= deadline || (cancel != nullptr && cancel->raised())) break;
    try {
      HttpClient http(Endpoint{x.host, x.port, x.tls}, cancel);
      http.set_connect_timeout(std::max(std::chrono::milliseconds(1), time_left(deadline)));
      HttpRequest req;
      req.method = "POST";
      req.target = x.path;
      req.headers.push_back({"Content-Type", std::string(wsd::soap_content_type)});
      req.body = wsd::envelope({endpoint, wsd::new_message_id()}, wsdd::action_transfer_get, "");
      const HttpResponse r = http.request(req, deadline);
      if (r.status != 200) {
        f.error = x.url + ": HTTP " + std::to_string(r.status);
        continue;
      }
      std::string why;
      f.metadata = wsdd::parse_device_metadata(r.body, &why);
      if (f.metadata) return f;
      f.error = x.url + ": " + why;
    } catch (const HttpError& e) {
      f.error = x.url + ": " + e.what();
    } catch (const std::exception& e) {  // out of descriptors or threads: this device is left out
      f.error = x.url + ": " + e.what();
    }
  }
  if (f.error.empty()) f.error = xaddrs.empty() ? "no XAddr with an address we can reach" : "no time left for the Get";
  return f;
}

}  // namespace

WsdSearchResult search_wsd(const std::vector<std::string>& unicast, Deadline answers_until, Deadline deadline,
                           const CancelSignal* cancel) {
  struct Pending {
    WsdDevice device;
    std::future<Fetched> fetched;
  };
  std::vector<Pending> pending;
  std::size_t too_many = 0;  // devices that answered after kMaxDevices others
  wsdd::ProbeOptions o;
  o.message_id = backend::wsd::new_message_id();
  o.unicast = unicast;
  const wsdd::ProbeReport report = wsdd::probe(o, std::min(answers_until, deadline), cancel, [&](wsdd::ProbeAnswer a) {
    const std::vector<std::string> addresses = answer_addresses(a);
    auto same = std::find_if(pending.begin(), pending.end(),
                             [&](const Pending& p) { return p.device.endpoint == a.match.endpoint; });
    if (same != pending.end()) {  // the same device on another interface or family
      for (const std::string& address : addresses) {
        auto& known = same->device.addresses;
        if (known.size() >= kMaxAddressesPerDevice) break;
        if (std::find(known.begin(), known.end(), address) == known.end()) known.push_back(address);
      }
      return true;
    }
    if (pending.size() >= kMaxDevices) {
      ++too_many;
      return true;
    }
    Pending p;
    p.device.endpoint = a.match.endpoint;
    p.device.addresses = addresses;
    if (p.device.addresses.size() > kMaxAddressesPerDevice) p.device.addresses.resize(kMaxAddressesPerDevice);
    p.fetched = std::async(std::launch::async, get_metadata, a.match.endpoint, reachable_xaddrs(a), deadline, cancel);
    pending.push_back(std::move(p));
    return unicast.empty();
  });
  WsdSearchResult result;
  result.error = report.error;
  result.answers = static_cast<int>(pending.size());
  result.sent_on = report.sent_on;
  const auto add_error = [&](const std::string& e) { result.error += (result.error.empty() ? "" : "; ") + e; };
  if (report.dropped > 0) add_error(std::to_string(report.dropped) + " datagram(s) that were no answer to the Probe");
  if (too_many > 0)
    add_error(std::to_string(too_many) + " more device(s) left out (at most " + std::to_string(kMaxDevices) + ")");
  for (Pending& p : pending) {
    Fetched f = p.fetched.get();  // ends by the deadline
    if (!f.metadata) {
      add_error(p.device.endpoint + ": " + f.error);
      continue;
    }
    p.device.metadata = std::move(*f.metadata);
    result.devices.push_back(std::move(p.device));
  }
  return result;
}

}  // namespace hpaio
