// A scan job as a state machine with no I/O (the sans-I/O style): it is told what the device
// answered and the time, and returns the next step: send this request, wait this long, the job
// exists, a page starts, no more pages, or the scan fails with a reason and a Status. The driver
// (backend/driver/job_scanner.hpp) is the one loop that performs the steps; unit tests perform
// them against the simulator's request handler, in process, on a clock of their own.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "backend/scan/page_source.hpp"
#include "backend/scan/scan_request.hpp"
#include "base/clock.hpp"
#include "base/status.hpp"

namespace hpaio::backend {

// A request the job wants sent to the device.
struct JobRequest {
  std::string method = "GET";
  std::string target;        // origin-form: "/eSCL/ScanJobs"
  std::string body;          // XML, empty for none
  std::string content_type;  // the body's Content-Type; empty: text/xml
  std::string accept;        // an Accept header, empty for none
  bool localhost = false;    // send "Host: localhost" (HP enterprise eSCL firmware)
  // A 200 answer is a page: its body stays open for the image pipeline, the reply has none.
  bool page = false;
  // With `page`: only a 200 answer of this media type ("multipart/related") is a page; any other
  // answer is read whole into the reply (WS-Scan devices may send a fault with 200). Empty: any.
  std::string page_type;
  // How long the answer may take to begin; 0: the driver's request timeout. (WS-Scan answers
  // RetrieveImage once the page is scanned.)
  std::chrono::milliseconds timeout{0};
  // The answer only informs (a status document): a transport failure is an answer with status 0,
  // not the end of the scan.
  bool best_effort = false;
};

// What the device answered.
struct JobReply {
  int status = 0;            // HTTP status; 0: no answer (a best-effort request that failed)
  std::string location;      // the Location header
  std::string content_type;  // the Content-Type header, parameters and all
  std::string body;          // empty for a page
};

struct JobStep {
  enum class Kind {
    send,           // send `request`, then on_reply()
    wait,           // wait `wait` (or until the scan is cancelled), then on_waited()
    job_started,    // the device has the job; next_page() asks for its first page
    page,           // the reply's body is page `page`; after it, next_page()
    no_more_pages,  // the job has no more pages (the feeder is done)
    fail,           // the scan cannot go on: `status`, `reason`
  };
  Kind kind = Kind::fail;
  JobRequest request;
  std::chrono::milliseconds wait{0};
  PageSource page;
  Status status = Status::good;
  std::string reason;

  static JobStep send(JobRequest r) {
    JobStep s;
    s.kind = Kind::send;
    s.request = std::move(r);
    return s;
  }
  static JobStep pause(std::chrono::milliseconds d) {
    JobStep s;
    s.kind = Kind::wait;
    s.wait = d;
    return s;
  }
  static JobStep of(Kind k) {
    JobStep s;
    s.kind = k;
    return s;
  }
  static JobStep start_of(PageSource p) {
    JobStep s;
    s.kind = Kind::page;
    s.page = p;
    return s;
  }
  static JobStep failure(Status st, std::string why) {
    JobStep s;
    s.kind = Kind::fail;
    s.status = st;
    s.reason = std::move(why);
    return s;
  }
};

class ScanJob {
 public:
  virtual ~ScanJob() = default;
  // A new job for `request`; the steps end at job_started or fail.
  virtual JobStep start(const ScanRequest& request, Clock::time_point now) = 0;
  // The next page of the job; the steps end at page, no_more_pages or fail.
  virtual JobStep next_page(Clock::time_point now) = 0;
  // The answer to the last `send`.
  virtual JobStep on_reply(const JobReply& reply, Clock::time_point now) = 0;
  // The last `wait` is over.
  virtual JobStep on_waited(Clock::time_point now) = 0;
  // The request that cancels the job on the device, which the job then forgets; nullopt when
  // there is no job to cancel.
  virtual std::optional<JobRequest> cancel() = 0;
  // The job still runs on the device (a page may follow, or it was interrupted).
  virtual bool active() const = 0;
  // Forgets the job without telling the device (it ended by itself).
  virtual void forget() = 0;
};

}  // namespace hpaio::backend
