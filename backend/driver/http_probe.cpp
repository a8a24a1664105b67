#include "backend/driver/http_probe.hpp"

#include <algorithm>

#include "backend/escl/escl_codec.hpp"
#include "backend/ledm/ledm_codec.hpp"

namespace hpaio::backend {

ProbeEnd probe_end(const HttpError& e) {
  switch (e.kind()) {
    case HttpError::Kind::connect: return ProbeEnd::refused;
    case HttpError::Kind::timeout: return ProbeEnd::timed_out;
    case HttpError::Kind::cancelled: return ProbeEnd::cancelled;
    default: return ProbeEnd::answered;
  }
}

}  // namespace hpaio::backend

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
  return std::max(std::chrono::milliseconds(1), time_left(deadline));
}

}  // namespace

std::optional<HttpDescription> probe_http(const std::string& host, Deadline deadline, const CancelSignal* cancel,
                                          std::string* error) {
  constexpr ProbePurpose purpose = ProbePurpose::describe;
  std::string why;
  auto fail = [&](const std::string& what) {
    if (why.empty()) why = what;
  };
  bool answered = false;
  auto goes_on = [&](ProbeEnd end) {
    const bool on = probe_goes_on(purpose, end, answered);
    answered = answered || end != ProbeEnd::refused;
    return on;
  };
  auto finish = [&] {
    if (error != nullptr) *error = why.empty() ? "no LEDM or eSCL description over HTTP" : why;
    return std::nullopt;
  };

  // LEDM's DiscoveryTree, on the connection LEDM's step then uses.
  std::optional<HttpClient> ledm_http(std::in_place, Endpoint{host, 8080, false}, cancel);
  ledm_http->set_connect_timeout(left(deadline));
  std::optional<TreeHints> tree;
  try {
    if (auto tree_xml = get(*ledm_http, "/DevMgmt/DiscoveryTree.xml", deadline)) {
      const ledm::DiscoveryTree t = ledm::decode_discovery_tree(*tree_xml);
      tree = TreeHints{t.ledm_scan, t.escl};
    }
  } catch (const HttpError& e) {
    fail("port 8080: " + std::string(e.what()));
    if (!goes_on(probe_end(e))) return finish();
  } catch (const ProtocolError& e) {
    fail("LEDM: " + std::string(e.what()));
  }

  // LEDM's step comes first when the plan has one, on the tree's connection. A LEDM that lists
  // itself and then fails (an error, not a plain "no") is no word on eSCL: the rest of the plan is
  // then the plan without a tree.
  std::vector<ProbeStep> plan = probe_plan(purpose, std::nullopt, tree);
  if (!plan.empty() && plan.front().protocol == ScanProtocol::ledm) {
    plan.erase(plan.begin());
    bool failed = false;
    try {
      if (auto caps = get(*ledm_http, "/Scan/ScanCaps", deadline)) {
        ScannerCapabilities c = ledm::decode_capabilities(*caps);
        if (!c.make_and_model.empty()) return HttpDescription{c.make_and_model, "LEDM"};
      }
    } catch (const HttpError& e) {
      fail("port 8080: " + std::string(e.what()));
      if (!goes_on(probe_end(e))) return finish();
      failed = true;
    } catch (const ProtocolError& e) {
      fail("LEDM: " + std::string(e.what()));
      failed = true;
    }
    if (failed) plan = probe_plan(purpose, std::nullopt, std::nullopt);
  }
  ledm_http.reset();

  for (const ProbeStep& step : plan) {
    if (Clock::now() >= deadline) break;
    HttpClient http(Endpoint{host, step.port, step.tls}, cancel);
    http.set_connect_timeout(left(deadline));
    try {
      if (auto caps = get(http, "/eSCL/ScannerCapabilities", deadline)) {
        escl::Capabilities c = escl::decode_capabilities(*caps);
        if (!c.scanner.make_and_model.empty()) return HttpDescription{c.scanner.make_and_model, "eSCL"};
      }
    } catch (const HttpError& e) {
      fail("eSCL on port " + std::to_string(step.port) + ": " + e.what());
      if (!goes_on(probe_end(e))) break;
    } catch (const ProtocolError& e) {
      fail("eSCL: " + std::string(e.what()));
    }
  }
  return finish();
}

}  // namespace hpaio
