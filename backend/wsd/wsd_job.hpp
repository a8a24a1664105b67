// A WS-Scan scan job as a state machine (backend/scan/scan_job.hpp). Every request is a SOAP POST to
// the scan service's address. CreateScanJob makes the job; a device that answers
// ServerErrorNotAcceptingJobs or ServerErrorTemporaryError (busy, warming up) is asked its
// ScannerStatus and, unless that says what stops the scan (a jam, an open cover, an empty feeder,
// Stopped), asked again: ten times, or until the page timeout while it is Calibrating or
// LampWarming. Each page is a RetrieveImage whose MTOM answer is the page (the driver reads the image
// part out of it: mtom_reader.hpp); a feeder job asks until ClientErrorNoImagesAvailable, after which
// the ScannerStatus says whether the feeder emptied (the end) or jammed. A RetrieveImage answered
// with a temporary fault is asked again until the page timeout, and the job's state (GetJobElements)
// is read once a second meanwhile: an aborted or cancelled job ends the wait. Other faults end the
// scan with the status the ScannerStatus gives, else an I/O error. A feeder's ScannerStatus is read
// before the job too. cancel() gives CancelJob.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "backend/scan/poll_schedule.hpp"
#include "backend/scan/scan_job.hpp"
#include "backend/wsd/wsd_codec.hpp"

namespace hpaio::backend {

class WsdJob final : public ScanJob {
 public:
  // A new wsa:MessageID for each request.
  using MessageIds = std::function<std::string()>;

  // `service`: the scan service's address, e.g. "http://192.0.2.10:3911/" (requests go to its path
  // on the device's connection, and name it whole in wsa:To); `page_timeout`: how long a page may
  // take, and a busy device may refuse the job.
  WsdJob(wsd::Capabilities caps, std::string service, std::chrono::milliseconds page_timeout,
         MessageIds ids = wsd::new_message_id);

  JobStep start(const ScanRequest& request, Clock::time_point now) override;
  JobStep next_page(Clock::time_point now) override;
  JobStep on_reply(const JobReply& reply, Clock::time_point now) override;
  JobStep on_waited(Clock::time_point now) override;
  std::optional<JobRequest> cancel() override;
  bool active() const override { return job_.has_value(); }
  void forget() override { job_.reset(); }

  // The job the device made (JobId, JobToken, its final parameters), while active().
  const std::optional<wsd::CreatedJob>& job() const { return job_; }
  // The path requests are posted to: the service address's path ("/" when it has none).
  const std::string& target() const { return target_; }

 private:
  enum class Phase {
    idle,
    status_before_create,  // ScannerStatus: is the feeder ready?
    creating,              // CreateScanJob
    status_after_refusal,  // ScannerStatus: why the job was refused (retry, or what stops it)
    awaiting_page,         // RetrieveImage
    job_while_busy,        // GetJobElements: is the page still coming?
    status_after_end,      // ScannerStatus: why there are no (more) images
    status_after_failure,  // ScannerStatus: why RetrieveImage failed
  };

  JobRequest soap(std::string body) const;
  JobStep ask_status(Phase phase);
  JobStep create(Clock::time_point now);
  JobStep retrieve();
  JobStep on_created(const JobReply& reply, Clock::time_point now);
  JobStep on_image(const JobReply& reply, Clock::time_point now);
  JobStep after_refusal(const JobReply& reply, Clock::time_point now);
  JobStep while_busy(const JobReply& reply);
  JobStep after_end(const JobReply& reply);
  JobStep after_failure(const JobReply& reply);
  // The page's PageSource from the job's final Format and the answer's multipart Content-Type, or a
  // failure for a format we cannot decode.
  JobStep page_step(const std::string& content_type);

  wsd::Capabilities caps_;
  std::string service_;
  std::string target_;
  std::chrono::milliseconds page_timeout_;
  MessageIds ids_;

  Phase phase_ = Phase::idle;
  ScanRequest request_;
  std::string ticket_format_;
  std::optional<wsd::CreatedJob> job_;
  int pages_ = 0;
  int create_attempts_ = 0;
  bool warming_up_ = false;
  std::string last_error_;  // what the reply that led to a status question said
  Clock::time_point deadline_{};
  Clock::time_point next_job_check_{};  // while RetrieveImage answers a temporary fault
  std::chrono::milliseconds pending_wait_{0};
  PollSchedule retries_;
};

}  // namespace hpaio::backend
