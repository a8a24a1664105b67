#include "backend/wsd/wsd_job.hpp"

#include <algorithm>

#include "base/ascii.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

// Busy retries: 250 ms, then doubling up to 2 s.
constexpr auto first_retry = std::chrono::milliseconds(250);
constexpr auto longest_retry = std::chrono::milliseconds(2000);
constexpr int create_busy_retries = 10;
// While RetrieveImage answers a temporary fault, how often the job's state is read.
constexpr auto job_check_interval = std::chrono::milliseconds(1000);
constexpr std::string_view multipart_related = "multipart/related";

std::string media_type(std::string_view content_type) {
  return ascii_lower(trim_blanks(content_type.substr(0, content_type.find(';'))));
}

// The path of a service address: "http://host:3911/scanner?x" -> "/scanner?x"; "/" when none.
std::string path_of(std::string_view address) {
  std::string_view v = trim_blanks(address);
  if (const std::size_t scheme = v.find("://"); scheme != std::string_view::npos) {
    const std::size_t path = v.find('/', scheme + 3);
    v = path == std::string_view::npos ? std::string_view() : v.substr(path);
  }
  return v.empty() || v.front() != '/' ? std::string("/") : std::string(v);
}

// The Fault the reply holds, whatever its HTTP status.
std::optional<wsd::Fault> fault_of(const JobReply& reply) {
  if (reply.body.empty()) return std::nullopt;
  std::optional<wsd::Fault> f = wsd::find_fault(reply.body);
  if (f) debug(log_info, "WS-Scan fault: " + f->describe());
  return f;
}

// ScannerStatus as the device answered it; nullopt when it could not say.
std::optional<wsd::ScannerStatus> scanner_status(const JobReply& reply) {
  if (reply.status != 200) return std::nullopt;
  try {
    wsd::ScannerStatus s = wsd::decode_scanner_status(reply.body);
    debug(log_info, "WS-Scan status: " + s.describe());
    return s;
  } catch (const ProtocolError&) {
    return std::nullopt;
  }
}

std::string what_failed(std::string_view operation, const JobReply& reply, const std::optional<wsd::Fault>& f) {
  if (f) return std::string(operation) + ": " + f->describe();
  return std::string(operation) + ": HTTP " + std::to_string(reply.status);
}

}  // namespace

WsdJob::WsdJob(wsd::Capabilities caps, std::string service, std::chrono::milliseconds page_timeout, MessageIds ids)
    : caps_(std::move(caps)),
      service_(std::move(service)),
      target_(path_of(service_)),
      page_timeout_(page_timeout),
      ids_(std::move(ids)),
      retries_(first_retry, longest_retry) {}

JobRequest WsdJob::soap(std::string body) const {
  JobRequest r;
  r.method = "POST";
  r.target = target_;
  r.body = std::move(body);
  r.content_type = std::string(wsd::soap_content_type);
  return r;
}

JobStep WsdJob::ask_status(Phase phase) {
  phase_ = phase;
  JobRequest r = soap(wsd::get_scanner_elements({service_, ids_()}, wsd::Elements::status));
  r.best_effort = true;  // a device that cannot say is not stopped by it
  return JobStep::send(std::move(r));
}

JobStep WsdJob::start(const ScanRequest& req, Clock::time_point now) {
  request_ = req;
  pages_ = 0;
  job_.reset();
  ticket_format_ = wsd::ticket_format(req, caps_);
  if (ticket_format_.empty()) return JobStep::failure(Status::unsupported, "WS-Scan: no page format to ask for");
  deadline_ = now + page_timeout_;
  create_attempts_ = 0;
  warming_up_ = false;
  retries_ = PollSchedule(first_retry, longest_retry);
  if (req.source != InputSource::Platen) return ask_status(Phase::status_before_create);
  return create(now);
}

JobStep WsdJob::create(Clock::time_point) {
  // The device wants a region inside its limits; the host crops or pads to what SANE was promised.
  ScanRequest s = request_;
  if (const SourceCapabilities* src = caps_.scanner.source(request_.source)) {
    s.region.width = std::clamp(request_.region.width, std::max(1, src->min_width), src->max_width);
    s.region.height = std::clamp(request_.region.height, std::max(1, src->min_height), src->max_height);
    s.region.x = std::clamp(request_.region.x, 0, std::max(0, src->max_width - s.region.width));
    s.region.y = std::clamp(request_.region.y, 0, std::max(0, src->max_height - s.region.height));
  }
  phase_ = Phase::creating;
  return JobStep::send(soap(wsd::create_scan_job({service_, ids_()}, s, caps_)));
}

JobStep WsdJob::retrieve() {
  phase_ = Phase::awaiting_page;
  JobRequest r = soap(wsd::retrieve_image({service_, ids_()}, *job_));
  r.page = true;
  r.page_type = std::string(multipart_related);
  r.timeout = page_timeout_;  // the answer comes when the page is scanned
  return JobStep::send(std::move(r));
}

JobStep WsdJob::next_page(Clock::time_point now) {
  if (!job_ || (request_.source == InputSource::Platen && pages_ > 0)) {
    job_.reset();  // one page per platen job; the device ends it after that page
    phase_ = Phase::idle;
    return JobStep::of(JobStep::Kind::no_more_pages);
  }
  deadline_ = now + page_timeout_;
  next_job_check_ = now + job_check_interval;
  retries_ = PollSchedule(first_retry, longest_retry);
  return retrieve();
}

JobStep WsdJob::on_waited(Clock::time_point now) {
  if (phase_ == Phase::creating) return create(now);
  if (phase_ == Phase::awaiting_page && job_) return retrieve();
  return JobStep::failure(Status::io_error, "WS-Scan: a wait nothing was waiting for");
}

JobStep WsdJob::on_reply(const JobReply& reply, Clock::time_point now) {
  switch (phase_) {
    case Phase::status_before_create: {
      if (const std::optional<wsd::ScannerStatus> s = scanner_status(reply)) {
        if (const Status st = s->failure(request_.source); st != Status::good) {
          phase_ = Phase::idle;
          return JobStep::failure(st, "the scanner is not ready: " + s->describe());
        }
      }
      return create(now);
    }
    case Phase::creating: return on_created(reply, now);
    case Phase::status_after_refusal: return after_refusal(reply, now);
    case Phase::awaiting_page: return on_image(reply, now);
    case Phase::job_while_busy: return while_busy(reply);
    case Phase::status_after_end: return after_end(reply);
    case Phase::status_after_failure: return after_failure(reply);
    case Phase::idle: break;
  }
  return JobStep::failure(Status::io_error, "WS-Scan: an answer nothing was asked for");
}

JobStep WsdJob::on_created(const JobReply& reply, Clock::time_point) {
  const std::optional<wsd::Fault> fault = fault_of(reply);
  if (reply.status == 200 && !fault) {
    try {
      job_ = wsd::decode_created_job(reply.body);
    } catch (const ProtocolError& e) {
      phase_ = Phase::idle;
      return JobStep::failure(Status::io_error, e.what());
    }
    phase_ = Phase::idle;
    debug(log_info, "WS-Scan job " + job_->id + ", format " + (job_->format.empty() ? ticket_format_ : job_->format));
    return JobStep::of(JobStep::Kind::job_started);
  }
  using K = wsd::Fault::Kind;
  const bool busy =
      fault ? fault->kind == K::not_accepting_jobs || fault->kind == K::temporary_error : reply.status == 503;
  last_error_ = what_failed("CreateScanJob", reply, fault);
  if (busy) return ask_status(Phase::status_after_refusal);
  phase_ = Phase::idle;
  if (fault && fault->kind == K::invalid_args) {
    return JobStep::failure(Status::invalid, "the device refused the scan ticket: " + last_error_);
  }
  return JobStep::failure(Status::io_error, last_error_);
}

JobStep WsdJob::after_refusal(const JobReply& reply, Clock::time_point now) {
  if (const std::optional<wsd::ScannerStatus> s = scanner_status(reply)) {
    if (const Status st = s->failure(request_.source); st != Status::good) {
      phase_ = Phase::idle;
      return JobStep::failure(st, last_error_ + "; the scanner is " + s->describe());
    }
    warming_up_ = s->warming_up();
    // A scanner that is Idle, not warming up, and still takes no feeder job has no sheet to take
    // (HP WSD devices say nothing else about an empty feeder; sane-airscan reads it so too).
    if (request_.source != InputSource::Platen && !warming_up_ && s->state == "Idle") {
      phase_ = Phase::idle;
      return JobStep::failure(Status::no_docs, last_error_ + " while the scanner is Idle: the feeder is empty");
    }
  }
  phase_ = Phase::creating;
  const std::chrono::milliseconds wait = retries_.next();
  if (now + wait >= deadline_ || (!warming_up_ && create_attempts_ >= create_busy_retries)) {
    phase_ = Phase::idle;
    return JobStep::failure(Status::device_busy, "device busy (" + last_error_ + ")");
  }
  ++create_attempts_;
  return JobStep::pause(wait);
}

JobStep WsdJob::page_step(const std::string& content_type) {
  const std::string& format = job_->format.empty() ? ticket_format_ : job_->format;
  const std::optional<ImageFormat> f = wsd::page_format(format);
  if (!f) {
    return JobStep::failure(Status::io_error,
                            "the device sends " + format + " pages, which this backend cannot decode");
  }
  PageSource src;
  src.format = *f;
  src.raw_mode = request_.device_mode;
  src.multipart_type = content_type;  // the image is a part of the answer
  return JobStep::start_of(src);
}

JobStep WsdJob::on_image(const JobReply& reply, Clock::time_point now) {
  if (reply.status == 200 && media_type(reply.content_type) == multipart_related) {
    ++pages_;
    phase_ = Phase::idle;
    return page_step(reply.content_type);
  }
  using K = wsd::Fault::Kind;
  const std::optional<wsd::Fault> fault = fault_of(reply);
  last_error_ = what_failed("RetrieveImage", reply, fault);
  const K kind = fault ? fault->kind : (reply.status == 503 ? K::temporary_error : K::other);
  switch (kind) {
    case K::no_images_available:
    case K::job_id_not_found:  // some devices say an emptied feeder so
      job_.reset();            // the job is over on the device
      return ask_status(Phase::status_after_end);
    case K::not_accepting_jobs:
    case K::temporary_error: {
      const std::chrono::milliseconds wait = retries_.next();
      if (now + wait > deadline_) {
        phase_ = Phase::idle;
        return JobStep::failure(Status::device_busy, "page not ready before page-timeout (" + last_error_ + ")");
      }
      pending_wait_ = wait;
      if (now >= next_job_check_) {
        next_job_check_ = now + job_check_interval;
        phase_ = Phase::job_while_busy;
        JobRequest r = soap(wsd::get_job_elements({service_, ids_()}, job_->id));
        r.best_effort = true;
        return JobStep::send(std::move(r));
      }
      return JobStep::pause(wait);
    }
    case K::job_cancelled:
      job_.reset();
      phase_ = Phase::idle;
      return JobStep::failure(Status::cancelled, "the job was cancelled on the device");
    default:
      if (kind == K::invalid_job_token) job_.reset();  // not ours to cancel
      return ask_status(Phase::status_after_failure);
  }
}

JobStep WsdJob::while_busy(const JobReply& reply) {
  phase_ = Phase::awaiting_page;
  std::optional<wsd::JobStatus> status;
  if (reply.status == 200) {
    try {
      status = wsd::decode_job_status(reply.body);
    } catch (const ProtocolError&) {
    }
  }
  if (!status) return JobStep::pause(pending_wait_);  // the device cannot say: wait on
  debug(log_info, "WS-Scan job " + status->id + ": " + status->state);
  if (status->state == "Canceled" || status->state == "Aborted") {
    job_.reset();  // nothing left to cancel
    if (status->state == "Canceled") {
      phase_ = Phase::idle;
      return JobStep::failure(Status::cancelled, "the job was cancelled on the device");
    }
    last_error_ = "the device aborted the job";
    for (std::size_t i = 0; i < status->reasons.size(); ++i) last_error_ += (i == 0 ? " (" : ", ") + status->reasons[i];
    if (!status->reasons.empty()) last_error_ += ")";
    return ask_status(Phase::status_after_failure);
  }
  if (status->state == "Completed" && pages_ > 0) {
    job_.reset();
    phase_ = Phase::idle;
    return JobStep::of(JobStep::Kind::no_more_pages);
  }
  return JobStep::pause(pending_wait_);
}

JobStep WsdJob::after_end(const JobReply& reply) {
  phase_ = Phase::idle;
  const std::optional<wsd::ScannerStatus> s = scanner_status(reply);
  const Status st = s ? s->failure(request_.source) : Status::good;
  const std::string why = s ? "; the scanner is " + s->describe() : std::string();
  if (pages_ > 0) {
    // An emptied feeder is the end of the job; a jam or an open cover stopped it.
    if (st == Status::jammed || st == Status::cover_open) return JobStep::failure(st, "the feeder stopped" + why);
    return JobStep::of(JobStep::Kind::no_more_pages);
  }
  if (st != Status::good) return JobStep::failure(st, "the job ended without a page" + why);
  return JobStep::failure(request_.source == InputSource::Platen ? Status::io_error : Status::no_docs,
                          "the job ended without a page (" + last_error_ + ")");
}

JobStep WsdJob::after_failure(const JobReply& reply) {
  phase_ = Phase::idle;
  const std::optional<wsd::ScannerStatus> s = scanner_status(reply);
  Status st = s ? s->failure(request_.source) : Status::good;
  // An empty feeder explains a failure only before the first page.
  if (st == Status::no_docs && pages_ > 0) st = Status::good;
  const std::string why = s ? "; the scanner is " + s->describe() : std::string();
  return JobStep::failure(st != Status::good ? st : Status::io_error, last_error_ + why);
}

std::optional<JobRequest> WsdJob::cancel() {
  phase_ = Phase::idle;
  if (!job_) return std::nullopt;
  JobRequest r = soap(wsd::cancel_job({service_, ids_()}, job_->id));
  job_.reset();
  return r;
}

}  // namespace hpaio::backend
