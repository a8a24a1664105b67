// An eSCL scan job as a state machine (backend/scan/scan_job.hpp): POST ScanJobs (503 = busy, retried
// a few times), then GET NextDocument for each page (503 = not ready yet, 404 = no more pages),
// DELETE to cancel. A feeder's ScannerStatus is read before the job and whenever the device refuses
// or ends it, to say why (empty, jammed, cover open).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "backend/escl/escl_codec.hpp"
#include "backend/scan/poll_schedule.hpp"
#include "backend/scan/scan_job.hpp"

namespace hpaio::backend {

// What a feeder state in eSCL's ScannerStatus means for a scan (good: nothing stops it).
Status escl_adf_status(const std::string& adf_state);

class EsclJob final : public ScanJob {
 public:
  // `root`: "/eSCL"; `localhost`: the device creates jobs only for "Host: localhost";
  // `page_timeout`: how long a page may stay not ready.
  EsclJob(const escl::Capabilities& caps, std::string root, bool localhost, std::chrono::milliseconds page_timeout);

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
    status_before_post,  // GET ScannerStatus: is the feeder ready?
    posting,             // POST ScanJobs
    status_after_409,    // GET ScannerStatus: why the POST was refused
    awaiting_page,       // GET NextDocument
    status_after_end,    // GET ScannerStatus: why the job ended without a page (404)
    status_after_error,  // GET ScannerStatus: why NextDocument failed
  };

  JobStep post(Clock::time_point now);
  JobStep ask_status(Phase phase);
  JobStep next_document();

  const escl::Capabilities& caps_;
  std::string root_;
  bool localhost_;
  std::chrono::milliseconds page_timeout_;

  Phase phase_ = Phase::idle;
  ScanRequest request_;
  std::string settings_;  // the ScanSettings document being posted
  std::string job_path_;
  int pages_ = 0;
  int post_attempts_ = 0;
  int last_status_ = 0;  // of the reply that led to a status question
  Clock::time_point deadline_{};
  PollSchedule retries_;
};

}  // namespace hpaio::backend
