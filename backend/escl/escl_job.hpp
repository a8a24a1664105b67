// An eSCL scan job as a state machine (backend/scan/scan_job.hpp): POST ScanJobs (503 = busy, retried
// a few times), then GET NextDocument for each page (503 = not ready yet, 404 = no more pages),
// DELETE to cancel. A feeder's ScannerStatus is read before the job and whenever the device refuses
// or ends it, to say why (empty, jammed, cover open); and once a second while NextDocument answers
// 503, because some devices keep answering 503 after a jam or after aborting the job, and say so
// only there. A 503 to the POST is retried ten times, or until the page timeout while the status
// says the scanner is warming up (Testing); Down or Stopped end the scan at once. An empty feeder while the job is
// Processing is not its end: the last sheet may still be in the scanner.
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
  EsclJob(escl::Capabilities caps, std::string root, bool localhost, std::chrono::milliseconds page_timeout);

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
    status_while_busy,   // GET ScannerStatus: is the page still coming (jam, aborted job)?
    status_busy_post,    // GET ScannerStatus: why POST ScanJobs answers 503 (warming up, down)?
  };

  JobStep post(Clock::time_point now);
  JobStep ask_status(Phase phase);
  JobStep next_document();
  // The status read while NextDocument answered 503: wait on, or why the page will not come.
  JobStep while_busy(const JobReply& reply);
  // The status read while POST ScanJobs answered 503: retry, or why the job will not be taken.
  JobStep busy_post(const JobReply& reply);
  JobStep retry_post(std::chrono::milliseconds wait);

  escl::Capabilities caps_;
  std::string root_;
  bool localhost_;
  std::chrono::milliseconds page_timeout_;

  Phase phase_ = Phase::idle;
  ScanRequest request_;
  std::string settings_;  // the ScanSettings document being posted
  std::string job_path_;
  int pages_ = 0;
  int post_attempts_ = 0;
  bool warming_up_ = false;  // the device said Testing: retried until the page timeout
  int last_status_ = 0;      // of the reply that led to a status question
  Clock::time_point deadline_{};
  Clock::time_point next_status_check_{};  // while NextDocument answers 503
  std::chrono::milliseconds pending_wait_{0};
  PollSchedule retries_;
};

}  // namespace hpaio::backend
