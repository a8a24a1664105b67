// What a device says about itself over HTTP, for hpaio-makeuri when SNMP is off, asked as the
// probe plan describes (backend/scan/probe_plan.hpp): LEDM's /DevMgmt/DiscoveryTree.xml and
// /Scan/ScanCaps (ModelName) on port 8080, then eSCL's /eSCL/ScannerCapabilities (MakeAndModel) on
// 8080, 80 and HTTPS 443. Ends by the deadline, or at once when `cancel` is raised.
#pragma once

#include <optional>
#include <string>

#include "backend/http/http_client.hpp"
#include "backend/scan/probe_plan.hpp"
#include "base/cancel_signal.hpp"

namespace hpaio::backend {

// How an HTTP error ends a request of the probe plan.
ProbeEnd probe_end(const HttpError& e);

}  // namespace hpaio::backend

namespace hpaio {

struct HttpDescription {
  std::string make_and_model;  // "HP OfficeJet Pro 9010 series"
  std::string protocol;        // "LEDM" or "eSCL"
};

std::optional<HttpDescription> probe_http(const std::string& host, Deadline deadline, const CancelSignal* cancel,
                                          std::string* error = nullptr);

}  // namespace hpaio
