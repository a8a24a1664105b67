// The LEDM job state machine of hpaio-sim, driven the way HPLIP's hpaio drives it.
#include <gtest/gtest.h>

#include "sim_test_util.hpp"
#include "tests/sim/core/ledm_device.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/image/image_io.hpp"
#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/image/page_check.hpp"

using namespace hpsim;
using simtest::config;
using simtest::parse_xml;
using simtest::req;

namespace {

constexpr const char* kScan = "http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19";
constexpr const char* kJobs = "http://www.hp.com/schemas/imaging/con/ledm/jobs/2009/04/30";

std::string settings(const std::string& source, const std::string& color = "Color", const std::string& format = "Raw",
                     int res = 100, int w = 2550, int h = 3300, bool duplex = false, int x = 0, int y = 0) {
  // Shaped like HPLIP's CREATE_SCAN_JOB_REQUEST, trailer included.
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ScanSettings xmlns=\"") + kScan + "\"><XResolution>" +
         std::to_string(res) + "</XResolution><YResolution>" + std::to_string(res) + "</YResolution><XStart>" +
         std::to_string(x) + "</XStart><Width>" + std::to_string(w) + "</Width><YStart>" + std::to_string(y) +
         "</YStart><Height>" + std::to_string(h) + "</Height><Format>" + format +
         "</Format><CompressionQFactor>0</CompressionQFactor><ColorSpace>" + color +
         "</ColorSpace><BitDepth>8</BitDepth><InputSource>" + source + "</InputSource><InputSourceType>" + source +
         "</InputSourceType>" + (duplex ? "<AdfOptions><AdfOption>Duplex</AdfOption></AdfOptions>" : "") +
         "<GrayRendering>NTSC</GrayRendering><ContentType>Photo</ContentType></ScanSettings>\r\n0\r\n\r\n";
}

struct Ledm : ::testing::Test {
  explicit Ledm(const std::string& profile = "ledm-adf-duplex", int pages = 3) : sim(config(profile, pages)) {}
  Simulator sim;
  Clock::time_point now = Clock::now();
  Response get(const std::string& t) { return sim.handle(req("GET", t), now); }
  Response post(const std::string& body) { return sim.handle(req("POST", "/Scan/Jobs", body), now); }
  std::string status() { return get("/Scan/Status").body; }
  // Polls the job until ReadyToUpload (bounded), returns the BinaryURL.
  std::string wait_ready(const std::string& job, int* polls = nullptr) {
    for (int i = 0; i < 20; ++i) {
      const Response r = get(job);
      EXPECT_EQ(r.status, 200);
      if (polls) ++*polls;
      const auto doc = parse_xml(r.body);
      const auto* pre = doc.find(kScan, "PreScanPage");
      if (pre == nullptr) return {};
      if (pre->child_text(kScan, "PageState").value_or("") == "ReadyToUpload") {
        return pre->child_text(kScan, "BinaryURL").value_or("");
      }
    }
    ADD_FAILURE() << "job never became ReadyToUpload";
    return {};
  }
};

TEST_F(Ledm, ScanCapsIsCompactAndInHplipOrder) {
  const Response r = get("/Scan/ScanCaps");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.framing, Framing::chunked);
  EXPECT_LT(r.body.size(), 8192u);  // HPLIP's buffer
  EXPECT_EQ(r.body.find('\n'), std::string::npos);
  const auto caps = parse_xml(r.body);
  EXPECT_TRUE(caps.is(kScan, "ScanCaps"));
  const auto* adf = caps.child(kScan, "Adf");
  ASSERT_NE(adf, nullptr);
  // HPLIP detects the duplexer only when AdfDuplexer follows FeederCapacity directly.
  const auto& kids = adf->children();
  ASSERT_GE(kids.size(), 3u);
  EXPECT_EQ(kids[1].name(), "FeederCapacity");
  EXPECT_EQ(kids[2].name(), "AdfDuplexer");
  const auto* isc = caps.child(kScan, "Platen")->child(kScan, "InputSourceCaps");
  const char* order[] = {"MinWidth", "MinHeight", "MaxWidth", "MaxHeight", "RiskyLeftMargin"};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(isc->children()[static_cast<std::size_t>(i)].name(), order[i]);
  EXPECT_EQ(r.header("Server").rfind("HP HTTP Server;", 0), 0u);
}

TEST_F(Ledm, DiscoveryTreeNamesLedm) {
  const Response r = get("/DevMgmt/DiscoveryTree.xml");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("/Scan/ScanJobManifest.xml"), std::string::npos);
  EXPECT_EQ(r.body.find("/eSCL/eSclManifest.xml"), std::string::npos);
  parse_xml(r.body);
}

TEST_F(Ledm, FlatbedJobFromPostToCompleted) {
  EXPECT_NE(status().find("<ScannerState>Idle</ScannerState>"), std::string::npos);
  const Response created = post(settings("Platen", "Color", "Raw", 100, 2550, 3300));
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.header("Location"), "http://127.0.0.1:8080/Jobs/JobList/1");
  EXPECT_NE(status().find("BusyWithScanJob"), std::string::npos);
  int polls = 0;
  const std::string url = wait_ready("http://127.0.0.1:8080/Jobs/JobList/1", &polls);
  EXPECT_EQ(url, "/Scan/Jobs/1/Pages/1");
  EXPECT_LT(url.size(), 30u);  // HPLIP's BinaryURL buffer
  EXPECT_EQ(polls, 3);         // 2 PreparingScan polls in this profile, then ReadyToUpload
  const Response page = get(url);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "application/octet-stream");
  EXPECT_LE(page.chunk_size, 32768u);
  EXPECT_EQ(page.body.size(), 850u * 1100u * 3u);
  Raster img{850, 1100, 3, page.body};
  CheckSpec s;
  s.resolution = 100;
  EXPECT_TRUE(check_page(img, s).ok);
  const auto done = parse_xml(get("/Jobs/JobList/1").body);
  EXPECT_EQ(done.child_text(kJobs, "JobState").value_or(""), "Completed");
  EXPECT_EQ(done.find(kScan, "PreScanPage"), nullptr);  // HPLIP: no PreScanPage -> end of job
  EXPECT_EQ(done.find(kScan, "TotalLines")->text(), "1100");
  EXPECT_NE(status().find("<ScannerState>Idle</ScannerState>"), std::string::npos);
  // The page is gone once uploaded; HPLIP's closing PUT is still answered 200.
  EXPECT_EQ(get(url).status, 404);
  const std::string cancel = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<j:Job xmlns:j=\"") + kJobs +
                             "\"><j:JobState>Canceled</j:JobState></j:Job>";
  EXPECT_EQ(sim.handle(req("PUT", "http://127.0.0.1:8080/Jobs/JobList/1", cancel), now).status, 200);
}

TEST_F(Ledm, JpegPageDecodesToTheRequestedWindow) {
  ASSERT_EQ(post(settings("Platen", "Gray", "Jpeg", 150, 1180, 1417, false, 236, 354)).status, 201);
  const Response page = get(wait_ready("/Jobs/JobList/1"));
  EXPECT_EQ(page.header("Content-Type"), "image/jpeg");
  const Raster img = decode_jpeg(page.body);
  EXPECT_EQ(img.width, 590);
  EXPECT_EQ(img.height, 708);
  CheckSpec s;
  s.resolution = 150;
  s.mode = ColorMode::gray;
  s.tl_x_mm = 236 * 25.4 / 300;
  s.tl_y_mm = 354 * 25.4 / 300;
  const CheckResult c = check_page(img, s);
  EXPECT_TRUE(c.ok) << c.message;
}

TEST_F(Ledm, AdfBatchOfThreeThenNoPreScanPage) {
  EXPECT_NE(status().find("<AdfState>Loaded</AdfState>"), std::string::npos);
  ASSERT_EQ(post(settings("Adf", "Gray", "Raw", 75, 2550, 4200)).status, 201);
  for (int page = 1; page <= 3; ++page) {
    // HPLIP checks /Scan/Status before every ADF page: Loaded, or Empty while busy.
    const std::string st = status();
    EXPECT_TRUE(st.find("Loaded") != std::string::npos || st.find("BusyWithScanJob") != std::string::npos) << st;
    const std::string url = wait_ready("/Jobs/JobList/1");
    EXPECT_EQ(url, "/Scan/Jobs/1/Pages/" + std::to_string(page));
    const Response img = get(url);
    ASSERT_EQ(img.status, 200);
    CheckSpec s;
    s.resolution = 75;
    s.mode = ColorMode::gray;
    s.page = page;
    EXPECT_TRUE(check_page(Raster{637, 1050, 1, img.body}, s).ok) << "page " << page;
    if (page < 3) {
      const auto doc = parse_xml(get("/Jobs/JobList/1").body);
      EXPECT_NE(doc.find(kScan, "PostScanPage"), nullptr);
      EXPECT_NE(doc.find(kScan, "PreScanPage"), nullptr);
    }
  }
  // After the last sheet: Idle + Empty (HPLIP -> "Document feeder out of documents").
  EXPECT_NE(status().find("<ScannerState>Idle</ScannerState><AdfState>Empty</AdfState>"), std::string::npos);
  EXPECT_EQ(wait_ready("/Jobs/JobList/1"), "");                                 // Completed, no PreScanPage
  EXPECT_EQ(post(settings("Adf", "Gray", "Raw", 75, 2550, 4200)).status, 409);  // empty feeder
}

TEST_F(Ledm, DuplexGivesFrontsAndBacks) {
  ASSERT_EQ(post(settings("Adf", "Color", "Jpeg", 75, 2550, 3300, true)).status, 201);
  for (int image = 1; image <= 6; ++image) {
    const Response r = get(wait_ready("/Jobs/JobList/1"));
    ASSERT_EQ(r.status, 200);
    CheckSpec s;
    s.resolution = 75;
    s.page = (image + 1) / 2;
    s.side = image % 2 == 1 ? Side::front : Side::back;
    const CheckResult c = check_page(decode_jpeg(r.body), s);
    EXPECT_TRUE(c.ok) << "image " << image << ": " << c.message;
  }
  EXPECT_EQ(wait_ready("/Jobs/JobList/1"), "");
}

TEST_F(Ledm, DuplexTallerThanTheDuplexerIs409) {
  EXPECT_EQ(post(settings("Adf", "Color", "Raw", 75, 2550, 4200, true)).status, 409);
  EXPECT_EQ(post(settings("Adf", "Color", "Raw", 75, 2550, 4200, false)).status, 201);
}

TEST_F(Ledm, SettingsOutsideTheCapabilities) {
  EXPECT_EQ(post(settings("Platen", "Color", "Raw", 123)).status, 409);                         // resolution
  EXPECT_EQ(post(settings("Adf", "Color", "Raw", 600)).status, 409);                            // ADF max 300
  EXPECT_EQ(post(settings("Platen", "Color", "Raw", 100, 2600)).status, 409);                   // too wide
  EXPECT_EQ(post(settings("Platen", "Color", "Raw", 100, 2550, 3300, false, 10)).status, 409);  // x + w > max
  EXPECT_EQ(post(settings("Platen", "Purple")).status, 409);
  EXPECT_EQ(post(settings("Platen", "Color", "Pdf")).status, 409);
  EXPECT_EQ(post(settings("Camera")).status, 409);
  EXPECT_EQ(post("<ScanSettings").status, 400);
  EXPECT_EQ(post("<ScanSettings xmlns=\"urn:wrong\"><XResolution>100</XResolution></ScanSettings>").status, 400);
  EXPECT_EQ(post(std::string("<ScanSettings xmlns=\"") + kScan + "\"/>").status, 400);
  EXPECT_FALSE(sim.ledm().job_active());
}

TEST_F(Ledm, SettingsAreMatchedByNamespaceNotPrefix) {
  const std::string body = std::string("<s:ScanJob xmlns:s=\"") + kScan +
                           "\"><s:Height>1200</s:Height><s:ColorSpace>Gray</s:ColorSpace><s:XResolution>75"
                           "</s:XResolution><s:Width>1200</s:Width><s:Format>Jpeg</s:Format></s:ScanJob>";
  ASSERT_EQ(post(body).status, 201);
  const auto* job = sim.ledm().job(1);
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(job->params.mode, ColorMode::gray);
  EXPECT_EQ(job->params.width, 1200);
  EXPECT_EQ(job->params.source, Source::platen);
}

TEST_F(Ledm, SecondJobWhileBusyIs409AndCancelFreesTheScanner) {
  ASSERT_EQ(post(settings("Platen")).status, 201);
  EXPECT_EQ(post(settings("Platen")).status, 409);
  const std::string cancel = std::string("<j:Job xmlns:j=\"") + kJobs + "\"><j:JobState>Canceled</j:JobState></j:Job>";
  EXPECT_EQ(sim.handle(req("PUT", "/Jobs/JobList/1", cancel), now).status, 200);
  const auto doc = parse_xml(get("/Jobs/JobList/1").body);
  EXPECT_EQ(doc.child_text(kJobs, "JobState").value_or(""), "Canceled");
  EXPECT_EQ(doc.find(kScan, "PageState")->text(), "CanceledByClient");
  EXPECT_NE(status().find("Idle"), std::string::npos);
  EXPECT_EQ(post(settings("Platen")).status, 201);
  EXPECT_EQ(sim.handle(req("PUT", "/Jobs/JobList/9", cancel), now).status, 404);
  EXPECT_EQ(sim.handle(req("PUT", "/Jobs/JobList/1", "<junk"), now).status, 400);
}

TEST_F(Ledm, UnknownJobsAndPaths) {
  EXPECT_EQ(get("/Jobs/JobList/77").status, 404);
  EXPECT_EQ(get("/Scan/Jobs/77/Pages/1").status, 404);
  EXPECT_EQ(get("/Nope").status, 404);
  EXPECT_EQ(get("/eSCL/ScannerCapabilities").status, 404);  // an LEDM-only device
  EXPECT_EQ(sim.handle(req("DELETE", "/Scan/Status"), now).status, 405);
}

TEST(LedmLocation, NamesTheDevicesOwnAddressNotTheClientsHost) {
  SimConfig c = config("ledm-adf-duplex");
  c.authority = "[::1]:8080";
  Simulator sim(c);
  const Response r = sim.handle(req("POST", "/Scan/Jobs", settings("Platen"), {{"Host", "localhost"}}), Clock::now());
  EXPECT_EQ(r.header("Location"), "http://[::1]:8080/Jobs/JobList/1");
}

TEST_F(Ledm, AbandonedJobIsDroppedAfter30Seconds) {
  ASSERT_EQ(post(settings("Platen")).status, 201);
  now += std::chrono::seconds(20);
  EXPECT_EQ(get("/Jobs/JobList/1").status, 200);  // still being polled
  now += std::chrono::seconds(20);
  EXPECT_NE(status().find("BusyWithScanJob"), std::string::npos);
  EXPECT_EQ(post(settings("Platen")).status, 409);
  now += std::chrono::seconds(31);  // nobody asked about job 1 for 31 s
  EXPECT_NE(status().find("Idle"), std::string::npos);
  const auto doc = parse_xml(get("/Jobs/JobList/1").body);
  EXPECT_EQ(doc.child_text(kJobs, "JobState").value_or(""), "Canceled");
  EXPECT_EQ(post(settings("Platen")).status, 201);
}

struct LedmFlatbed : Ledm {
  LedmFlatbed() : Ledm("ledm-flatbed") {}
};

TEST_F(LedmFlatbed, NoAdfAnywhere) {
  EXPECT_EQ(status().find("AdfState"), std::string::npos);
  const auto caps = parse_xml(get("/Scan/ScanCaps").body);
  EXPECT_EQ(caps.child(kScan, "Adf"), nullptr);
  EXPECT_EQ(post(settings("Adf", "Color", "Raw", 75)).status, 409);
}

}  // namespace
