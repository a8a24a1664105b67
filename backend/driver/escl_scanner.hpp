// eSCL scanning over HTTP(S): ScannerCapabilities, ScannerStatus, POST ScanJobs, NextDocument
// (503 = not ready yet, 404 = no more pages), DELETE to cancel.
#pragma once

#include <memory>

#include "backend/driver/scanner.hpp"
#include "backend/escl/escl_codec.hpp"

namespace hpaio::backend {

class EsclScanner final : public Scanner {
 public:
  // Reads the capabilities under `root` ("/eSCL"); throws HttpError or ProtocolError.
  EsclScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts, std::string root = "/eSCL");

  std::string_view protocol() const override { return "eSCL"; }
  const ScannerCapabilities& capabilities() const override { return caps_.scanner; }
  bool quality_supported() const override { return caps_.scanner.compression_factor.has_value(); }
  void start_job(const ScanRequest& request) override;
  std::optional<PageSource> next_page() override;
  std::size_t read_page(std::span<std::uint8_t> out) override;
  bool job_active() const override { return !job_path_.empty(); }
  void cancel_job() override;
  void forget_job() override { job_path_.clear(); }

  // Enterprise firmware (Server: HP_Compact_Server) creates jobs only for "Host: localhost".
  bool needs_localhost() const { return localhost_; }

 private:
  // The state the device reports, as the SANE status that stops a scan (GOOD when none does).
  Status adf_problem();

  std::unique_ptr<HttpClient> http_;
  Timeouts timeouts_;
  std::string root_;
  escl::Capabilities caps_;
  bool localhost_ = false;
  ScanRequest request_;
  std::string job_path_;
  int pages_ = 0;
};

}  // namespace hpaio::backend
