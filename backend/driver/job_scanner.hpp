// The driver's loop: performs the steps of a protocol's job state machine (backend/scan/scan_job.hpp)
// over the device's HTTP connection. Every wait here has a deadline and ends when the session's
// CancelSignal is raised (HttpClient's waits and pause()).
#pragma once

#include <memory>
#include <string_view>

#include "backend/driver/scanner.hpp"
#include "backend/scan/scan_job.hpp"

namespace hpaio::backend {

class JobScanner : public Scanner {
 public:
  std::string_view protocol() const override { return protocol_; }
  void start_job(const ScanRequest& request) override;
  std::optional<PageSource> next_page() override;
  std::size_t read_page(std::span<std::uint8_t> out) override;
  bool job_active() const override { return job_ && job_->active(); }
  void cancel_job() override;
  void forget_job() override {
    if (job_) job_->forget();
  }

 protected:
  JobScanner(std::string_view protocol, std::unique_ptr<HttpClient> http, Timeouts timeouts)
      : protocol_(protocol), http_(std::move(http)), timeouts_(timeouts) {}
  // Every constructor of a derived scanner ends with this (the job needs the capabilities read).
  void set_job(std::unique_ptr<ScanJob> job) { job_ = std::move(job); }
  HttpClient& http() { return *http_; }

 private:
  // Performs send and wait steps until the job says something else.
  JobStep drive(JobStep step);
  ScanJob& job();
  JobReply exchange(const JobRequest& request);

  std::string_view protocol_;
  std::unique_ptr<HttpClient> http_;
  Timeouts timeouts_;
  std::unique_ptr<ScanJob> job_;
};

}  // namespace hpaio::backend
