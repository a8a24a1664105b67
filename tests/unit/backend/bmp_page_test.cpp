// BMP pages (WS-Scan's "dib") through the PageDecoder: every supported layout to every frame mode,
// streaming of top-down pages, the buffered bottom-up page, truncation and bad headers.
#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "backend/image/bmp_rows.hpp"
#include "backend/image/page_decoder.hpp"

using namespace hpaio;
using namespace hpaio::backend;

namespace {

using Bytes = std::vector<std::uint8_t>;
struct Rgb {
  int r, g, b;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

constexpr int kBlock = 8;
constexpr std::array<Rgb, 8> kColours = {{{255, 0, 0},
                                          {0, 160, 0},
                                          {0, 0, 255},
                                          {250, 250, 250},
                                          {20, 20, 20},
                                          {255, 200, 0},
                                          {0, 200, 220},
                                          {128, 0, 128}}};

int block_index(int x, int y) { return (x / kBlock + 3 * (y / kBlock)) % static_cast<int>(kColours.size()); }
Rgb colour_at(int x, int y) { return kColours[static_cast<std::size_t>(block_index(x, y))]; }
int luma(Rgb c) { return (19595 * c.r + 38470 * c.g + 7471 * c.b + 32768) >> 16; }
int gray_at(int x, int y) { return luma(colour_at(x, y)); }

void put16(Bytes& b, std::size_t at, unsigned v) {
  b[at] = static_cast<std::uint8_t>(v);
  b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

struct Bmp {
  int width = 0;
  int height = 0;  // rows
  int bpp = 24;
  bool top_down = false;
  int info_size = 40;  // 40, 108 (V4), 124 (V5)
  bool file_header = true;
  std::uint32_t compression = 0;                // 0 BI_RGB, 3 BI_BITFIELDS, ...
  std::array<std::uint32_t, 3> masks{};         // BI_BITFIELDS
  std::vector<Rgb> palette{};                   // written as BGRX
  int gap = 0;                                  // junk bytes between the palette and the rows (bfOffBits)
  std::function<std::uint32_t(int, int)> at{};  // a pixel's value: an index, 0xRRGGBB, or a masked value
};

Bytes encode(const Bmp& s) {
  const std::size_t row_bytes = (static_cast<std::size_t>(s.width) * s.bpp + 31) / 32 * 4;
  const bool masks_after = s.compression == 3 && s.info_size == 40;
  const std::size_t file = s.file_header ? 14 : 0;
  const std::size_t palette_at = file + s.info_size + (masks_after ? 12 : 0);
  const std::size_t data_at = palette_at + 4 * s.palette.size() + static_cast<std::size_t>(s.gap);
  Bytes b(data_at + row_bytes * s.height, 0);
  if (s.file_header) {
    b[0] = 'B';
    b[1] = 'M';
    put32(b, 2, static_cast<std::uint32_t>(b.size()));
    put32(b, 10, static_cast<std::uint32_t>(data_at));
  }
  put32(b, file, static_cast<std::uint32_t>(s.info_size));
  put32(b, file + 4, static_cast<std::uint32_t>(s.width));
  put32(b, file + 8, static_cast<std::uint32_t>(s.top_down ? -s.height : s.height));
  put16(b, file + 12, 1);
  put16(b, file + 14, static_cast<unsigned>(s.bpp));
  put32(b, file + 16, s.compression);
  put32(b, file + 32, static_cast<std::uint32_t>(s.palette.size()));
  if (s.compression == 3) {  // after a 40-byte header, or in a V4/V5 one: at the same place
    for (std::size_t i = 0; i < 3; ++i) put32(b, file + 40 + 4 * i, s.masks[i]);
  }
  for (std::size_t i = 0; i < s.palette.size(); ++i) {
    b[palette_at + 4 * i] = static_cast<std::uint8_t>(s.palette[i].b);
    b[palette_at + 4 * i + 1] = static_cast<std::uint8_t>(s.palette[i].g);
    b[palette_at + 4 * i + 2] = static_cast<std::uint8_t>(s.palette[i].r);
  }
  for (int i = 0; i < s.gap; ++i) b[palette_at + 4 * s.palette.size() + static_cast<std::size_t>(i)] = 0x5A;
  for (int y = 0; y < s.height; ++y) {
    const int file_row = s.top_down ? y : s.height - 1 - y;
    std::uint8_t* row = b.data() + data_at + row_bytes * static_cast<std::size_t>(file_row);
    std::memset(row, 0xA5, row_bytes);  // padding that must not show
    if (s.bpp < 8) std::memset(row, 0, (static_cast<std::size_t>(s.width) * s.bpp + 7) / 8);
    for (int x = 0; x < s.width; ++x) {
      const std::uint32_t v = s.at(x, y);
      switch (s.bpp) {
        case 1: row[x >> 3] = static_cast<std::uint8_t>(row[x >> 3] | (v & 1) << (7 - (x & 7))); break;
        case 4: row[x >> 1] = static_cast<std::uint8_t>(row[x >> 1] | (v & 15) << ((x & 1) ? 0 : 4)); break;
        case 8: row[x] = static_cast<std::uint8_t>(v); break;
        case 16: row[2 * x] = static_cast<std::uint8_t>(v), row[2 * x + 1] = static_cast<std::uint8_t>(v >> 8); break;
        case 24:
          row[3 * x] = static_cast<std::uint8_t>(v);  // B, G, R
          row[3 * x + 1] = static_cast<std::uint8_t>(v >> 8);
          row[3 * x + 2] = static_cast<std::uint8_t>(v >> 16);
          break;
        default:
          for (int k = 0; k < 4; ++k) row[4 * x + k] = static_cast<std::uint8_t>(v >> (8 * k));
          break;
      }
    }
  }
  return b;
}

std::uint32_t rgb_value(Rgb c) { return static_cast<std::uint32_t>(c.r << 16 | c.g << 8 | c.b); }

Bmp colour24(int width, int height) {
  return Bmp{.width = width, .height = height, .at = [](int x, int y) { return rgb_value(colour_at(x, y)); }};
}

std::vector<Rgb> gray_ramp() {
  std::vector<Rgb> p;
  for (int i = 0; i < 256; ++i) p.push_back({i, i, i});
  return p;
}

struct Decoded {
  Bytes data;
  int lines = 0;
  bool truncated = false;
  int source_width = 0;
  int source_height = 0;
};

// Reads the frame, pushing the input in random pieces (at most max_push bytes) whenever asked.
Decoded decode(const FrameFormat& f, const Bytes& input, unsigned seed = 1, std::size_t max_push = 500) {
  PageSource src;
  src.format = ImageFormat::Bmp;
  PageDecoder d(src, f);
  std::mt19937 rng(seed);
  Decoded r;
  Bytes buf(3 * static_cast<std::size_t>(f.bytes_per_line()) + 7);
  std::size_t pos = 0;
  bool ended = false;
  while (!d.finished()) {
    const std::size_t n = d.read(std::span(buf.data(), 1 + rng() % buf.size()));
    r.data.insert(r.data.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    if (n > 0 || d.finished()) continue;
    if (!d.wants_input()) {
      ADD_FAILURE() << "read() returned 0 without wanting input or being finished";
      break;
    }
    if (pos < input.size()) {
      const std::size_t k = std::min<std::size_t>(1 + rng() % max_push, input.size() - pos);
      d.push(std::span(input.data() + pos, k));
      pos += k;
    } else if (!ended) {
      d.end_of_input();
      ended = true;
    } else {
      ADD_FAILURE() << "decoder wants more than the whole input";
      break;
    }
  }
  r.lines = d.lines();
  r.truncated = d.truncated();
  r.source_width = d.source_width();
  r.source_height = d.source_height();
  return r;
}

FrameFormat frame(ColorMode mode, int width, int lines, bool open_ended = false) {
  return FrameFormat{mode, width, lines, open_ended};
}

Rgb pixel(const Decoded& d, const FrameFormat& f, int x, int y) {
  const std::uint8_t* row = d.data.data() + static_cast<std::size_t>(y) * f.bytes_per_line();
  switch (f.mode) {
    case ColorMode::Color: return {row[3 * x], row[3 * x + 1], row[3 * x + 2]};
    case ColorMode::Gray: return {row[x], row[x], row[x]};
    case ColorMode::BlackAndWhite: {
      const int v = (row[x >> 3] >> (7 - (x & 7))) & 1 ? 0 : 255;
      return {v, v, v};
    }
  }
  return {};
}

// What the frame shows of the block pattern at (x, y), from a colour or a gray source.
Rgb expected(ColorMode mode, int x, int y, bool gray_source) {
  const int g = gray_at(x, y);
  switch (mode) {
    case ColorMode::Color: return gray_source ? Rgb{g, g, g} : colour_at(x, y);
    case ColorMode::Gray: return {g, g, g};
    case ColorMode::BlackAndWhite: return g < 128 ? Rgb{0, 0, 0} : Rgb{255, 255, 255};
  }
  return {};
}

testing::AssertionResult near(Rgb got, Rgb want, int tolerance, int x, int y) {
  if (std::abs(got.r - want.r) <= tolerance && std::abs(got.g - want.g) <= tolerance &&
      std::abs(got.b - want.b) <= tolerance) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "at (" << x << "," << y << "): got " << got.r << "," << got.g << "," << got.b
                                     << " want " << want.r << "," << want.g << "," << want.b;
}

// Every pixel of the frame: the pattern inside the rows [image_top, image_height) of an
// image_width-wide image, white everywhere else.
void check(const Decoded& d, const FrameFormat& f, int image_width, int image_height, bool gray_source = false,
           int tolerance = 0, int image_top = 0) {
  ASSERT_EQ(d.data.size(), static_cast<std::size_t>(f.bytes_per_line()) * f.lines);
  for (int y = 0; y < f.lines; ++y) {
    for (int x = 0; x < f.pixels_per_line; ++x) {
      const bool image = x < image_width && y < image_height && y >= image_top;
      const Rgb want = image ? expected(f.mode, x, y, gray_source) : Rgb{255, 255, 255};
      ASSERT_TRUE(near(pixel(d, f, x, y), want, image ? tolerance : 0, x, y));
    }
  }
}

constexpr std::array<ColorMode, 3> kModes = {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite};

TEST(BmpPage, Bgr24BottomUpAndTopDownToEveryMode) {
  for (const bool top_down : {false, true}) {
    Bmp s = colour24(61, 43);  // 183-byte rows: one byte of padding
    s.top_down = top_down;
    const Bytes bmp = encode(s);
    for (const ColorMode mode : kModes) {
      SCOPED_TRACE(std::string(top_down ? "top-down " : "bottom-up ") + std::string(sane_name(mode)));
      const FrameFormat f = frame(mode, 61, 43);
      for (unsigned seed = 1; seed <= 3; ++seed) {
        const Decoded d = decode(f, bmp, seed, seed == 1 ? 1 : 700);
        check(d, f, 61, 43);
        EXPECT_FALSE(d.truncated);
        EXPECT_EQ(d.source_width, 61);
        EXPECT_EQ(d.source_height, 43);
      }
    }
  }
}

TEST(BmpPage, ThirtyTwoBitBgrxAndBitfieldsInV4V5AndPackedDib) {
  const auto bgrx = [](int x, int y) { return rgb_value(colour_at(x, y)) | 0xEE000000u; };
  // Red in the low byte, blue in the high one: the masks, not the byte order, say which is which.
  const auto rgbx = [](int x, int y) {
    const Rgb c = colour_at(x, y);
    return static_cast<std::uint32_t>(c.r | c.g << 8 | c.b << 16) | 0x77000000u;
  };
  std::vector<Bmp> cases;
  cases.push_back(Bmp{.width = 19, .height = 17, .bpp = 32, .at = bgrx});
  cases.push_back(Bmp{.width = 19,
                      .height = 17,
                      .bpp = 32,
                      .info_size = 108,
                      .compression = 3,
                      .masks = {0xFF, 0xFF00, 0xFF0000},
                      .at = rgbx});
  cases.push_back(Bmp{.width = 19,
                      .height = 17,
                      .bpp = 32,
                      .top_down = true,
                      .info_size = 124,
                      .compression = 3,
                      .masks = {0xFF, 0xFF00, 0xFF0000},
                      .at = rgbx});
  cases.push_back(Bmp{.width = 19,
                      .height = 17,
                      .bpp = 32,
                      .file_header = false,
                      .compression = 3,
                      .masks = {0xFF, 0xFF00, 0xFF0000},
                      .at = rgbx});
  Bmp packed = colour24(19, 17);
  packed.file_header = false;
  cases.push_back(packed);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    const FrameFormat f = frame(ColorMode::Color, 19, 17);
    const Decoded d = decode(f, encode(cases[i]), static_cast<unsigned>(i));
    check(d, f, 19, 17);
    EXPECT_FALSE(d.truncated);
  }
}

TEST(BmpPage, SixteenBit565And555) {
  const auto rgb565 = [](int x, int y) {
    const Rgb c = colour_at(x, y);
    return static_cast<std::uint32_t>((c.r >> 3) << 11 | (c.g >> 2) << 5 | c.b >> 3);
  };
  const auto rgb555 = [](int x, int y) {
    const Rgb c = colour_at(x, y);
    return static_cast<std::uint32_t>((c.r >> 3) << 10 | (c.g >> 3) << 5 | c.b >> 3);
  };
  const FrameFormat f = frame(ColorMode::Color, 21, 9);
  // BI_BITFIELDS after a 40-byte header; BI_RGB 16-bit is 5-5-5.
  check(
      decode(
          f,
          encode(Bmp{
              .width = 21, .height = 9, .bpp = 16, .compression = 3, .masks = {0xF800, 0x07E0, 0x001F}, .at = rgb565})),
      f, 21, 9, false, 8);
  check(decode(f, encode(Bmp{.width = 21, .height = 9, .bpp = 16, .at = rgb555})), f, 21, 9, false, 8);
}

TEST(BmpPage, EightBitGrayPaletteIsGrayAndColourPaletteIsRgb) {
  Bmp gray{.width = 33, .height = 20, .bpp = 8, .palette = gray_ramp(), .at = [](int x, int y) {
             return static_cast<std::uint32_t>(gray_at(x, y));
           }};
  Bmp colour{
      .width = 33, .height = 20, .bpp = 8, .palette = {kColours.begin(), kColours.end()}, .at = [](int x, int y) {
        return static_cast<std::uint32_t>(block_index(x, y));
      }};
  for (const ColorMode mode : kModes) {
    SCOPED_TRACE(std::string(sane_name(mode)));
    const FrameFormat f = frame(mode, 33, 20);
    check(decode(f, encode(gray)), f, 33, 20, true);
    check(decode(f, encode(colour)), f, 33, 20, false);
  }
}

TEST(BmpPage, FourBitPalette) {
  Bmp s{.width = 13, .height = 11, .bpp = 4, .palette = {kColours.begin(), kColours.end()}, .at = [](int x, int y) {
          return static_cast<std::uint32_t>(block_index(x, y));
        }};
  const FrameFormat f = frame(ColorMode::Color, 13, 11);
  check(decode(f, encode(s)), f, 13, 11);
}

TEST(BmpPage, OneBitWhicheverIndexIsWhite) {
  // 0 = black, 1 = white (the usual) and the other way round give the same page.
  const auto bit = [](bool one_is_white) {
    return [one_is_white](int x, int y) { return (gray_at(x, y) >= 128) == one_is_white ? 1u : 0u; };
  };
  Bmp black_first{.width = 35, .height = 18, .bpp = 1, .palette = {{0, 0, 0}, {255, 255, 255}}, .at = bit(true)};
  Bmp white_first{.width = 35, .height = 18, .bpp = 1, .palette = {{255, 255, 255}, {0, 0, 0}}, .at = bit(false)};
  for (const ColorMode mode : kModes) {
    SCOPED_TRACE(std::string(sane_name(mode)));
    const FrameFormat f = frame(mode, 35, 18);
    for (const Bmp& s : {black_first, white_first}) {
      const Decoded d = decode(f, encode(s));
      ASSERT_EQ(d.data.size(), static_cast<std::size_t>(f.bytes_per_line()) * 18);
      for (int y = 0; y < 18; ++y) {
        for (int x = 0; x < 35; ++x) {
          const int v = gray_at(x, y) >= 128 ? 255 : 0;
          ASSERT_TRUE(near(pixel(d, f, x, y), {v, v, v}, 0, x, y));
        }
      }
      if (mode == ColorMode::BlackAndWhite) {  // lineart pad bits are 0
        for (int y = 0; y < 18; ++y) EXPECT_EQ(d.data[static_cast<std::size_t>(y) * 5 + 4] & 0x1F, 0) << y;
      }
    }
  }
  // A 1-bit image with a coloured palette keeps its colours.
  Bmp coloured{.width = 9, .height = 3, .bpp = 1, .palette = {{255, 0, 0}, {0, 0, 255}}, .at = [](int x, int) {
                 return static_cast<std::uint32_t>(x & 1);
               }};
  const FrameFormat f = frame(ColorMode::Color, 9, 3);
  const Decoded d = decode(f, encode(coloured));
  EXPECT_EQ(pixel(d, f, 0, 1), (Rgb{255, 0, 0}));
  EXPECT_EQ(pixel(d, f, 1, 1), (Rgb{0, 0, 255}));
}

TEST(BmpPage, CropAndPadBothWays) {
  for (const bool top_down : {false, true}) {
    Bmp s = colour24(40, 30);
    s.top_down = top_down;
    const Bytes bmp = encode(s);
    const FrameFormat smaller = frame(ColorMode::Color, 25, 20);
    check(decode(smaller, bmp), smaller, 40, 30);  // the top-left part
    const FrameFormat bigger = frame(ColorMode::Gray, 50, 45);
    const Decoded d = decode(bigger, bmp);
    check(d, bigger, 40, 30);
    EXPECT_FALSE(d.truncated);
  }
}

TEST(BmpPage, GapBeforeThePixelsIsSkipped) {
  Bmp s = colour24(10, 6);
  s.gap = 333;
  s.info_size = 124;
  const FrameFormat f = frame(ColorMode::Color, 10, 6);
  check(decode(f, encode(s), 4, 7), f, 10, 6);
}

TEST(BmpPage, TopDownRowsComeAsTheirBytesArrive) {
  Bmp s = colour24(16, 50);
  s.top_down = true;
  const Bytes bmp = encode(s);
  const std::size_t header = 54, row = 48;
  PageSource src;
  src.format = ImageFormat::Bmp;
  PageDecoder d(src, frame(ColorMode::Color, 16, 50));
  Bytes out(48 * 50);
  EXPECT_EQ(d.read(out), 0u);
  d.push(std::span(bmp.data(), header + 2 * row + 5));
  EXPECT_EQ(d.read(out), 2 * row);  // two whole rows; the third is not in yet
  EXPECT_TRUE(d.wants_input());
  EXPECT_TRUE(d.header_ready());
  EXPECT_EQ(d.source_width(), 16);
}

TEST(BmpPage, BottomUpWaitsForItsTopRowAndKeepsOnlyTheFrame) {
  const Bytes bmp = encode(colour24(16, 50));
  PageSource src;
  src.format = ImageFormat::Bmp;
  const FrameFormat f = frame(ColorMode::Gray, 16, 20);  // the top 20 of 50 rows
  PageDecoder d(src, f);
  Bytes out(16 * 20);
  d.push(std::span(bmp.data(), bmp.size() - 1));
  EXPECT_EQ(d.read(out), 0u);  // the top row is one byte short
  EXPECT_TRUE(d.wants_input());
  d.push(std::span(bmp.data() + bmp.size() - 1, 1));
  std::size_t got = 0;
  for (std::size_t n; (n = d.read(std::span(out).subspan(got))) > 0;) got += n;
  EXPECT_EQ(got, out.size());
  EXPECT_TRUE(d.finished());
  Decoded r{out, 20, false, 16, 50};
  check(r, f, 16, 50);
}

TEST(BmpPage, TruncatedPagesArePaddedWhereTheirRowsAreMissing) {
  for (const bool top_down : {false, true}) {
    SCOPED_TRACE(top_down ? "top-down" : "bottom-up");
    Bmp s = colour24(20, 40);
    s.top_down = top_down;
    Bytes bmp = encode(s);
    bmp.resize(54 + 60 * 25 + 7);  // 25 rows and a bit
    const FrameFormat f = frame(ColorMode::Color, 20, 40);
    const Decoded d = decode(f, bmp);
    EXPECT_TRUE(d.truncated);
    EXPECT_EQ(d.source_height, 25);
    if (top_down) {
      check(d, f, 20, 25);  // the bottom 15 rows are white
    } else {
      check(d, f, 20, 40, false, 0, 15);  // the top 15 rows are white
    }
  }
  // The input ends inside the header, or there is none: a white page.
  const Bytes bmp = encode(colour24(8, 8));
  for (const std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{20}, std::size_t{53}}) {
    const FrameFormat f = frame(ColorMode::Color, 8, 8);
    const Decoded d = decode(f, Bytes(bmp.begin(), bmp.begin() + static_cast<std::ptrdiff_t>(cut)));
    EXPECT_TRUE(d.truncated) << cut;
    check(d, f, 0, 0);
  }
}

TEST(BmpPage, OpenEndedFrameEndsWithTheImage) {
  for (const bool top_down : {false, true}) {
    Bmp s = colour24(24, 30);
    s.top_down = top_down;
    const Decoded d = decode(frame(ColorMode::Color, 24, 100, true), encode(s));
    EXPECT_EQ(d.lines, 30);
    EXPECT_FALSE(d.truncated);
    check(d, frame(ColorMode::Color, 24, 30), 24, 30);
  }
  // A longer image is cut at the frame's most lines.
  const Decoded d = decode(frame(ColorMode::Gray, 24, 20, true), encode(colour24(24, 30)));
  EXPECT_EQ(d.lines, 20);
  check(d, frame(ColorMode::Gray, 24, 20), 24, 30);
}

// A 4000 x 6000 gray page (24 MB) made as the decoder asks for it: top-down it streams in about a
// row of memory; bottom-up it holds the frame's rows, and nothing more.
TEST(BmpPage, LargePageMemory) {
  const int width = 4000, height = 6000;
  const Bytes head = [&] {
    Bmp s{.width = width, .height = 1, .bpp = 8, .palette = gray_ramp(), .at = [](int, int) { return 0u; }};
    Bytes b = encode(s);
    b.resize(b.size() - static_cast<std::size_t>(width));
    return b;
  }();
  const auto heap = [] {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
  };
  const std::size_t frame_bytes = static_cast<std::size_t>(width) * height;
  for (const bool top_down : {true, false}) {
    SCOPED_TRACE(top_down ? "top-down" : "bottom-up");
    Bytes header = head;
    put32(header, 22, static_cast<std::uint32_t>(top_down ? -height : height));
    const std::size_t base = heap();
    std::size_t peak = 0;
    {
      PageSource src;
      src.format = ImageFormat::Bmp;
      PageDecoder d(src, frame(ColorMode::Gray, width, height));
      Bytes chunk(64 * 1024), out(3 * width + 11);
      std::size_t sent = 0, got = 0;
      const std::size_t total = header.size() + frame_bytes;
      bool rows_ok = true;
      while (!d.finished()) {
        const std::size_t n = d.read(out);
        for (std::size_t i = 0; i < n; ++i) {
          const std::size_t at = got + i;
          const int y = static_cast<int>(at / width), x = static_cast<int>(at % width);
          rows_ok = rows_ok && out[i] == static_cast<std::uint8_t>(x + y);
        }
        got += n;
        peak = std::max(peak, heap() - base);
        if (n > 0) continue;
        ASSERT_TRUE(d.wants_input());
        ASSERT_LT(sent, total);
        const std::size_t k = std::min(chunk.size(), total - sent);
        for (std::size_t i = 0; i < k; ++i) {
          const std::size_t at = sent + i;
          if (at < header.size()) {
            chunk[i] = header[at];
            continue;
          }
          const std::size_t p = at - header.size();
          const int file_row = static_cast<int>(p / width), x = static_cast<int>(p % width);
          const int y = top_down ? file_row : height - 1 - file_row;
          chunk[i] = static_cast<std::uint8_t>(x + y);
        }
        d.push(std::span(chunk.data(), k));
        sent += k;
      }
      EXPECT_EQ(got, frame_bytes);
      EXPECT_TRUE(rows_ok);
      EXPECT_FALSE(d.truncated());
    }
    RecordProperty(top_down ? "top_down_peak" : "bottom_up_peak", std::to_string(peak));
#if defined(__SANITIZE_ADDRESS__)
    continue;  // ASan's allocator is not malloc's: mallinfo2() does not see the heap
#endif
    if (top_down) {
      EXPECT_LT(peak, 1u << 20) << peak;
    } else {
      EXPECT_GE(peak, frame_bytes);
      EXPECT_LT(peak, frame_bytes + (1u << 20)) << peak;
    }
  }
}

void expect_error(const Bytes& input, const std::string& words, FrameFormat f = frame(ColorMode::Color, 64, 64)) {
  SCOPED_TRACE(words);
  PageSource src;
  src.format = ImageFormat::Bmp;
  PageDecoder d(src, f);
  Bytes buf(4096);
  d.push(input);
  d.end_of_input();
  try {
    while (!d.finished()) d.read(buf);
    ADD_FAILURE() << "no ImageError";
  } catch (const ImageError& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    EXPECT_THROW(d.read(buf), ImageError);  // and stays failed
    EXPECT_FALSE(d.wants_input());
  }
}

Bytes with32(Bytes b, std::size_t at, std::uint32_t v) {
  put32(b, at, v);
  return b;
}

TEST(BmpPage, BadHeadersAreClearErrors) {
  const Bytes good = encode(colour24(8, 8));
  const std::string html = "<html><body>500 Internal Server Error</body></html>";
  expect_error(Bytes(html.begin(), html.end()), "not a BMP");
  expect_error(with32(good, 14, 12), "BITMAPCOREHEADER");
  expect_error(with32(good, 14, 77), "header size 77");
  expect_error(with32(good, 18, 0), "width 0");
  expect_error(with32(good, 18, 0x80000000u), "width");
  expect_error(with32(good, 22, 0), "height 0");
  expect_error(with32(good, 22, 0x80000000u), "height");
  expect_error(with32(good, 22, 200000), "height 200000");
  Bytes bpp = good;
  put16(bpp, 28, 2);
  expect_error(bpp, "2 bits per pixel");
  expect_error(with32(good, 30, 1), "RLE8");
  expect_error(with32(good, 30, 4), "JPEG");
  expect_error(with32(good, 30, 3), "BI_BITFIELDS with 24");
  expect_error(with32(good, 46, 5000), "palette of 5000");
  expect_error(with32(good, 10, 20), "inside the header");
  expect_error(with32(good, 10, 50u << 20), "too far");
  // A bottom-up page is held in memory: one over the bound is refused before any pixel is read.
  Bytes huge = encode(colour24(8, 8));
  put32(huge, 18, 90000);
  put32(huge, 22, 90000);
  expect_error(huge, "MiB", frame(ColorMode::Color, 90000, 90000));
  // The same page top-down streams: nothing to hold, so no error (and a truncated white page).
  put32(huge, 22, static_cast<std::uint32_t>(-90000));
  const Decoded d = decode(frame(ColorMode::Gray, 100, 3), huge);
  EXPECT_TRUE(d.truncated);
}

TEST(BmpPage, CorruptHeadersNeverCrash) {
  const Bytes good = encode(Bmp{.width = 9, .height = 7, .bpp = 8, .palette = gray_ramp(), .at = [](int x, int y) {
                                  return static_cast<std::uint32_t>(gray_at(x, y));
                                }});
  std::mt19937 rng(5);
  int errors = 0;
  for (int round = 0; round < 500; ++round) {
    Bytes bad = good;
    for (int i = 0; i < 1 + static_cast<int>(rng() % 4); ++i) bad[rng() % 60] = static_cast<std::uint8_t>(rng());
    if (round % 4 == 0) bad.resize(rng() % bad.size());
    const FrameFormat f = frame(kModes[static_cast<std::size_t>(round) % 3], 10, 8, round % 2 == 0);
    try {
      const Decoded d = decode(f, bad, static_cast<unsigned>(round), 64);
      ASSERT_EQ(d.data.size(), static_cast<std::size_t>(f.bytes_per_line()) * d.lines);
    } catch (const ImageError&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 0);
}

}  // namespace
