#include "backend/driver/escl_scanner.hpp"

#include <algorithm>

#include "backend/scan/job_location.hpp"
#include "backend/scan/poll_schedule.hpp"
#include "base/ascii.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

// 503 retries: 100 ms, then doubling up to the 1 s that slow HP models are known to need.
constexpr auto first_retry = std::chrono::milliseconds(100);
constexpr auto longest_retry = std::chrono::milliseconds(1000);
constexpr auto cancel_timeout = std::chrono::seconds(5);
constexpr int post_busy_retries = 10;

HttpRequest request_for(std::string method, std::string target, std::string body = {}) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  if (!r.body.empty()) r.headers.push_back({"Content-Type", "text/xml"});
  return r;
}

bool model_needs_localhost(std::string_view model) {
  return model == "HP LaserJet MFP M630" || model == "HP Color LaserJet FlowMFP M578";
}

}  // namespace

EsclScanner::EsclScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts, std::string root)
    : http_(std::move(http)), timeouts_(timeouts), root_(std::move(root)) {
  debug(log_protocol, "eSCL GET " + root_ + "/ScannerCapabilities");
  HttpResponse r = http_->request(request_for("GET", root_ + "/ScannerCapabilities"), deadline_in(timeouts_.request));
  if (r.status != 200) throw WrongProtocol("eSCL ScannerCapabilities: HTTP " + std::to_string(r.status));
  caps_ = escl::decode_capabilities(r.body);
  localhost_ = iequals(r.header("Server").value_or(""), "HP_Compact_Server") ||
               model_needs_localhost(caps_.scanner.make_and_model);
  if (localhost_) debug(log_info, "eSCL: jobs will be created with Host: localhost");
}

Status EsclScanner::adf_problem() {
  try {
    HttpResponse r = http_->request(request_for("GET", root_ + "/ScannerStatus"), deadline_in(timeouts_.request));
    if (r.status != 200) return Status::good;
    escl::ScannerStatus s = escl::decode_status(r.body);
    debug(log_info, "eSCL status: " + s.state + ", ADF " + (s.adf_state.empty() ? "-" : s.adf_state));
    const std::string& a = s.adf_state;
    if (a == "ScannerAdfEmpty") return Status::no_docs;
    if (a == "ScannerAdfJam" || a == "ScannerAdfMispick" || a == "ScannerAdfMultipickDetected") return Status::jammed;
    if (a == "ScannerAdfHatchOpen" || a == "ScannerAdfDoorOpen") return Status::cover_open;
    return Status::good;
  } catch (const HttpError& e) {
    if (e.kind() == HttpError::Kind::cancelled) throw;
    return Status::good;
  } catch (const ProtocolError&) {
    return Status::good;
  }
}

void EsclScanner::start_job(const ScanRequest& req) {
  request_ = req;
  pages_ = 0;
  if (req.source != InputSource::Platen) {
    Status adf = adf_problem();
    if (adf != Status::good) throw ScanFailure(adf, "document feeder is not ready");
  }
  // The device wants a region inside its limits; the host crops or pads to what SANE was promised.
  ScanRequest s = req;
  if (const SourceCapabilities* src = caps_.scanner.source(req.source)) {
    s.region.width = std::clamp(req.region.width, std::max(1, src->min_width), src->max_width);
    s.region.height = std::clamp(req.region.height, std::max(1, src->min_height), src->max_height);
    s.region.x = std::clamp(req.region.x, 0, std::max(0, src->max_width - s.region.width));
    s.region.y = std::clamp(req.region.y, 0, std::max(0, src->max_height - s.region.height));
  }
  HttpRequest post = request_for("POST", root_ + "/ScanJobs", escl::encode_scan_settings(s, caps_));
  if (localhost_) post.host_override = "localhost";
  debug(log_trace, "eSCL POST " + post.target + " " + post.body);

  Deadline deadline = deadline_in(timeouts_.page);
  PollSchedule retries(first_retry, longest_retry);
  for (int attempt = 0;; ++attempt) {
    HttpResponse r = http_->request(post, deadline_in(timeouts_.request));
    if (r.status == 201) {
      std::optional<std::string> path = job_path_from_location(r.header("Location").value_or(""));
      if (!path) throw ScanFailure(Status::io_error, "POST ScanJobs: 201 without a usable Location");
      job_path_ = *path;
      debug(log_info, "eSCL job " + job_path_);
      return;
    }
    std::chrono::milliseconds wait = retries.next();
    if (r.status == 503 && attempt < post_busy_retries && Clock::now() + wait < deadline) {
      http_->pause(wait);
      continue;
    }
    if (r.status == 503) throw ScanFailure(Status::device_busy, "device busy (HTTP 503 on POST ScanJobs)");
    if (r.status == 409 && req.source != InputSource::Platen) {
      Status adf = adf_problem();
      if (adf != Status::good) throw ScanFailure(adf, "document feeder is not ready (HTTP 409)");
    }
    if (r.status == 400 || r.status == 409) {
      throw ScanFailure(Status::invalid, "device refused the scan settings (HTTP " + std::to_string(r.status) + ")");
    }
    throw ScanFailure(Status::io_error, "POST ScanJobs: HTTP " + std::to_string(r.status));
  }
}

std::optional<PageSource> EsclScanner::next_page() {
  if (request_.source == InputSource::Platen && pages_ > 0) {
    job_path_.clear();  // one page per platen job
    return std::nullopt;
  }
  std::string target = job_path_ + "/NextDocument";
  Deadline deadline = deadline_in(timeouts_.page);
  PollSchedule retries(first_retry, longest_retry);
  for (;;) {
    debug(log_protocol, "eSCL GET " + target);
    HttpResponse r = http_->open_stream(request_for("GET", target), deadline_in(timeouts_.request));
    if (r.status == 200) {
      ++pages_;
      PageSource src;
      src.format = request_.format;
      src.raw_mode = request_.device_mode;
      return src;
    }
    // Not a page: read the (small) body away so the connection stays usable.
    std::uint8_t sink[4096];
    for (int i = 0; i < 256 && !http_->body_done(); ++i) http_->read_body(sink, deadline_in(timeouts_.request));
    if (r.status == 503) {
      // Not ready yet (slow models at high resolution need tens of seconds).
      std::chrono::milliseconds wait = retries.next();
      if (Clock::now() + wait > deadline) {
        throw ScanFailure(Status::device_busy, "page not ready before page-timeout (HTTP 503)");
      }
      http_->pause(wait);
      continue;
    }
    if (r.status == 404) {
      job_path_.clear();  // the job is done
      if (pages_ > 0) return std::nullopt;
      Status adf = request_.source == InputSource::Platen ? Status::good : adf_problem();
      throw ScanFailure(adf != Status::good ? adf : Status::no_docs, "the job ended without a page");
    }
    if (r.status == 410) {
      job_path_.clear();
      if (pages_ > 0) return std::nullopt;
      throw ScanFailure(Status::io_error, "the job is gone (HTTP 410)");
    }
    job_path_.clear();  // a failed job (HP answers 500 after a jam) is not resumed
    Status why = request_.source == InputSource::Platen ? Status::good : adf_problem();
    throw ScanFailure(why != Status::good && why != Status::no_docs ? why : Status::io_error,
                      "NextDocument: HTTP " + std::to_string(r.status));
  }
}

std::size_t EsclScanner::read_page(std::span<std::uint8_t> out) {
  return http_->read_body(out, deadline_in(timeouts_.request));
}

void EsclScanner::cancel_job() {
  if (job_path_.empty()) return;
  std::string path = std::move(job_path_);
  job_path_.clear();
  try {
    debug(log_info, "eSCL DELETE " + path);
    http_->close();
    http_->request(request_for("DELETE", path), deadline_in(cancel_timeout));
  } catch (const std::exception& e) {
    debug(log_error, std::string("eSCL cancel failed: ") + e.what());
  }
}

}  // namespace hpaio::backend
