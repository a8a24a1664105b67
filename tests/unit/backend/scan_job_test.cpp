// The eSCL and LEDM job state machines, driven in process against hpaio-sim's request handler on a
// clock of the test's own: no sockets, no root, and a 120 s page timeout passes in microseconds.
// Every --fault of hpaio-sim, ADF batches, duplex, the empty feeder, 503 storms and cancel.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "backend/escl/escl_codec.hpp"
#include "backend/escl/escl_job.hpp"
#include "backend/ledm/ledm_codec.hpp"
#include "backend/ledm/ledm_job.hpp"
#include "sim_test_util.hpp"
#include "tests/sim/core/faults.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/image/jpeg_codec.hpp"

using namespace hpaio;
using namespace hpaio::backend;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds page_timeout{120000};

// How a scan ended, as a frontend's batch would see it.
struct Outcome {
  Status status = Status::good;  // good: the feeder (or the platen's one page) is done
  std::string reason;
  std::vector<std::string> pages;  // the page bodies as delivered
  std::vector<bool> cut;           // the body of that page ended early (a wire fault)
};

// One simulated device and the loop that performs a job's steps on it, like the driver does.
class SimDevice {
 public:
  SimDevice(const std::string& profile, int sheets, std::vector<hpsim::Fault> faults = {},
            void (*tweak)(hpsim::Profile&) = nullptr)
      : sim_(make_config(profile, sheets, faults, tweak)) {}

  hpsim::Simulator& sim() { return sim_; }
  bool last_page_cut() const { return page_cut_; }
  Clock::time_point now() const { return now_; }
  milliseconds elapsed() const { return std::chrono::duration_cast<milliseconds>(now_ - start_); }
  // "POST /eSCL/ScanJobs 201", one line per request, in order.
  const std::vector<std::string>& log() const { return log_; }
  int count(const std::string& prefix) const {
    int n = 0;
    for (const std::string& l : log_) n += l.starts_with(prefix) ? 1 : 0;
    return n;
  }

  std::unique_ptr<ScanJob> escl_job(bool localhost = false) {
    hpsim::Response r = sim_.handle(simtest::req("GET", "/eSCL/ScannerCapabilities"), now_);
    EXPECT_EQ(r.status, 200);
    caps_ = escl::decode_capabilities(r.body);
    return std::make_unique<EsclJob>(caps_, "/eSCL", localhost, page_timeout);
  }
  std::unique_ptr<ScanJob> ledm_job() { return std::make_unique<LedmJob>(page_timeout); }
  std::unique_ptr<ScanJob> job() {
    return sim_.config().profile.protocol == hpsim::Protocol::escl ? escl_job() : ledm_job();
  }

  // Performs send and wait steps; returns the first other step. A page's body is kept in `page_`.
  JobStep drive(ScanJob& job, JobStep step) {
    for (int i = 0; i < 10000; ++i) {
      if (step.kind == JobStep::Kind::wait) {
        EXPECT_GT(step.wait.count(), 0);
        now_ += step.wait;
        step = job.on_waited(now_);
        continue;
      }
      if (step.kind != JobStep::Kind::send) return step;
      std::optional<JobReply> reply = exchange(step.request);
      if (!reply) return JobStep::failure(Status::io_error, "connection refused");  // as HttpClient throws
      step = job.on_reply(*reply, now_);
    }
    ADD_FAILURE() << "the job never stopped sending";
    return JobStep::failure(Status::io_error, "endless");
  }

  // Sends the job's cancel request, if any; its HTTP status, or 0 when nothing was sent.
  int cancel(ScanJob& job) {
    std::optional<JobRequest> r = job.cancel();
    if (!r) return 0;
    std::optional<JobReply> reply = exchange(*r);
    return reply ? reply->status : -1;
  }

  // A frontend's batch (scanimage --batch): pages until the job has no more, then NO_DOCS is the
  // normal end. `cancel_after`: the frontend cancels after that many pages.
  Outcome batch(ScanJob& job, const ScanRequest& request, int cancel_after = -1) {
    Outcome out;
    JobStep step = drive(job, job.start(request, now_));
    if (step.kind != JobStep::Kind::job_started) {
      EXPECT_EQ(step.kind, JobStep::Kind::fail);
      out.status = step.status;
      out.reason = step.reason;
      return out;
    }
    for (int n = 0; n < 100; ++n) {
      if (static_cast<int>(out.pages.size()) == cancel_after) {
        out.status = Status::cancelled;
        cancel(job);
        return out;
      }
      step = drive(job, job.next_page(now_));
      if (step.kind == JobStep::Kind::page) {
        out.pages.push_back(page_);
        out.cut.push_back(page_cut_);
        continue;
      }
      if (step.kind == JobStep::Kind::no_more_pages) return out;
      EXPECT_EQ(step.kind, JobStep::Kind::fail);
      out.status = step.status;
      out.reason = step.reason;
      return out;
    }
    ADD_FAILURE() << "more than 100 pages";
    return out;
  }

 private:
  static hpsim::SimConfig make_config(const std::string& profile, int sheets, const std::vector<hpsim::Fault>& faults,
                                      void (*tweak)(hpsim::Profile&)) {
    hpsim::SimConfig c = simtest::config(profile, sheets);
    for (hpsim::Fault f : faults) c.faults.add(f);
    if (tweak) tweak(c.profile);
    return c;
  }

  std::optional<JobReply> exchange(const JobRequest& q) {
    if (sim_.refusing_connections()) {
      log_.push_back(q.method + " " + q.target + " refused");
      if (q.best_effort) return JobReply{};
      return std::nullopt;
    }
    std::vector<hpsim::Header> headers{{"Host", q.localhost ? "localhost" : "127.0.0.1:8080"}};
    if (!q.accept.empty()) headers.push_back({"Accept", q.accept});
    if (!q.body.empty()) headers.push_back({"Content-Type", "text/xml"});
    hpsim::Response r = sim_.handle(simtest::req(q.method, q.target, q.body, headers), now_);
    log_.push_back(q.method + " " + q.target + " " + std::to_string(r.status));
    JobReply reply;
    reply.status = r.status;
    reply.location = r.header("Location");
    if (q.page && r.status == 200) {
      // What the wire delivers of the body: a stall or a reset cuts it.
      page_ = r.body;
      page_cut_ = false;
      for (const std::optional<std::size_t>& cut : {r.delivery.stall_after, r.delivery.reset_after}) {
        if (cut && *cut < page_.size()) {
          page_.resize(*cut);
          page_cut_ = true;
        }
      }
      if (r.delivery.declared_length && *r.delivery.declared_length > static_cast<long long>(r.body.size())) {
        page_cut_ = true;  // the body ends before the length it declared
      }
    } else {
      reply.body = r.body;
    }
    return reply;
  }

  hpsim::Simulator sim_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point now_ = start_;
  escl::Capabilities caps_;
  std::vector<std::string> log_;
  std::string page_;
  bool page_cut_ = false;
};

// A small colour page (75 dpi keeps the simulator's JPEGs small).
ScanRequest request(InputSource source, int width = 2550, int height = 3300, int resolution = 75) {
  ScanRequest r;
  r.source = source;
  r.mode = r.device_mode = ColorMode::Color;
  r.format = ImageFormat::Jpeg;
  r.resolution = resolution;
  r.region = {0, 0, width, height};
  return r;
}

bool is_jpeg(const std::string& body) { return body.size() > 4 && body.compare(0, 2, "\xFF\xD8") == 0; }

void no_page_delay(hpsim::Profile& p) {
  p.busy_before_page = 0;
  p.ledm_prepare_polls = 0;
}

const char* const kAdfProfiles[] = {"escl-adf-duplex", "ledm-adf-duplex"};

class BothProtocols : public ::testing::TestWithParam<const char*> {
 protected:
  bool escl() const { return std::string(GetParam()).starts_with("escl"); }
};

INSTANTIATE_TEST_SUITE_P(Jobs, BothProtocols, ::testing::ValuesIn(kAdfProfiles));

}  // namespace

TEST_P(BothProtocols, PlatenScanIsOnePageThenTheJobIsDone) {
  SimDevice dev(GetParam(), 3);
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Platen));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  ASSERT_EQ(o.pages.size(), 1u);
  EXPECT_TRUE(is_jpeg(o.pages[0]));
  EXPECT_EQ(hpsim::jpeg_heights(o.pages[0]).sof_height, 3300 * 75 / 300);
  EXPECT_FALSE(job->active());
  if (escl()) {
    // No feeder question for the platen; the job is created once; its one page follows a 503.
    EXPECT_EQ(dev.count("GET /eSCL/ScannerStatus"), 0);
    EXPECT_EQ(dev.count("POST /eSCL/ScanJobs 201"), 1);
    EXPECT_GE(dev.count("GET /eSCL/ScanJobs/"), 1);
  } else {
    EXPECT_EQ(dev.log().front(), "GET /Scan/Status 200");
    EXPECT_EQ(dev.count("POST /Scan/Jobs 201"), 1);
    EXPECT_EQ(dev.count("PUT "), 0);
  }
}

TEST_P(BothProtocols, AdfBatchDeliversEverySheetThenEnds) {
  SimDevice dev(GetParam(), 3);
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Adf));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  ASSERT_EQ(o.pages.size(), 3u);
  for (const std::string& p : o.pages) EXPECT_TRUE(is_jpeg(p));
  EXPECT_FALSE(job->active());
  EXPECT_EQ(dev.sim().feeder().sheets, 0);
  if (escl()) {
    EXPECT_TRUE(dev.log().back().ends_with("/NextDocument 404")) << dev.log().back();  // no more pages
  }
}

TEST_P(BothProtocols, ShortSheetsGiveShortPages) {
  // Letter sheets (11 in) in a feeder asked for 14 in: each page ends where its sheet does.
  SimDevice dev(GetParam(), 2, {}, [](hpsim::Profile& p) {
    p.sheet_height = 3300;
    no_page_delay(p);
  });
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Adf, 2550, 4200));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  ASSERT_EQ(o.pages.size(), 2u);
  for (const std::string& page : o.pages) {
    const hpsim::JpegHeights h = hpsim::jpeg_heights(page);
    EXPECT_EQ(h.sof_height == 0xFFFF ? h.dnl_height : h.sof_height, 3300 * 75 / 300);
  }
}

TEST_P(BothProtocols, DuplexBatchDeliversBothSidesOfEverySheet) {
  SimDevice dev(GetParam(), 2);
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::AdfDuplex));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  EXPECT_EQ(o.pages.size(), 4u);
}

TEST_P(BothProtocols, EmptyFeederIsNoDocsBeforeAnyJob) {
  SimDevice dev(GetParam(), 0);
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Adf));
  EXPECT_EQ(o.status, Status::no_docs) << o.reason;
  EXPECT_TRUE(o.pages.empty());
  EXPECT_EQ(dev.count("POST "), 0);  // the device's status said so: no job was posted
}

TEST_P(BothProtocols, JamAfterTheFirstSheetIsJammed) {
  SimDevice dev(GetParam(), 3, {hpsim::Fault::adf_jam}, no_page_delay);
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Adf));
  EXPECT_EQ(o.status, Status::jammed) << o.reason;
  EXPECT_EQ(o.pages.size(), 1u);
  EXPECT_FALSE(job->active());
}

TEST_P(BothProtocols, BusyForeverIsDeviceBusyWithinThePageTimeout) {
  SimDevice dev(GetParam(), 3, {hpsim::Fault::busy_forever});
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Platen));
  EXPECT_EQ(o.status, Status::device_busy) << o.reason;
  EXPECT_TRUE(o.pages.empty());
  EXPECT_LT(dev.elapsed(), page_timeout);
  if (escl()) {
    EXPECT_EQ(dev.count("POST /eSCL/ScanJobs 503"), 11);  // the first try and ten retries
  } else {
    EXPECT_EQ(dev.count("POST "), 0);  // /Scan/Status said BusyWithScanJob
  }
}

TEST_P(BothProtocols, CancelAfterThePageSendsTheCancelAndForgetsTheJob) {
  SimDevice dev(GetParam(), 3, {}, no_page_delay);
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Adf), 1);
  EXPECT_EQ(o.status, Status::cancelled);
  EXPECT_EQ(o.pages.size(), 1u);
  EXPECT_FALSE(job->active());
  if (escl()) {
    EXPECT_EQ(dev.count("DELETE /eSCL/ScanJobs/"), 1);
  } else {
    EXPECT_EQ(dev.count("PUT /Jobs/JobList/"), 1);
  }
  EXPECT_FALSE(job->cancel().has_value());  // nothing left to cancel
}

TEST_P(BothProtocols, PageThatNeverBecomesReadyEndsAtThePageTimeout) {
  SimDevice dev(GetParam(), 3, {}, [](hpsim::Profile& p) {
    p.busy_before_page = 1000000;
    p.ledm_prepare_polls = 1000000;
  });
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Platen));
  EXPECT_EQ(o.status, escl() ? Status::device_busy : Status::io_error) << o.reason;
  EXPECT_GE(dev.elapsed(), page_timeout - milliseconds(1000));
  EXPECT_LE(dev.elapsed(), page_timeout);
  // The polls back off to one a second (eSCL) or two (LEDM): a slow device is not flooded.
  const int polls = escl() ? dev.count("GET /eSCL/ScanJobs/") : dev.count("GET /Jobs/JobList/");
  EXPECT_LE(polls, escl() ? 130 : 250);
  EXPECT_GE(polls, escl() ? 110 : 230);
}

TEST_P(BothProtocols, ImageWireFaultsCutThePageAndTheJobCanBeCancelled) {
  for (hpsim::Fault f :
       {hpsim::Fault::stall_mid_image, hpsim::Fault::reset_mid_image, hpsim::Fault::wrong_content_length}) {
    SCOPED_TRACE(hpsim::fault_name(f));
    SimDevice dev(GetParam(), 3, {f}, no_page_delay);
    auto job = dev.job();
    JobStep step = dev.drive(*job, job->start(request(InputSource::Adf), dev.now()));
    ASSERT_EQ(step.kind, JobStep::Kind::job_started) << step.reason;
    step = dev.drive(*job, job->next_page(dev.now()));
    ASSERT_EQ(step.kind, JobStep::Kind::page) << step.reason;
    EXPECT_TRUE(dev.last_page_cut());  // the body ends before the image (or its declared length)
    // The image pipeline reports the short page; the session then cancels the job on the device.
    EXPECT_TRUE(job->active());
    EXPECT_EQ(dev.cancel(*job), 200);
    EXPECT_FALSE(job->active());
  }
}

TEST_P(BothProtocols, TruncatedJpegPagesStillEndTheBatch) {
  SimDevice dev(GetParam(), 2, {hpsim::Fault::truncated_jpeg}, no_page_delay);
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Adf));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  ASSERT_EQ(o.pages.size(), 2u);
  EXPECT_FALSE(o.cut[0]);  // the HTTP body is whole; the JPEG in it is not
  // Half a JPEG: no end-of-image marker.
  EXPECT_EQ(o.pages[0].find("\xFF\xD9"), std::string::npos);
}

TEST_P(BothProtocols, SlowDripChangesOnlyTheDelivery) {
  SimDevice dev(GetParam(), 2, {hpsim::Fault::slow_drip}, no_page_delay);
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Adf));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  EXPECT_EQ(o.pages.size(), 2u);
}

TEST_P(BothProtocols, RefusedConnectionsAfterTheCapabilitiesFailTheScan) {
  SimDevice dev(GetParam(), 3, {hpsim::Fault::refuse_after_caps});
  // The capabilities are what the device serves before it refuses.
  hpsim::Response caps =
      dev.sim().handle(simtest::req("GET", escl() ? "/eSCL/ScannerCapabilities" : "/Scan/ScanCaps"), dev.now());
  EXPECT_EQ(caps.status, 200);
  ASSERT_TRUE(dev.sim().refusing_connections());
  auto job = dev.job();
  Outcome o = dev.batch(*job, request(InputSource::Adf));
  EXPECT_EQ(o.status, Status::io_error) << o.reason;
  EXPECT_TRUE(o.pages.empty());
}

TEST_P(BothProtocols, BrokenOrHugeCapabilitiesAreProtocolErrorsOrTooLarge) {
  const std::string target = escl() ? "/eSCL/ScannerCapabilities" : "/Scan/ScanCaps";
  {
    SimDevice dev(GetParam(), 3, {hpsim::Fault::malformed_caps});
    hpsim::Response r = dev.sim().handle(simtest::req("GET", target), dev.now());
    if (escl()) {
      EXPECT_THROW(escl::decode_capabilities(r.body), ProtocolError);
    } else {
      EXPECT_THROW(ledm::decode_capabilities(r.body), ProtocolError);
    }
  }
  {
    // Ten megabytes: more than the HTTP client reads of any document (1 MiB), so it never gets here.
    SimDevice dev(GetParam(), 3, {hpsim::Fault::huge_caps});
    hpsim::Response r = dev.sim().handle(simtest::req("GET", target), dev.now());
    EXPECT_GE(r.body.size(), hpsim::kHugeCapsBytes);
    EXPECT_GT(r.body.size(), std::size_t{1} << 20);
  }
}

TEST(ScanJobs, EveryFaultOfTheSimulatorIsCoveredHere) {
  // A new --fault needs a case in this file: the list here is the list above.
  std::vector<std::string> covered = {
      "stall-mid-image", "reset-mid-image", "truncated-jpeg", "malformed-caps",       "huge-caps",
      "slow-drip",       "busy-forever",    "adf-jam",        "wrong-content-length", "refuse-after-caps"};
  std::vector<std::string> all;
  for (const hpsim::FaultInfo& f : hpsim::all_faults()) all.push_back(f.name);
  EXPECT_EQ(all, covered);
}

TEST(EsclJob, AdfEmptyWhileTheLastSheetIsScanningIsNotTheEndOfTheBatch) {
  for (bool duplex : {false, true}) {
    SCOPED_TRACE(duplex ? "duplex" : "simplex");
    // Each sheet takes 20 answers of 503: the status is read while waiting, and says AdfEmpty
    // during the last sheet.
    SimDevice dev("escl-adf-duplex", 3, {}, [](hpsim::Profile& p) {
      p.adf_empty_early = true;
      p.busy_before_page = 20;
    });
    auto job = dev.escl_job();
    Outcome o = dev.batch(*job, request(duplex ? InputSource::AdfDuplex : InputSource::Adf));
    EXPECT_EQ(o.status, Status::good) << o.reason;
    EXPECT_EQ(o.pages.size(), duplex ? 6u : 3u);
    EXPECT_GE(dev.count("GET /eSCL/ScannerStatus 200"), 4);  // before the job, and while waiting
  }
}

TEST(EsclJob, JamSignalledOnlyByTheStatusWhileNextDocumentIs503EndsAtOnce) {
  SimDevice dev("escl-adf-duplex", 3, {hpsim::Fault::adf_jam}, [](hpsim::Profile& p) {
    p.jam_503 = true;
    p.busy_before_page = 0;
  });
  auto job = dev.escl_job();
  Outcome o = dev.batch(*job, request(InputSource::Adf));
  EXPECT_EQ(o.status, Status::jammed) << o.reason;
  EXPECT_EQ(o.pages.size(), 1u);
  EXPECT_LT(dev.elapsed(), milliseconds(3000));  // not the 120 s page timeout
  EXPECT_FALSE(job->active());                   // the device aborted it: nothing to cancel
}

TEST(EsclJob, AWarmUpIsWaitedOutWhileTheStatusSaysTesting) {
  SimDevice dev("escl-adf-duplex", 3, {}, [](hpsim::Profile& p) {
    p.warmup_ms = 30000;  // longer than ten retries of POST would last (about 7 s)
    p.busy_before_page = 0;
  });
  auto job = dev.escl_job();  // the capabilities are the first request: the device powers on
  Outcome o = dev.batch(*job, request(InputSource::Platen));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  EXPECT_EQ(o.pages.size(), 1u);
  EXPECT_GE(dev.elapsed(), milliseconds(30000));
  EXPECT_GT(dev.count("POST /eSCL/ScanJobs 503"), 11);
  EXPECT_EQ(dev.count("POST /eSCL/ScanJobs 201"), 1);
}

TEST(EsclJob, AScannerThatSaysDownEndsTheScanAtOnce) {
  SimDevice dev("escl-adf-duplex", 3, {}, [](hpsim::Profile& p) { p.down = true; });
  auto job = dev.escl_job();
  Outcome o = dev.batch(*job, request(InputSource::Platen));
  EXPECT_EQ(o.status, Status::io_error) << o.reason;
  EXPECT_EQ(dev.count("POST /eSCL/ScanJobs 503"), 1);
  EXPECT_LT(dev.elapsed(), milliseconds(1000));
}

TEST(EsclJob, EnterpriseFirmwareCreatesJobsOnlyForHostLocalhost) {
  SimDevice dev("escl-enterprise", 3, {}, no_page_delay);
  auto without = dev.escl_job(false);
  Outcome refused = dev.batch(*without, request(InputSource::Platen));
  EXPECT_EQ(refused.status, Status::io_error) << refused.reason;  // 403
  EXPECT_EQ(dev.count("POST /eSCL/ScanJobs 403"), 1);
  auto with = dev.escl_job(true);
  Outcome o = dev.batch(*with, request(InputSource::Platen));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  EXPECT_EQ(o.pages.size(), 1u);
}

TEST(EsclJob, SettingsOutsideTheCapabilitiesAreClampedToTheSourceArea) {
  // A region larger than the platen is asked for as the whole platen, not refused.
  SimDevice dev("escl-adf-duplex", 1, {}, no_page_delay);
  auto job = dev.escl_job();
  Outcome o = dev.batch(*job, request(InputSource::Platen, 9000, 9000));
  EXPECT_EQ(o.status, Status::good) << o.reason;
  ASSERT_EQ(o.pages.size(), 1u);
  EXPECT_EQ(hpsim::jpeg_heights(o.pages[0]).sof_height, 3508 * 75 / 300);
  EXPECT_EQ(dev.count("POST /eSCL/ScanJobs 201"), 1);
}

TEST(EsclJob, AdfOnADeviceWithoutFeederIsRefused) {
  SimDevice dev("escl-flatbed", 1, {}, no_page_delay);
  auto job = dev.escl_job();
  Outcome o = dev.batch(*job, request(InputSource::Adf, 2550, 3300, 300));
  EXPECT_EQ(o.status, Status::invalid) << o.reason;
  EXPECT_EQ(dev.count("POST /eSCL/ScanJobs 409"), 1);
  // The same settings on the platen scan.
  Outcome platen = dev.batch(*job, request(InputSource::Platen, 2550, 3300, 300));
  EXPECT_EQ(platen.status, Status::good) << platen.reason;
  EXPECT_EQ(platen.pages.size(), 1u);
}

TEST(ScanJobs, FeederStatesAsStatus) {
  EXPECT_EQ(escl_adf_status("ScannerAdfEmpty"), Status::no_docs);
  EXPECT_EQ(escl_adf_status("ScannerAdfJam"), Status::jammed);
  EXPECT_EQ(escl_adf_status("ScannerAdfMispick"), Status::jammed);
  EXPECT_EQ(escl_adf_status("ScannerAdfHatchOpen"), Status::cover_open);
  EXPECT_EQ(escl_adf_status("ScannerAdfLoaded"), Status::good);
  EXPECT_EQ(ledm_adf_status("Empty"), Status::no_docs);
  EXPECT_EQ(ledm_adf_status("Jammed"), Status::jammed);
  EXPECT_EQ(ledm_adf_status("DoorOpen"), Status::cover_open);
  EXPECT_EQ(ledm_adf_status("Loaded"), Status::good);
}

TEST(ScanJobs, AnswersNothingAskedForAreAnError) {
  escl::Capabilities caps;
  EsclJob job(caps, "/eSCL", false, page_timeout);
  JobReply reply;
  reply.status = 200;
  EXPECT_EQ(job.on_reply(reply, Clock::now()).kind, JobStep::Kind::fail);
  LedmJob ledm(page_timeout);
  EXPECT_EQ(ledm.on_reply(reply, Clock::now()).kind, JobStep::Kind::fail);
}

namespace {

// Performs a job's steps against scripted answers, one per request in order (waits are skipped);
// `sent` gets "METHOD target" for each request.
JobStep scripted(ScanJob& job, JobStep step, std::vector<JobReply> replies, std::vector<std::string>& sent) {
  std::size_t next = 0;
  while (step.kind == JobStep::Kind::send || step.kind == JobStep::Kind::wait) {
    if (step.kind == JobStep::Kind::wait) {
      step = job.on_waited(Clock::now());
      continue;
    }
    sent.push_back(step.request.method + " " + step.request.target);
    if (next == replies.size()) {
      ADD_FAILURE() << "unexpected request " << sent.back();
      return JobStep::failure(Status::io_error, "script ended");
    }
    step = job.on_reply(replies[next++], Clock::now());
  }
  EXPECT_EQ(next, replies.size()) << "answers left over";
  return step;
}

JobReply answer(int status, std::string location = {}) {
  JobReply r;
  r.status = status;
  r.location = std::move(location);
  return r;
}

}  // namespace

TEST(EsclJobBranches, CreatedWithoutALocationIsAnIoError) {
  EsclJob job(escl::Capabilities{}, "/eSCL", false, page_timeout);
  std::vector<std::string> sent;
  JobStep s = scripted(job, job.start(request(InputSource::Platen), Clock::now()), {answer(201)}, sent);
  EXPECT_EQ(s.kind, JobStep::Kind::fail);
  EXPECT_EQ(s.status, Status::io_error);
  EXPECT_FALSE(job.active());
}

TEST(EsclJobBranches, GoneBeforeAPageIsAnErrorAndAfterAPageTheEnd) {
  EsclJob job(escl::Capabilities{}, "/eSCL", false, page_timeout);
  std::vector<std::string> sent;
  ASSERT_EQ(scripted(job, job.start(request(InputSource::Adf), Clock::now()),
                     {answer(0), answer(201, "http://10.0.0.5/eSCL/ScanJobs/7")}, sent)
                .kind,
            JobStep::Kind::job_started);
  EXPECT_EQ(sent, (std::vector<std::string>{"GET /eSCL/ScannerStatus", "POST /eSCL/ScanJobs"}));
  EXPECT_EQ(scripted(job, job.next_page(Clock::now()), {answer(200)}, sent).kind, JobStep::Kind::page);
  EXPECT_EQ(sent.back(), "GET /eSCL/ScanJobs/7/NextDocument");
  EXPECT_EQ(scripted(job, job.next_page(Clock::now()), {answer(410)}, sent).kind, JobStep::Kind::no_more_pages);
  EXPECT_FALSE(job.active());

  EsclJob fresh(escl::Capabilities{}, "/eSCL", false, page_timeout);
  ASSERT_EQ(
      scripted(fresh, fresh.start(request(InputSource::Platen), Clock::now()), {answer(201, "/eSCL/ScanJobs/8")}, sent)
          .kind,
      JobStep::Kind::job_started);
  JobStep s = scripted(fresh, fresh.next_page(Clock::now()), {answer(410)}, sent);
  EXPECT_EQ(s.status, Status::io_error);
}

TEST(EsclJobBranches, RawPagesHaveTheRequestsWidthAndTheContentTypeDecides) {
  ScanRequest raw = request(InputSource::Platen);
  raw.format = ImageFormat::Raw;
  raw.device_mode = ColorMode::Gray;
  raw.resolution = 200;
  raw.region = ScanRegion{0, 0, 2550, 300};  // 8.5 x 1 inch: 1700 pixels a row at 200 dpi
  const auto page = [&](ScanRequest req, std::string content_type) {
    EsclJob job(escl::Capabilities{}, "/eSCL", false, page_timeout);
    std::vector<std::string> sent;
    scripted(job, job.start(req, Clock::now()), {answer(201, "/eSCL/ScanJobs/3")}, sent);
    JobReply ok = answer(200);
    ok.content_type = std::move(content_type);
    return scripted(job, job.next_page(Clock::now()), {ok}, sent);
  };
  JobStep s = page(raw, "application/octet-stream");
  ASSERT_EQ(s.kind, JobStep::Kind::page);
  EXPECT_EQ(s.page.format, ImageFormat::Raw);
  EXPECT_EQ(s.page.raw_mode, ColorMode::Gray);
  EXPECT_EQ(s.page.raw_width, 1700);
  EXPECT_EQ(s.page.raw_bytes_per_line, 0);  // no padding: the least that holds the row
  EXPECT_EQ(page(raw, "").page.format, ImageFormat::Raw);
  // A raw request answered with a JPEG is read as one.
  EXPECT_EQ(page(raw, "Image/JPEG; charset=binary").page.format, ImageFormat::Jpeg);
  // A JPEG request stays JPEG whatever the label.
  EXPECT_EQ(page(request(InputSource::Platen), "application/octet-stream").page.format, ImageFormat::Jpeg);
  // A PDF cannot be decoded: said so, not handed to the decoder.
  s = page(raw, "application/pdf");
  EXPECT_EQ(s.kind, JobStep::Kind::fail);
  EXPECT_EQ(s.status, Status::io_error);
  EXPECT_NE(s.reason.find("PDF"), std::string::npos) << s.reason;
}

TEST(EsclJobBranches, ServerErrorOnThePlatenAsksNothingMore) {
  EsclJob job(escl::Capabilities{}, "/eSCL", false, page_timeout);
  std::vector<std::string> sent;
  scripted(job, job.start(request(InputSource::Platen), Clock::now()), {answer(201, "/eSCL/ScanJobs/9")}, sent);
  JobStep s = scripted(job, job.next_page(Clock::now()), {answer(500)}, sent);
  EXPECT_EQ(s.status, Status::io_error);
  EXPECT_EQ(sent.back(), "GET /eSCL/ScanJobs/9/NextDocument");  // no status question for the platen
  EXPECT_FALSE(job.active());                                   // a failed job is not resumed
}

TEST(LedmJobBranches, BusyPostAndVanishedJob) {
  std::vector<std::string> sent;
  LedmJob busy(page_timeout);
  JobStep s = scripted(busy, busy.start(request(InputSource::Platen), Clock::now()), {answer(0), answer(503)}, sent);
  EXPECT_EQ(s.status, Status::device_busy);
  EXPECT_EQ(sent, (std::vector<std::string>{"GET /Scan/Status", "POST /Scan/Jobs"}));

  LedmJob vanished(page_timeout);
  ASSERT_EQ(scripted(vanished, vanished.start(request(InputSource::Platen), Clock::now()),
                     {answer(0), answer(201, "http://10.0.0.5:8080/Jobs/JobList/4")}, sent)
                .kind,
            JobStep::Kind::job_started);
  s = scripted(vanished, vanished.next_page(Clock::now()), {answer(404)}, sent);
  EXPECT_EQ(s.status, Status::io_error);
  EXPECT_EQ(sent.back(), "GET /Jobs/JobList/4");
  // The cancel is a PUT of the job with LEDM's Accept header.
  std::optional<JobRequest> cancel = vanished.cancel();
  ASSERT_TRUE(cancel.has_value());
  EXPECT_EQ(cancel->method, "PUT");
  EXPECT_EQ(cancel->target, "/Jobs/JobList/4");
  EXPECT_EQ(cancel->accept, ledm::accept_header);
}

TEST(EsclJobBranches, AnEmptyFeederOfABusyScannerIsNotNoDocs) {
  // Another client's job (through saned, say) has pulled every sheet in: the feeder reads empty,
  // but it says nothing about this scan. The job is posted and the device's answers decide: 503
  // while it is busy (retried), then the job.
  const auto status = [](const char* state) {
    JobReply r = answer(200);
    r.body = std::string(R"(<?xml version="1.0"?>
<scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version><pwg:State>)") +
             state + "</pwg:State><scan:AdfState>ScannerAdfEmpty</scan:AdfState></scan:ScannerStatus>";
    return r;
  };
  std::vector<std::string> sent;
  EsclJob busy(escl::Capabilities{}, "/eSCL", false, page_timeout);
  JobStep s = scripted(
      busy, busy.start(request(InputSource::Adf), Clock::now()),
      {status("Processing"), answer(503), status("Processing"), answer(503), answer(201, "/eSCL/ScanJobs/12")}, sent);
  EXPECT_EQ(s.kind, JobStep::Kind::job_started) << s.reason;
  EXPECT_EQ(sent, (std::vector<std::string>{"GET /eSCL/ScannerStatus", "POST /eSCL/ScanJobs", "GET /eSCL/ScannerStatus",
                                            "POST /eSCL/ScanJobs", "POST /eSCL/ScanJobs"}));
  // An idle scanner with an empty feeder: no documents, and no job posted.
  sent.clear();
  EsclJob idle(escl::Capabilities{}, "/eSCL", false, page_timeout);
  s = scripted(idle, idle.start(request(InputSource::Adf), Clock::now()), {status("Idle")}, sent);
  EXPECT_EQ(s.status, Status::no_docs) << s.reason;
  EXPECT_EQ(sent, (std::vector<std::string>{"GET /eSCL/ScannerStatus"}));
}

TEST(LedmJobBranches, A409AfterAnIdleStatusIsAskedAbout) {
  // Between the status question and the POST another client's job came first: the 409 is that
  // job, and the status says so (busy). An idle scanner's 409 is the settings refused.
  const auto status = [](const char* state, const char* adf) {
    JobReply r = answer(200);
    r.body =
        std::string(
            R"(<?xml version="1.0"?><ScanStatus xmlns="http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19"><ScannerState>)") +
        state + "</ScannerState><AdfState>" + adf + "</AdfState></ScanStatus>";
    return r;
  };
  std::vector<std::string> sent;
  LedmJob raced(page_timeout);
  JobStep s = scripted(raced, raced.start(request(InputSource::Adf), Clock::now()),
                       {status("Idle", "Loaded"), answer(409), status("BusyWithScanJob", "Empty")}, sent);
  EXPECT_EQ(s.status, Status::device_busy) << s.reason;
  EXPECT_EQ(sent, (std::vector<std::string>{"GET /Scan/Status", "POST /Scan/Jobs", "GET /Scan/Status"}));
  LedmJob refused(page_timeout);
  s = scripted(refused, refused.start(request(InputSource::Adf), Clock::now()),
               {status("Idle", "Loaded"), answer(409), status("Idle", "Loaded")}, sent);
  EXPECT_EQ(s.status, Status::invalid) << s.reason;
  LedmJob emptied(page_timeout);
  s = scripted(emptied, emptied.start(request(InputSource::Adf), Clock::now()),
               {status("Idle", "Loaded"), answer(409), status("Idle", "Empty")}, sent);
  EXPECT_EQ(s.status, Status::no_docs) << s.reason;
}
