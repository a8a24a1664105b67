// The page pattern: generator against checker, JPEG and DNL, image files.
#include <gtest/gtest.h>

#include "tests/sim/image/image_io.hpp"
#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/image/page_check.hpp"
#include "tests/sim/image/page_pattern.hpp"
#include "tests/sim/image/pdf_page.hpp"

using namespace hpsim;

namespace {

CheckSpec spec(int dpi, ColorMode mode, int page, Side side = Side::front) {
  CheckSpec s;
  s.resolution = dpi;
  s.mode = mode;
  s.page = page;
  s.side = side;
  return s;
}

TEST(SimPage, LabelRowEncodesPageAndSide) {
  EXPECT_EQ(cell_ink(0, 0, 5, Side::front), Ink::black);  // orientation marker
  // page 5 = 0b101: cells 1 and 3 black, 2 white
  EXPECT_EQ(cell_ink(1, 0, 5, Side::front), Ink::black);
  EXPECT_EQ(cell_ink(2, 0, 5, Side::front), Ink::white);
  EXPECT_EQ(cell_ink(3, 0, 5, Side::front), Ink::black);
  EXPECT_EQ(cell_ink(9, 0, 5, Side::front), Ink::red);
  EXPECT_EQ(cell_ink(9, 0, 5, Side::back), Ink::green);
}

TEST(SimPage, PagesAndSidesDifferInMostCells) {
  int diff_page = 0, diff_side = 0, total = 0;
  for (int cy = 1; cy < 30; ++cy) {
    for (int cx = 0; cx < 21; ++cx) {
      ++total;
      if (cell_ink(cx, cy, 1, Side::front) != cell_ink(cx, cy, 2, Side::front)) ++diff_page;
      if (cell_ink(cx, cy, 1, Side::front) != cell_ink(cx, cy, 1, Side::back)) ++diff_side;
    }
  }
  EXPECT_GT(diff_page, total / 2);
  EXPECT_GT(diff_side, total / 2);
}

TEST(SimPage, GutterIsWhiteAndInksAreDistinctInGray) {
  const Rgb g = pattern_at(5, 5, 1, Side::front);
  EXPECT_EQ(g.r + g.g + g.b, 3 * 255);
  EXPECT_EQ(ink_gray(Ink::black), 0);
  EXPECT_EQ(ink_gray(Ink::red), 76);
  EXPECT_EQ(ink_gray(Ink::green), 203);
  EXPECT_EQ(ink_gray(Ink::white), 255);
}

TEST(SimPage, RenderSizeFollowsHpRule) {
  const Raster r = render_page(0, 0, 2550, 3508, 200, 200, ColorMode::gray, 1, Side::front);
  EXPECT_EQ(r.width, 1700);
  EXPECT_EQ(r.height, 2338);  // 3508 * 200 / 300 truncated
  EXPECT_EQ(r.channels, 1);
  EXPECT_EQ(r.pixels.size(), 1700u * 2338u);
}

TEST(SimPage, RoundTripInEveryMode) {
  for (ColorMode m : {ColorMode::color, ColorMode::gray, ColorMode::lineart}) {
    const Raster r = render_page(0, 0, 2550, 3300, 75, 75, m, 3, Side::back);
    CheckSpec s = spec(75, m, 3, Side::back);
    s.width_mm = 215.9;
    s.height_mm = 279.4;
    const CheckResult c = check_page(r, s);
    EXPECT_TRUE(c.ok) << c.message;
    EXPECT_GT(c.cells_checked, 300);
  }
}

TEST(SimPage, WrongPageSideOffsetOrSizeFails) {
  const Raster r = render_page(0, 0, 2550, 3300, 100, 100, ColorMode::color, 2, Side::front);
  const CheckResult page = check_page(r, spec(100, ColorMode::color, 3));
  EXPECT_FALSE(page.ok);
  EXPECT_NE(page.message.find("matches page 2 front"), std::string::npos) << page.message;
  EXPECT_FALSE(check_page(r, spec(100, ColorMode::color, 2, Side::back)).ok);
  CheckSpec shifted = spec(100, ColorMode::color, 2);
  shifted.tl_x_mm = 10;
  EXPECT_FALSE(check_page(r, shifted).ok);
  CheckSpec sized = spec(100, ColorMode::color, 2);
  sized.width_mm = 210;
  const CheckResult size = check_page(r, sized);
  EXPECT_FALSE(size.ok);
  EXPECT_NE(size.message.find("size"), std::string::npos) << size.message;
  EXPECT_FALSE(check_page(r, spec(150, ColorMode::color, 2)).ok);  // wrong scale
  EXPECT_FALSE(check_page(r, spec(100, ColorMode::gray, 2)).ok);   // wrong mode
}

TEST(SimPage, SubAreaMatchesOnlyWithItsOffset) {
  // Window at (236, 354) 1/300 inch, 1180 x 1417: what HPLIP sends for -l 20 -t 30 -x 100 -y 120.
  const Raster r = render_page(236, 354, 1180, 1417, 150, 150, ColorMode::gray, 1, Side::front);
  CheckSpec s = spec(150, ColorMode::gray, 1);
  s.tl_x_mm = 20;
  s.tl_y_mm = 30;
  s.width_mm = 100;
  s.height_mm = 120;
  const CheckResult ok = check_page(r, s);
  EXPECT_TRUE(ok.ok) << ok.message;
  s.tl_x_mm = 0;
  s.tl_y_mm = 0;
  EXPECT_FALSE(check_page(r, s).ok);
}

TEST(SimPage, RotatedPageFails) {
  Raster r = render_page(0, 0, 2550, 3300, 75, 75, ColorMode::gray, 1, Side::front);
  Raster rot = r;
  const std::size_t n = r.pixels.size();
  for (std::size_t i = 0; i < n; ++i) rot.pixels[i] = r.pixels[n - 1 - i];  // 180 degrees
  EXPECT_FALSE(check_page(rot, spec(75, ColorMode::gray, 1)).ok);
}

TEST(SimPage, JpegRoundTripStillMatches) {
  for (ColorMode m : {ColorMode::color, ColorMode::gray}) {
    const Raster r = render_page(0, 0, 2550, 3508, 75, 75, m, 1, Side::front);
    const std::string jpeg = encode_jpeg(r);
    ASSERT_GT(jpeg.size(), 100u);
    const Raster d = decode_jpeg(jpeg);
    EXPECT_EQ(d.width, r.width);
    EXPECT_EQ(d.height, r.height);
    const CheckResult c = check_page(d, spec(75, m, 1));
    EXPECT_TRUE(c.ok) << c.message;
  }
}

TEST(SimPage, DnlJpegHasFfffHeightAndRealHeightInDnl) {
  const Raster r = render_page(0, 0, 1200, 1500, 100, 100, ColorMode::gray, 4, Side::front);
  const std::string jpeg = encode_jpeg(r);
  const JpegHeights plain = jpeg_heights(jpeg);
  EXPECT_EQ(plain.sof_height, 500);
  EXPECT_EQ(plain.dnl_height, -1);
  const auto dnl = make_dnl_jpeg(jpeg);
  ASSERT_TRUE(dnl);
  EXPECT_EQ(dnl->size(), jpeg.size() + 6);
  const JpegHeights h = jpeg_heights(*dnl);
  EXPECT_EQ(h.sof_height, 0xFFFF);
  EXPECT_EQ(h.dnl_height, 500);
  EXPECT_EQ(h.width, 400);
  EXPECT_TRUE(dnl->ends_with(std::string("\xFF\xDC\x00\x04\x01\xF4\xFF\xD9", 8)));
  const Raster d = decode_jpeg(*dnl);
  EXPECT_EQ(d.height, 500);
  EXPECT_TRUE(check_page(d, spec(100, ColorMode::gray, 4)).ok);
  EXPECT_FALSE(make_dnl_jpeg("not a jpeg"));
}

TEST(SimPage, TruncatedJpegFailsToDecode) {
  const Raster r = render_page(0, 0, 1200, 1200, 100, 100, ColorMode::color, 1, Side::front);
  const std::string jpeg = encode_jpeg(r);
  EXPECT_THROW(decode_jpeg(jpeg.substr(0, jpeg.size() / 2)), std::runtime_error);
  EXPECT_THROW(decode_jpeg("\xFF\xD8garbage"), std::runtime_error);
}

TEST(SimPage, PnmRoundTrip) {
  const Raster c = render_page(0, 0, 600, 600, 100, 100, ColorMode::color, 1, Side::front);
  const Raster g = render_page(0, 0, 600, 600, 100, 100, ColorMode::gray, 1, Side::front);
  const Raster l = render_page(0, 0, 600, 600, 100, 100, ColorMode::lineart, 1, Side::front);
  const Raster c2 = read_image(write_pnm(c));
  EXPECT_EQ(c2.channels, 3);
  EXPECT_EQ(c2.pixels, c.pixels);
  EXPECT_EQ(read_image(write_pnm(g)).pixels, g.pixels);
  const Raster l2 = read_image(write_pnm(l, true));
  EXPECT_EQ(l2.channels, 1);
  EXPECT_EQ(l2.pixels, l.pixels);
  EXPECT_TRUE(check_page(l2, spec(100, ColorMode::lineart, 1)).ok);
  EXPECT_THROW(read_image("P6\n10 10\n255\nshort"), std::runtime_error);
  EXPECT_THROW(read_image("GIF89a"), std::runtime_error);
  EXPECT_THROW(read_image("P5\n# comment\n10 10\n65535\n"), std::runtime_error);
}

TEST(SimPage, TinyImageCannotBeChecked) {
  const Raster r = render_page(0, 0, 30, 30, 100, 100, ColorMode::gray, 1, Side::front);
  const CheckResult c = check_page(r, spec(100, ColorMode::gray, 1));
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.cells_checked, 0);
}

}  // namespace

namespace {

TEST(SimPage, OneMillimetreOffsetIsCaught) {
  for (int dpi : {75, 150, 300}) {
    for (ColorMode m : {ColorMode::color, ColorMode::gray}) {
      // The window really starts 12/300 in (1 mm) right of and below where the checker is told.
      const Raster r = render_page(12 + 590, 12 + 709, 1180, 1180, dpi, dpi, m, 1, Side::front);
      CheckSpec s;
      s.resolution = dpi;
      s.mode = m;
      s.tl_x_mm = 50;
      s.tl_y_mm = 60;
      const CheckResult wrong = check_page(r, s);
      EXPECT_FALSE(wrong.ok) << dpi << " dpi: " << wrong.message;
      EXPECT_NE(wrong.message.find("offset"), std::string::npos) << wrong.message;
      // The HPLIP-style truncation to whole 1/300 inch is tolerated.
      const Raster exact = render_page(590, 708, 1180, 1180, dpi, dpi, m, 1, Side::front);
      const CheckResult ok = check_page(decode_jpeg(encode_jpeg(exact)), s);
      EXPECT_TRUE(ok.ok) << dpi << " dpi: " << ok.message;
    }
  }
}

}  // namespace

namespace {

TEST(SimPage, LineartPacksEightPixelsAByteMsbFirstOneIsWhite) {
  Raster r;
  r.width = 10;
  r.height = 2;
  r.channels = 1;
  // Row 0: white, black, white x7, black; row 1: all black.
  r.pixels = std::string("\xff\x00\xff\xff\xff\xff\xff\xff\xff\x00", 10) + std::string(10, '\0');
  const std::string packed = pack_lineart(r);
  ASSERT_EQ(packed.size(), 4u);                             // ceil(10 / 8) = 2 bytes a row
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0xBFu);  // 1011 1111
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x80u);  // pixel 8 white, 9 black, padding 0
  EXPECT_EQ(packed[2], '\0');
  EXPECT_EQ(packed[3], '\0');
  // A rendered lineart page: the gutter at the top-left is white, the marker block black.
  const Raster page = render_page(0, 0, 120, 120, 300, 300, ColorMode::lineart, 1, Side::front);
  const std::string bits = pack_lineart(page);
  EXPECT_EQ(bits.size(), 15u * 120u);
  EXPECT_EQ(static_cast<unsigned char>(bits[0]), 0xFFu);         // row 0: gutter
  EXPECT_EQ(static_cast<unsigned char>(bits[60 * 15 + 5]), 0u);  // row 60, pixels 40..47: the black block
}

TEST(SimPage, PdfIsOnePageAroundTheJpegWithAWorkingXref) {
  const Raster page = render_page(0, 0, 300, 600, 100, 100, ColorMode::color, 1, Side::front);
  const std::string jpeg = encode_jpeg(page);
  const std::string pdf = jpeg_pdf(jpeg, page.width, page.height, page.channels, 100, 100);
  EXPECT_TRUE(pdf.starts_with("%PDF-"));
  EXPECT_TRUE(pdf.ends_with("%%EOF\n"));
  EXPECT_NE(pdf.find(jpeg), std::string::npos);
  EXPECT_NE(pdf.find("/Filter /DCTDecode"), std::string::npos);
  EXPECT_NE(pdf.find("/Width 100 /Height 200 /ColorSpace /DeviceRGB"), std::string::npos);
  EXPECT_NE(pdf.find("/MediaBox [0 0 72.00 144.00]"), std::string::npos);  // 1 x 2 inches
  // startxref names the xref table, and every entry names its object.
  const auto sx = pdf.rfind("startxref\n");
  ASSERT_NE(sx, std::string::npos);
  const std::size_t xref = std::stoul(pdf.substr(sx + 10));
  ASSERT_EQ(pdf.compare(xref, 9, "xref\n0 6\n"), 0);
  for (int i = 1; i <= 5; ++i) {
    const std::size_t entry = xref + 9 + 20 * static_cast<std::size_t>(i);
    const std::size_t offset = std::stoul(pdf.substr(entry, 10));
    EXPECT_EQ(pdf.compare(offset, 8, std::to_string(i) + " 0 obj\n"), 0) << "object " << i;
  }
  const Raster gray = render_page(0, 0, 300, 300, 75, 75, ColorMode::gray, 1, Side::front);
  EXPECT_NE(jpeg_pdf(encode_jpeg(gray), 75, 75, 1, 75, 75).find("/ColorSpace /DeviceGray"), std::string::npos);
}

}  // namespace
