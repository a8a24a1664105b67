#include "backend/scan/probe_plan.hpp"

namespace hpaio::backend {
namespace {

constexpr ProbeStep ledm{ScanProtocol::ledm, 8080, false, {}};
constexpr ProbeStep escl8080{ScanProtocol::escl, 8080, false, {}};
constexpr ProbeStep escl80{ScanProtocol::escl, 80, false, {}};
constexpr ProbeStep escl443{ScanProtocol::escl, 443, true, {}};
constexpr ProbeStep wsd3911{ScanProtocol::wsd, 3911, false, "/scanner"};
constexpr ProbeStep wsd53048{ScanProtocol::wsd, 53048, false, "/"};

// Models HPLIP scans only with HP's closed plugin; many of them answer WS-Scan.
bool plugin_scan_type(models::ScanType t) {
  return t == models::ScanType::SoapHt || t == models::ScanType::Marvell || t == models::ScanType::Marvell2;
}

bool names_protocol(std::optional<models::ScanType> t) { return t && models::is_network_scan_protocol(*t); }

}  // namespace

std::string_view protocol_name(ScanProtocol p) {
  switch (p) {
    case ScanProtocol::ledm: return "LEDM";
    case ScanProtocol::escl: return "eSCL";
    case ScanProtocol::wsd: return "WS-Scan";
  }
  return "?";
}

bool asks_discovery_tree(ProbePurpose purpose, std::optional<models::ScanType> scan_type) {
  return purpose == ProbePurpose::describe || !names_protocol(scan_type);
}

std::vector<ProbeStep> probe_plan(ProbePurpose purpose, std::optional<models::ScanType> scan_type,
                                  std::optional<TreeHints> tree) {
  if (purpose == ProbePurpose::describe) {
    std::vector<ProbeStep> steps;
    if (tree && tree->ledm_scan) steps.push_back(ledm);
    if (!tree || tree->escl || !tree->ledm_scan) steps.insert(steps.end(), {escl8080, escl80, escl443});
    return steps;
  }
  if (scan_type == models::ScanType::Ledm) return {ledm, escl8080, escl80, escl443};
  if (scan_type == models::ScanType::Escl) return {escl8080, escl80, escl443, ledm};
  std::vector<ProbeStep> steps = tree && tree->ledm_scan && !tree->escl
                                     ? std::vector<ProbeStep>{ledm, escl8080, escl80, escl443}
                                     : std::vector<ProbeStep>{escl8080, ledm, escl80, escl443};
  // eSCL and LEDM first (they are preferred); WS-Scan for a plugin model or an unknown one.
  if (!scan_type || plugin_scan_type(*scan_type)) steps.insert(steps.end(), {wsd3911, wsd53048});
  return steps;
}

bool probe_goes_on(ProbePurpose purpose, ProbeEnd end, bool answered) {
  switch (end) {
    case ProbeEnd::cancelled: return false;
    case ProbeEnd::timed_out: return purpose == ProbePurpose::open && answered;
    case ProbeEnd::refused:
    case ProbeEnd::answered: return true;
  }
  return false;
}

}  // namespace hpaio::backend
