#include "tests/sim/core/simulator.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace hpsim {

namespace {

// The model of the document the device serves (before the caps faults, which only damage bytes).
Acceptance acceptance_of(const SimConfig& cfg) {
  if (cfg.profile.protocol == Protocol::wsd) {
    // WS-Scan: the eSCL document of the same profile (dib listed as application/octet-stream).
    std::string err;
    auto a = read_capabilities(Protocol::escl, escl_capabilities(cfg.profile), &err);
    if (!a) throw std::logic_error("profile " + cfg.profile.name + ": its capabilities do not read: " + err);
    a->protocol = Protocol::wsd;
    return *a;
  }
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

// The eSCL half's configuration: the device's own on an eSCL profile; on an LEDM profile that also
// serves eSCL, its profile as the LEDM document describes it, turned into an eSCL profile (K1 is
// BlackAndWhite1, as the Smart Tank Plus 570's eSCL capabilities list it), with no --caps document.
SimConfig escl_config_of(const SimConfig& cfg) {
  if (cfg.profile.protocol == Protocol::escl || !cfg.profile.also_escl) return cfg;
  std::optional<Acceptance> ledm;
  if (cfg.caps_file_content) ledm = read_capabilities(Protocol::ledm, *cfg.caps_file_content, nullptr);
  SimConfig e;
  e.profile = ledm ? profile_following(cfg.profile, *ledm) : cfg.profile;
  e.profile.protocol = Protocol::escl;
  e.profile.blackandwhite1 = true;
  e.pages = cfg.pages;
  e.faults = cfg.faults;
  e.authority = cfg.authority;
  e.drip_bytes = cfg.drip_bytes;
  e.drip_ms = cfg.drip_ms;
  e.page_cache = cfg.page_cache;
  e.escl_404_on = cfg.escl_404_on;
  return e;  // without the --caps document, which is the LEDM half's
}

Acceptance own_acceptance(const SimConfig& cfg) {
  std::string err;
  auto a = read_capabilities(Protocol::escl, escl_capabilities(cfg.profile), &err);
  if (!a) throw std::logic_error("the eSCL half of profile " + cfg.profile.name + " does not read: " + err);
  return *a;
}

}  // namespace

Simulator::Simulator(SimConfig cfg)
    : cfg_(std::move(cfg)),
      accept_(acceptance_of(cfg_)),
      escl_cfg_(escl_config_of(cfg_)),
      escl_accept_(cfg_.profile.protocol == Protocol::ledm && cfg_.profile.also_escl ? own_acceptance(escl_cfg_)
                                                                                     : accept_),
      feeder_{feeder_load(cfg_, accept_), false},
      pages_(cfg_.page_cache),
      ledm_(cfg_, accept_, feeder_, pages_),
      escl_(escl_cfg_, escl_accept_, feeder_, pages_),
      wsd_(cfg_, accept_, feeder_, pages_) {
  if (accept_.has_feeder() && accept_.feeder_capacity > 0 && cfg_.pages > accept_.feeder_capacity) {
    notes_.push_back("--pages " + std::to_string(cfg_.pages) + " is more than the FeederCapacity " +
                     std::to_string(accept_.feeder_capacity) + " of the capabilities: the feeder holds " +
                     std::to_string(feeder_.sheets) + " sheets");
  }
  if (serves_ledm() && serves_escl()) {
    // One scanner behind both protocols: a job of either makes the other busy.
    ledm_.set_peer_busy([this](Clock::time_point now) { return escl_.own_busy(now); });
    escl_.set_peer_busy([this](Clock::time_point) { return ledm_.job_active(); });
  }
}

std::string Simulator::discovery_tree() const {
  const bool ledm = serves_ledm();
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ledm:DiscoveryTree xmlns:ledm=\"" << kLedmTreeNs
    << "\" xmlns:dd=\"" << kLedmDdNs << "\">\n  <dd:Version><dd:Revision>SIM-LEDM.1</dd:Revision>"
    << "<dd:Date>2024-03-04</dd:Date></dd:Version>\n"
    << "  <ledm:SupportedTree><dd:ResourceURI>/DevMgmt/ProductConfigDyn.xml</dd:ResourceURI>"
    << "<dd:ResourceType>ledm:hpLedmProductConfigDyn</dd:ResourceType></ledm:SupportedTree>\n";
  if (ledm) {
    o << "  <ledm:SupportedIfc><ledm:ManifestURI>/Scan/ScanJobManifest.xml</ledm:ManifestURI>"
      << "<dd:ResourceType>ledm:hpLedmScanJobManifest</dd:ResourceType></ledm:SupportedIfc>\n";
    // An LEDM device that also serves eSCL lists its manifest before the walk-up one, as real ones do.
    if (serves_escl()) {
      o << "  <ledm:SupportedIfc><ledm:ManifestURI>/eSCL/eSclManifest.xml</ledm:ManifestURI>"
        << "<dd:ResourceType>eSCL:eSclManifest</dd:ResourceType></ledm:SupportedIfc>\n";
    }
    o << "  <ledm:SupportedIfc><ledm:ManifestURI>/WalkupScanToComp/WalkupScanToCompManifest.xml</ledm:ManifestURI>"
      << "<dd:ResourceType>ledm:hpLedmWalkupScanToCompManifest</dd:ResourceType></ledm:SupportedIfc>\n";
  } else {
    o << "  <ledm:SupportedIfc><ledm:ManifestURI>/eSCL/eSclManifest.xml</ledm:ManifestURI>"
      << "<dd:ResourceType>eSCL:eSclManifest</dd:ResourceType></ledm:SupportedIfc>\n";
  }
  o << "</ledm:DiscoveryTree>\n";
  return o.str();
}

Profile Simulator::advertised_profile() const {
  if (!cfg_.caps_file_content) return cfg_.profile;
  const auto a = read_capabilities(cfg_.profile.protocol, *cfg_.caps_file_content, nullptr);
  return a ? profile_following(cfg_.profile, *a) : cfg_.profile;
}

bool Simulator::escl_404(const Request& req) const {
  return std::any_of(cfg_.escl_404_on.begin(), cfg_.escl_404_on.end(),
                     [&](const std::string& l) { return same_listener(l, req.local); });
}

Response Simulator::handle(const Request& req, Clock::time_point now) {
  if (cfg_.profile.refill_feeder && feeder_.sheets <= 0 && !feeder_.jammed && !ledm_.job_active() &&
      !escl_.own_busy(now)) {
    feeder_.sheets = feeder_load(cfg_, accept_);  // the stack put back between jobs
  }
  std::optional<Response> r;
  bool caps = false;
  if (serves_wsd()) {
    r = wsd_.handle(req, now);
    caps = r && wsd_.served_configuration();
  } else if (req.path == "/DevMgmt/DiscoveryTree.xml") {
    if (req.method == "GET") {
      r = simple_response(200, discovery_tree(), "text/xml");
      r->framing = cfg_.profile.chunked_xml ? Framing::chunked : Framing::content_length;
    } else {
      r = simple_response(405);
    }
  } else if (req.path.starts_with("/eSCL") && escl_404(req)) {
    r = simple_response(404);
  } else if (serves_ledm() && !(serves_escl() && req.path.starts_with("/eSCL"))) {
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
