// The WS-Scan job state machine without sockets: each test plays the device, answering the
// requests the job sends, on a clock of its own.
#include "backend/wsd/wsd_job.hpp"

#include <gtest/gtest.h>

#include <set>

#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"
#include "wsd_documents.hpp"

using namespace hpaio;
using namespace hpaio::backend;
namespace doc = hpaio::test::wsd;
using Kind = JobStep::Kind;
using namespace std::chrono_literals;

namespace {

constexpr auto page_timeout = std::chrono::milliseconds(30000);
const std::string service = "http://192.0.2.10:3911/scanner";
const std::string multipart = R"(multipart/related; type="application/xop+xml"; boundary="b1")";

// What a request asks: its body's element ("CreateScanJobRequest", ...), and the envelope's headers.
struct Asked {
  std::string operation;
  std::string to;
  std::string message_id;
  std::string job_id;
  xml::Element root;
};

Asked asked(const JobRequest& r) {
  Asked a{{}, {}, {}, {}, xml::parse(r.body)};
  const xml::Element* header = a.root.child(ns::soap12, "Header");
  const xml::Element* body = a.root.child(ns::soap12, "Body");
  if (header == nullptr || body == nullptr || body->children().empty()) {
    ADD_FAILURE() << "not an envelope: " << r.body;
    return a;
  }
  a.operation = body->children().front().name();
  a.to = header->child_text(ns::wsa, "To").value_or("");
  a.message_id = header->child_text(ns::wsa, "MessageID").value_or("");
  a.job_id = body->children().front().child_text(ns::wsd_scan, "JobId").value_or("");
  return a;
}

JobReply answer(int status, std::string body, std::string content_type = "application/soap+xml") {
  JobReply r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

JobReply page_answer() { return answer(200, "", multipart); }

struct Fixture {
  wsd::Capabilities caps = wsd::decode_capabilities(doc::caps_duplex_feeder);
  int ids = 0;
  WsdJob job{caps, service, page_timeout, [this] { return "urn:uuid:test-" + std::to_string(++ids); }};
  Clock::time_point now{};

  // The request of a send step, checked to be a SOAP POST to the service, with its operation.
  Asked expect_send(const JobStep& s, std::string_view operation) {
    EXPECT_EQ(s.kind, Kind::send) << s.reason;
    EXPECT_EQ(s.request.method, "POST");
    EXPECT_EQ(s.request.target, "/scanner");
    EXPECT_EQ(s.request.content_type, "application/soap+xml; charset=utf-8");
    if (s.kind != Kind::send) return Asked{{}, {}, {}, {}, xml::Element{}};
    Asked a = asked(s.request);
    EXPECT_EQ(a.operation, operation);
    EXPECT_EQ(a.to, service);
    return a;
  }
  // Started job number `id`, in `format`.
  void start(const ScanRequest& r, std::string format = "dib") {
    JobStep s = job.start(r, now);
    if (r.source != InputSource::Platen) {
      expect_send(s, "GetScannerElementsRequest");
      EXPECT_TRUE(s.request.best_effort);
      s = job.on_reply(answer(200, doc::scanner_status("Idle")), now);
    }
    expect_send(s, "CreateScanJobRequest");
    s = job.on_reply(answer(200, doc::created_job("41", "token-41", format)), now);
    ASSERT_EQ(s.kind, Kind::job_started) << s.reason;
    ASSERT_TRUE(job.active());
  }
  JobStep retrieve() {
    JobStep s = job.next_page(now);
    const Asked a = expect_send(s, "RetrieveImageRequest");
    EXPECT_EQ(a.job_id, "41");
    EXPECT_TRUE(s.request.page);
    EXPECT_EQ(s.request.page_type, "multipart/related");
    EXPECT_EQ(s.request.timeout, page_timeout);
    return s;
  }
};

ScanRequest request(InputSource source, ImageFormat format = ImageFormat::Raw) {
  ScanRequest r;
  r.source = source;
  r.format = format;
  r.resolution = 300;
  r.region = {0, 0, 2550, 3300};
  return r;
}

TEST(WsdJob, PlatenPageAsBmp) {
  Fixture f;
  f.start(request(InputSource::Platen));
  f.retrieve();
  JobStep s = f.job.on_reply(page_answer(), f.now);
  ASSERT_EQ(s.kind, Kind::page) << s.reason;
  EXPECT_EQ(s.page.format, ImageFormat::Bmp);
  EXPECT_EQ(s.page.multipart_type, multipart);  // for the driver's MtomReader
  // One page per platen job: the device ends it.
  EXPECT_EQ(f.job.next_page(f.now).kind, Kind::no_more_pages);
  EXPECT_FALSE(f.job.active());
  EXPECT_FALSE(f.job.cancel());
}

TEST(WsdJob, PageFormatIsTheDevicesFinalOne) {
  Fixture f;
  f.start(request(InputSource::Platen, ImageFormat::Jpeg), "jfif");
  f.retrieve();
  EXPECT_EQ(f.job.on_reply(page_answer(), f.now).page.format, ImageFormat::Jpeg);

  Fixture tiff;
  tiff.start(request(InputSource::Platen), "tiff-single-uncompressed");
  tiff.retrieve();
  const JobStep s = tiff.job.on_reply(page_answer(), tiff.now);
  EXPECT_EQ(s.kind, Kind::fail);
  EXPECT_EQ(s.status, Status::io_error);
  EXPECT_NE(s.reason.find("tiff-single-uncompressed"), std::string::npos) << s.reason;
  EXPECT_TRUE(tiff.job.active());  // the driver cancels it

  Fixture unsaid;  // no final Format: the one asked for
  unsaid.start(request(InputSource::Platen), "");
  unsaid.retrieve();
  EXPECT_EQ(unsaid.job.on_reply(page_answer(), unsaid.now).page.format, ImageFormat::Bmp);
}

TEST(WsdJob, FeederUntilNoImagesAvailable) {
  Fixture f;
  f.start(request(InputSource::Adf));
  for (int page = 0; page < 3; ++page) {
    f.retrieve();
    ASSERT_EQ(f.job.on_reply(page_answer(), f.now).kind, Kind::page);
  }
  f.retrieve();
  JobStep s = f.job.on_reply(answer(400, doc::fault("Sender", "ClientErrorNoImagesAvailable")), f.now);
  f.expect_send(s, "GetScannerElementsRequest");  // emptied, or jammed?
  EXPECT_FALSE(f.job.active());                   // the job is over on the device
  s = f.job.on_reply(answer(200, doc::scanner_status("Idle", {}, {{"ADF", "InputTrayEmpty"}})), f.now);
  EXPECT_EQ(s.kind, Kind::no_more_pages) << s.reason;
}

TEST(WsdJob, FeederJamAfterAPage) {
  Fixture f;
  f.start(request(InputSource::AdfDuplex));
  f.retrieve();
  ASSERT_EQ(f.job.on_reply(page_answer(), f.now).kind, Kind::page);
  f.retrieve();
  JobStep s = f.job.on_reply(answer(500, doc::fault("Sender", "ClientErrorNoImagesAvailable")), f.now);
  f.expect_send(s, "GetScannerElementsRequest");
  s = f.job.on_reply(answer(200, doc::scanner_status("Stopped", {"MediaJam"})), f.now);
  EXPECT_EQ(s.kind, Kind::fail);
  EXPECT_EQ(s.status, Status::jammed);
}

TEST(WsdJob, NoImageAtAll) {
  {  // an empty feeder the status did not show before the job
    Fixture f;
    f.start(request(InputSource::Adf));
    f.retrieve();
    f.job.on_reply(answer(400, doc::fault("Sender", "ClientErrorNoImagesAvailable")), f.now);
    const JobStep s = f.job.on_reply(answer(200, doc::scanner_status("Idle")), f.now);
    EXPECT_EQ(s.status, Status::no_docs);
  }
  {  // JobIdNotFound before a page (some devices say an empty feeder so), with the status unknown
    Fixture f;
    f.start(request(InputSource::Adf));
    f.retrieve();
    f.job.on_reply(answer(400, doc::fault("Sender", "ClientErrorJobIdNotFound")), f.now);
    const JobStep s = f.job.on_reply(JobReply{}, f.now);
    EXPECT_EQ(s.status, Status::no_docs);
  }
  {  // the glass: an I/O error
    Fixture f;
    f.start(request(InputSource::Platen));
    f.retrieve();
    f.job.on_reply(answer(400, doc::fault("Sender", "ClientErrorNoImagesAvailable")), f.now);
    const JobStep s = f.job.on_reply(answer(200, doc::scanner_status("Idle")), f.now);
    EXPECT_EQ(s.kind, Kind::fail);
    EXPECT_EQ(s.status, Status::io_error);
  }
}

TEST(WsdJob, FeederStatusBeforeTheJob) {
  const auto first = [](const JobReply& status) {
    Fixture f;
    f.job.start(request(InputSource::Adf), f.now);
    return f.job.on_reply(status, f.now);
  };
  EXPECT_EQ(first(answer(200, doc::scanner_status("Idle", {}, {{"ADF", "InputTrayEmpty"}}))).status, Status::no_docs);
  EXPECT_EQ(first(answer(200, doc::scanner_status("Stopped", {}, {{"ADF", "MediaJam"}}))).status, Status::jammed);
  EXPECT_EQ(first(answer(200, doc::scanner_status("Stopped", {"CoverOpen"}))).status, Status::cover_open);
  // A device that cannot say does not stop the scan.
  Fixture f;
  f.job.start(request(InputSource::Adf), f.now);
  f.expect_send(f.job.on_reply(JobReply{}, f.now), "CreateScanJobRequest");
  Fixture g;
  g.job.start(request(InputSource::Adf), g.now);
  g.expect_send(g.job.on_reply(answer(500, "garbage"), g.now), "CreateScanJobRequest");
}

TEST(WsdJob, BusyDeviceIsAskedAgainThenGivenUp) {
  Fixture f;
  JobStep s = f.job.start(request(InputSource::Platen), f.now);
  int creates = 1;
  for (;;) {
    f.expect_send(s, "CreateScanJobRequest");
    s = f.job.on_reply(answer(500, doc::fault("Receiver", "ServerErrorNotAcceptingJobs")), f.now);
    f.expect_send(s, "GetScannerElementsRequest");
    EXPECT_TRUE(s.request.best_effort);
    s = f.job.on_reply(answer(200, doc::scanner_status("Processing")), f.now);
    if (s.kind != Kind::wait) break;
    EXPECT_GE(s.wait, 250ms);
    EXPECT_LE(s.wait, 2000ms);
    f.now += s.wait;
    s = f.job.on_waited(f.now);
    ++creates;
  }
  EXPECT_EQ(s.kind, Kind::fail);
  EXPECT_EQ(s.status, Status::device_busy);
  EXPECT_NE(s.reason.find("ServerErrorNotAcceptingJobs"), std::string::npos) << s.reason;
  EXPECT_EQ(creates, 11);  // the first and ten more
  EXPECT_FALSE(f.job.active());
}

// A feeder job refused while the scanner is Idle (and not warming up): the feeder has no sheet.
// The same refusal for the platen, or while the scanner is Processing, is a busy device.
TEST(WsdJob, FeederJobRefusedWhileIdleIsAnEmptyFeeder) {
  const auto refused = [](InputSource source, const char* state) {
    Fixture f;
    JobStep s = f.job.start(request(source), f.now);
    if (source != InputSource::Platen) s = f.job.on_reply(answer(200, doc::scanner_status("Idle")), f.now);
    f.expect_send(s, "CreateScanJobRequest");
    s = f.job.on_reply(answer(500, doc::fault("Receiver", "ServerErrorNotAcceptingJobs")), f.now);
    f.expect_send(s, "GetScannerElementsRequest");
    return f.job.on_reply(answer(200, doc::scanner_status(state)), f.now);
  };
  const JobStep empty = refused(InputSource::Adf, "Idle");
  EXPECT_EQ(empty.kind, Kind::fail);
  EXPECT_EQ(empty.status, Status::no_docs);
  EXPECT_NE(empty.reason.find("Idle"), std::string::npos) << empty.reason;
  EXPECT_EQ(refused(InputSource::AdfDuplex, "Idle").status, Status::no_docs);
  EXPECT_EQ(refused(InputSource::Adf, "Processing").kind, Kind::wait);
  EXPECT_EQ(refused(InputSource::Platen, "Idle").kind, Kind::wait);
}

TEST(WsdJob, WarmingUpIsWaitedForUntilThePageTimeout) {
  Fixture f;
  const Clock::time_point t0 = f.now;
  JobStep s = f.job.start(request(InputSource::Platen), f.now);
  int creates = 1;
  while (creates < 30) {
    f.expect_send(s, "CreateScanJobRequest");
    // A fault sent with HTTP 200 is a fault all the same.
    s = f.job.on_reply(answer(200, doc::fault("Receiver", "ServerErrorTemporaryError")), f.now);
    s = f.job.on_reply(answer(200, doc::scanner_status("Processing", {"LampWarming"})), f.now);
    if (s.kind != Kind::wait) break;
    f.now += s.wait;
    s = f.job.on_waited(f.now);
    ++creates;
  }
  EXPECT_GT(creates, 11);
  EXPECT_EQ(s.kind, Kind::fail);
  EXPECT_EQ(s.status, Status::device_busy);
  EXPECT_LE(f.now - t0, page_timeout);
  EXPECT_GE(f.now - t0, page_timeout - 2000ms);

  // The lamp warms, then the job is taken.
  Fixture g;
  s = g.job.start(request(InputSource::Platen), g.now);
  s = g.job.on_reply(answer(503, ""), g.now);
  s = g.job.on_reply(answer(200, doc::scanner_status("Processing", {"Calibrating"})), g.now);
  ASSERT_EQ(s.kind, Kind::wait);
  g.expect_send(g.job.on_waited(g.now + s.wait), "CreateScanJobRequest");
  EXPECT_EQ(g.job.on_reply(answer(200, doc::created_job("9", "t9")), g.now).kind, Kind::job_started);
  EXPECT_EQ(g.job.job()->id, "9");
}

TEST(WsdJob, RefusedJobsSayWhy) {
  const auto created = [](const JobReply& reply, const JobReply& status = JobReply{}) {
    Fixture f;
    f.job.start(request(InputSource::Platen), f.now);
    JobStep s = f.job.on_reply(reply, f.now);
    if (s.kind == Kind::send) s = f.job.on_reply(status, f.now);
    return s;
  };
  EXPECT_EQ(created(answer(400, doc::fault("Sender", "ClientErrorFormatNotSupported"))).status, Status::invalid);
  EXPECT_EQ(created(answer(400, doc::fault("Sender", "InvalidArgs"))).status, Status::invalid);
  EXPECT_EQ(created(answer(500, doc::fault("Receiver", "ServerErrorInternalError"))).status, Status::io_error);
  EXPECT_EQ(created(answer(404, "<html/>")).status, Status::io_error);
  EXPECT_EQ(created(answer(200, doc::scanner_status("Idle"))).status, Status::io_error);  // not a job
  EXPECT_EQ(created(answer(200, doc::created_job("1", ""))).status, Status::io_error);
  // Busy because the cover is open, or the scanner stopped.
  EXPECT_EQ(created(answer(500, doc::fault("Receiver", "ServerErrorNotAcceptingJobs")),
                    answer(200, doc::scanner_status("Stopped", {"CoverOpen"})))
                .status,
            Status::cover_open);
  EXPECT_EQ(created(answer(500, doc::fault("Receiver", "ServerErrorNotAcceptingJobs")),
                    answer(200, doc::scanner_status("Stopped", {"AttentionRequired"})))
                .status,
            Status::device_busy);
}

TEST(WsdJob, PageNotReadyIsAskedAgainWhileTheJobRuns) {
  Fixture f;
  f.start(request(InputSource::Adf));
  f.retrieve();
  // A temporary fault: a wait, then RetrieveImage again; once a second the job's state.
  int job_checks = 0, retrieves = 1;
  JobStep s = f.job.on_reply(answer(500, doc::fault("Receiver", "ServerErrorTemporaryError")), f.now);
  while (retrieves < 12) {
    if (s.kind == Kind::send) {
      const Asked a = f.expect_send(s, "GetJobElementsRequest");
      EXPECT_EQ(a.job_id, "41");
      EXPECT_TRUE(s.request.best_effort);
      ++job_checks;
      s = f.job.on_reply(answer(200, doc::job_status("41", "Processing", "JobScanning")), f.now);
    }
    ASSERT_EQ(s.kind, Kind::wait) << s.reason;
    f.now += s.wait;
    s = f.job.on_waited(f.now);
    f.expect_send(s, "RetrieveImageRequest");
    ++retrieves;
    s = f.job.on_reply(answer(500, doc::fault("Receiver", "ServerErrorTemporaryError")), f.now);
  }
  EXPECT_GE(job_checks, 3);
  // Then the page comes.
  if (s.kind == Kind::send) s = f.job.on_reply(answer(200, doc::job_status("41", "Processing")), f.now);
  ASSERT_EQ(s.kind, Kind::wait);
  f.now += s.wait;
  f.expect_send(f.job.on_waited(f.now), "RetrieveImageRequest");
  EXPECT_EQ(f.job.on_reply(page_answer(), f.now).kind, Kind::page);
}

TEST(WsdJob, AbortedOrCancelledJobEndsTheWait) {
  const auto busy_then = [](const JobReply& job_status, const JobReply& scanner_status) {
    Fixture f;
    f.start(request(InputSource::Adf));
    f.retrieve();
    f.now += 2s;  // past the first job check
    JobStep s = f.job.on_reply(answer(503, ""), f.now);
    f.expect_send(s, "GetJobElementsRequest");
    s = f.job.on_reply(job_status, f.now);
    if (s.kind == Kind::send) {
      f.expect_send(s, "GetScannerElementsRequest");
      s = f.job.on_reply(scanner_status, f.now);
    }
    EXPECT_FALSE(f.job.active());
    return s;
  };
  JobStep s = busy_then(answer(200, doc::job_status("41", "Aborted", "JobCompletedWithErrors")),
                        answer(200, doc::scanner_status("Stopped", {}, {{"ADF", "MediaJam"}})));
  EXPECT_EQ(s.status, Status::jammed);
  EXPECT_NE(s.reason.find("JobCompletedWithErrors"), std::string::npos) << s.reason;
  s = busy_then(answer(200, doc::job_status("41", "Aborted")), answer(200, doc::scanner_status("Idle")));
  EXPECT_EQ(s.status, Status::io_error);
  s = busy_then(answer(200, doc::job_status("41", "Canceled", "JobCanceledAtDevice")), JobReply{});
  EXPECT_EQ(s.status, Status::cancelled);
}

TEST(WsdJob, PageTimeout) {
  Fixture f;
  f.start(request(InputSource::Platen));
  f.retrieve();
  JobStep s = f.job.on_reply(answer(503, ""), f.now);
  for (int i = 0; i < 1000 && s.kind != Kind::fail; ++i) {
    if (s.kind == Kind::send) s = f.job.on_reply(JobReply{}, f.now);  // the job check: no answer
    if (s.kind != Kind::wait) break;
    f.now += s.wait;
    f.job.on_waited(f.now);
    s = f.job.on_reply(answer(503, ""), f.now);
  }
  EXPECT_EQ(s.kind, Kind::fail);
  EXPECT_EQ(s.status, Status::device_busy);
  EXPECT_TRUE(f.job.active());  // the driver cancels it
}

TEST(WsdJob, FaultsToRetrieveImage) {
  {  // a fault sent with 200 and no multipart (the driver read it whole)
    Fixture f;
    f.start(request(InputSource::Adf));
    f.retrieve();
    f.job.on_reply(page_answer(), f.now);
    f.retrieve();
    JobStep s = f.job.on_reply(answer(200, doc::fault("Sender", "ClientErrorNoImagesAvailable")), f.now);
    f.expect_send(s, "GetScannerElementsRequest");
    EXPECT_EQ(f.job.on_reply(JobReply{}, f.now).kind, Kind::no_more_pages);
  }
  {
    Fixture f;
    f.start(request(InputSource::Adf));
    f.retrieve();
    const JobStep s = f.job.on_reply(answer(400, doc::fault("Sender", "ClientErrorJobCancelled")), f.now);
    EXPECT_EQ(s.status, Status::cancelled);
    EXPECT_FALSE(f.job.active());
  }
  {  // anything else: the status says why, else an I/O error; the job stays to be cancelled
    Fixture f;
    f.start(request(InputSource::Platen));
    f.retrieve();
    JobStep s = f.job.on_reply(answer(500, doc::fault("Receiver", "ServerErrorInternalError", "scanner error")), f.now);
    f.expect_send(s, "GetScannerElementsRequest");
    s = f.job.on_reply(answer(200, doc::scanner_status("Stopped", {"CoverOpen"})), f.now);
    EXPECT_EQ(s.status, Status::cover_open);
    EXPECT_NE(s.reason.find("ServerErrorInternalError (scanner error)"), std::string::npos) << s.reason;
    EXPECT_TRUE(f.job.active());
  }
  {
    Fixture f;
    f.start(request(InputSource::Platen));
    f.retrieve();
    f.job.on_reply(answer(200, "<html>not a page</html>", "text/html"), f.now);
    const JobStep s = f.job.on_reply(answer(200, doc::scanner_status("Idle")), f.now);
    EXPECT_EQ(s.status, Status::io_error);
  }
}

TEST(WsdJob, CancelSendsCancelJobOnce) {
  Fixture f;
  f.start(request(InputSource::Adf));
  const std::optional<JobRequest> cancel = f.job.cancel();
  ASSERT_TRUE(cancel);
  EXPECT_EQ(cancel->method, "POST");
  EXPECT_EQ(cancel->target, "/scanner");
  EXPECT_EQ(cancel->content_type, "application/soap+xml; charset=utf-8");
  const Asked a = asked(*cancel);
  EXPECT_EQ(a.operation, "CancelJobRequest");
  EXPECT_EQ(a.job_id, "41");
  EXPECT_FALSE(f.job.active());
  EXPECT_FALSE(f.job.cancel());
  // forget(): ended by itself, nothing to cancel.
  Fixture g;
  g.start(request(InputSource::Platen));
  g.job.forget();
  EXPECT_FALSE(g.job.cancel());
}

TEST(WsdJob, EveryRequestHasItsOwnMessageId) {
  Fixture f;
  std::set<std::string> seen;
  JobStep s = f.job.start(request(InputSource::Adf), f.now);
  seen.insert(f.expect_send(s, "GetScannerElementsRequest").message_id);
  s = f.job.on_reply(answer(200, doc::scanner_status("Idle")), f.now);
  seen.insert(f.expect_send(s, "CreateScanJobRequest").message_id);
  f.job.on_reply(answer(200, doc::created_job("41", "token-41")), f.now);
  seen.insert(f.expect_send(f.job.next_page(f.now), "RetrieveImageRequest").message_id);
  seen.insert(asked(*f.job.cancel()).message_id);
  EXPECT_EQ(seen, (std::set<std::string>{"urn:uuid:test-1", "urn:uuid:test-2", "urn:uuid:test-3", "urn:uuid:test-4"}));
}

TEST(WsdJob, TargetIsTheServiceAddressPath) {
  const wsd::Capabilities caps = wsd::decode_capabilities(doc::caps_flatbed_dib);
  EXPECT_EQ(WsdJob(caps, "http://192.0.2.10:3911/scanner", page_timeout).target(), "/scanner");
  EXPECT_EQ(WsdJob(caps, "http://[fe80::1%25eth0]:53048/", page_timeout).target(), "/");
  EXPECT_EQ(WsdJob(caps, "http://192.0.2.10:53048", page_timeout).target(), "/");
  EXPECT_EQ(WsdJob(caps, "http://h/WSDScanner?x=1", page_timeout).target(), "/WSDScanner?x=1");
}

TEST(WsdJob, TicketRegionStaysInsideTheSource) {
  Fixture f;
  ScanRequest r = request(InputSource::Platen);
  r.region = {2000, 4000, 9000, 9000};  // beyond the glass (2550 x 4200)
  const JobStep s = f.job.start(r, f.now);
  const Asked a = f.expect_send(s, "CreateScanJobRequest");
  const xml::Element* region = a.root.find(ns::wsd_scan, "ScanRegion");
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->child_text(ns::wsd_scan, "ScanRegionWidth"), "8500");
  EXPECT_EQ(region->child_text(ns::wsd_scan, "ScanRegionHeight"), "14000");
  EXPECT_EQ(region->child_text(ns::wsd_scan, "ScanRegionXOffset"), "0");
  EXPECT_EQ(region->child_text(ns::wsd_scan, "ScanRegionYOffset"), "0");
}

TEST(WsdJob, AnswersNothingAskedForAreErrors) {
  Fixture f;
  EXPECT_EQ(f.job.on_reply(page_answer(), f.now).kind, Kind::fail);
  EXPECT_EQ(f.job.on_waited(f.now).kind, Kind::fail);
  EXPECT_EQ(f.job.next_page(f.now).kind, Kind::no_more_pages);  // no job
}

}  // namespace
