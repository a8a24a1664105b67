#include "backend/sane/scan_options.hpp"

#include <gtest/gtest.h>
#include <sane/saneopts.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "backend/sane/backend_config.hpp"

using namespace hpaio;
using namespace hpaio::backend;

namespace {

// An OfficeJet-class device: platen 75..1200 dpi Letter x A4, ADF 150/300 dpi up to legal length,
// duplex up to A4 length; LEDM tone map ranges.
ScannerCapabilities inkjet() {
  ScannerCapabilities c;
  std::vector<ColorModeCapability> modes{{ColorMode::Gray, true, true}, {ColorMode::Color, true, true}};
  c.platen = SourceCapabilities{8, 2550, 8, 3508, {75, 100, 150, 200, 300, 600, 1200}, modes};
  c.adf = SourceCapabilities{8, 2550, 8, 4200, {150, 300}, modes};
  c.adf_duplex = SourceCapabilities{8, 2550, 8, 3508, {150, 300}, modes};
  c.brightness = Range{0, 2000, 1000, 1};
  c.contrast = Range{0, 2000, 1000, 1};
  return c;
}

// An eSCL laser: platen only, 200/300/600, JPEG only, no tone ranges.
ScannerCapabilities laser() {
  ScannerCapabilities c;
  c.platen = SourceCapabilities{
      300, 2550, 300, 3508, {200, 300, 600}, {{ColorMode::Gray, true, false}, {ColorMode::Color, true, false}}};
  return c;
}

int index_of(const ScanOptions& o, const char* name) {
  for (int i = 0; i < ScanOptions::num_options; ++i) {
    if (std::strcmp(o.descriptor(i)->name, name) == 0) return i;
  }
  return -1;
}

std::string get_string(ScanOptions& o, const char* name) {
  char buf[64] = {};
  EXPECT_EQ(o.control(index_of(o, name), SANE_ACTION_GET_VALUE, buf, nullptr), SANE_STATUS_GOOD);
  return buf;
}

SANE_Word get_word(ScanOptions& o, const char* name) {
  SANE_Word w = 0;
  EXPECT_EQ(o.control(index_of(o, name), SANE_ACTION_GET_VALUE, &w, nullptr), SANE_STATUS_GOOD);
  return w;
}

SANE_Status set_string(ScanOptions& o, const char* name, const char* value, SANE_Int* info = nullptr) {
  char buf[64] = {};
  std::strncpy(buf, value, sizeof buf - 1);
  return o.control(index_of(o, name), SANE_ACTION_SET_VALUE, buf, info);
}

SANE_Status set_word(ScanOptions& o, const char* name, SANE_Word v, SANE_Int* info = nullptr) {
  return o.control(index_of(o, name), SANE_ACTION_SET_VALUE, &v, info);
}

std::vector<std::string> strings(const SANE_Option_Descriptor* d) {
  std::vector<std::string> out;
  for (const SANE_String_Const* s = d->constraint.string_list; *s; ++s) out.emplace_back(*s);
  return out;
}

std::vector<int> words(const SANE_Option_Descriptor* d) {
  return std::vector<int>(d->constraint.word_list + 1, d->constraint.word_list + 1 + d->constraint.word_list[0]);
}

}  // namespace

TEST(ScanOptions, HplipNamesAndStandardOptionZero) {
  ScanOptions o(inkjet(), true);
  const SANE_Option_Descriptor* zero = o.descriptor(0);
  EXPECT_STREQ(zero->name, "");
  EXPECT_EQ(zero->type, SANE_TYPE_INT);
  EXPECT_EQ(get_word(o, ""), ScanOptions::num_options);
  for (const char* name : {"mode", "resolution", "source", "brightness", "contrast", "compression", "jpeg-quality",
                           "tl-x", "tl-y", "br-x", "br-y"}) {
    EXPECT_GE(index_of(o, name), 0) << name;
  }
  EXPECT_EQ(o.descriptor(ScanOptions::num_options), nullptr);
  EXPECT_EQ(o.descriptor(-1), nullptr);
  EXPECT_EQ(strings(o.descriptor(index_of(o, "mode"))), (std::vector<std::string>{"Lineart", "Gray", "Color"}));
  EXPECT_EQ(strings(o.descriptor(index_of(o, "source"))), (std::vector<std::string>{"Flatbed", "ADF", "Duplex"}));
  EXPECT_EQ(strings(o.descriptor(index_of(o, "compression"))), (std::vector<std::string>{"None", "JPEG"}));
}

TEST(ScanOptions, DefaultsAUserExpects) {
  ScanOptions o(inkjet(), true);
  EXPECT_EQ(get_string(o, "mode"), "Color");
  EXPECT_EQ(get_word(o, "resolution"), 300);
  EXPECT_EQ(get_string(o, "source"), "Flatbed");
  EXPECT_EQ(get_word(o, "tl-x"), 0);
  EXPECT_NEAR(SANE_UNFIX(get_word(o, "br-x")), 215.9, 0.01);
  EXPECT_NEAR(SANE_UNFIX(get_word(o, "br-y")), 297.01, 0.01);
  EXPECT_EQ(get_word(o, "brightness"), 1000);
  EXPECT_EQ(words(o.descriptor(index_of(o, "resolution"))), (std::vector<int>{75, 100, 150, 200, 300, 600, 1200}));
  SANE_Parameters p = o.parameters();
  EXPECT_EQ(p.format, SANE_FRAME_RGB);
  EXPECT_EQ(p.depth, 8);
  EXPECT_EQ(p.pixels_per_line, 2550);
  EXPECT_EQ(p.lines, 3508);
  EXPECT_EQ(p.bytes_per_line, 3 * 2550);
  EXPECT_TRUE(p.last_frame);

  ScanOptions l(laser(), false);
  EXPECT_EQ(get_word(l, "resolution"), 300);
  EXPECT_EQ(strings(l.descriptor(index_of(l, "compression"))), std::vector<std::string>{"JPEG"});
  EXPECT_TRUE(l.descriptor(index_of(l, "brightness"))->cap & SANE_CAP_INACTIVE);
  EXPECT_TRUE(l.descriptor(index_of(l, "jpeg-quality"))->cap & SANE_CAP_INACTIVE);
  EXPECT_EQ(set_word(l, "brightness", 5), SANE_STATUS_INVAL);  // inactive
}

TEST(ScanOptions, ResolutionListAndLimitsFollowTheSource) {
  ScanOptions o(inkjet(), true);
  ASSERT_EQ(set_word(o, "resolution", 1200), SANE_STATUS_GOOD);
  SANE_Int info = 0;
  ASSERT_EQ(set_string(o, "source", "ADF", &info), SANE_STATUS_GOOD);
  EXPECT_TRUE(info & SANE_INFO_RELOAD_OPTIONS);
  EXPECT_TRUE(info & SANE_INFO_RELOAD_PARAMS);
  EXPECT_EQ(words(o.descriptor(index_of(o, "resolution"))), (std::vector<int>{150, 300}));
  EXPECT_EQ(get_word(o, "resolution"), 300);  // nearest to 1200 the feeder has
  EXPECT_NEAR(SANE_UNFIX(o.descriptor(index_of(o, "br-y"))->constraint.range->max), 355.6, 0.01);
  EXPECT_NEAR(SANE_UNFIX(get_word(o, "br-y")), 355.6, 0.01);  // whole area stays whole
  ASSERT_EQ(set_string(o, "source", "Duplex"), SANE_STATUS_GOOD);
  EXPECT_NEAR(SANE_UNFIX(get_word(o, "br-y")), 297.01, 0.01);
  EXPECT_EQ(set_string(o, "source", "Camera"), SANE_STATUS_INVAL);
  EXPECT_EQ(get_string(o, "source"), "Duplex");
}

TEST(ScanOptions, AdjustedValuesAreInexactImpossibleOnesInvalid) {
  ScanOptions o(inkjet(), true);
  SANE_Int info = 0;
  EXPECT_EQ(set_word(o, "resolution", 250, &info), SANE_STATUS_GOOD);
  EXPECT_TRUE(info & SANE_INFO_INEXACT);
  EXPECT_EQ(get_word(o, "resolution"), 200);
  EXPECT_EQ(set_word(o, "resolution", 600, &info), SANE_STATUS_GOOD);
  EXPECT_FALSE(info & SANE_INFO_INEXACT);
  EXPECT_TRUE(info & SANE_INFO_RELOAD_PARAMS);
  EXPECT_EQ(set_word(o, "brightness", 5000, &info), SANE_STATUS_GOOD);
  EXPECT_TRUE(info & SANE_INFO_INEXACT);
  EXPECT_EQ(get_word(o, "brightness"), 2000);
  EXPECT_EQ(set_word(o, "br-x", SANE_FIX(500.0), &info), SANE_STATUS_GOOD);
  EXPECT_TRUE(info & SANE_INFO_INEXACT);
  EXPECT_NEAR(SANE_UNFIX(get_word(o, "br-x")), 215.9, 0.01);
  EXPECT_EQ(set_string(o, "mode", "Halftone"), SANE_STATUS_INVAL);
  EXPECT_EQ(set_string(o, "mode", "gray", &info), SANE_STATUS_GOOD);  // HPLIP accepts any case
  EXPECT_EQ(get_string(o, "mode"), "Gray");
  EXPECT_TRUE(info & SANE_INFO_RELOAD_PARAMS);
  EXPECT_EQ(set_string(o, "compression", "LZW"), SANE_STATUS_INVAL);
  SANE_Word count = 3;
  EXPECT_EQ(o.control(0, SANE_ACTION_SET_VALUE, &count, nullptr), SANE_STATUS_INVAL);
  EXPECT_EQ(o.control(index_of(o, "mode"), SANE_ACTION_SET_AUTO, nullptr, nullptr), SANE_STATUS_INVAL);
  EXPECT_EQ(o.control(1, SANE_ACTION_GET_VALUE, &count, nullptr), SANE_STATUS_INVAL);  // a group
}

TEST(ScanOptions, AnInexactValueIsWrittenBackAsUsed) {
  // What sane-backends' tstbackend checks at level 1 for every range option: a value outside the
  // range comes back in the caller's buffer as the value the backend used.
  ScanOptions o(inkjet(), true);
  for (const char* name : {"brightness", "contrast", "jpeg-quality", "tl-x", "tl-y", "br-x", "br-y", "resolution"}) {
    SCOPED_TRACE(name);
    const int i = index_of(o, name);
    for (SANE_Word asked : {SANE_Word{-100000000}, SANE_Word{100000000}}) {
      SANE_Word v = asked;
      SANE_Int info = 0;
      ASSERT_EQ(o.control(i, SANE_ACTION_SET_VALUE, &v, &info), SANE_STATUS_GOOD);
      EXPECT_TRUE(info & SANE_INFO_INEXACT);
      EXPECT_NE(v, asked);
      EXPECT_EQ(v, get_word(o, name));
    }
    SANE_Word exact = get_word(o, name);
    SANE_Int info = 0;
    ASSERT_EQ(o.control(i, SANE_ACTION_SET_VALUE, &exact, &info), SANE_STATUS_GOOD);
    EXPECT_FALSE(info & SANE_INFO_INEXACT);
  }
  char mode[16] = "gRaY";
  SANE_Int info = 0;
  ASSERT_EQ(o.control(index_of(o, "mode"), SANE_ACTION_SET_VALUE, mode, &info), SANE_STATUS_GOOD);
  EXPECT_TRUE(info & SANE_INFO_INEXACT);
  EXPECT_STREQ(mode, "Gray");
}

TEST(ScanOptions, ParametersAndRequestForASubArea) {
  ScanOptions o(inkjet(), true);
  ASSERT_EQ(set_string(o, "mode", "Lineart"), SANE_STATUS_GOOD);
  ASSERT_EQ(set_word(o, "resolution", 150), SANE_STATUS_GOOD);
  ASSERT_EQ(set_word(o, "tl-x", SANE_FIX(10.0)), SANE_STATUS_GOOD);
  ASSERT_EQ(set_word(o, "br-x", SANE_FIX(60.0)), SANE_STATUS_GOOD);
  ASSERT_EQ(set_word(o, "tl-y", SANE_FIX(20.0)), SANE_STATUS_GOOD);
  ASSERT_EQ(set_word(o, "br-y", SANE_FIX(70.0)), SANE_STATUS_GOOD);
  ScanRequest r;
  ASSERT_EQ(o.request(r), SANE_STATUS_GOOD);
  EXPECT_EQ(r.mode, ColorMode::BlackAndWhite);
  EXPECT_EQ(r.device_mode, ColorMode::Gray);
  EXPECT_EQ(r.region.x, 118);
  EXPECT_EQ(r.region.width, 709 - 118);
  EXPECT_EQ(r.region.y, 236);
  SANE_Parameters p = o.parameters();
  EXPECT_EQ(p.format, SANE_FRAME_GRAY);
  EXPECT_EQ(p.depth, 1);
  EXPECT_EQ(p.pixels_per_line, r.pixels_per_line());
  EXPECT_EQ(p.pixels_per_line, (709 - 118) * 150 / 300);
  EXPECT_EQ(p.bytes_per_line, (p.pixels_per_line + 7) / 8);
  EXPECT_EQ(p.lines, r.lines());
  // An empty area cannot be scanned.
  ASSERT_EQ(set_word(o, "br-x", SANE_FIX(10.0)), SANE_STATUS_GOOD);
  EXPECT_EQ(o.request(r), SANE_STATUS_INVAL);
  EXPECT_EQ(o.parameters().pixels_per_line, 0);
}

TEST(ScanOptions, JpegQualityOnlyWhereItHasAnEffect) {
  ScanOptions o(inkjet(), true);
  const SANE_Option_Descriptor* q = o.descriptor(index_of(o, "jpeg-quality"));
  EXPECT_FALSE(q->cap & SANE_CAP_INACTIVE);  // JPEG is the default where offered
  ASSERT_EQ(set_string(o, "compression", "None"), SANE_STATUS_GOOD);
  EXPECT_TRUE(q->cap & SANE_CAP_INACTIVE);
  ScanRequest r;
  ASSERT_EQ(o.request(r), SANE_STATUS_GOOD);
  EXPECT_EQ(r.format, ImageFormat::Raw);
  EXPECT_FALSE(r.quality);
  ASSERT_EQ(set_string(o, "compression", "JPEG"), SANE_STATUS_GOOD);
  ASSERT_EQ(set_word(o, "jpeg-quality", 40), SANE_STATUS_GOOD);
  ASSERT_EQ(o.request(r), SANE_STATUS_GOOD);
  EXPECT_EQ(r.quality, 40);
}

TEST(BackendConfig, ParsesTimeoutsDevicesAndReportsJunk) {
  BackendConfig c = BackendConfig::parse(
      "# hpaio.conf\nconnect-timeout 2\nrequest-timeout = 7.5\npage-timeout 300\n"
      "device hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false\ndiscovery off\nfrobnicate 3\n"
      "connect-timeout -1\n");
  EXPECT_EQ(c.connect_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(c.request_timeout, std::chrono::milliseconds(7500));
  EXPECT_EQ(c.page_timeout, std::chrono::milliseconds(300000));
  ASSERT_EQ(c.devices.size(), 1u);
  EXPECT_EQ(c.devices[0], "hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false");
  EXPECT_FALSE(c.discovery);
  EXPECT_TRUE(c.ws_discovery);
  EXPECT_FALSE(BackendConfig::parse("ws-discovery off\n").ws_discovery);
  EXPECT_EQ(BackendConfig::parse("ws-discovery maybe\n").warnings.size(), 1u);
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].find("line 7"), std::string::npos);
}

TEST(BackendConfig, ListingTimeoutAndCache) {
  BackendConfig d = BackendConfig::parse("");
  EXPECT_EQ(d.listing_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(d.listing_cache, std::chrono::milliseconds(5000));
  BackendConfig c =
      BackendConfig::parse("listing-timeout 0.8\nlisting-cache 0\nlisting-timeout 90\nlisting-timeout x\n");
  EXPECT_EQ(c.listing_timeout, std::chrono::milliseconds(800));
  EXPECT_EQ(c.listing_cache, std::chrono::milliseconds(0));
  EXPECT_EQ(c.warnings.size(), 2u);  // over 60 s, and not a number
}

// The commented hpaio.conf that `cmake --install` puts in /etc/sane.d: as shipped (all comments) it
// changes nothing, and with every "#key value" line uncommented each key is understood and gives the
// value the comment says is the default (or the example device).
TEST(BackendConfig, TheInstalledExampleMatchesTheParser) {
  std::ifstream in(std::string(HPAIO_SOURCE_DIR) + "/data/sane.d/hpaio.conf");
  ASSERT_TRUE(in) << "data/sane.d/hpaio.conf";
  std::stringstream text;
  text << in.rdbuf();
  const BackendConfig shipped = BackendConfig::parse(text.str());
  EXPECT_TRUE(shipped.warnings.empty());
  EXPECT_TRUE(shipped.devices.empty());

  std::string uncommented;
  int keys = 0;
  text.clear();
  text.seekg(0);
  for (std::string line; std::getline(text, line);) {
    // "#key value": a commented setting (prose comments have a space after the '#').
    if (line.size() > 1 && line[0] == '#' && line[1] != ' ') {
      uncommented += line.substr(1) + "\n";
      ++keys;
    }
  }
  EXPECT_EQ(keys, 10);  // every key the parser knows
  const BackendConfig all = BackendConfig::parse(uncommented);
  EXPECT_TRUE(all.warnings.empty()) << all.warnings.front();
  const BackendConfig defaults;
  EXPECT_EQ(all.connect_timeout, defaults.connect_timeout);
  EXPECT_EQ(all.request_timeout, defaults.request_timeout);
  EXPECT_EQ(all.page_timeout, defaults.page_timeout);
  EXPECT_EQ(all.listing_timeout, defaults.listing_timeout);
  EXPECT_EQ(all.listing_cache, defaults.listing_cache);
  EXPECT_EQ(all.discovery, defaults.discovery);
  EXPECT_EQ(all.ws_discovery, defaults.ws_discovery);
  EXPECT_EQ(all.hplip, defaults.hplip);
  EXPECT_TRUE(all.hplip_library.starts_with("/usr/lib/")) << all.hplip_library;
  EXPECT_TRUE(all.hplip_library.ends_with("/hpaio/hplip/libsane-hpaio.so.1")) << all.hplip_library;
  ASSERT_EQ(all.devices.size(), 1u);
}

TEST(BackendConfig, HplipKeys) {
  EXPECT_TRUE(BackendConfig::parse("").hplip);
  const BackendConfig c = BackendConfig::parse(
      "hplip off\nhplip-library /opt/hplip/libsane-hpaio.so.1\n"
      "hplip maybe\nhplip-library relative/path.so\n");
  EXPECT_FALSE(c.hplip);
  EXPECT_EQ(c.hplip_library, "/opt/hplip/libsane-hpaio.so.1");
  EXPECT_EQ(c.warnings.size(), 2u);  // not on/off, and not an absolute path
}
