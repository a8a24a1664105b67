// eSCL scanning over HTTP(S): reads ScannerCapabilities when opened; its jobs are EsclJob
// (backend/escl/escl_job.hpp) driven by JobScanner.
#pragma once

#include <memory>

#include "backend/driver/job_scanner.hpp"
#include "backend/escl/escl_codec.hpp"

namespace hpaio::backend {

class EsclScanner final : public JobScanner {
 public:
  // Reads the capabilities under `root` ("/eSCL"); throws HttpError or ProtocolError.
  EsclScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts, std::string root = "/eSCL");

  const ScannerCapabilities& capabilities() const override { return caps_.scanner; }
  bool quality_supported() const override { return caps_.scanner.compression_factor.has_value(); }

 private:
  escl::Capabilities caps_;
};

}  // namespace hpaio::backend
