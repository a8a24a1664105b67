// LEDM (HP's "Low End Data Model") scanning over HTTP: /Scan/ScanCaps, /Scan/Status,
// POST /Scan/Jobs, polling the job until a page is ReadyToUpload, then its BinaryURL.
#pragma once

#include <memory>

#include "backend/driver/scanner.hpp"
#include "backend/ledm/ledm_codec.hpp"

namespace hpaio::backend {

class LedmScanner final : public Scanner {
 public:
  // Reads the capabilities (throws HttpError or ProtocolError).
  LedmScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts);

  std::string_view protocol() const override { return "LEDM"; }
  const ScannerCapabilities& capabilities() const override { return caps_; }
  bool quality_supported() const override { return true; }  // CompressionQFactor
  void start_job(const ScanRequest& request) override;
  std::optional<PageSource> next_page() override;
  std::size_t read_page(std::span<std::uint8_t> out) override;
  bool job_active() const override { return !job_path_.empty(); }
  void cancel_job() override;
  void forget_job() override { job_path_.clear(); }

 private:
  HttpResponse get(const std::string& target, Deadline deadline);
  // GET /Scan/Status; nullopt when the device gives none.
  std::optional<ledm::ScanStatus> status();
  // The feeder state the device reports, as the SANE status that stops a scan (GOOD when none).
  Status adf_problem();

  std::unique_ptr<HttpClient> http_;
  Timeouts timeouts_;
  ScannerCapabilities caps_;
  ScanRequest request_;
  std::string job_path_;
  int page_ = 0;  // pages opened in the current job
};

}  // namespace hpaio::backend
