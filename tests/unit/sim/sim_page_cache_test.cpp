// --page-cache of hpaio-sim: an identical scan is served from memory, byte for byte; any
// setting, sheet or side that changes the page is a different entry; faults still apply.
#include <gtest/gtest.h>

#include "sim_test_util.hpp"
#include "tests/sim/core/page_cache.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/image/jpeg_codec.hpp"

using namespace hpsim;
using simtest::config;
using simtest::req;

namespace {

// One scan request, written in either protocol's ScanSettings.
struct Settings {
  std::string source = "Platen";  // Platen or Feeder/Adf
  bool gray = false;
  int res = 75;
  int x = 0, width = 1200, height = 1200;
  bool duplex = false;
};

std::string escl_settings(const Settings& s) {
  return "<scan:ScanSettings xmlns:scan=\"http://schemas.hp.com/imaging/escl/2011/05/03\" "
         "xmlns:pwg=\"http://www.pwg.org/schemas/2010/12/sm\"><pwg:InputSource>" +
         s.source + "</pwg:InputSource><scan:ColorMode>" + (s.gray ? "Grayscale8" : "RGB24") +
         "</scan:ColorMode>"
         "<scan:XResolution>" +
         std::to_string(s.res) + "</scan:XResolution><scan:YResolution>" + std::to_string(s.res) +
         "</scan:YResolution><pwg:ScanRegions><pwg:ScanRegion><pwg:XOffset>" + std::to_string(s.x) +
         "</pwg:XOffset><pwg:Width>" + std::to_string(s.width) + "</pwg:Width><pwg:Height>" + std::to_string(s.height) +
         "</pwg:Height></pwg:ScanRegion></pwg:ScanRegions>" + (s.duplex ? "<scan:Duplex>true</scan:Duplex>" : "") +
         "</scan:ScanSettings>";
}

std::string ledm_settings(const Settings& s) {
  return std::string(
             "<ScanSettings xmlns=\"http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19\">"
             "<XResolution>") +
         std::to_string(s.res) + "</XResolution><YResolution>" + std::to_string(s.res) + "</YResolution><XStart>" +
         std::to_string(s.x) + "</XStart><Width>" + std::to_string(s.width) + "</Width><Height>" +
         std::to_string(s.height) + "</Height><Format>Jpeg</Format><ColorSpace>" + (s.gray ? "Gray" : "Color") +
         "</ColorSpace><InputSource>" + s.source + "</InputSource></ScanSettings>";
}

SimConfig cached(const std::string& profile, int pages = 3) {
  SimConfig c = config(profile, pages);
  c.page_cache = true;
  c.profile.busy_before_page = 0;
  c.profile.status_lag_ms = 0;
  c.profile.ledm_prepare_polls = 0;
  return c;
}

// Drives one job of a device through its protocol and returns its image responses.
struct Scanner {
  explicit Scanner(SimConfig c) : sim(std::move(c)) {}
  Simulator sim;
  Clock::time_point now = Clock::now();

  std::vector<Response> scan(const Settings& s, int images = 1) {
    now += std::chrono::seconds(5);  // past any state lag of the previous job
    std::vector<Response> out;
    if (sim.config().profile.protocol == Protocol::escl) {
      const Response created = sim.handle(req("POST", "/eSCL/ScanJobs", escl_settings(s)), now);
      EXPECT_EQ(created.status, 201) << created.body;
      std::string job = created.header("Location");
      if (job.starts_with("http://")) job = job.substr(job.find('/', 7));
      if (job.ends_with("/")) job.pop_back();
      for (int i = 0; i < images; ++i) out.push_back(sim.handle(req("GET", job + "/NextDocument"), now));
      return out;
    }
    const Response created = sim.handle(req("POST", "/Scan/Jobs", ledm_settings(s)), now);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string loc = created.header("Location");
    const std::string id = loc.substr(loc.rfind('/') + 1);
    for (int page = 1; page <= images; ++page) {
      EXPECT_EQ(sim.handle(req("GET", "/Jobs/JobList/" + id), now).status, 200);
      out.push_back(sim.handle(req("GET", "/Scan/Jobs/" + id + "/Pages/" + std::to_string(page)), now));
    }
    return out;
  }
  Response page(const Settings& s) { return scan(s).front(); }
};

const char* kProfiles[] = {"escl-adf-duplex", "ledm-flatbed"};

TEST(SimPageCache, OffByDefaultAndRendersEveryPage) {
  EXPECT_FALSE(SimConfig{}.page_cache);
  SimConfig c = cached("escl-adf-duplex");
  c.page_cache = false;
  Scanner s(c);
  const Response a = s.page({});
  const Response b = s.page({});
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body, b.body);  // the pattern is deterministic either way
  EXPECT_EQ(s.sim.page_cache().pages(), 0u);
  EXPECT_EQ(s.sim.page_cache().hits(), 0u);
}

TEST(SimPageCache, SecondIdenticalScanComesFromTheCacheByteForByte) {
  for (const char* p : kProfiles) {
    Scanner s(cached(p));
    const Response first = s.page({});
    ASSERT_EQ(first.status, 200) << p;
    EXPECT_NO_THROW(decode_jpeg(first.body)) << p;
    EXPECT_EQ(s.sim.page_cache().pages(), 1u) << p;
    EXPECT_EQ(s.sim.page_cache().hits(), 0u) << p;
    const Response second = s.page({});
    ASSERT_EQ(second.status, 200) << p;
    EXPECT_EQ(s.sim.page_cache().hits(), 1u) << p;
    EXPECT_EQ(s.sim.page_cache().pages(), 1u) << p;
    EXPECT_EQ(second.body, first.body) << p;
    EXPECT_EQ(second.header("Content-Type"), first.header("Content-Type")) << p;
    EXPECT_EQ(s.sim.page_cache().bytes(), first.body.size()) << p;
  }
}

TEST(SimPageCache, EverySettingThatChangesThePageIsItsOwnEntry) {
  for (const char* p : kProfiles) {
    Scanner s(cached(p));
    const Response base = s.page({});
    ASSERT_EQ(base.status, 200) << p;
    Settings gray;
    gray.gray = true;
    Settings res;
    res.res = 100;
    Settings offset;
    offset.x = 120;  // one pattern cell to the right: same size, other content
    Settings taller;
    taller.height = 1320;
    std::size_t entries = 1;
    for (const Settings& v : {gray, res, offset, taller}) {
      const Response r = s.page(v);
      ASSERT_EQ(r.status, 200) << p;
      EXPECT_NE(r.body, base.body) << p;
      EXPECT_EQ(s.sim.page_cache().hits(), 0u) << p << ": a different setting was served from the cache";
      EXPECT_EQ(s.sim.page_cache().pages(), ++entries) << p;
    }
    // And each of them again: all from the cache, each the same as before.
    EXPECT_EQ(s.page(gray).body, s.page(gray).body);
    EXPECT_EQ(s.page({}).body, base.body) << p;
    EXPECT_EQ(s.sim.page_cache().pages(), entries) << p;
    EXPECT_EQ(s.sim.page_cache().hits(), 3u) << p;
  }
}

TEST(SimPageCache, SheetsAndSidesAreTheirOwnEntries) {
  Scanner s(cached("escl-adf-duplex", 2));
  Settings adf;
  adf.source = "Feeder";
  adf.duplex = true;
  const auto images = s.scan(adf, 4);  // sheet 1 front/back, sheet 2 front/back
  ASSERT_EQ(images.size(), 4u);
  for (std::size_t i = 0; i < images.size(); ++i) {
    ASSERT_EQ(images[i].status, 200) << i;
    for (std::size_t j = 0; j < i; ++j) EXPECT_NE(images[i].body, images[j].body) << i << " vs " << j;
  }
  EXPECT_EQ(s.sim.page_cache().pages(), 4u);
  EXPECT_EQ(s.sim.page_cache().hits(), 0u);
}

TEST(SimPageCache, KeyHoldsEverySettingSheetSideAndDnl) {
  ScanParams p;
  const PageKey base = page_key(Protocol::escl, p, 1, false);
  EXPECT_EQ(base, page_key(Protocol::escl, p, 1, false));
  EXPECT_NE(base, page_key(Protocol::ledm, p, 1, false));
  EXPECT_NE(base, page_key(Protocol::escl, p, 2, false));  // sheet 2
  EXPECT_NE(base, page_key(Protocol::escl, p, 1, true));   // DNL
  const auto differs = [&](auto change) {
    ScanParams q;
    change(q);
    return page_key(Protocol::escl, q, 1, false) != base;
  };
  EXPECT_TRUE(differs([](ScanParams& q) { q.source = Source::adf; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.duplex = true; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.xres = 600; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.yres = 600; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.x = 1; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.y = 1; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.width = 1; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.height = 1; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.mode = ColorMode::lineart; }));
  EXPECT_TRUE(differs([](ScanParams& q) { q.format = Format::raw; }));
  ScanParams duplex;
  duplex.duplex = true;
  EXPECT_NE(page_key(Protocol::escl, duplex, 1, false).side, page_key(Protocol::escl, duplex, 2, false).side);
  EXPECT_EQ(page_key(Protocol::escl, duplex, 1, false).sheet, page_key(Protocol::escl, duplex, 2, false).sheet);
}

TEST(SimPageCache, FaultsApplyToCachedPages) {
  for (const char* p : kProfiles) {
    SimConfig c = cached(p);
    c.faults.add(Fault::truncated_jpeg);
    Scanner s(c);
    const Response first = s.page({});
    const Response second = s.page({});
    ASSERT_EQ(second.status, 200) << p;
    EXPECT_EQ(s.sim.page_cache().hits(), 1u) << p;
    // Both cut to half of the whole page: the cache keeps the page, not the faulted body.
    EXPECT_EQ(second.body, first.body) << p;
    EXPECT_EQ(s.sim.page_cache().bytes() / 2, second.body.size()) << p;
    EXPECT_FALSE(second.body.ends_with("\xFF\xD9")) << p;
    EXPECT_THROW(decode_jpeg(second.body), std::runtime_error) << p;
  }
  SimConfig c = cached("escl-adf-duplex");
  c.faults.add(Fault::reset_mid_image);
  Scanner s(c);
  s.page({});
  const Response again = s.page({});
  EXPECT_EQ(s.sim.page_cache().hits(), 1u);
  ASSERT_TRUE(again.delivery.reset_after);
  EXPECT_EQ(*again.delivery.reset_after, again.body.size() / 2);
}

TEST(SimPageCache, PagesBeyondTheLimitAreServedButNotKept) {
  PageCache cache(true, 1);  // room for nothing
  ScanParams p;
  p.xres = p.yres = 75;
  p.width = p.height = 600;
  const std::string a = cache.image(Protocol::escl, p, 1, false);
  EXPECT_NO_THROW(decode_jpeg(a));
  EXPECT_EQ(cache.pages(), 0u);
  EXPECT_EQ(cache.image(Protocol::escl, p, 1, false), a);
  EXPECT_EQ(cache.hits(), 0u);
}

}  // namespace
