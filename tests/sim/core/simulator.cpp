#include "tests/sim/core/simulator.hpp"

#include <sstream>

namespace hpsim {

Simulator::Simulator(SimConfig cfg)
    : cfg_(std::move(cfg)),
      feeder_{cfg_.profile.adf.present ? std::max(0, cfg_.pages) : 0, false},
      pages_(cfg_.page_cache),
      ledm_(cfg_, feeder_, pages_),
      escl_(cfg_, feeder_, pages_) {}

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
