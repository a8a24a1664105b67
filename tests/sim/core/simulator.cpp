#include "tests/sim/core/simulator.hpp"

#include <sstream>
#include <stdexcept>

namespace hpsim {

namespace {

// The model of the document the device serves (before the caps faults, which only damage bytes).
Acceptance acceptance_of(const SimConfig& cfg) {
  const Protocol protocol = cfg.profile.protocol;
  const auto own = [&] {
    std::string err;
    const std::string doc = protocol == Protocol::escl ? escl_capabilities(cfg.profile) : ledm_scan_caps(cfg.profile);
    auto a = read_capabilities(protocol, doc, &err);
    if (!a) throw std::logic_error("profile " + cfg.profile.name + ": its own capabilities do not read: " + err);
    return *a;
  };
  if (!cfg.caps_file_content) return own();
  std::string err;
  if (auto a = read_capabilities(protocol, *cfg.caps_file_content, &err)) return *a;
  Acceptance a = own();
  a.notes.insert(a.notes.begin(), "the --caps document cannot be read (" + err +
                                      "): it is served as it is, and jobs are judged by profile " + cfg.profile.name +
                                      "'s own capabilities");
  return a;
}

}  // namespace

Simulator::Simulator(SimConfig cfg)
    : cfg_(std::move(cfg)),
      accept_(acceptance_of(cfg_)),
      feeder_{accept_.has_feeder() ? std::max(0, cfg_.pages) : 0, false},
      pages_(cfg_.page_cache),
      ledm_(cfg_, accept_, feeder_, pages_),
      escl_(cfg_, accept_, feeder_, pages_) {}

std::string Simulator::discovery_tree() const {
  const bool ledm = cfg_.profile.protocol == Protocol::ledm;
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ledm:DiscoveryTree xmlns:ledm=\"" << kLedmTreeNs
    << "\" xmlns:dd=\"" << kLedmDdNs << "\">\n  <dd:Version><dd:Revision>SIM-LEDM.1</dd:Revision>"
    << "<dd:Date>2024-03-04</dd:Date></dd:Version>\n"
    << "  <ledm:SupportedTree><dd:ResourceURI>/DevMgmt/ProductConfigDyn.xml</dd:ResourceURI>"
    << "<dd:ResourceType>ledm:hpLedmProductConfigDyn</dd:ResourceType></ledm:SupportedTree>\n";
  if (ledm) {
    o << "  <ledm:SupportedIfc><ledm:ManifestURI>/Scan/ScanJobManifest.xml</ledm:ManifestURI>"
      << "<dd:ResourceType>ledm:hpLedmScanJobManifest</dd:ResourceType></ledm:SupportedIfc>\n"
      << "  <ledm:SupportedIfc><ledm:ManifestURI>/WalkupScanToComp/WalkupScanToCompManifest.xml</ledm:ManifestURI>"
      << "<dd:ResourceType>ledm:hpLedmWalkupScanToCompManifest</dd:ResourceType></ledm:SupportedIfc>\n";
  } else {
    o << "  <ledm:SupportedIfc><ledm:ManifestURI>/eSCL/eSclManifest.xml</ledm:ManifestURI>"
      << "<dd:ResourceType>eSCL:eSclManifest</dd:ResourceType></ledm:SupportedIfc>\n";
  }
  o << "</ledm:DiscoveryTree>\n";
  return o.str();
}

Response Simulator::handle(const Request& req, Clock::time_point now) {
  std::optional<Response> r;
  bool caps = false;
  if (req.path == "/DevMgmt/DiscoveryTree.xml") {
    if (req.method == "GET") {
      r = simple_response(200, discovery_tree(), "text/xml");
      r->framing = cfg_.profile.chunked_xml ? Framing::chunked : Framing::content_length;
    } else {
      r = simple_response(405);
    }
  } else if (cfg_.profile.protocol == Protocol::ledm) {
    r = ledm_.handle(req, now);
    caps = req.path.starts_with("/Scan/ScanCaps");
  } else {
    r = escl_.handle(req, now);
    caps = req.path == "/eSCL/ScannerCapabilities";
  }
  if (!r) r = simple_response(404);
  if (caps && r->status == 200 && cfg_.faults.has(Fault::refuse_after_caps)) refusing_ = true;
  if (r->status >= 400 && r->body.empty()) r->framing = Framing::content_length;
  apply_common(cfg_, *r);
  return std::move(*r);
}

}  // namespace hpsim
