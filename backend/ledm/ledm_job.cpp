#include "backend/ledm/ledm_job.hpp"

#include "backend/scan/job_location.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

// Job polls: 40 ms, then doubling up to HPLIP's 500 ms.
constexpr auto first_poll = std::chrono::milliseconds(40);
constexpr auto longest_poll = std::chrono::milliseconds(500);

JobRequest request_for(std::string method, std::string target, std::string body = {}) {
  JobRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.accept = ledm::accept_header;
  return r;
}

JobRequest status_request() {
  JobRequest r = request_for("GET", "/Scan/Status");
  r.best_effort = true;  // a device that has no /Scan/Status, or answers it badly, is not stopped by it
  return r;
}

// /Scan/Status as the device answered it; nullopt when it could not say.
std::optional<ledm::ScanStatus> scan_status(const JobReply& reply) {
  if (reply.status != 200) return std::nullopt;
  try {
    ledm::ScanStatus s = ledm::decode_status(reply.body);
    debug(log_info, "LEDM status: " + s.scanner_state + ", ADF " + (s.adf_state.empty() ? "-" : s.adf_state));
    return s;
  } catch (const ProtocolError&) {
    return std::nullopt;
  }
}

}  // namespace

Status ledm_adf_status(const std::string& a) {
  if (a == "Empty") return Status::no_docs;
  if (a == "Jammed" || a == "Jam" || a == "MediaJam") return Status::jammed;
  if (a == "CoverOpen" || a == "HatchOpen" || a == "DoorOpen") return Status::cover_open;
  return Status::good;
}

LedmJob::LedmJob(std::chrono::milliseconds page_timeout)
    : page_timeout_(page_timeout), polls_(first_poll, longest_poll) {}

JobStep LedmJob::start(const ScanRequest& req, Clock::time_point) {
  request_ = req;
  page_ = 0;
  job_path_.clear();
  phase_ = Phase::status_before_post;
  return JobStep::send(status_request());
}

JobStep LedmJob::poll_job() {
  phase_ = Phase::polling;
  return JobStep::send(request_for("GET", job_path_));
}

JobStep LedmJob::next_page(Clock::time_point now) {
  deadline_ = now + page_timeout_;
  polls_ = PollSchedule(first_poll, longest_poll);
  return poll_job();
}

JobStep LedmJob::on_waited(Clock::time_point) { return poll_job(); }

JobStep LedmJob::on_reply(const JobReply& reply, Clock::time_point now) {
  const std::string code = std::to_string(reply.status);
  switch (phase_) {
    case Phase::status_before_post: {
      if (std::optional<ledm::ScanStatus> s = scan_status(reply)) {
        if (s->scanner_state != "Idle") return JobStep::failure(Status::device_busy, "scanner is " + s->scanner_state);
        if (request_.source != InputSource::Platen) {
          Status adf = ledm_adf_status(s->adf_state);
          if (adf != Status::good) return JobStep::failure(adf, "document feeder: " + s->adf_state);
        }
      }
      phase_ = Phase::posting;
      return JobStep::send(request_for("POST", "/Scan/Jobs", ledm::encode_scan_settings(request_)));
    }
    case Phase::posting: {
      if (reply.status == 503)
        return JobStep::failure(Status::device_busy, "device busy (HTTP 503 on POST /Scan/Jobs)");
      if (reply.status == 409) {
        // Devices answer 409 to settings they refuse, and to a job while another one is active
        // (another client's, one that was posted after our status question); the status tells.
        phase_ = Phase::status_after_409;
        return JobStep::send(status_request());
      }
      if (reply.status == 400) {
        return JobStep::failure(Status::invalid, "device refused the scan settings (HTTP " + code + ")");
      }
      std::optional<std::string> path = job_path_from_location(reply.location);
      if (reply.status != 201 || !path) {
        return JobStep::failure(Status::io_error, "POST /Scan/Jobs: HTTP " + code + " without a job");
      }
      job_path_ = *path;
      phase_ = Phase::idle;
      debug(log_info, "LEDM job " + job_path_);
      return JobStep::of(JobStep::Kind::job_started);
    }
    case Phase::polling: {
      if (reply.status == 404 || reply.status == 410) {
        phase_ = Phase::idle;
        if (page_ > 0) return JobStep::of(JobStep::Kind::no_more_pages);  // the device dropped a finished job
        return JobStep::failure(Status::io_error, "job " + job_path_ + " vanished (HTTP " + code + ")");
      }
      if (reply.status != 200) return JobStep::failure(Status::io_error, "job " + job_path_ + ": HTTP " + code);
      ledm::Job job;
      try {
        job = ledm::decode_job(reply.body);
      } catch (const ProtocolError& e) {
        return JobStep::failure(Status::io_error, e.what());
      }
      const std::optional<ledm::Page>& pre = job.pre_scan;
      const int wanted = page_ + 1;
      if (job.state == "Canceled" || (pre && (pre->state == "CanceledByDevice" || pre->state == "CanceledByClient"))) {
        job_path_.clear();
        // A jam or an open cover cancels the job on the device; say which.
        phase_ = Phase::status_after_cancel;
        return JobStep::send(status_request());
      }
      if (pre && pre->number == wanted && pre->state == "ReadyToUpload") {
        if (pre->binary_url.empty()) return JobStep::failure(Status::io_error, "page without BinaryURL");
        std::optional<std::string> url = job_path_from_location(pre->binary_url);
        if (!url) return JobStep::failure(Status::io_error, "unusable BinaryURL " + pre->binary_url);
        pending_ = PageSource{};
        pending_.format = request_.format;
        pending_.raw_mode = request_.device_mode;
        pending_.raw_width = pre->image_width;
        pending_.raw_bytes_per_line = pre->bytes_per_line;
        pending_.raw_lines = pre->image_height;
        pending_url_ = *url;
        phase_ = Phase::fetching;
        JobRequest r = request_for("GET", *url);
        r.page = true;
        return JobStep::send(std::move(r));
      }
      if (job.state == "Completed") {
        job_path_.clear();  // the device finished the job by itself
        phase_ = Phase::idle;
        if (page_ == 0) return JobStep::failure(Status::no_docs, "the job ended without a page");
        return JobStep::of(JobStep::Kind::no_more_pages);
      }
      std::chrono::milliseconds wait = polls_.next();
      if (now + wait > deadline_) {
        return JobStep::failure(Status::io_error, "page " + std::to_string(wanted) + " was not ready in time");
      }
      return JobStep::pause(wait);
    }
    case Phase::status_after_409: {
      phase_ = Phase::idle;
      if (std::optional<ledm::ScanStatus> s = scan_status(reply)) {
        if (s->scanner_state != "Idle") {
          return JobStep::failure(Status::device_busy, "scanner is " + s->scanner_state + " (HTTP 409)");
        }
        if (request_.source != InputSource::Platen) {
          Status adf = ledm_adf_status(s->adf_state);
          if (adf != Status::good) return JobStep::failure(adf, "document feeder: " + s->adf_state + " (HTTP 409)");
        }
      }
      return JobStep::failure(Status::invalid, "device refused the scan settings (HTTP 409)");
    }
    case Phase::status_after_cancel: {
      std::optional<ledm::ScanStatus> s = scan_status(reply);
      Status why = s ? ledm_adf_status(s->adf_state) : Status::good;
      return JobStep::failure(why != Status::good && why != Status::no_docs ? why : Status::cancelled,
                              "the job was cancelled on the device");
    }
    case Phase::fetching: {
      if (reply.status != 200) {
        return JobStep::failure(Status::io_error, "page " + pending_url_ + ": HTTP " + code);
      }
      page_ += 1;
      phase_ = Phase::idle;
      return JobStep::start_of(pending_);
    }
    case Phase::idle: break;
  }
  return JobStep::failure(Status::io_error, "LEDM: an answer nothing was asked for");
}

std::optional<JobRequest> LedmJob::cancel() {
  phase_ = Phase::idle;
  if (job_path_.empty()) return std::nullopt;
  JobRequest r = request_for("PUT", std::move(job_path_), ledm::encode_cancel_job());
  job_path_.clear();
  return r;
}

}  // namespace hpaio::backend
