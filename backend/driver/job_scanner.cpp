#include "backend/driver/job_scanner.hpp"

#include "base/ascii.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

constexpr auto cancel_timeout = std::chrono::seconds(5);
// What is kept of an answer that is not a page (503 and 404 bodies are small).
constexpr std::size_t kept_body = 64 * 1024;

// "multipart/related" of "Multipart/Related; boundary=x": the media type, lower case.
std::string media_type(std::string_view content_type) {
  return ascii_lower(trim_blanks(content_type.substr(0, content_type.find(';'))));
}

HttpRequest http_request(const JobRequest& q) {
  HttpRequest r;
  r.method = q.method;
  r.target = q.target;
  r.body = q.body;
  if (!q.accept.empty()) r.headers.push_back({"Accept", q.accept});
  if (!r.body.empty()) r.headers.push_back({"Content-Type", q.content_type.empty() ? "text/xml" : q.content_type});
  if (q.localhost) r.host_override = "localhost";
  return r;
}

}  // namespace

JobReply JobScanner::exchange(const JobRequest& q) {
  const HttpRequest r = http_request(q);
  debug(log_protocol, std::string(protocol_) + " " + q.method + " " + q.target);
  if (!q.body.empty()) debug(log_trace, std::string(protocol_) + " " + q.method + " " + q.target + " " + q.body);
  try {
    JobReply reply;
    const std::chrono::milliseconds wait = q.timeout.count() > 0 ? q.timeout : timeouts_.request;
    if (q.page) {
      HttpResponse head = http_->open_stream(r, deadline_in(wait));
      reply.status = head.status;
      reply.location = head.header("Location").value_or("");
      reply.content_type = head.header("Content-Type").value_or("");
      if (head.status != 200 || (!q.page_type.empty() && media_type(reply.content_type) != q.page_type)) {
        // Not a page: read the (small) body away, within one request timeout, so the connection
        // stays usable; a body that does not end by then costs the connection, not the answer.
        const Deadline deadline = deadline_in(timeouts_.request);
        std::uint8_t sink[4096];
        try {
          for (int i = 0; i < 256 && !http_->body_done(); ++i) {
            std::size_t n = http_->read_body(sink, deadline);
            if (reply.body.size() < kept_body) reply.body.append(reinterpret_cast<const char*>(sink), n);
          }
        } catch (const HttpError& e) {
          if (e.kind() == HttpError::Kind::cancelled) throw;
          http_->close();
        }
      }
      return reply;
    }
    HttpResponse resp = http_->request(r, deadline_in(wait));
    reply.status = resp.status;
    reply.location = resp.header("Location").value_or("");
    reply.content_type = resp.header("Content-Type").value_or("");
    reply.body = std::move(resp.body);
    return reply;
  } catch (const HttpError& e) {
    if (!q.best_effort || e.kind() == HttpError::Kind::cancelled) throw;
    debug(log_info, std::string(protocol_) + " " + q.target + ": " + e.what());
    return JobReply{};
  }
}

ScanJob& JobScanner::job() {
  if (!job_) throw ScanFailure(Status::io_error, std::string(protocol_) + ": no job state machine");
  return *job_;
}

JobStep JobScanner::drive(JobStep step) {
  for (;;) {
    switch (step.kind) {
      case JobStep::Kind::send: step = job().on_reply(exchange(step.request), Clock::now()); break;
      case JobStep::Kind::wait:
        http_->pause(step.wait);
        step = job().on_waited(Clock::now());
        break;
      default: return step;
    }
  }
}

void JobScanner::start_job(const ScanRequest& request) {
  JobStep step = drive(job().start(request, Clock::now()));
  if (step.kind == JobStep::Kind::fail) throw ScanFailure(step.status, step.reason);
  if (step.kind != JobStep::Kind::job_started) throw ScanFailure(Status::io_error, "the job did not start");
}

std::optional<PageSource> JobScanner::next_page() {
  JobStep step = drive(job().next_page(Clock::now()));
  switch (step.kind) {
    case JobStep::Kind::page: return step.page;
    case JobStep::Kind::no_more_pages: return std::nullopt;
    case JobStep::Kind::fail: throw ScanFailure(step.status, step.reason);
    default: throw ScanFailure(Status::io_error, "the job gave no page");
  }
}

std::size_t JobScanner::read_page(std::span<std::uint8_t> out) {
  return http_->read_body(out, deadline_in(timeouts_.request));
}

void JobScanner::cancel_job() {
  if (!job_) return;
  std::optional<JobRequest> cancel = job_->cancel();
  if (!cancel) return;
  try {
    debug(log_info, std::string(protocol_) + " cancel: " + cancel->method + " " + cancel->target);
    http_->close();  // a half-read page must not be in the way
    http_->request(http_request(*cancel), deadline_in(cancel_timeout));
  } catch (const std::exception& e) {
    debug(log_error, std::string(protocol_) + " cancel failed: " + e.what());
  }
}

}  // namespace hpaio::backend
