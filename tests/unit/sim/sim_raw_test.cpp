// Raw pages (eSCL application/octet-stream: RGB24, Grayscale8, BlackAndWhite1; LEDM K1), PDF
// pages, and --escl-raw, which makes a built-in eSCL profile list raw and BlackAndWhite1.
#include <gtest/gtest.h>

#include "sim_job_util.hpp"
#include "sim_test_util.hpp"
#include "tests/sim/core/escl_device.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/image/page_pattern.hpp"

using namespace hpsim;
using simtest::config;
using simtest::JobSpec;
using simtest::parse_xml;
using simtest::req;

namespace {

constexpr const char* kScan = simtest::kEsclScanNs;
constexpr const char* kPwg = "http://www.pwg.org/schemas/2010/12/sm";

// The profile as hpaio-sim --escl-raw makes it.
SimConfig escl_raw(const std::string& profile = "escl-adf-duplex") {
  SimConfig c = config(profile);
  c.profile.raw = c.profile.blackandwhite1 = true;
  return c;
}

JobSpec raw_job(const std::string& mode, int width, int height, int res, const std::string& source = "Platen") {
  JobSpec j;
  j.source = source;
  j.mode = mode;
  j.format = "application/octet-stream";
  j.xres = j.yres = res;
  j.width = width;
  j.height = height;
  return j;
}

bool bit(const std::string& rows, int bytes_per_line, int x, int y) {
  const auto byte = static_cast<unsigned char>(rows[static_cast<std::size_t>(y * bytes_per_line + x / 8)]);
  return (byte & (0x80u >> (x % 8))) != 0;
}

TEST(EsclRaw, TheFlagListsOctetStreamAndBlackAndWhite1InEverySettingProfile) {
  Simulator sim(escl_raw());
  const auto caps = parse_xml(sim.escl().capabilities());
  int profiles = 0;
  for (const char* input : {"PlatenInputCaps", "AdfSimplexInputCaps", "AdfDuplexInputCaps"}) {
    const auto* in = caps.find(kScan, input);
    ASSERT_NE(in, nullptr) << input;
    for (const auto* sp : in->find(kScan, "SettingProfiles")->children(kScan, "SettingProfile")) {
      ++profiles;
      std::vector<std::string> modes, formats, exts;
      for (const auto* m : sp->find(kScan, "ColorModes")->children(kScan, "ColorMode")) modes.push_back(m->text());
      const auto* df = sp->find(kScan, "DocumentFormats");
      for (const auto* f : df->children(kPwg, "DocumentFormat")) formats.push_back(f->text());
      for (const auto* f : df->children(kScan, "DocumentFormatExt")) exts.push_back(f->text());
      EXPECT_EQ(modes, (std::vector<std::string>{"RGB24", "Grayscale8", "BlackAndWhite1"})) << input;
      EXPECT_EQ(formats, (std::vector<std::string>{"image/jpeg", "application/octet-stream"})) << input;
      EXPECT_EQ(exts, formats) << input;
    }
  }
  EXPECT_EQ(profiles, 3);
  // Without it (every profile's default) neither is listed, and both are refused.
  Simulator plain(config("escl-adf-duplex"));
  EXPECT_EQ(plain.escl().capabilities().find("octet-stream"), std::string::npos);
  EXPECT_EQ(plain.escl().capabilities().find("BlackAndWhite1"), std::string::npos);
  auto now = Clock::now();
  EXPECT_EQ(simtest::run_job(plain, raw_job("RGB24", 300, 300, 100), now).post_status, 409);
  JobSpec bw = raw_job("BlackAndWhite1", 300, 300, 100);
  bw.format = "image/jpeg";
  EXPECT_EQ(simtest::run_job(plain, bw, now).post_status, 409);
}

TEST(EsclRaw, OlderDialectListsThemInColorReferencesAndDocumentFormats) {
  Simulator sim(escl_raw("escl-legacy"));
  const std::string body = sim.escl().capabilities();
  EXPECT_NE(body.find("<scan:ColorReference>BlackAndWhite1</scan:ColorReference>"), std::string::npos);
  EXPECT_NE(body.find("<pwg2:DocumentFormat>application/octet-stream</pwg2:DocumentFormat>"), std::string::npos);
  JobSpec j = raw_job("BlackAndWhite1", 300, 300, 75);
  auto now = Clock::now();
  const simtest::Page p = simtest::run_job(sim, j, now);
  ASSERT_EQ(p.post_status, 201) << p.post_body;
  EXPECT_TRUE(simtest::page_is(p.page, Format::raw, ScanMode::blackandwhite1, 75, 75));
}

// 4.5 x 1 inches of sheet 1 at 100 dpi: 450 x 100 pixels; 1-bit rows of 57 bytes (6 bits of padding).
TEST(EsclRaw, PagesAreTheRenderedSheetRowByRowInEveryMode) {
  struct Case {
    const char* mode;
    ColorMode render;
    int bytes_per_line;
  };
  for (const Case c : {Case{"RGB24", ColorMode::color, 1350}, Case{"Grayscale8", ColorMode::gray, 450},
                       Case{"BlackAndWhite1", ColorMode::lineart, 57}}) {
    SCOPED_TRACE(c.mode);
    Simulator sim(escl_raw());
    auto now = Clock::now();
    const simtest::Page p = simtest::run_job(sim, raw_job(c.mode, 1350, 300, 100), now);
    ASSERT_EQ(p.post_status, 201) << p.post_body;
    ASSERT_EQ(p.page.status, 200);
    EXPECT_EQ(p.page.header("Content-Type"), "application/octet-stream");
    const std::string& body = p.page.body;
    ASSERT_EQ(body.size(), 100u * static_cast<std::size_t>(c.bytes_per_line));
    EXPECT_EQ(p.width, 450);
    EXPECT_EQ(p.height, 100);
    EXPECT_EQ(p.bytes_per_line, c.bytes_per_line);
    const Raster sheet = render_page(0, 0, 1350, 300, 100, 100, c.render, 1, Side::front);
    EXPECT_TRUE(body == (c.render == ColorMode::lineart ? pack_lineart(sheet) : sheet.pixels));
    // What is where (page_pattern.hpp): the white gutter at the top-left corner, the black
    // orientation block of cell (0,0) from 20 to 100 (1/300 inch: pixels 7..32), and the all-white
    // cell 10 of the label row (1200..1320: pixels 400..439, rows 0..39).
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(body[i]); };
    if (c.render == ColorMode::color) {
      EXPECT_EQ(byte(0) + byte(1) + byte(2), 3 * 255);
      const std::size_t marker = (20u * 450u + 20u) * 3u;
      EXPECT_EQ(byte(marker) + byte(marker + 1) + byte(marker + 2), 0);
      EXPECT_EQ(byte((20u * 450u + 420u) * 3u), 255);
    } else if (c.render == ColorMode::gray) {
      EXPECT_EQ(byte(0), 255);
      EXPECT_EQ(byte(20u * 450u + 20u), 0);
      EXPECT_EQ(byte(20u * 450u + 420u), 255);
    } else {
      EXPECT_TRUE(bit(body, 57, 0, 0));     // white gutter: 1
      EXPECT_FALSE(bit(body, 57, 20, 20));  // black block: 0
      for (int y = 0; y < 40; ++y) {
        for (int x = 400; x < 440; ++x) ASSERT_TRUE(bit(body, 57, x, y)) << x << "," << y;
      }
      // Rows are padded to a whole byte: the last byte holds pixels 448 and 449.
      EXPECT_EQ(byte(56) & 0x3Fu, 0u);
    }
  }
}

// ADF sheets 2 inches long (--sheet-length-mm 50.8), a 2 x 4 inch window: every page ends with
// its sheet, in every mode, and ScanImageInfo says so.
TEST(EsclRaw, ShortSheetEndsTheRawPage) {
  for (const auto& [mode, bpl] :
       std::vector<std::pair<std::string, int>>{{"RGB24", 600}, {"Grayscale8", 200}, {"BlackAndWhite1", 25}}) {
    SCOPED_TRACE(mode);
    SimConfig cfg = escl_raw();
    cfg.profile.sheet_height = 600;
    Simulator sim(cfg);
    auto now = Clock::now();
    const simtest::Page p = simtest::run_job(sim, raw_job(mode, 600, 1200, 100, "Feeder"), now);
    ASSERT_EQ(p.post_status, 201) << p.post_body;
    EXPECT_EQ(p.page.body.size(), 200u * static_cast<std::size_t>(bpl));
    EXPECT_EQ(p.width, 200);
    EXPECT_EQ(p.height, 200);
    EXPECT_EQ(p.bytes_per_line, bpl);
  }
}

TEST(EsclRaw, BufferInfoReportsTheModesBytesPerLine) {
  Simulator sim(escl_raw());
  const Response r =
      sim.handle(req("PUT", "/eSCL/ScanBufferInfo", simtest::escl_settings(raw_job("BlackAndWhite1", 330, 600, 100))),
                 Clock::now());
  ASSERT_EQ(r.status, 200) << r.body;
  const auto doc = parse_xml(r.body);
  EXPECT_EQ(doc.child_text(kScan, "ImageWidth").value_or(""), "110");
  EXPECT_EQ(doc.child_text(kScan, "ImageHeight").value_or(""), "200");
  EXPECT_EQ(doc.child_text(kScan, "BytesPerLine").value_or(""), "14");
  EXPECT_EQ(doc.find(kScan, "ColorMode")->text(), "BlackAndWhite1");
}

TEST(EsclRaw, BlackAndWhite1AsJpegIsAOneChannelTwoToneImage) {
  Simulator sim(escl_raw());
  JobSpec j = raw_job("BlackAndWhite1", 600, 600, 100);
  j.format = "image/jpeg";
  auto now = Clock::now();
  const simtest::Page p = simtest::run_job(sim, j, now);
  ASSERT_EQ(p.post_status, 201) << p.post_body;
  EXPECT_TRUE(simtest::page_is(p.page, Format::jpeg, ScanMode::blackandwhite1, 200, 200));
  EXPECT_EQ(p.bytes_per_line, 25);
}

// A PDF page where the document lists application/pdf: the JPEG the same job gives as image/jpeg,
// inside a one-page PDF.
TEST(EsclPdf, PdfPageEmbedsTheJpegPage) {
  SimConfig cfg = config("escl-flatbed");
  std::string caps = Simulator(cfg).escl().capabilities();
  const std::string jpeg_format = "<pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat>";
  caps.insert(caps.find(jpeg_format) + jpeg_format.size(), "<pwg:DocumentFormat>application/pdf</pwg:DocumentFormat>");
  JobSpec j;
  j.format = "image/jpeg";
  j.mode = "Grayscale8";
  j.xres = j.yres = 200;
  j.width = j.height = 600;
  auto now = Clock::now();
  Simulator plain(cfg);
  const simtest::Page jpeg = simtest::run_job(plain, j, now);
  ASSERT_EQ(jpeg.post_status, 201);
  j.format = "application/pdf";
  Simulator no_pdf(cfg);
  EXPECT_EQ(simtest::run_job(no_pdf, j, now).post_status, 409);  // escl-flatbed lists no PDF
  cfg.caps_file_content = caps;
  Simulator with_pdf(cfg);
  const simtest::Page pdf = simtest::run_job(with_pdf, j, now);
  ASSERT_EQ(pdf.post_status, 201) << pdf.post_body;
  EXPECT_EQ(pdf.page.header("Content-Type"), "application/pdf");
  EXPECT_TRUE(pdf.page.body.starts_with("%PDF-"));
  EXPECT_TRUE(pdf.page.body.ends_with("%%EOF\n"));
  EXPECT_TRUE(simtest::pdf_jpeg(pdf.page.body) == jpeg.page.body);
  EXPECT_TRUE(simtest::page_is(pdf.page, Format::pdf, ScanMode::grayscale8, 400, 400));
}

// LEDM K1 (listed with Raw only): asked as Gray with BitDepth 1, the simulator's reading (no real
// K1 request is known).
TEST(LedmK1, GrayWithBitDepth1IsOneBitRaw) {
  Simulator sim(config("ledm-adf-duplex"));
  JobSpec j;
  j.mode = "Gray";
  j.bit_depth = "1";
  j.format = "Raw";
  j.xres = j.yres = 100;
  j.width = 330;
  j.height = 300;
  auto now = Clock::now();
  const simtest::Page p = simtest::run_job(sim, j, now);
  ASSERT_EQ(p.post_status, 201) << p.post_body;
  EXPECT_EQ(p.bytes_per_line, 14);
  EXPECT_EQ(p.page.body.size(), 14u * 100u);
  EXPECT_TRUE(bit(p.page.body, 14, 0, 0));
  EXPECT_FALSE(bit(p.page.body, 14, 20, 20));
  j.format = "Jpeg";
  Simulator again(config("ledm-adf-duplex"));
  EXPECT_EQ(simtest::run_job(again, j, now).post_status, 409);
}

}  // namespace
