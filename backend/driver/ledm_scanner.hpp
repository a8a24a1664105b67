// LEDM (HP's "Low End Data Model") scanning over HTTP: reads /Scan/ScanCaps when opened; its jobs
// are LedmJob (backend/ledm/ledm_job.hpp) driven by JobScanner.
#pragma once

#include <memory>

#include "backend/driver/job_scanner.hpp"

namespace hpaio::backend {

class LedmScanner final : public JobScanner {
 public:
  // Reads the capabilities (throws HttpError or ProtocolError).
  LedmScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts);

  const ScannerCapabilities& capabilities() const override { return caps_; }
  bool quality_supported() const override { return true; }  // CompressionQFactor

 private:
  ScannerCapabilities caps_;
};

}  // namespace hpaio::backend
