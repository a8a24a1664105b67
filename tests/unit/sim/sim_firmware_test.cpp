// HP firmware behaviours of hpaio-sim, each driven through Simulator::handle on a test clock:
// an LEDM device that also serves eSCL, eSCL answering 404 on one listener, jobs forgotten (410),
// State Stopped, the M277dw's 400 for scan:InputSource, DNL pages from an LEDM feeder, back sides
// rotated 180 degrees, framing chosen for XML and pages apart, the mDNS TXT keys and feeder
// load following a --caps document, and the optional parts of HP's answers (Content-Location,
// TransferRetryCount, the Mopria certification, link-local addresses to publish).
#include <gtest/gtest.h>

#include "sim_job_util.hpp"
#include "sim_test_util.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/image/page_check.hpp"
#include "tests/sim/server/mdns_publisher.hpp"

using namespace hpsim;
using simtest::config;
using simtest::parse_xml;
using simtest::req;

namespace {

constexpr const char* kEscl = "http://schemas.hp.com/imaging/escl/2011/05/03";
constexpr const char* kPwg = "http://www.pwg.org/schemas/2010/12/sm";
constexpr const char* kLedm = "http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19";

std::string job_path(std::string location) {
  if (location.starts_with("http://")) location = location.substr(location.find('/', 7));
  if (location.ends_with("/")) location.pop_back();
  return location;
}

std::string txt(const TxtRecord& t, const std::string& key) {
  for (const auto& [k, v] : t) {
    if (k == key) return v;
  }
  return "<absent>";
}

// One device on a test clock, with the requests clients make.
struct Device {
  explicit Device(SimConfig c) : sim(std::move(c)) {}
  Simulator sim;
  Clock::time_point now = Clock::now();

  Response get(const std::string& target, const std::string& local = {}) {
    Request r = req("GET", target);
    r.local = local;
    return sim.handle(r, now);
  }
  Response del(const std::string& target) { return sim.handle(req("DELETE", target), now); }
  Response post_escl(const simtest::JobSpec& j) {
    return sim.handle(req("POST", "/eSCL/ScanJobs", simtest::escl_settings(j)), now);
  }
  Response post_ledm(const simtest::JobSpec& j) {
    return sim.handle(req("POST", "/Scan/Jobs", simtest::ledm_settings(j)), now);
  }
  // NextDocument until it is not 503 (the clock moves a second a time).
  Response next(const std::string& job) {
    for (int i = 0; i < 10; ++i) {
      Response r = get(job + "/NextDocument");
      if (r.status != 503) return r;
      now += std::chrono::seconds(1);
    }
    ADD_FAILURE() << "NextDocument answered 503 ten times";
    return {};
  }
  // The LEDM job polled until ReadyToUpload, then its page.
  Response ledm_page(const std::string& job) {
    for (int i = 0; i < 20; ++i) {
      const auto doc = parse_xml(get(job).body);
      const auto* pre = doc.find(kLedm, "PreScanPage");
      if (pre == nullptr) break;
      if (pre->child_text(kLedm, "PageState").value_or("") == "ReadyToUpload") {
        return get(pre->child_text(kLedm, "BinaryURL").value_or(""));
      }
    }
    ADD_FAILURE() << "the LEDM job never became ReadyToUpload";
    return {};
  }
  std::string escl_state() { return parse_xml(get("/eSCL/ScannerStatus").body).child_text(kPwg, "State").value_or(""); }
  std::string ledm_state() {
    return parse_xml(get("/Scan/Status").body).child_text(kLedm, "ScannerState").value_or("");
  }
  std::string ledm_adf() { return parse_xml(get("/Scan/Status").body).child_text(kLedm, "AdfState").value_or(""); }
};

SimConfig both(int pages = 3) {
  SimConfig c = config("ledm-adf-duplex", pages);
  c.profile.also_escl = true;
  return c;
}

simtest::JobSpec spec(Protocol p, Source s, bool duplex = false, ScanMode m = ScanMode::rgb24,
                      Format f = Format::jpeg) {
  return simtest::job_spec(p, s, duplex, m, f, {100, 100}, 600, 600);
}

// ----- 1. LEDM and eSCL on one device -----

TEST(SimBothProtocols, DiscoveryTreeListsBothManifestsInTheRealOrder) {
  Device d(both());
  const std::string tree = d.get("/DevMgmt/DiscoveryTree.xml").body;
  const auto ledm = tree.find("/Scan/ScanJobManifest.xml");
  const auto escl = tree.find("/eSCL/eSclManifest.xml");
  const auto walkup = tree.find("/WalkupScanToComp/WalkupScanToCompManifest.xml");
  ASSERT_NE(ledm, std::string::npos);
  ASSERT_NE(escl, std::string::npos);
  ASSERT_NE(walkup, std::string::npos);
  EXPECT_LT(escl, walkup);  // as captures/HP-ledm-DiscoveryTree-1.xml and -escl.xml list them
  EXPECT_EQ(d.get("/eSCL/eSclManifest.xml").status, 200);
  EXPECT_EQ(d.get("/Scan/ScanCaps").status, 200);
  // Without the option an LEDM device has no eSCL, and an eSCL one no LEDM.
  Device plain(config("ledm-adf-duplex"));
  EXPECT_EQ(plain.get("/eSCL/ScannerCapabilities").status, 404);
  EXPECT_EQ(plain.get("/DevMgmt/DiscoveryTree.xml").body.find("eSclManifest"), std::string::npos);
  Device escl_only(config("escl-adf-duplex"));
  EXPECT_EQ(escl_only.get("/Scan/ScanCaps").status, 404);
}

TEST(SimBothProtocols, EsclCapabilitiesFollowTheScanCaps) {
  Device d(both());
  const Acceptance& ledm = d.sim.acceptance();
  const Acceptance& escl = d.sim.escl_acceptance();
  EXPECT_EQ(ledm.protocol, Protocol::ledm);
  EXPECT_EQ(escl.protocol, Protocol::escl);
  const auto same_source = [](const InputCaps& l, const InputCaps& e, const char* what) {
    EXPECT_EQ(l.present, e.present) << what;
    EXPECT_EQ(l.max_width, e.max_width) << what;
    EXPECT_EQ(l.max_height, e.max_height) << what;
    EXPECT_EQ(l.min_width, e.min_width) << what;
    // Every resolution of every colour mode of the ScanCaps is listed in eSCL (K1 = BlackAndWhite1).
    for (ScanMode m : l.modes()) {
      for (const Resolution& r : l.resolutions(m, Format::raw)) {
        EXPECT_FALSE(e.profiles.empty());
        bool listed = false;
        for (const auto& sp : e.profiles)
          listed = listed || (sp.has(m) && sp.has(Format::raw) && sp.has_resolution(r.x, r.y));
        EXPECT_TRUE(listed) << what << " " << escl_mode_name(m) << " " << r.x;
      }
    }
  };
  same_source(ledm.platen, escl.platen, "platen");
  same_source(ledm.adf_simplex, escl.adf_simplex, "adf");
  same_source(ledm.adf_duplex, escl.adf_duplex, "duplex");
  EXPECT_EQ(ledm.feeder_capacity, escl.feeder_capacity);
  const auto caps = parse_xml(d.get("/eSCL/ScannerCapabilities").body);
  EXPECT_EQ(caps.child_text(kPwg, "MakeAndModel").value_or(""), "HP OfficeJet Pro 9010 series");
  EXPECT_NE(d.get("/eSCL/ScannerCapabilities").body.find("BlackAndWhite1"), std::string::npos);
}

TEST(SimBothProtocols, PublishesItsEsclHalfByMdns) {
  Profile p = *find_profile("ledm-adf-duplex");
  const auto types = [](const std::vector<MdnsService>& v) {
    std::string t;
    for (const auto& s : v) t += s.type + " ";
    return t;
  };
  EXPECT_EQ(types(mdns_services(p, 8080, 0)), "_scanner._tcp ");
  p.also_escl = true;
  const auto services = mdns_services(p, 8080, 443);
  EXPECT_EQ(types(services), "_uscan._tcp _uscans._tcp _scanner._tcp ");
  EXPECT_EQ(txt(services.front().txt, "cs"), "color,grayscale,binary");  // K1 served as BlackAndWhite1
  EXPECT_EQ(txt(services.front().txt, "pdl"), "image/jpeg,application/octet-stream");
  EXPECT_EQ(txt(services.front().txt, "duplex"), "T");
}

// A real LEDM ScanCaps as --caps: the eSCL half lists what it lists, as the same device's real eSCL
// document does (the Smart Tank Plus 570 has both captures).
TEST(SimBothProtocols, RealSmartTankScanCapsGiveItsEsclSourcesAndResolutions) {
  const auto ledm_doc = simtest::captures_dir() / "HP-SmartTank-Plus-570-ledm-ScanCaps.xml";
  const auto escl_doc = simtest::captures_dir() / "HP-SmartTank-Plus-570-escl-ScannerCapabilities.xml";
  SIMTEST_REQUIRE_CAPTURE(ledm_doc);
  SIMTEST_REQUIRE_CAPTURE(escl_doc);
  SimConfig c = both();
  c.caps_file_content = simtest::read_file(ledm_doc);
  Device d(c);
  EXPECT_EQ(d.get("/Scan/ScanCaps").body, *c.caps_file_content);
  const Acceptance& ours = d.sim.escl_acceptance();
  const auto real = read_capabilities(Protocol::escl, simtest::read_file(escl_doc), nullptr);
  ASSERT_TRUE(real.has_value());
  for (const auto& [name, o, r] :
       {std::tuple{"platen", &ours.platen, &real->platen}, std::tuple{"adf", &ours.adf_simplex, &real->adf_simplex}}) {
    EXPECT_EQ(o->present, r->present) << name;
    EXPECT_EQ(o->max_width, r->max_width) << name;
    EXPECT_EQ(o->max_height, r->max_height) << name;
    EXPECT_EQ(o->resolutions(ScanMode::rgb24, Format::jpeg), r->resolutions(ScanMode::rgb24, Format::jpeg)) << name;
    EXPECT_EQ(o->resolutions(ScanMode::grayscale8, Format::raw), r->resolutions(ScanMode::grayscale8, Format::raw))
        << name;
  }
  EXPECT_FALSE(ours.adf_duplex.present);
  EXPECT_EQ(ours.feeder_capacity, real->feeder_capacity);
}

TEST(SimBothProtocols, OneFeederAndOneBusyState) {
  Device d(both(2));
  EXPECT_EQ(d.escl_state(), "Idle");
  EXPECT_EQ(d.ledm_state(), "Idle");
  // An eSCL feeder job: LEDM sees the scanner busy and refuses its own job.
  const Response created = d.post_escl(spec(Protocol::escl, Source::adf));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = job_path(created.header("Location"));
  EXPECT_EQ(d.ledm_state(), "BusyWithScanJob");
  EXPECT_EQ(d.post_ledm(spec(Protocol::ledm, Source::platen)).status, 409);
  EXPECT_EQ(d.next(job).status, 200);
  EXPECT_EQ(d.next(job).status, 200);
  EXPECT_EQ(d.next(job).status, 404);
  // Both sheets went through the one feeder.
  EXPECT_EQ(d.ledm_adf(), "Empty");
  EXPECT_EQ(d.sim.feeder().sheets, 0);
  EXPECT_EQ(d.ledm_state(), "Idle");
  // An LEDM job: eSCL says Processing and answers 503 to a job of its own.
  const Response lj = d.post_ledm(spec(Protocol::ledm, Source::platen));
  ASSERT_EQ(lj.status, 201) << lj.body;
  EXPECT_EQ(d.escl_state(), "Processing");
  EXPECT_EQ(d.post_escl(spec(Protocol::escl, Source::platen)).status, 503);
  const Response page = d.ledm_page(job_path(lj.header("Location")));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(d.escl_state(), "Idle");
  EXPECT_EQ(d.post_escl(spec(Protocol::escl, Source::platen)).status, 201);
}

// ----- 2. eSCL answering 404 on one listener -----

TEST(SimEscl404, OneListenerAnswers404ToEsclOnly) {
  SimConfig c = config("escl-adf-duplex");
  c.escl_404_on = {"127.0.0.1:80"};
  Device d(c);
  EXPECT_EQ(d.get("/eSCL/ScannerCapabilities", "127.0.0.1:80").status, 404);
  EXPECT_EQ(d.get("/eSCL/ScannerStatus", "127.0.0.1:80").status, 404);
  EXPECT_EQ(d.get("/DevMgmt/DiscoveryTree.xml", "127.0.0.1:80").status, 200);
  EXPECT_EQ(d.get("/eSCL/ScannerCapabilities", "127.0.0.1:8080").status, 200);
  EXPECT_EQ(d.get("/eSCL/ScannerCapabilities").status, 200);  // no listener named: not that one
  // An LEDM device that also serves eSCL keeps LEDM there.
  SimConfig b = both();
  b.escl_404_on = {"0.0.0.0:80"};
  Device e(b);
  EXPECT_EQ(e.get("/eSCL/ScannerCapabilities", "127.0.0.1:80").status, 404);
  EXPECT_EQ(e.get("/Scan/ScanCaps", "127.0.0.1:80").status, 200);
  EXPECT_EQ(e.get("/eSCL/ScannerCapabilities", "127.0.0.1:8080").status, 200);
}

TEST(SimEscl404, ListenerNamesMatchByAddressOrUnspecifiedAddress) {
  EXPECT_TRUE(same_listener("127.0.0.1:80", "127.0.0.1:80"));
  EXPECT_FALSE(same_listener("127.0.0.1:80", "127.0.0.1:8080"));
  EXPECT_FALSE(same_listener("127.0.0.2:80", "127.0.0.1:80"));
  EXPECT_TRUE(same_listener("0.0.0.0:80", "127.0.0.3:80"));
  EXPECT_TRUE(same_listener("[::]:80", "[::1]:80"));
  EXPECT_FALSE(same_listener("[::]:80", "[::1]:8080"));
  EXPECT_FALSE(same_listener("127.0.0.1:80", ""));
}

// ----- 3. Job expiry: 410 -----

struct Expiry : ::testing::Test {
  Expiry()
      : d([] {
          SimConfig c = config("escl-adf-duplex");
          c.profile.job_expiry_ms = 2000;
          return c;
        }()) {}
  Device d;
};

TEST_F(Expiry, AFinishedJobIsGoneAfterTheExpiry) {
  const Response created = d.post_escl(spec(Protocol::escl, Source::platen));
  ASSERT_EQ(created.status, 201);
  const std::string job = job_path(created.header("Location"));
  ASSERT_EQ(d.next(job).status, 200);
  EXPECT_EQ(d.get(job + "/NextDocument").status, 404);  // the end, while the job is remembered
  d.now += std::chrono::milliseconds(1999);
  EXPECT_NE(d.get("/eSCL/ScannerStatus").body.find(job), std::string::npos);
  d.now += std::chrono::milliseconds(1);
  EXPECT_EQ(d.get(job + "/NextDocument").status, 410);
  EXPECT_EQ(d.get(job + "/ScanImageInfo").status, 410);
  EXPECT_EQ(d.del(job).status, 410);
  EXPECT_EQ(d.get(job).status, 404);  // GET {JobUri} is 404 on HP, job or no job
  EXPECT_EQ(d.get("/eSCL/ScannerStatus").body.find(job), std::string::npos);
  EXPECT_TRUE(d.sim.escl().forgotten(job.substr(job.rfind('/') + 1)));
  EXPECT_EQ(d.get("/eSCL/ScanJobs/99999/NextDocument").status, 404);  // never there: 404
}

TEST_F(Expiry, AnAbandonedJobIsAbortedThenGone) {
  const Response created = d.post_escl(spec(Protocol::escl, Source::adf));
  ASSERT_EQ(created.status, 201);
  const std::string job = job_path(created.header("Location"));
  ASSERT_EQ(d.next(job).status, 200);
  d.now += std::chrono::seconds(20);
  EXPECT_EQ(d.next(job).status, 200);  // a slow client is no reason to forget its job
  d.now += EsclDevice::kAbandonAfter + std::chrono::seconds(1);
  EXPECT_NE(d.get("/eSCL/ScannerStatus").body.find("AbortedBySystem"), std::string::npos);  // abandoned
  EXPECT_EQ(d.get(job + "/NextDocument").status, 500);
  d.now += std::chrono::milliseconds(2000);
  EXPECT_EQ(d.get(job + "/NextDocument").status, 410);
  d.now += std::chrono::seconds(1);  // the profile's State lag after a job ends
  EXPECT_EQ(d.escl_state(), "Idle");
  EXPECT_EQ(d.post_escl(spec(Protocol::escl, Source::platen)).status, 201);
}

TEST(SimExpiry, WithoutTheOptionJobsStayAndAbandonedOnesAbortAfter30s) {
  Device d(config("escl-adf-duplex"));
  const Response created = d.post_escl(spec(Protocol::escl, Source::platen));
  const std::string job = job_path(created.header("Location"));
  d.now += std::chrono::minutes(10);
  EXPECT_EQ(d.get(job + "/NextDocument").status, 500);  // aborted, still known
  EXPECT_NE(d.get("/eSCL/ScannerStatus").body.find("AbortedBySystem"), std::string::npos);
}

TEST(SimExpiry, LedmForgetsJobsToo) {
  SimConfig c = config("ledm-adf-duplex");
  c.profile.job_expiry_ms = 1000;
  Device d(c);
  const Response created = d.post_ledm(spec(Protocol::ledm, Source::platen));
  ASSERT_EQ(created.status, 201);
  const std::string job = job_path(created.header("Location"));
  EXPECT_EQ(d.ledm_page(job).status, 200);
  EXPECT_EQ(d.get(job).status, 200);
  d.now += std::chrono::milliseconds(1000);
  EXPECT_EQ(d.get(job).status, 404);
  EXPECT_EQ(d.sim.ledm().job(1), nullptr);
}

// ----- 4. Stopped -----

TEST(SimStopped, StateStoppedAndNoJobs) {
  SimConfig c = config("escl-adf-duplex");
  c.profile.stopped = true;
  Device d(c);
  EXPECT_EQ(d.escl_state(), "Stopped");
  EXPECT_EQ(d.post_escl(spec(Protocol::escl, Source::platen)).status, 503);
  EXPECT_EQ(d.get("/eSCL/ScannerCapabilities").status, 200);
}

// ----- 5. 400 for scan:InputSource (M277dw) -----

TEST(SimStrictInputSource, ScanInputSourceIs400PwgInputSourceIsFine) {
  SimConfig c = config("escl-adf-duplex");
  c.profile.strict_input_source = true;
  Device d(c);
  const std::string pwg = simtest::escl_settings(spec(Protocol::escl, Source::platen));
  std::string with_scan = pwg;
  with_scan.replace(with_scan.find("</pwg:InputSource>"), 18,
                    "</pwg:InputSource><scan:InputSource>Platen</scan:InputSource>");
  std::string scan_only = pwg;
  scan_only.replace(scan_only.find("<pwg:InputSource>Platen</pwg:InputSource>"), 41,
                    "<scan:InputSource>Platen</scan:InputSource>");
  EXPECT_EQ(d.sim.handle(req("POST", "/eSCL/ScanJobs", with_scan), d.now).status, 400);
  EXPECT_EQ(d.sim.handle(req("POST", "/eSCL/ScanJobs", scan_only), d.now).status, 400);
  EXPECT_EQ(d.sim.handle(req("PUT", "/eSCL/ScanBufferInfo", scan_only), d.now).status, 400);
  EXPECT_EQ(d.sim.handle(req("POST", "/eSCL/ScanJobs", pwg), d.now).status, 201);
  // Other profiles take it.
  Device lax(config("escl-adf-duplex"));
  EXPECT_EQ(lax.sim.handle(req("POST", "/eSCL/ScanJobs", with_scan), lax.now).status, 201);
}

// ----- 6. DNL pages from an LEDM feeder; back sides rotated 180 degrees -----

TEST(SimLedmDnl, FeederJpegsCarryDnlPlatenOnesDoNot) {
  SimConfig c = config("ledm-adf-duplex");
  c.profile.adf_dnl = true;
  Device d(c);
  const Response adf = d.post_ledm(spec(Protocol::ledm, Source::adf));
  ASSERT_EQ(adf.status, 201);
  const Response page = d.ledm_page(job_path(adf.header("Location")));
  ASSERT_EQ(page.status, 200);
  const JpegHeights h = jpeg_heights(page.body);
  EXPECT_EQ(h.sof_height, 0xFFFF);
  EXPECT_EQ(h.dnl_height, 200);
  CheckSpec s;
  s.resolution = 100;
  s.width_mm = s.height_mm = 50.8;
  EXPECT_TRUE(check_page(decode_jpeg(page.body), s).ok);
  d.now += std::chrono::minutes(1);
  const Response platen = d.post_ledm(spec(Protocol::ledm, Source::platen));
  ASSERT_EQ(platen.status, 201) << platen.body;
  EXPECT_EQ(jpeg_heights(d.ledm_page(job_path(platen.header("Location"))).body).sof_height, 200);
}

// Image n of a duplex job checked as front or back, turned back first when `rotated`.
::testing::AssertionResult duplex_image(const Response& page, int image, bool rotated) {
  if (page.status != 200) return ::testing::AssertionFailure() << "status " << page.status;
  CheckSpec s;
  s.resolution = 100;
  s.page = (image + 1) / 2;
  s.side = image % 2 == 0 ? Side::back : Side::front;
  const Raster r = decode_jpeg(page.body);
  const CheckResult as_is = check_page(r, s);
  const CheckResult turned = check_page(rotate_180(r), s);
  if (rotated && !turned.ok) return ::testing::AssertionFailure() << "turned back: " << turned.message;
  if (rotated && as_is.ok) return ::testing::AssertionFailure() << "not rotated";
  if (!rotated && !as_is.ok) return ::testing::AssertionFailure() << as_is.message;
  return ::testing::AssertionSuccess();
}

TEST(SimRotateBack, EsclBackSidesComeRotatedFrontsDoNot) {
  for (const bool on : {false, true}) {
    SimConfig c = config("escl-adf-duplex", 2);
    c.profile.rotate_back = on;
    c.profile.adf_dnl = false;
    c.page_cache = true;
    Device d(c);
    const Response created = d.post_escl(spec(Protocol::escl, Source::adf, true));
    ASSERT_EQ(created.status, 201);
    const std::string job = job_path(created.header("Location"));
    for (int image = 1; image <= 4; ++image) {
      EXPECT_TRUE(duplex_image(d.next(job), image, on && image % 2 == 0)) << "rotate " << on << " image " << image;
    }
    EXPECT_EQ(d.next(job).status, 404);
  }
  // The cache keeps rotated and upright pages apart.
  const ScanParams p{Source::adf, true};
  EXPECT_NE(page_key(Protocol::escl, p, 2, false, true), page_key(Protocol::escl, p, 2, false, false));
}

TEST(SimRotateBack, LedmBackSidesComeRotatedWithDnl) {
  SimConfig c = config("ledm-adf-duplex", 1);
  c.profile.rotate_back = true;
  c.profile.adf_dnl = true;
  Device d(c);
  const Response created = d.post_ledm(spec(Protocol::ledm, Source::adf, true));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = job_path(created.header("Location"));
  const Response front = d.ledm_page(job);
  const Response back = d.ledm_page(job);
  EXPECT_EQ(jpeg_heights(back.body).sof_height, 0xFFFF);
  EXPECT_TRUE(duplex_image(front, 1, false));
  EXPECT_TRUE(duplex_image(back, 2, true));
}

// ----- 7. Framing for XML and pages apart -----

TEST(SimFraming, XmlAndPagesFramedApart) {
  for (const bool xml_chunked : {true, false}) {
    for (const bool pages_chunked : {true, false}) {
      SimConfig c = config("escl-adf-duplex");
      c.profile.chunked_xml = xml_chunked;
      c.profile.chunked_images = pages_chunked;
      Device d(c);
      const Framing xml = xml_chunked ? Framing::chunked : Framing::content_length;
      const Framing page = pages_chunked ? Framing::chunked : Framing::content_length;
      EXPECT_EQ(d.get("/eSCL/ScannerCapabilities").framing, xml);
      EXPECT_EQ(d.get("/eSCL/ScannerStatus").framing, xml);
      EXPECT_EQ(d.get("/DevMgmt/DiscoveryTree.xml").framing, xml);
      const Response created = d.post_escl(spec(Protocol::escl, Source::platen));
      const std::string job = job_path(created.header("Location"));
      EXPECT_EQ(d.next(job).framing, page);
      EXPECT_EQ(d.get(job + "/ScanImageInfo").framing, xml);
      // The wire form: a page with Content-Length carries exactly its bytes.
      Response p;
      p.body = "abc";
      p.set_header("Content-Type", "image/jpeg");
      apply_common(c, p);
      EXPECT_EQ(serialize(p).head.find("Content-Length: 3") != std::string::npos, !pages_chunked);
    }
  }
  SimConfig c = config("ledm-adf-duplex");
  c.profile.chunked_images = false;
  Device d(c);
  const Response created = d.post_ledm(spec(Protocol::ledm, Source::platen, false, ScanMode::rgb24, Format::raw));
  const Response page = d.ledm_page(job_path(created.header("Location")));
  EXPECT_EQ(page.framing, Framing::content_length);
  EXPECT_EQ(d.get("/Scan/ScanCaps").framing, Framing::chunked);
}

// ----- 8. mDNS TXT and the feeder from the document served -----

TEST(SimCapsAdvertised, TxtKeysFollowTheDocument) {
  // A document that differs from the profile in every key: no platen, no duplex, BlackAndWhite1
  // and PDF, no Grayscale8.
  Profile doc = *find_profile("escl-adf-duplex");
  doc.platen.present = false;
  doc.duplex = false;
  doc.grayscale = false;
  doc.blackandwhite1 = true;
  doc.pdf = true;
  doc.feeder_capacity = 20;
  SimConfig c = config("escl-adf-duplex", 60);
  c.caps_file_content = escl_capabilities(doc);
  Device d(c);
  const Profile advertised = d.sim.advertised_profile();
  const TxtRecord t = uscan_txt(advertised);
  EXPECT_EQ(txt(t, "is"), "adf");
  EXPECT_EQ(txt(t, "duplex"), "F");
  EXPECT_EQ(txt(t, "cs"), "color,binary");
  EXPECT_EQ(txt(t, "pdl"), "image/jpeg,application/pdf");
  // The profile itself, without --caps.
  const TxtRecord own = uscan_txt(Device(config("escl-adf-duplex")).sim.advertised_profile());
  EXPECT_EQ(txt(own, "is"), "platen,adf");
  EXPECT_EQ(txt(own, "duplex"), "T");
  EXPECT_EQ(txt(own, "cs"), "color,grayscale");
  EXPECT_EQ(txt(own, "pdl"), "image/jpeg");
  // --pages is capped at the document's FeederCapacity, and said so.
  EXPECT_EQ(d.sim.feeder().sheets, 20);
  bool noted = false;
  for (const auto& n : d.sim.notes()) noted = noted || n.find("FeederCapacity 20") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(SimCapsAdvertised, RealM426fdnDocument) {
  const auto doc = simtest::captures_dir() / "HP-LaserJet-MFP-M426fdn-escl-ScannerCapabilities.xml";
  SIMTEST_REQUIRE_CAPTURE(doc);
  SimConfig c = config("escl-flatbed", 80);
  c.caps_file_content = simtest::read_file(doc);
  Device d(c);
  const TxtRecord t = uscan_txt(d.sim.advertised_profile());
  EXPECT_EQ(txt(t, "is"), "platen,adf");
  EXPECT_EQ(txt(t, "duplex"), "T");
  EXPECT_EQ(txt(t, "cs"), "color,grayscale");
  EXPECT_EQ(txt(t, "pdl"), "image/jpeg,application/pdf");
  EXPECT_EQ(d.sim.feeder().sheets, 50);
}

TEST(SimCapsAdvertised, RefillFeederPutsTheStackBackBetweenJobs) {
  SimConfig c = config("escl-adf-duplex", 1);
  c.profile.refill_feeder = true;
  c.profile.busy_before_page = 0;
  c.profile.status_lag_ms = 0;
  Device d(c);
  for (int job = 0; job < 3; ++job) {
    const Response created = d.post_escl(spec(Protocol::escl, Source::adf));
    ASSERT_EQ(created.status, 201) << "job " << job;
    const std::string path = job_path(created.header("Location"));
    EXPECT_EQ(d.next(path).status, 200);
    EXPECT_EQ(d.next(path).status, 404);  // the batch still ends at its last sheet
  }
  // LEDM: the status a client reads before its next job shows the feeder loaded again.
  SimConfig l = config("ledm-adf-duplex", 1);
  l.profile.refill_feeder = true;
  Device e(l);
  const Response created = e.post_ledm(spec(Protocol::ledm, Source::adf));
  ASSERT_EQ(created.status, 201);
  const std::string job = job_path(created.header("Location"));
  EXPECT_EQ(e.ledm_page(job).status, 200);
  EXPECT_EQ(e.sim.feeder().sheets, 0);
  EXPECT_EQ(parse_xml(e.get(job).body).find(kLedm, "PreScanPage"), nullptr);  // the job ended there
  EXPECT_EQ(e.ledm_adf(), "Loaded");
  EXPECT_EQ(e.post_ledm(spec(Protocol::ledm, Source::adf)).status, 201);
}

// ----- 9. Optional parts of HP's answers -----

// A platen job's page, and the ScannerStatus while its JobInfo is listed.
struct OptionalParts {
  Response page;
  std::string status;
};
OptionalParts platen_job(SimConfig c) {
  c.profile.busy_before_page = 0;
  Device d(std::move(c));
  // 300 dpi, 2 inches square: within every eSCL profile's platen.
  const Response created = d.post_escl(
      simtest::job_spec(Protocol::escl, Source::platen, false, ScanMode::rgb24, Format::jpeg, {300, 300}, 600, 600));
  EXPECT_EQ(created.status, 201);
  const std::string path = job_path(created.header("Location"));
  OptionalParts out;
  out.page = d.next(path);
  EXPECT_EQ(out.page.status, 200);
  out.status = d.get("/eSCL/ScannerStatus").body;
  return out;
}

TEST(SimOptionalParts, ContentLocationAndTransferRetryCountPerProfileOrOption) {
  // escl-flatbed sends both (as the PageWide and the M426fdn do), escl-legacy neither.
  const OptionalParts with = platen_job(config("escl-flatbed"));
  EXPECT_TRUE(with.page.header("Content-Location").starts_with("/eSCL/ScanJobs/"));
  EXPECT_TRUE(with.page.header("Content-Location").ends_with("/page-1"));
  const auto status = parse_xml(with.status);
  const auto* info = status.find(kEscl, "JobInfo");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->child_text(kEscl, "TransferRetryCount").value_or("<absent>"), "0");

  const OptionalParts legacy = platen_job(config("escl-legacy"));
  EXPECT_EQ(legacy.page.header("Content-Location"), "");
  const auto legacy_status = parse_xml(legacy.status);
  const auto* legacy_info = legacy_status.find("http://schemas.hp.com/imaging/escl/2011/02/08", "JobInfo");
  ASSERT_NE(legacy_info, nullptr);
  EXPECT_EQ(legacy_info->child("http://schemas.hp.com/imaging/escl/2011/02/08", "TransferRetryCount"), nullptr);

  // The options turn each off (or on) on its own.
  SimConfig c = config("escl-flatbed");
  c.profile.content_location = false;
  const OptionalParts no_location = platen_job(c);
  EXPECT_EQ(no_location.page.header("Content-Location"), "");
  EXPECT_NE(parse_xml(no_location.status).find(kEscl, "TransferRetryCount"), nullptr);
  c = config("escl-flatbed");
  c.profile.transfer_retry_count = false;
  const OptionalParts no_count = platen_job(c);
  EXPECT_NE(no_count.page.header("Content-Location"), "");
  EXPECT_EQ(parse_xml(no_count.status).find(kEscl, "TransferRetryCount"), nullptr);
}

TEST(SimOptionalParts, MopriaCertificationInCapabilitiesAndTxt) {
  // escl-adf-duplex is certified (1.3): listed in its capabilities and in _uscan._tcp's TXT.
  Device certified(config("escl-adf-duplex"));
  const auto caps = parse_xml(certified.get("/eSCL/ScannerCapabilities").body);
  const auto* cert = caps.find(kEscl, "Certification");
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->child_text(kEscl, "Name").value_or(""), "mopria-certified-scan");
  EXPECT_EQ(cert->child_text(kEscl, "Version").value_or(""), "1.3");
  EXPECT_EQ(txt(uscan_txt(certified.sim.advertised_profile()), "mopria-certified-scan"), "1.3");
  // escl-flatbed is not: neither.
  Device plain(config("escl-flatbed"));
  EXPECT_EQ(parse_xml(plain.get("/eSCL/ScannerCapabilities").body).find(kEscl, "Certifications"), nullptr);
  EXPECT_EQ(txt(uscan_txt(plain.sim.advertised_profile()), "mopria-certified-scan"), "<absent>");
  // A --caps document decides: the certified profile serving an uncertified document is not, and
  // the uncertified profile serving a certified one is (its version).
  Profile doc = *find_profile("escl-adf-duplex");
  doc.mopria_certified.clear();
  SimConfig c = config("escl-adf-duplex");
  c.caps_file_content = escl_capabilities(doc);
  EXPECT_EQ(txt(uscan_txt(Device(c).sim.advertised_profile()), "mopria-certified-scan"), "<absent>");
  doc.mopria_certified = "1.2";
  c = config("escl-flatbed");
  c.caps_file_content = escl_capabilities(doc);
  EXPECT_EQ(txt(uscan_txt(Device(c).sim.advertised_profile()), "mopria-certified-scan"), "1.2");
}

TEST(SimOptionalParts, RealM283fdwDocumentIsMopriaCertified) {
  const auto doc = simtest::captures_dir() / "HP-Color-LaserJet-MFP-M283fdw-escl-ScannerCapabilities.xml";
  SIMTEST_REQUIRE_CAPTURE(doc);
  SimConfig c = config("escl-flatbed");
  c.caps_file_content = simtest::read_file(doc);
  EXPECT_EQ(txt(uscan_txt(Device(c).sim.advertised_profile()), "mopria-certified-scan"), "1.3");
}

TEST(SimOptionalParts, AddressesToPublishWithTheirInterface) {
  const auto ll = parse_mdns_address("fe80::2%lo");
  ASSERT_TRUE(ll.has_value());
  EXPECT_EQ(ll->address, "fe80::2");
  EXPECT_EQ(ll->interface, "lo");
  const auto v4 = parse_mdns_address("127.0.0.2");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->address, "127.0.0.2");
  EXPECT_EQ(v4->interface, "");
  EXPECT_TRUE(parse_mdns_address("fd00::5").has_value());
  EXPECT_FALSE(parse_mdns_address("127.0.0.2%lo").has_value());  // a zone only for IPv6
  EXPECT_FALSE(parse_mdns_address("fe80::2%").has_value());
  EXPECT_FALSE(parse_mdns_address("printer.local").has_value());
  EXPECT_FALSE(parse_mdns_address("").has_value());
}

}  // namespace
