// An LEDM scan job as a state machine (backend/scan/scan_job.hpp): /Scan/Status must say Idle
// (and a feeder must be ready), POST /Scan/Jobs, then poll the job document until its page is
// ReadyToUpload and GET the page's BinaryURL; Completed ends the job; a job the device cancels
// ends the scan with what /Scan/Status says (jam, cover open). PUT Canceled to cancel.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "backend/ledm/ledm_codec.hpp"
#include "backend/scan/poll_schedule.hpp"
#include "backend/scan/scan_job.hpp"

namespace hpaio::backend {

// What a feeder state in LEDM's /Scan/Status means for a scan (good: nothing stops it).
Status ledm_adf_status(const std::string& adf_state);

class LedmJob final : public ScanJob {
 public:
  explicit LedmJob(std::chrono::milliseconds page_timeout);

  JobStep start(const ScanRequest& request, Clock::time_point now) override;
  JobStep next_page(Clock::time_point now) override;
  JobStep on_reply(const JobReply& reply, Clock::time_point now) override;
  JobStep on_waited(Clock::time_point now) override;
  std::optional<JobRequest> cancel() override;
  bool active() const override { return !job_path_.empty(); }
  void forget() override { job_path_.clear(); }

 private:
  enum class Phase {
    idle,
    status_before_post,   // GET /Scan/Status: idle, feeder ready?
    posting,              // POST /Scan/Jobs
    status_after_409,     // GET /Scan/Status: was the 409 a job that came first, or the settings?
    polling,              // GET the job until its page is ready
    status_after_cancel,  // GET /Scan/Status: why the device cancelled the job
    fetching,             // GET the page's BinaryURL
  };

  JobStep poll_job();

  std::chrono::milliseconds page_timeout_;
  Phase phase_ = Phase::idle;
  ScanRequest request_;
  std::string job_path_;
  int page_ = 0;  // pages delivered
  PageSource pending_;
  std::string pending_url_;
  Clock::time_point deadline_{};
  PollSchedule polls_;
};

}  // namespace hpaio::backend
