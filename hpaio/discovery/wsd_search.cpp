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

// The addresses of one answer: each XAddr's host that is an address literal (a link-local IPv6 one
// without a zone gets the interface the answer came in on), else the sender's address.
std::vector<std::string> answer_addresses(const wsdd::ProbeAnswer& a) {
  std::vector<std::string> out;
  for (const wsdd::XAddr& x : a.match.xaddrs) {
    const std::string bare = x.host.substr(0, x.host.find('%'));
    in_addr v4{};
    in6_addr v6{};
    std::string address;
    if (::inet_pton(AF_INET, bare.c_str(), &v4) == 1) {
      address = bare;
    } else if (::inet_pton(AF_INET6, bare.c_str(), &v6) == 1) {
      address = x.host;
      const bool link_local = v6.s6_addr[0] == 0xfe && (v6.s6_addr[1] & 0xc0) == 0x80;
      if (link_local && address.find('%') == std::string::npos) {
        if (a.interface.empty()) continue;
        address += "%" + a.interface;
      }
    } else {
      continue;
    }
    if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(address);
  }
  if (out.empty() && !a.from.empty()) out.push_back(a.from);
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
    }
  }
  if (f.error.empty()) f.error = xaddrs.empty() ? "no usable XAddrs" : "no time left for the Get";
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
        if (std::find(known.begin(), known.end(), address) == known.end()) known.push_back(address);
      }
      return true;
    }
    Pending p;
    p.device.endpoint = a.match.endpoint;
    p.device.addresses = addresses;
    p.fetched = std::async(std::launch::async, get_metadata, a.match.endpoint, a.match.xaddrs, deadline, cancel);
    pending.push_back(std::move(p));
    return unicast.empty();
  });
  WsdSearchResult result;
  result.error = report.error;
  result.answers = static_cast<int>(pending.size());
  const auto add_error = [&](const std::string& e) { result.error += (result.error.empty() ? "" : "; ") + e; };
  if (report.dropped > 0) add_error(std::to_string(report.dropped) + " datagram(s) that were no answer to the Probe");
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
