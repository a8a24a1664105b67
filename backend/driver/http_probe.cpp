#include "backend/driver/http_probe.hpp"

#include <algorithm>

#include "backend/escl/escl_codec.hpp"
#include "backend/ledm/ledm_codec.hpp"

namespace hpaio {
namespace {

using namespace hpaio;
using namespace hpaio::backend;

std::optional<std::string> get(HttpClient& http, const std::string& target, Deadline deadline) {
  HttpRequest req;
  req.target = target;
  HttpResponse r = http.request(req, deadline);
  if (r.status != 200) return std::nullopt;
  return std::move(r.body);
}

std::chrono::milliseconds left(Deadline deadline) {
  return std::max(std::chrono::milliseconds(1),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

}  // namespace

std::optional<HttpDescription> probe_http(const std::string& host, Deadline deadline, const CancelSignal* cancel,
                                          std::string* error) {
  std::string why;
  auto fail = [&](const std::string& what) {
    if (why.empty()) why = what;
  };
  bool try_escl = true;
  {
    HttpClient http(Endpoint{host, 8080, false}, cancel);
    http.set_connect_timeout(left(deadline));
    try {
      if (auto tree_xml = get(http, "/DevMgmt/DiscoveryTree.xml", deadline)) {
        const ledm::DiscoveryTree tree = ledm::decode_discovery_tree(*tree_xml);
        if (tree.ledm_scan) {
          if (auto caps = get(http, "/Scan/ScanCaps", deadline)) {
            ScannerCapabilities c = ledm::decode_capabilities(*caps);
            if (!c.make_and_model.empty()) return HttpDescription{c.make_and_model, "LEDM"};
          }
        }
        try_escl = tree.escl || !tree.ledm_scan;
      }
    } catch (const HttpError& e) {
      fail("port 8080: " + std::string(e.what()));
      if (e.kind() == HttpError::Kind::cancelled || e.kind() == HttpError::Kind::timeout) try_escl = false;
    } catch (const ProtocolError& e) {
      fail("LEDM: " + std::string(e.what()));
    }
  }
  if (try_escl) {
    for (const Endpoint& ep : {Endpoint{host, 8080, false}, Endpoint{host, 80, false}, Endpoint{host, 443, true}}) {
      if (Clock::now() >= deadline) break;
      HttpClient http(ep, cancel);
      http.set_connect_timeout(left(deadline));
      try {
        if (auto caps = get(http, "/eSCL/ScannerCapabilities", deadline)) {
          escl::Capabilities c = escl::decode_capabilities(*caps);
          if (!c.scanner.make_and_model.empty()) return HttpDescription{c.scanner.make_and_model, "eSCL"};
        }
      } catch (const HttpError& e) {
        fail("eSCL on port " + std::to_string(ep.port) + ": " + e.what());
        if (e.kind() == HttpError::Kind::cancelled || e.kind() == HttpError::Kind::timeout) break;
      } catch (const ProtocolError& e) {
        fail("eSCL: " + std::string(e.what()));
      }
    }
  }
  if (error != nullptr) *error = why.empty() ? "no LEDM or eSCL description over HTTP" : why;
  return std::nullopt;
}

}  // namespace hpaio
