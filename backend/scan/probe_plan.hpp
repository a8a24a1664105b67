// The probe plan: which protocol to try on which port, in which order, and when to give up. One
// plan for opening a device to scan (backend/driver/scanner_open.cpp) and for asking a device what
// it is (backend/driver/http_probe.cpp, for hpaio-makeuri when SNMP is off). Pure: the callers make
// the requests and say how each one ended.
//
// Ports: LEDM on 8080; eSCL on 8080, then 80, then HTTPS on 443.
// Opening: models.dat's scan-type for the model decides (LEDM: LEDM, then eSCL; eSCL: eSCL, then
//   LEDM). Otherwise (not in models.dat, or another scan-type) LEDM's /DevMgmt/DiscoveryTree.xml is
//   asked first, as a hint only: a tree that lists LEDM scan and not eSCL puts LEDM first; else eSCL
//   on 8080 comes first, then LEDM, then eSCL's other ports. For a model HPLIP scans only with HP's
//   plugin (scan-type SOAPHT, MARVELL, MARVELL2), or one models.dat does not know, WS-Scan follows,
//   on the scan service addresses HP devices use: port 3911, path /scanner, then port 53048, path /.
// Describing: the DiscoveryTree is always asked (on the connection LEDM's step then uses). LEDM is
//   tried first when the tree lists LEDM scan; eSCL's ports when it lists eSCL, or no LEDM scan, or
//   there is no tree. A LEDM step that fails with an error (not a plain "no") is no word on eSCL:
//   the rest is then the plan without a tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "models/model_attributes.hpp"

namespace hpaio::backend {

enum class ScanProtocol { ledm, escl, wsd };

// "LEDM", "eSCL", "WS-Scan"
std::string_view protocol_name(ScanProtocol p);

struct ProbeStep {
  ScanProtocol protocol = ScanProtocol::escl;
  std::uint16_t port = 0;
  bool tls = false;
  std::string_view path;  // WS-Scan: the scan service's path on that port
  friend bool operator==(const ProbeStep&, const ProbeStep&) = default;
};

enum class ProbePurpose {
  open,      // to scan: every protocol is tried, the likeliest first
  describe,  // to name the device: what its DiscoveryTree allows
};

// What LEDM's /DevMgmt/DiscoveryTree.xml lists (ledm::DiscoveryTree).
struct TreeHints {
  bool ledm_scan = false;
  bool escl = false;
};

// Whether the DiscoveryTree is asked before the plan is made. `scan_type`: models.dat's for the
// model, nullopt when models.dat does not know it. Describing does not use it.
bool asks_discovery_tree(ProbePurpose purpose, std::optional<models::ScanType> scan_type);

// The steps in order; `tree`: what the DiscoveryTree said, nullopt when it was not asked or not read.
std::vector<ProbeStep> probe_plan(ProbePurpose purpose, std::optional<models::ScanType> scan_type,
                                  std::optional<TreeHints> tree);

// How a request of the probe ended when it gave nothing usable.
enum class ProbeEnd {
  refused,    // no connection: nothing listens there
  timed_out,  // a deadline passed
  cancelled,  // the CancelSignal was raised
  answered,   // the device answered, but not usably (another protocol, an error, a broken document)
};

// Whether the probe goes on after a request ended `end`; `answered`: whether an earlier request of
// the probe had an answer. A cancel ends every probe. A timeout ends an open when nothing has
// answered yet (a host that does not answer at all will not answer on the next port either), and
// always ends a description (its requests share one deadline, which has then passed).
bool probe_goes_on(ProbePurpose purpose, ProbeEnd end, bool answered);

}  // namespace hpaio::backend
