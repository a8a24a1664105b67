#include "backend/driver/ledm_scanner.hpp"

#include "backend/scan/job_location.hpp"
#include "backend/scan/poll_schedule.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

// Job polls: 40 ms, then doubling up to HPLIP's 500 ms.
constexpr auto first_poll = std::chrono::milliseconds(40);
constexpr auto longest_poll = std::chrono::milliseconds(500);
constexpr auto cancel_timeout = std::chrono::seconds(5);

HttpRequest request_for(std::string method, std::string target, std::string body = {}) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers.push_back({"Accept", "text/xml, */*"});
  if (!r.body.empty()) r.headers.push_back({"Content-Type", "text/xml"});
  return r;
}

// The device's own words for a state that stops a scan.
Status status_for_adf(const std::string& adf_state) {
  if (adf_state == "Empty") return Status::no_docs;
  if (adf_state == "Jammed" || adf_state == "Jam" || adf_state == "MediaJam") return Status::jammed;
  if (adf_state == "CoverOpen" || adf_state == "HatchOpen" || adf_state == "DoorOpen") return Status::cover_open;
  return Status::good;
}

}  // namespace

LedmScanner::LedmScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts)
    : http_(std::move(http)), timeouts_(timeouts) {
  HttpResponse r = get("/Scan/ScanCaps", deadline_in(timeouts_.request));
  if (r.status != 200) throw WrongProtocol("LEDM ScanCaps: HTTP " + std::to_string(r.status));
  caps_ = ledm::decode_capabilities(r.body);
}

HttpResponse LedmScanner::get(const std::string& target, Deadline deadline) {
  debug(log_protocol, "LEDM GET " + target);
  return http_->request(request_for("GET", target), deadline);
}

void LedmScanner::start_job(const ScanRequest& req) {
  request_ = req;
  page_ = 0;
  if (std::optional<ledm::ScanStatus> s = status()) {
    if (s->scanner_state != "Idle") throw ScanFailure(Status::device_busy, "scanner is " + s->scanner_state);
    if (req.source != InputSource::Platen) {
      Status adf = status_for_adf(s->adf_state);
      if (adf != Status::good) throw ScanFailure(adf, "document feeder: " + s->adf_state);
    }
  }

  std::string body = ledm::encode_scan_settings(req);
  debug(log_trace, "LEDM POST /Scan/Jobs " + body);
  HttpResponse r = http_->request(request_for("POST", "/Scan/Jobs", body), deadline_in(timeouts_.request));
  if (r.status == 503) throw ScanFailure(Status::device_busy, "device busy (HTTP 503 on POST /Scan/Jobs)");
  if (r.status == 400 || r.status == 409) {
    throw ScanFailure(Status::invalid, "device refused the scan settings (HTTP " + std::to_string(r.status) + ")");
  }
  std::optional<std::string> path = job_path_from_location(r.header("Location").value_or(""));
  if (r.status != 201 || !path) {
    throw ScanFailure(Status::io_error, "POST /Scan/Jobs: HTTP " + std::to_string(r.status) + " without a job");
  }
  job_path_ = *path;
  debug(log_info, "LEDM job " + job_path_);
}

std::optional<PageSource> LedmScanner::next_page() {
  int wanted = page_ + 1;
  Deadline deadline = deadline_in(timeouts_.page);
  PollSchedule polls(first_poll, longest_poll);
  for (;;) {
    HttpResponse r = get(job_path_, deadline_in(timeouts_.request));
    if (r.status == 404 || r.status == 410) {
      if (page_ > 0) return std::nullopt;  // the device dropped a finished job
      throw ScanFailure(Status::io_error, "job " + job_path_ + " vanished (HTTP " + std::to_string(r.status) + ")");
    }
    if (r.status != 200) throw ScanFailure(Status::io_error, "job " + job_path_ + ": HTTP " + std::to_string(r.status));
    ledm::Job job = ledm::decode_job(r.body);
    const std::optional<ledm::Page>& pre = job.pre_scan;
    if (job.state == "Canceled" || (pre && (pre->state == "CanceledByDevice" || pre->state == "CanceledByClient"))) {
      job_path_.clear();
      // A jam or an open cover cancels the job on the device; say which.
      Status why = adf_problem();
      throw ScanFailure(why != Status::good && why != Status::no_docs ? why : Status::cancelled,
                        "the job was cancelled on the device");
    }
    if (pre && pre->number == wanted && pre->state == "ReadyToUpload") {
      if (pre->binary_url.empty()) throw ScanFailure(Status::io_error, "page without BinaryURL");
      std::optional<std::string> url = job_path_from_location(pre->binary_url);
      if (!url) throw ScanFailure(Status::io_error, "unusable BinaryURL " + pre->binary_url);
      debug(log_protocol, "LEDM GET " + *url);
      HttpResponse page = http_->open_stream(request_for("GET", *url), deadline_in(timeouts_.request));
      if (page.status != 200) {
        throw ScanFailure(Status::io_error, "page " + *url + ": HTTP " + std::to_string(page.status));
      }
      page_ = wanted;
      PageSource src;
      src.format = request_.format;
      src.raw_mode = request_.device_mode;
      src.raw_width = pre->image_width;
      src.raw_bytes_per_line = pre->bytes_per_line;
      src.raw_lines = pre->image_height;
      return src;
    }
    if (job.state == "Completed") {
      job_path_.clear();  // the device finished the job by itself
      if (page_ == 0) throw ScanFailure(Status::no_docs, "the job ended without a page");
      return std::nullopt;
    }
    std::chrono::milliseconds wait = polls.next();
    if (Clock::now() + wait > deadline) {
      throw ScanFailure(Status::io_error, "page " + std::to_string(wanted) + " was not ready in time");
    }
    http_->pause(wait);
  }
}

std::optional<ledm::ScanStatus> LedmScanner::status() {
  // A device that has no /Scan/Status, or answers it badly, is not stopped by it.
  try {
    HttpResponse r = get("/Scan/Status", deadline_in(timeouts_.request));
    if (r.status != 200) return std::nullopt;
    ledm::ScanStatus s = ledm::decode_status(r.body);
    debug(log_info, "LEDM status: " + s.scanner_state + ", ADF " + (s.adf_state.empty() ? "-" : s.adf_state));
    return s;
  } catch (const HttpError& e) {
    if (e.kind() == HttpError::Kind::cancelled) throw;
    return std::nullopt;
  } catch (const ProtocolError&) {
    return std::nullopt;
  }
}

Status LedmScanner::adf_problem() {
  std::optional<ledm::ScanStatus> s = status();
  return s ? status_for_adf(s->adf_state) : Status::good;
}

std::size_t LedmScanner::read_page(std::span<std::uint8_t> out) {
  return http_->read_body(out, deadline_in(timeouts_.request));
}

void LedmScanner::cancel_job() {
  if (job_path_.empty()) return;
  std::string path = std::move(job_path_);
  job_path_.clear();
  try {
    debug(log_info, "LEDM cancel " + path);
    http_->close();  // a half-read page must not be in the way
    http_->request(request_for("PUT", path, ledm::encode_cancel_job()), deadline_in(cancel_timeout));
  } catch (const std::exception& e) {
    debug(log_error, std::string("LEDM cancel failed: ") + e.what());
  }
}

}  // namespace hpaio::backend
