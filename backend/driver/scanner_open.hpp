// Finds out how to talk to the device a SANE name names, and opens it, trying what the probe plan
// says (backend/scan/probe_plan.hpp, ProbePurpose::open).
//
// The protocol comes from models.dat (scan-type 7 LEDM, 9 eSCL). When the model is unknown to
// models.dat or names another protocol, the device is asked (LEDM's DiscoveryTree, then each
// protocol in turn), so models newer than the installed models.dat still work.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "backend/driver/scanner.hpp"
#include "hpaio/names/device_uri.hpp"
#include "models/model_attributes.hpp"

namespace hpaio::backend {

// The scan-type the installed models.dat gives a model name (any name a device reports); nullopt
// when models.dat is missing or does not know the model. Says which section matched (debug level 3).
std::optional<models::ScanType> model_scan_type(std::string_view model);

// Throws ScanFailure: IO_ERROR when nothing answers, UNSUPPORTED when the device answers but
// speaks neither protocol, CANCELLED when `cancel` is raised.
std::unique_ptr<Scanner> open_scanner(const DeviceUri& uri, const Timeouts& timeouts, const CancelSignal* cancel);

}  // namespace hpaio::backend
