#include "backend/escl/escl_job.hpp"

#include <algorithm>

#include "backend/scan/job_location.hpp"
#include "base/ascii.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

// "image/jpeg" of "Image/JPEG; charset=binary": the media type, lower case, without parameters.
std::string media_type(std::string_view content_type) {
  return ascii_lower(trim_blanks(content_type.substr(0, content_type.find(';'))));
}

// 503 retries: 100 ms, then doubling up to the 1 s that slow HP models are known to need.
constexpr auto first_retry = std::chrono::milliseconds(100);
constexpr auto longest_retry = std::chrono::milliseconds(1000);
constexpr int post_busy_retries = 10;
// While a page is not ready, how often the device's status is read.
constexpr auto status_check_interval = std::chrono::milliseconds(1000);

JobRequest request_for(std::string method, std::string target, std::string body = {}) {
  JobRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

// ScannerStatus as the device answered it; nullopt when it could not say (no answer, not 200,
// not a status document).
std::optional<escl::ScannerStatus> scanner_status(const JobReply& reply) {
  if (reply.status != 200) return std::nullopt;
  try {
    escl::ScannerStatus s = escl::decode_status(reply.body);
    debug(log_info, "eSCL status: " + s.state + ", ADF " + (s.adf_state.empty() ? "-" : s.adf_state));
    return s;
  } catch (const ProtocolError&) {
    return std::nullopt;
  }
}

}  // namespace

Status escl_adf_status(const std::string& a) {
  if (a == "ScannerAdfEmpty") return Status::no_docs;
  if (a == "ScannerAdfJam" || a == "ScannerAdfMispick" || a == "ScannerAdfMultipickDetected") return Status::jammed;
  if (a == "ScannerAdfHatchOpen" || a == "ScannerAdfDoorOpen") return Status::cover_open;
  return Status::good;
}

EsclJob::EsclJob(escl::Capabilities caps, std::string root, bool localhost, std::chrono::milliseconds page_timeout)
    : caps_(std::move(caps)),
      root_(std::move(root)),
      localhost_(localhost),
      page_timeout_(page_timeout),
      retries_(first_retry, longest_retry) {}

JobStep EsclJob::ask_status(Phase phase) {
  phase_ = phase;
  JobRequest r = request_for("GET", root_ + "/ScannerStatus");
  r.best_effort = true;  // a device that cannot say is not stopped by it
  return JobStep::send(std::move(r));
}

JobStep EsclJob::start(const ScanRequest& req, Clock::time_point now) {
  request_ = req;
  pages_ = 0;
  job_path_.clear();
  if (req.source != InputSource::Platen) return ask_status(Phase::status_before_post);
  return post(now);
}

JobStep EsclJob::post(Clock::time_point now) {
  // The device wants a region inside its limits; the host crops or pads to what SANE was promised.
  ScanRequest s = request_;
  if (const SourceCapabilities* src = caps_.scanner.source(request_.source)) {
    s.region.width = std::clamp(request_.region.width, std::max(1, src->min_width), src->max_width);
    s.region.height = std::clamp(request_.region.height, std::max(1, src->min_height), src->max_height);
    s.region.x = std::clamp(request_.region.x, 0, std::max(0, src->max_width - s.region.width));
    s.region.y = std::clamp(request_.region.y, 0, std::max(0, src->max_height - s.region.height));
  }
  settings_ = escl::encode_scan_settings(s, caps_);
  phase_ = Phase::posting;
  post_attempts_ = 0;
  warming_up_ = false;
  next_status_check_ = now;  // the first 503 asks why
  deadline_ = now + page_timeout_;
  retries_ = PollSchedule(first_retry, longest_retry);
  JobRequest r = request_for("POST", root_ + "/ScanJobs", settings_);
  r.localhost = localhost_;
  return JobStep::send(std::move(r));
}

JobStep EsclJob::next_document() {
  phase_ = Phase::awaiting_page;
  JobRequest r = request_for("GET", job_path_ + "/NextDocument");
  r.page = true;
  return JobStep::send(std::move(r));
}

JobStep EsclJob::next_page(Clock::time_point now) {
  if (request_.source == InputSource::Platen && pages_ > 0) {
    job_path_.clear();  // one page per platen job
    phase_ = Phase::idle;
    return JobStep::of(JobStep::Kind::no_more_pages);
  }
  deadline_ = now + page_timeout_;
  next_status_check_ = now + status_check_interval;
  retries_ = PollSchedule(first_retry, longest_retry);
  return next_document();
}

JobStep EsclJob::on_waited(Clock::time_point) {
  if (phase_ == Phase::posting) {
    JobRequest r = request_for("POST", root_ + "/ScanJobs", settings_);
    r.localhost = localhost_;
    return JobStep::send(std::move(r));
  }
  return next_document();
}

JobStep EsclJob::on_reply(const JobReply& reply, Clock::time_point now) {
  // What a status question found: the feeder's state, or good when the device could not say.
  auto adf = [&]() -> Status {
    std::optional<escl::ScannerStatus> s = scanner_status(reply);
    return s ? escl_adf_status(s->adf_state) : Status::good;
  };
  const bool platen = request_.source == InputSource::Platen;

  switch (phase_) {
    case Phase::status_before_post: {
      const std::optional<escl::ScannerStatus> s = scanner_status(reply);
      Status st = s ? escl_adf_status(s->adf_state) : Status::good;
      // A device busy with another job (another client's, shared through saned) shows the
      // feeder as that job left it: empty says nothing about this scan's sheets. The job is
      // posted, and the device's answers (503 while it is busy) decide.
      if (st == Status::no_docs && s->state == "Processing") {
        debug(log_info, "eSCL: the feeder reads empty while the scanner is Processing: posting the job");
        st = Status::good;
      }
      if (st != Status::good) return JobStep::failure(st, "document feeder is not ready");
      return post(now);
    }
    case Phase::posting: {
      if (reply.status == 201) {
        std::optional<std::string> path = job_path_from_location(reply.location);
        if (!path) return JobStep::failure(Status::io_error, "POST ScanJobs: 201 without a usable Location");
        job_path_ = *path;
        phase_ = Phase::idle;
        debug(log_info, "eSCL job " + job_path_);
        return JobStep::of(JobStep::Kind::job_started);
      }
      if (reply.status == 503) {
        std::chrono::milliseconds wait = retries_.next();
        if (now + wait >= deadline_) {
          return JobStep::failure(Status::device_busy, "device busy (HTTP 503 on POST ScanJobs)");
        }
        if (now >= next_status_check_) {
          next_status_check_ = now + status_check_interval;
          pending_wait_ = wait;
          return ask_status(Phase::status_busy_post);
        }
        return retry_post(wait);
      }
      if (reply.status == 409 && !platen) return ask_status(Phase::status_after_409);
      if (reply.status == 400 || reply.status == 409) {
        return JobStep::failure(Status::invalid,
                                "device refused the scan settings (HTTP " + std::to_string(reply.status) + ")");
      }
      return JobStep::failure(Status::io_error, "POST ScanJobs: HTTP " + std::to_string(reply.status));
    }
    case Phase::status_after_409: {
      Status st = adf();
      if (st != Status::good) return JobStep::failure(st, "document feeder is not ready (HTTP 409)");
      return JobStep::failure(Status::invalid, "device refused the scan settings (HTTP 409)");
    }
    case Phase::awaiting_page: {
      if (reply.status == 200) {
        ++pages_;
        phase_ = Phase::idle;
        PageSource src;
        const std::string media = media_type(reply.content_type);
        if (media == "application/pdf") {
          return JobStep::failure(Status::io_error, "the device sent a PDF page, which this backend cannot decode");
        }
        // A raw request answered with a JPEG is read as the JPEG it says it is; a JPEG request is
        // read as JPEG whatever the label (the decoder tells a JPEG by its bytes).
        src.format = media == "image/jpeg" ? ImageFormat::Jpeg : request_.format;
        src.raw_mode = request_.device_mode;
        // eSCL's raw pages have no header: rows of the region's width at the resolution, with no
        // padding (RGB 3 bytes a pixel, gray 1, BlackAndWhite1 1 bit, 1 = white).
        if (src.format == ImageFormat::Raw) src.raw_width = request_.pixels_per_line();
        return JobStep::start_of(src);
      }
      if (reply.status == 503) {
        // Not ready yet (slow models at high resolution need tens of seconds).
        std::chrono::milliseconds wait = retries_.next();
        if (now + wait > deadline_) {
          return JobStep::failure(Status::device_busy, "page not ready before page-timeout (HTTP 503)");
        }
        if (now >= next_status_check_) {
          next_status_check_ = now + status_check_interval;
          pending_wait_ = wait;
          return ask_status(Phase::status_while_busy);
        }
        return JobStep::pause(wait);
      }
      if (reply.status == 404) {
        job_path_.clear();  // the job is done
        phase_ = Phase::idle;
        if (pages_ > 0) return JobStep::of(JobStep::Kind::no_more_pages);
        if (platen) return JobStep::failure(Status::no_docs, "the job ended without a page");
        return ask_status(Phase::status_after_end);
      }
      if (reply.status == 410) {
        job_path_.clear();
        phase_ = Phase::idle;
        if (pages_ > 0) return JobStep::of(JobStep::Kind::no_more_pages);
        return JobStep::failure(Status::io_error, "the job is gone (HTTP 410)");
      }
      job_path_.clear();  // a failed job (HP answers 500 after a jam) is not resumed
      last_status_ = reply.status;
      if (platen) return JobStep::failure(Status::io_error, "NextDocument: HTTP " + std::to_string(reply.status));
      return ask_status(Phase::status_after_error);
    }
    case Phase::status_after_end: {
      Status st = adf();
      return JobStep::failure(st != Status::good ? st : Status::no_docs, "the job ended without a page");
    }
    case Phase::status_after_error: {
      Status st = adf();
      return JobStep::failure(st != Status::good && st != Status::no_docs ? st : Status::io_error,
                              "NextDocument: HTTP " + std::to_string(last_status_));
    }
    case Phase::status_while_busy: return while_busy(reply);
    case Phase::status_busy_post: return busy_post(reply);
    case Phase::idle: break;
  }
  return JobStep::failure(Status::io_error, "eSCL: an answer nothing was asked for");
}

JobStep EsclJob::while_busy(const JobReply& reply) {
  phase_ = Phase::awaiting_page;
  const std::optional<escl::ScannerStatus> status = scanner_status(reply);
  if (!status) return JobStep::pause(pending_wait_);  // the device cannot say: wait on
  const escl::ScannerStatus& s = *status;
  // A jam or an open cover stops the feeder; an empty one does not end a Processing job.
  Status adf = request_.source == InputSource::Platen ? Status::good : escl_adf_status(s.adf_state);
  if (adf == Status::no_docs) adf = Status::good;
  const escl::JobInfo* job = s.job(job_path_);
  const bool ended = job && (job->state == "Aborted" || job->state == "Canceled");
  if (adf == Status::good && !ended) return JobStep::pause(pending_wait_);
  debug(log_info, "eSCL status while waiting for a page: " + s.state + ", ADF " + s.adf_state + ", job " +
                      (job ? job->state : std::string("not listed")));
  if (ended) job_path_.clear();  // nothing left to cancel
  phase_ = Phase::idle;
  if (adf != Status::good) return JobStep::failure(adf, "the device stopped the job (" + s.adf_state + ")");
  if (job->state == "Canceled") return JobStep::failure(Status::cancelled, "the job was cancelled on the device");
  return JobStep::failure(Status::io_error, "the device aborted the job");
}

JobStep EsclJob::retry_post(std::chrono::milliseconds wait) {
  phase_ = Phase::posting;
  if (!warming_up_ && post_attempts_ >= post_busy_retries) {
    return JobStep::failure(Status::device_busy, "device busy (HTTP 503 on POST ScanJobs)");
  }
  ++post_attempts_;
  return JobStep::pause(wait);
}

JobStep EsclJob::busy_post(const JobReply& reply) {
  if (const std::optional<escl::ScannerStatus> s = scanner_status(reply)) {  // else retried as before
    warming_up_ = s->state == "Testing";
    if (s->state == "Down") return JobStep::failure(Status::io_error, "the scanner is down (ScannerStatus)");
    if (s->state == "Stopped") return JobStep::failure(Status::device_busy, "the scanner is stopped (ScannerStatus)");
  }
  return retry_post(pending_wait_);
}

std::optional<JobRequest> EsclJob::cancel() {
  phase_ = Phase::idle;
  if (job_path_.empty()) return std::nullopt;
  JobRequest r = request_for("DELETE", std::move(job_path_));
  job_path_.clear();
  return r;
}

}  // namespace hpaio::backend
