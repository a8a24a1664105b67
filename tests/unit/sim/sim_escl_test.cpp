// The eSCL job state machine of hpaio-sim, driven the way sane-airscan drives it.
#include <gtest/gtest.h>

#include "sim_test_util.hpp"
#include "tests/sim/core/escl_device.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/image/page_check.hpp"

using namespace hpsim;
using simtest::config;
using simtest::parse_xml;
using simtest::req;

namespace {

constexpr const char* kScan = "http://schemas.hp.com/imaging/escl/2011/05/03";
constexpr const char* kPwg = "http://www.pwg.org/schemas/2010/12/sm";

std::string settings(const std::string& source, const std::string& mode = "RGB24", int res = 100, int w = 2550,
                     int h = 3300, bool duplex = false, int x = 0, int y = 0,
                     const std::string& ns = "http://schemas.hp.com/imaging/escl/2011/05/03") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scan:ScanSettings "
         "xmlns:pwg=\"http://www.pwg.org/schemas/2010/12/sm\" "
         "xmlns:scan=\"" +
         ns +
         "\"><pwg:Version>2.0</pwg:Version><scan:Intent>Document</scan:Intent>"
         "<pwg:ScanRegions><pwg:ScanRegion><pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</"
         "pwg:ContentRegionUnits>"
         "<pwg:XOffset>" +
         std::to_string(x) + "</pwg:XOffset><pwg:YOffset>" + std::to_string(y) + "</pwg:YOffset><pwg:Width>" +
         std::to_string(w) + "</pwg:Width><pwg:Height>" + std::to_string(h) +
         "</pwg:Height></pwg:ScanRegion></pwg:ScanRegions><pwg:InputSource>" + source +
         "</pwg:InputSource>"
         "<scan:ColorMode>" +
         mode +
         "</scan:ColorMode><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat>"
         "<scan:XResolution>" +
         std::to_string(res) + "</scan:XResolution><scan:YResolution>" + std::to_string(res) + "</scan:YResolution>" +
         (duplex ? "<scan:Duplex>true</scan:Duplex>" : "") + "</scan:ScanSettings>";
}

// The job path a client derives from Location: only its path, with any trailing slash removed.
std::string job_path(const std::string& location) {
  std::string p = location;
  if (p.starts_with("http://")) p = p.substr(p.find('/', 7));
  if (p.ends_with("/")) p.pop_back();
  return p;
}

struct Escl : ::testing::Test {
  explicit Escl(const std::string& profile = "escl-adf-duplex", int pages = 3) : sim(config(profile, pages)) {}
  Simulator sim;
  Clock::time_point now = Clock::now();
  Response get(const std::string& t) { return sim.handle(req("GET", t), now); }
  Response post(const std::string& body, std::vector<Header> h = {{"Host", "127.0.0.1:8080"}}) {
    return sim.handle(req("POST", "/eSCL/ScanJobs", body, std::move(h)), now);
  }
  // NextDocument until a non-503 answer, bounded; counts the 503s.
  Response next(const std::string& job, int* busy = nullptr) {
    for (int i = 0; i < 10; ++i) {
      Response r = get(job + "/NextDocument");
      if (r.status != 503) return r;
      if (busy) ++*busy;
      now += std::chrono::seconds(1);
    }
    ADD_FAILURE() << "NextDocument answered 503 ten times";
    return {};
  }
  std::string state() { return parse_xml(get("/eSCL/ScannerStatus").body).child_text(kPwg, "State").value_or(""); }
  std::string adf_state() {
    return parse_xml(get("/eSCL/ScannerStatus").body).child_text(kScan, "AdfState").value_or("");
  }
};

TEST_F(Escl, CapabilitiesDescribePlatenAdfAndDuplex) {
  const Response r = get("/eSCL/ScannerCapabilities");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Server"), "nginx");
  const auto caps = parse_xml(r.body);
  EXPECT_TRUE(caps.is(kScan, "ScannerCapabilities"));
  EXPECT_EQ(caps.child_text(kPwg, "Version").value_or(""), "2.63");
  EXPECT_EQ(caps.child_text(kPwg, "MakeAndModel").value_or(""), "HP Color LaserJet Pro M478f-9f");
  const auto* adf = caps.child(kScan, "Adf");
  ASSERT_NE(adf, nullptr);
  EXPECT_NE(adf->child(kScan, "AdfDuplexInputCaps"), nullptr);
  const auto* platen = caps.child(kScan, "Platen")->child(kScan, "PlatenInputCaps");
  const auto* prof = platen->find(kScan, "SettingProfile");
  ASSERT_NE(prof, nullptr);
  EXPECT_EQ(prof->find(kScan, "DiscreteResolutions")->children().size(), 7u);
  // The document keeps the scan:/pwg: prefixes for prefix-matching clients.
  EXPECT_NE(r.body.find("<scan:ScannerCapabilities"), std::string::npos);
  const auto tree = parse_xml(get("/DevMgmt/DiscoveryTree.xml").body);
  EXPECT_TRUE(tree.is("http://www.hp.com/schemas/imaging/con/ledm/2007/09/21", "DiscoveryTree"));
  EXPECT_NE(get("/DevMgmt/DiscoveryTree.xml").body.find("/eSCL/eSclManifest.xml"), std::string::npos);
  EXPECT_EQ(get("/eSCL/eSclManifest.xml").status, 200);
  EXPECT_EQ(get("/Scan/ScanCaps").status, 404);  // an eSCL-only device
}

TEST_F(Escl, PlatenJobWith503ThenPageThen404) {
  EXPECT_EQ(state(), "Idle");
  const Response created = post(settings("Platen", "RGB24", 100, 2550, 3300));
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.header("Location"), "/eSCL/ScanJobs/1001/");  // relative with trailing slash (profile)
  const std::string job = job_path(created.header("Location"));
  EXPECT_EQ(state(), "Processing");
  int busy = 0;
  const Response page = next(job, &busy);
  EXPECT_EQ(busy, 1);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "image/jpeg");
  const JpegHeights h = jpeg_heights(page.body);
  EXPECT_EQ(h.sof_height, 1100);  // DNL is for ADF pages only
  CheckSpec s;
  s.resolution = 100;
  EXPECT_TRUE(check_page(decode_jpeg(page.body), s).ok);
  // ScanImageInfo once per page.
  const auto info = parse_xml(get(job + "/ScanImageInfo").body);
  EXPECT_EQ(info.child_text(kScan, "ActualWidth").value_or(""), "850");
  EXPECT_EQ(info.child_text(kScan, "ActualHeight").value_or(""), "1100");
  EXPECT_EQ(info.child_text(kScan, "ActualBytesPerLine").value_or(""), "2550");
  EXPECT_EQ(get(job + "/ScanImageInfo").status, 404);
  EXPECT_EQ(get(job + "/NextDocument").status, 404);
  // The state lags: Processing for a while after the job completed, then Idle.
  EXPECT_EQ(state(), "Processing");
  now += std::chrono::milliseconds(1100);
  EXPECT_EQ(state(), "Idle");
  const auto status = parse_xml(get("/eSCL/ScannerStatus").body);
  const auto* info2 = status.find(kScan, "JobInfo");
  ASSERT_NE(info2, nullptr);
  EXPECT_EQ(info2->child_text(kPwg, "JobState").value_or(""), "Completed");
  EXPECT_EQ(info2->find(kPwg, "JobStateReason")->text(), "JobCompletedSuccessfully");
  EXPECT_EQ(info2->child_text(kPwg, "JobUri").value_or(""), job);
  // GET {JobUri} is 404 on HP; DELETE after completion is 200, then 410.
  EXPECT_EQ(get(job).status, 404);
  EXPECT_EQ(sim.handle(req("DELETE", job + "/"), now).status, 200);
  EXPECT_EQ(get(job + "/NextDocument").status, 410);
  EXPECT_EQ(sim.handle(req("DELETE", job), now).status, 410);
}

TEST_F(Escl, AdfDuplexJobWithDnlPagesAndAdfEmptyWhileStillProcessing) {
  EXPECT_EQ(adf_state(), "ScannerAdfLoaded");
  const Response created = post(settings("Feeder", "Grayscale8", 75, 2550, 3300, true));
  ASSERT_EQ(created.status, 201);
  const std::string job = job_path(created.header("Location"));
  for (int image = 1; image <= 6; ++image) {
    const Response r = next(job);
    ASSERT_EQ(r.status, 200) << image;
    const JpegHeights h = jpeg_heights(r.body);
    EXPECT_EQ(h.sof_height, 0xFFFF);
    EXPECT_EQ(h.dnl_height, 825);
    CheckSpec s;
    s.resolution = 75;
    s.mode = ColorMode::gray;
    s.page = (image + 1) / 2;
    s.side = image % 2 ? Side::front : Side::back;
    const CheckResult c = check_page(decode_jpeg(r.body), s);
    EXPECT_TRUE(c.ok) << image << ": " << c.message;
    if (image == 5) {
      // The last sheet's front is out: the feeder is empty although the job still runs.
      EXPECT_EQ(adf_state(), "ScannerAdfEmpty");
      EXPECT_EQ(state(), "Processing");
    }
  }
  EXPECT_EQ(get(job + "/NextDocument").status, 404);
  EXPECT_EQ(adf_state(), "ScannerAdfEmpty");
  EXPECT_EQ(post(settings("Feeder")).status, 503);  // still in the status lag
  now += std::chrono::seconds(2);
  EXPECT_EQ(post(settings("Feeder")).status, 409);  // empty feeder
}

TEST(EsclFeeder, AdfEmptyEarlyWhileTheLastSheetIsStillScanning) {
  SimConfig c = config("escl-adf-duplex", 2);
  c.profile.adf_empty_early = true;
  c.profile.busy_before_page = 2;
  Simulator sim(c);
  Clock::time_point now = Clock::now();
  auto adf = [&] {
    return parse_xml(sim.handle(req("GET", "/eSCL/ScannerStatus"), now).body)
        .child_text(kScan, "AdfState")
        .value_or("");
  };
  const Response created = sim.handle(req("POST", "/eSCL/ScanJobs", settings("Feeder", "RGB24", 75)), now);
  ASSERT_EQ(created.status, 201);
  const std::string job = job_path(created.header("Location"));
  EXPECT_EQ(adf(), "ScannerAdfLoaded");  // sheet 1 is in; sheet 2 waits
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 503);
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 503);
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 200);
  // Sheet 2 is pulled in as sheet 1 comes out: the feeder is empty, the job goes on, its page is 503.
  EXPECT_EQ(adf(), "ScannerAdfEmpty");
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 503);
  EXPECT_NE(sim.handle(req("GET", "/eSCL/ScannerStatus"), now).body.find("<pwg:State>Processing</pwg:State>"),
            std::string::npos);
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 503);
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 200);
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 404);
}

TEST(EsclFeeder, EmptyFeeder201Then404OrRefused409) {
  for (bool created_first : {true, false}) {
    SimConfig c = config("escl-adf-duplex", 0);
    c.profile.empty_feeder_404 = created_first;
    c.profile.busy_before_page = 0;
    Simulator sim(c);
    const auto now = Clock::now();
    const Response r = sim.handle(req("POST", "/eSCL/ScanJobs", settings("Feeder", "RGB24", 75)), now);
    if (!created_first) {
      EXPECT_EQ(r.status, 409);
      continue;
    }
    ASSERT_EQ(r.status, 201);
    EXPECT_EQ(sim.handle(req("GET", job_path(r.header("Location")) + "/NextDocument"), now).status, 404);
    const auto status = parse_xml(sim.handle(req("GET", "/eSCL/ScannerStatus"), now).body);
    const auto* info = status.find(kScan, "JobInfo");
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->child_text(kPwg, "JobState").value_or(""), "Completed");
  }
}

TEST(EsclFeeder, ShortSheetEndsThePageAndScanImageInfoSaysSo) {
  SimConfig c = config("escl-adf-duplex", 1);
  c.profile.sheet_height = 3300;  // Letter, in a feeder asked for 14 in
  c.profile.busy_before_page = 0;
  Simulator sim(c);
  const auto now = Clock::now();
  const Response created = sim.handle(req("POST", "/eSCL/ScanJobs", settings("Feeder", "RGB24", 75, 2550, 4200)), now);
  ASSERT_EQ(created.status, 201);
  const std::string job = job_path(created.header("Location"));
  const Response page = sim.handle(req("GET", job + "/NextDocument"), now);
  ASSERT_EQ(page.status, 200);
  const JpegHeights h = jpeg_heights(page.body);
  EXPECT_EQ(h.sof_height, 0xFFFF);  // this profile's ADF pages are HP DNL style
  EXPECT_EQ(h.dnl_height, 825);
  const auto info = parse_xml(sim.handle(req("GET", job + "/ScanImageInfo"), now).body);
  EXPECT_EQ(info.child_text(kScan, "ActualHeight").value_or(""), "825");
  EXPECT_EQ(info.child_text(kScan, "ActualWidth").value_or(""), "637");
}

TEST(EsclStates, TestingWhileWarmingUpAndDownForEver) {
  SimConfig c = config("escl-flatbed");
  c.profile.warmup_ms = 5000;
  Simulator sim(c);
  Clock::time_point now = Clock::now();
  auto state = [&] {
    return parse_xml(sim.handle(req("GET", "/eSCL/ScannerStatus"), now).body).child_text(kPwg, "State").value_or("");
  };
  EXPECT_EQ(state(), "Testing");  // powered on by this first request
  EXPECT_EQ(sim.handle(req("POST", "/eSCL/ScanJobs", settings("Platen", "RGB24", 200)), now).status, 503);
  now += std::chrono::milliseconds(5000);
  EXPECT_EQ(state(), "Idle");
  EXPECT_EQ(sim.handle(req("POST", "/eSCL/ScanJobs", settings("Platen", "RGB24", 200)), now).status, 201);

  SimConfig d = config("escl-flatbed");
  d.profile.down = true;
  Simulator down(d);
  now += std::chrono::hours(1);
  EXPECT_EQ(parse_xml(down.handle(req("GET", "/eSCL/ScannerStatus"), now).body).child_text(kPwg, "State").value_or(""),
            "Down");
  EXPECT_EQ(down.handle(req("POST", "/eSCL/ScanJobs", settings("Platen", "RGB24", 200)), now).status, 503);
}

TEST(EsclFeeder, Jam503AnswersBusyAndOnlyTheStatusTellsTheJam) {
  SimConfig c = config("escl-adf-duplex", 3);
  c.faults.add(Fault::adf_jam);
  c.profile.jam_503 = true;
  c.profile.busy_before_page = 0;
  Simulator sim(c);
  Clock::time_point now = Clock::now();
  const Response created = sim.handle(req("POST", "/eSCL/ScanJobs", settings("Feeder", "RGB24", 75)), now);
  ASSERT_EQ(created.status, 201);
  const std::string job = job_path(created.header("Location"));
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 200);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 503);
    now += std::chrono::seconds(1);
  }
  const auto status = parse_xml(sim.handle(req("GET", "/eSCL/ScannerStatus"), now).body);
  EXPECT_EQ(status.child_text(kScan, "AdfState").value_or(""), "ScannerAdfJam");
  const auto* info = status.find(kScan, "JobInfo");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->child_text(kPwg, "JobState").value_or(""), "Aborted");
}

TEST_F(Escl, DeleteCancelsAndRefusesJobsForAWhile) {
  const std::string job = job_path(post(settings("Feeder")).header("Location"));
  ASSERT_EQ(next(job).status, 200);
  EXPECT_EQ(sim.handle(req("DELETE", job), now).status, 200);
  const auto st = parse_xml(get("/eSCL/ScannerStatus").body);
  EXPECT_EQ(st.find(kScan, "JobInfo")->child_text(kPwg, "JobState").value_or(""), "Canceled");
  EXPECT_EQ(st.find(kPwg, "JobStateReason")->text(), "JobCanceledByUser");
  EXPECT_EQ(get(job + "/NextDocument").status, 410);
  EXPECT_EQ(post(settings("Platen")).status, 503);
  now += std::chrono::seconds(2);
  EXPECT_EQ(post(settings("Platen")).status, 201);
}

TEST_F(Escl, JobHistoryIsNewestFirst) {
  for (int i = 0; i < 3; ++i) {
    const std::string job = job_path(post(settings("Platen")).header("Location"));
    ASSERT_EQ(next(job).status, 200);
    now += std::chrono::seconds(2);
  }
  const auto st = parse_xml(get("/eSCL/ScannerStatus").body);
  const auto infos = st.child(kScan, "Jobs")->children(kScan, "JobInfo");
  ASSERT_EQ(infos.size(), 3u);
  EXPECT_EQ(infos[0]->child_text(kPwg, "JobUri").value_or(""), "/eSCL/ScanJobs/1003");
  EXPECT_EQ(infos[2]->child_text(kPwg, "JobUri").value_or(""), "/eSCL/ScanJobs/1001");
  EXPECT_EQ(infos[2]->child_text(kScan, "Age").value_or(""), "8");
}

TEST_F(Escl, SettingsOutsideTheCapabilitiesAre409And400) {
  EXPECT_EQ(post(settings("Platen", "RGB24", 123)).status, 409);
  EXPECT_EQ(post(settings("Feeder", "RGB24", 600)).status, 409);                    // ADF max 300
  EXPECT_EQ(post(settings("Feeder", "RGB24", 100, 2550, 4200, true)).status, 409);  // duplex max 3508
  EXPECT_EQ(post(settings("Platen", "RGB24", 100, 2550, 3300, true)).status, 409);  // duplex on platen
  EXPECT_EQ(post(settings("Platen", "BlackAndWhite1")).status, 409);
  EXPECT_EQ(post(settings("Platen", "RGB24", 100, 2550, 3300, false, 100)).status, 409);
  EXPECT_EQ(post(settings("Camera")).status, 409);
  EXPECT_EQ(post("<scan:ScanSettings").status, 400);
  EXPECT_EQ(post("<a xmlns=\"urn:x\"/>").status, 400);
  EXPECT_EQ(post(settings("Platen", "RGB24", 100, 2550, 3300, false, 0, 0, "urn:not-escl")).status, 400);
  EXPECT_EQ(state(), "Idle");
}

TEST_F(Escl, SettingsMatchedByNamespaceWithOtherPrefixesAndOrder) {
  const std::string body =
      "<e:ScanSettings xmlns:e=\"http://schemas.hp.com/imaging/escl/2011/05/03\" "
      "xmlns:p=\"http://www.pwg.org/schemas/2010/12/sm\"><e:YResolution>150</e:YResolution>"
      "<e:ColorMode>Grayscale8</e:ColorMode><e:XResolution>150</e:XResolution>"
      "<p:InputSource>Platen</p:InputSource><p:ScanRegions><p:ScanRegion><p:Height>600</p:Height>"
      "<p:Width>900</p:Width><p:XOffset>30</p:XOffset><p:YOffset>60</p:YOffset></p:ScanRegion>"
      "</p:ScanRegions></e:ScanSettings>";
  const Response created = post(body);
  ASSERT_EQ(created.status, 201);
  const Response page = next(job_path(created.header("Location")));
  const Raster img = decode_jpeg(page.body);
  EXPECT_EQ(img.width, 450);
  EXPECT_EQ(img.height, 300);
  EXPECT_EQ(img.channels, 1);
}

TEST_F(Escl, AbandonedJobIsAbortedAfter30Seconds) {
  const std::string job = job_path(post(settings("Platen")).header("Location"));
  now += std::chrono::seconds(31);
  EXPECT_EQ(state(), "Processing");  // the lag after the abort
  now += std::chrono::seconds(2);
  EXPECT_EQ(state(), "Idle");
  const auto st = parse_xml(get("/eSCL/ScannerStatus").body);
  EXPECT_EQ(st.find(kScan, "JobInfo")->child_text(kPwg, "JobState").value_or(""), "Aborted");
  EXPECT_EQ(get(job + "/NextDocument").status, 500);
  EXPECT_EQ(post(settings("Platen")).status, 201);
}

struct EsclFlatbed : Escl {
  EsclFlatbed() : Escl("escl-flatbed") {}
};

TEST_F(EsclFlatbed, AbsoluteLocationNamesTheDeviceAndNoAdf) {
  const Response created = post(settings("Platen", "RGB24", 200));
  ASSERT_EQ(created.status, 201);
  const std::string loc = created.header("Location");
  EXPECT_EQ(loc.rfind("http://127.0.0.1:8080/eSCL/ScanJobs/5a1e", 0), 0u) << loc;
  EXPECT_EQ(adf_state(), "");
  EXPECT_EQ(post(settings("Feeder", "RGB24", 200)).status, 503);  // busy with the first job
}

TEST(EsclLocation, EveryShapeSeenInTheField) {
  const std::pair<LocationStyle, std::string> cases[] = {
      {LocationStyle::absolute, "http://10.0.0.5:8080/eSCL/ScanJobs/5a1e0001-"},
      {LocationStyle::absolute_port80, "http://10.0.0.5:80/eSCL/ScanJobs/5a1e0001-"},
      {LocationStyle::relative_slash, "/eSCL/ScanJobs/1001/"},
      {LocationStyle::relative, "/eSCL/ScanJobs/1001"},
      {LocationStyle::bogus_host, "http://SIMM28C03.03f011b0.hpLedmUSB/eSCL/ScanJobs/5a1e0001-"},
  };
  for (const auto& [style, prefix] : cases) {
    SimConfig c = config("escl-flatbed");
    c.profile.location = style;
    c.profile.busy_before_page = 0;
    c.authority = "10.0.0.5:8080";  // the device's address; the client's Host is not echoed
    Simulator sim(c);
    const auto now = Clock::now();
    const Response r =
        sim.handle(req("POST", "/eSCL/ScanJobs", settings("Platen", "RGB24", 300), {{"Host", "localhost"}}), now);
    ASSERT_EQ(r.status, 201);
    const std::string loc = r.header("Location");
    EXPECT_EQ(loc.rfind(prefix, 0), 0u) << location_style_name(style) << ": " << loc;
    if (style == LocationStyle::absolute) {
      // A device on port 80 leaves it out.
      c.authority = "10.0.0.5:80";
      Simulator on80(c);
      const Response r80 = on80.handle(req("POST", "/eSCL/ScanJobs", settings("Platen", "RGB24", 300)), now);
      EXPECT_EQ(r80.header("Location").rfind("http://10.0.0.5/eSCL/ScanJobs/5a1e0001-", 0), 0u)
          << r80.header("Location");
    }
    // Whatever the shape, the path works for NextDocument.
    EXPECT_EQ(sim.handle(req("GET", job_path(loc) + "/NextDocument"), now).status, 200) << loc;
  }
}

TEST(EsclEnterprise, JobsOnlyWithHostLocalhost) {
  Simulator sim(config("escl-enterprise"));
  const auto now = Clock::now();
  EXPECT_EQ(sim.handle(req("GET", "/eSCL/ScannerCapabilities"), now).header("Server"), "HP_Compact_Server");
  EXPECT_EQ(sim.handle(req("POST", "/eSCL/ScanJobs", settings("Platen"), {{"Host", "127.0.0.1:8080"}}), now).status,
            403);
  const Response ok = sim.handle(req("POST", "/eSCL/ScanJobs", settings("Platen"), {{"Host", "localhost"}}), now);
  EXPECT_EQ(ok.status, 201);
  // The device's own address, not the Host the client sent.
  EXPECT_EQ(ok.header("Location").rfind("http://127.0.0.1:8080/eSCL/ScanJobs/", 0), 0u) << ok.header("Location");
}

TEST(EsclLegacy, OldNamespaceVersionAndNoSettingProfiles) {
  Simulator sim(config("escl-legacy"));
  const auto now = Clock::now();
  const Response r = sim.handle(req("GET", "/eSCL/ScannerCapabilities"), now);
  const auto caps = parse_xml(r.body);
  const char* legacy = "http://schemas.hp.com/imaging/escl/2011/02/08";
  const char* pwg_hp = "http://www.hp.com/schemas/imaging/con/pwg/sm/1.0/";
  EXPECT_TRUE(caps.is(legacy, "ScannerCapabilities"));
  EXPECT_EQ(caps.child_text(pwg_hp, "Version").value_or(""), "1.0");
  EXPECT_EQ(caps.find(legacy, "SettingProfiles"), nullptr);
  EXPECT_NE(caps.find(legacy, "ColorReferences"), nullptr);
  EXPECT_NE(r.body.find("pwg2:Version"), std::string::npos);
  const Response created =
      sim.handle(req("POST", "/eSCL/ScanJobs", settings("Platen", "RGB24", 150, 2550, 3300, false, 0, 0, legacy)), now);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.header("Location"), "/eSCL/ScanJobs/1001");
}

}  // namespace

namespace {

TEST(EsclBufferInfo, EchoesSettingsAndImageSize) {
  Simulator sim(config("escl-adf-duplex"));
  const auto now = Clock::now();
  const Response r = sim.handle(
      req("PUT", "/eSCL/ScanBufferInfo", settings("Platen", "Grayscale8", 150, 1200, 900, false, 30, 60)), now);
  ASSERT_EQ(r.status, 200);
  const auto doc = parse_xml(r.body);
  EXPECT_TRUE(doc.is(kScan, "ScanBufferInfo"));
  EXPECT_EQ(doc.child_text(kScan, "ImageWidth").value_or(""), "600");
  EXPECT_EQ(doc.child_text(kScan, "ImageHeight").value_or(""), "450");
  EXPECT_EQ(doc.child_text(kScan, "BytesPerLine").value_or(""), "600");
  EXPECT_EQ(doc.find(kPwg, "XOffset")->text(), "30");
  EXPECT_EQ(sim.handle(req("PUT", "/eSCL/ScanBufferInfo", settings("Platen", "RGB24", 123)), now).status, 409);
  EXPECT_EQ(sim.handle(req("PUT", "/eSCL/ScanBufferInfo", "<bad"), now).status, 400);
  EXPECT_EQ(sim.handle(req("GET", "/eSCL/ScanBufferInfo"), now).status, 405);
  // It creates no job.
  EXPECT_EQ(sim.escl().find_job("1001"), nullptr);
}

}  // namespace
