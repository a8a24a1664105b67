#include "backend/driver/scanner_open.hpp"

#include <vector>

#include "backend/driver/escl_scanner.hpp"
#include "backend/driver/http_probe.hpp"
#include "backend/driver/ledm_scanner.hpp"
#include "backend/driver/wsd_scanner.hpp"
#include "backend/ledm/ledm_codec.hpp"
#include "backend/scan/probe_plan.hpp"
#include "base/debug_log.hpp"
#include "models/model_database.hpp"
#include "models/model_resolver.hpp"

namespace hpaio::backend {

std::optional<models::ScanType> model_scan_type(std::string_view model) {
  // A device URI names its model by the models.dat section (what the listing and hpaio-makeuri
  // write): read that one section, not the whole file (2-3 ms of a scan's start).
  if (const auto one = models::ModelDatabase::installed_section(model)) {
    if (const models::ModelSection* s = one->find(model)) {
      debug(log_info, "model '" + std::string(model) + "' is [" + std::string(s->name()) + "] (exact), scan-type " +
                          models::scan_type_name(s->scan_type()));
      return s->scan_type();
    }
  }
  const models::ModelDatabase::Installed& installed = models::ModelDatabase::installed();
  if (!installed.database) {
    debug(log_error, "models.dat: " + installed.error + "; asking the device what it speaks");
    return std::nullopt;
  }
  models::ModelResolver resolver(*installed.database);
  models::Resolution r = resolver.resolve(model);
  if (!r) {
    debug(log_info, "model '" + std::string(model) + "' is not in models.dat; asking the device what it speaks");
    return std::nullopt;
  }
  debug(log_info, "model '" + std::string(model) + "' is [" + std::string(r.section->name()) + "] (" +
                      std::string(r.rule) + "), scan-type " + models::scan_type_name(r.section->scan_type()));
  return r.section->scan_type();
}

namespace {

// What LEDM's DiscoveryTree says, when the device has one. Only a hint: nothing but a cancel (thrown)
// ends the probe here.
std::optional<TreeHints> discovery_tree(const std::string& host, const Timeouts& t, const CancelSignal* cancel) {
  HttpClient http(Endpoint{host, 8080, false}, cancel);
  http.set_connect_timeout(t.connect);
  HttpRequest req;
  req.target = "/DevMgmt/DiscoveryTree.xml";
  try {
    HttpResponse r = http.request(req, deadline_in(t.request));
    if (r.status != 200) return std::nullopt;
    const ledm::DiscoveryTree tree = ledm::decode_discovery_tree(r.body);
    return TreeHints{tree.ledm_scan, tree.escl};
  } catch (const HttpError& e) {
    if (e.kind() == HttpError::Kind::cancelled) throw;
    return std::nullopt;
  } catch (const ProtocolError&) {
    return std::nullopt;
  }
}

}  // namespace

std::unique_ptr<Scanner> open_scanner(const DeviceUri& uri, const Timeouts& timeouts, const CancelSignal* cancel) {
  if (uri.bus() != Bus::net || !uri.host()) {
    throw ScanFailure(Status::unsupported, "only network devices (/net/...) are supported: " + uri.to_string());
  }
  std::string host = uri.host()->resolver_name();
  const std::optional<models::ScanType> type = model_scan_type(uri.model());
  std::optional<TreeHints> tree;
  if (asks_discovery_tree(ProbePurpose::open, type)) tree = discovery_tree(host, timeouts, cancel);

  bool answered = false;
  std::string broken;  // a document of the protocol that was malformed or far too large
  std::string last_error;
  for (const ProbeStep& c : probe_plan(ProbePurpose::open, type, tree)) {
    const std::string step = std::string(protocol_name(c.protocol)) + " on port " + std::to_string(c.port);
    auto http = std::make_unique<HttpClient>(Endpoint{host, c.port, c.tls}, cancel);
    http->set_connect_timeout(timeouts.connect);
    try {
      std::unique_ptr<Scanner> s;
      if (c.protocol == ScanProtocol::ledm) {
        s = std::make_unique<LedmScanner>(std::move(http), timeouts);
      } else if (c.protocol == ScanProtocol::wsd) {
        const std::string authority = host.find(':') == std::string::npos ? host : "[" + host + "]";
        s = std::make_unique<WsdScanner>(std::move(http), timeouts,
                                         "http://" + authority + ":" + std::to_string(c.port) + std::string(c.path));
      } else {
        s = std::make_unique<EsclScanner>(std::move(http), timeouts);
      }
      debug(log_info, "opened " + uri.to_string() + " as " + step + (c.tls ? " (TLS)" : ""));
      return s;
    } catch (const HttpError& e) {
      debug(log_info, step + ": " + e.what());
      last_error = e.what();
      if (e.kind() == HttpError::Kind::cancelled) throw ScanFailure(Status::cancelled, e.what());
      const ProbeEnd end = probe_end(e);
      if (!probe_goes_on(ProbePurpose::open, end, answered)) break;
      if (end != ProbeEnd::refused) answered = true;
      if (e.kind() == HttpError::Kind::too_large) broken = e.what();
    } catch (const WrongProtocol& e) {
      debug(log_info, step + ": " + e.what());
      last_error = e.what();
      answered = true;
    } catch (const ProtocolError& e) {
      debug(log_info, step + ": " + e.what());
      last_error = e.what();
      broken = e.what();
      answered = true;
    }
  }
  if (!broken.empty()) throw ScanFailure(Status::io_error, uri.to_string() + ": " + broken);
  if (answered) {
    throw ScanFailure(Status::unsupported,
                      uri.to_string() + " answers, but speaks none of LEDM, eSCL and WS-Scan (" + last_error + ")");
  }
  throw ScanFailure(Status::io_error, "nothing answers at " + host + " (" + last_error + ")");
}

}  // namespace hpaio::backend
