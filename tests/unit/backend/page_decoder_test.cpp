#include "backend/image/page_decoder.hpp"

#include <gtest/gtest.h>
#include <jpeglib.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace hpaio;
using namespace hpaio::backend;

namespace {

using Bytes = std::vector<std::uint8_t>;
struct Rgb {
  int r, g, b;
};

constexpr int kBlock = 32;  // a multiple of the 16-pixel MCU, so block centres are flat in the JPEG
constexpr std::array<Rgb, 8> kPalette = {{{255, 0, 0},
                                          {0, 160, 0},
                                          {0, 0, 255},
                                          {250, 250, 250},
                                          {20, 20, 20},
                                          {255, 200, 0},
                                          {0, 200, 220},
                                          {128, 0, 128}}};

Rgb block_colour(int x, int y) { return kPalette[(x / kBlock + 3 * (y / kBlock)) % kPalette.size()]; }
int luma(Rgb c) { return (19595 * c.r + 38470 * c.g + 7471 * c.b + 32768) >> 16; }
int block_gray(int x, int y) { return luma(block_colour(x, y)); }

// Encodes a width x height image (components 1, 3 or 4 = CMYK) whose pixels come from `pixel`, one row at a
// time so a page-sized image never exists as a raster.
struct EncodeOptions {
  int quality = 90;
  bool progressive = false;
  int restart_rows = 0;  // restart markers every this many MCU rows
};

Bytes encode_jpeg(int width, int height, int components, EncodeOptions options = {}) {
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* mem = nullptr;
  unsigned long mem_size = 0;
  jpeg_mem_dest(&c, &mem, &mem_size);
  c.image_width = static_cast<JDIMENSION>(width);
  c.image_height = static_cast<JDIMENSION>(height);
  c.input_components = components;
  c.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, options.quality, TRUE);
  if (options.progressive) jpeg_simple_progression(&c);
  c.restart_in_rows = options.restart_rows;
  jpeg_start_compress(&c, TRUE);
  Bytes row(static_cast<std::size_t>(width) * components);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Rgb p = block_colour(x, y);
      std::uint8_t* d = row.data() + static_cast<std::size_t>(x) * components;
      if (components == 1) {
        d[0] = static_cast<std::uint8_t>(luma(p));
      } else if (components == 3) {
        d[0] = static_cast<std::uint8_t>(p.r);
        d[1] = static_cast<std::uint8_t>(p.g);
        d[2] = static_cast<std::uint8_t>(p.b);
      } else {
        d[0] = d[1] = d[2] = d[3] = 100;
      }
    }
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  Bytes out(mem, mem + mem_size);
  jpeg_destroy_compress(&c);
  std::free(mem);
  return out;
}

// HP ADF style: SOF height 0xFFFF (or `declared`), real height in a DNL segment just before EOI.
Bytes make_dnl(const Bytes& jpeg, int declared = 0xFFFF) {
  Bytes out = jpeg;
  for (std::size_t i = 2; i + 8 < out.size(); ++i) {
    if (out[i] == 0xFF && out[i + 1] == 0xC0) {
      const std::uint8_t hi = out[i + 5], lo = out[i + 6];
      out[i + 5] = static_cast<std::uint8_t>(declared >> 8);
      out[i + 6] = static_cast<std::uint8_t>(declared & 0xFF);
      EXPECT_EQ(out[out.size() - 2], 0xFF);
      EXPECT_EQ(out[out.size() - 1], 0xD9);
      const std::array<std::uint8_t, 6> dnl = {0xFF, 0xDC, 0x00, 0x04, hi, lo};
      out.insert(out.end() - 2, dnl.begin(), dnl.end());
      return out;
    }
  }
  ADD_FAILURE() << "no SOF0";
  return out;
}

struct Decoded {
  Bytes data;
  int lines = 0;  // PageDecoder::lines() at the end
  bool truncated = false;
  int source_width = 0;
  int source_height = 0;
  int pushes = 0;
};

struct Chunking {
  std::size_t max_push = 64 * 1024;
  std::size_t max_read = 0;  // 0: up to 3 rows
  bool end = true;           // call end_of_input() when all bytes are pushed
  bool fixed = false;        // pushes of exactly max_push bytes (the last one shorter)
};

// Random sizes, log-uniformly spread so that 1-byte pushes and 64 KiB ones both happen.
std::size_t random_size(std::mt19937& rng, std::size_t max) {
  std::uniform_real_distribution<double> e(0.0, std::log(static_cast<double>(max) + 1.0));
  return std::clamp<std::size_t>(static_cast<std::size_t>(std::exp(e(rng))), 1, max);
}

Decoded decode(const PageSource& src, const FrameFormat& frame, const Bytes& input, unsigned seed = 1,
               Chunking chunking = {}) {
  std::mt19937 rng(seed);
  PageDecoder d(src, frame);
  Decoded r;
  const std::size_t total = static_cast<std::size_t>(frame.bytes_per_line()) * frame.lines;
  const std::size_t max_read =
      chunking.max_read ? chunking.max_read : 3 * static_cast<std::size_t>(frame.bytes_per_line());
  Bytes buf(max_read);
  std::size_t pos = 0;
  bool ended = false;
  while (!d.finished()) {
    const std::size_t want = random_size(rng, max_read);
    const std::size_t n = d.read(std::span(buf.data(), want));
    EXPECT_LE(n, want);
    r.data.insert(r.data.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    if (r.data.size() > total) break;
    if (n > 0) continue;
    if (d.finished()) break;
    if (!d.wants_input()) {
      ADD_FAILURE() << "read() returned 0 without wanting input or being finished";
      break;
    }
    if (pos < input.size()) {
      const std::size_t k =
          std::min(chunking.fixed ? chunking.max_push : random_size(rng, chunking.max_push), input.size() - pos);
      d.push(std::span(input.data() + pos, k));
      pos += k;
      ++r.pushes;
    } else if (chunking.end && !ended) {
      d.end_of_input();
      ended = true;
    } else {
      ADD_FAILURE() << "decoder wants more than the whole input";
      break;
    }
  }
  EXPECT_EQ(d.read(std::span(buf.data(), buf.size())), 0u);
  r.lines = d.lines();
  r.truncated = d.truncated();
  r.source_width = d.source_width();
  r.source_height = d.source_height();
  return r;
}

FrameFormat frame(ColorMode mode, int width, int lines) { return FrameFormat{mode, width, lines}; }
PageSource jpeg_source() { return PageSource{}; }

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

testing::AssertionResult near(Rgb got, Rgb want, int tolerance, int x, int y) {
  if (std::abs(got.r - want.r) <= tolerance && std::abs(got.g - want.g) <= tolerance &&
      std::abs(got.b - want.b) <= tolerance) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "at (" << x << "," << y << "): got " << got.r << "," << got.g << "," << got.b
                                     << " want " << want.r << "," << want.g << "," << want.b;
}

Rgb expected_colour(ColorMode mode, int x, int y, bool gray_source) {
  const int g = block_gray(x, y);
  switch (mode) {
    case ColorMode::Color: return gray_source ? Rgb{g, g, g} : block_colour(x, y);
    case ColorMode::Gray: return {g, g, g};
    case ColorMode::BlackAndWhite: {
      const int v = g < 128 ? 0 : 255;
      return {v, v, v};
    }
  }
  return {};
}

// Checks the centre of every block of the image area that falls inside the frame, and that everything
// outside the `image_width` x `image_height` area is white.
void check_page(const Decoded& d, const FrameFormat& f, int image_width, int image_height, bool gray_source = false,
                int tolerance = 10) {
  ASSERT_EQ(d.data.size(), static_cast<std::size_t>(f.bytes_per_line()) * f.lines);
  for (int by = 0; by * kBlock + kBlock / 2 < std::min(image_height, f.lines); ++by) {
    for (int bx = 0; bx * kBlock + kBlock / 2 < std::min(image_width, f.pixels_per_line); ++bx) {
      const int x = bx * kBlock + kBlock / 2, y = by * kBlock + kBlock / 2;
      ASSERT_TRUE(near(pixel(d, f, x, y), expected_colour(f.mode, x, y, gray_source), tolerance, x, y));
    }
  }
  const Rgb white{255, 255, 255};
  for (int y = 0; y < f.lines; ++y) {
    const int from = y < image_height ? image_width : 0;
    for (int x = from; x < f.pixels_per_line; ++x) ASSERT_TRUE(near(pixel(d, f, x, y), white, 0, x, y));
  }
  if (f.mode == ColorMode::BlackAndWhite && f.pixels_per_line % 8 != 0) {
    // Lineart rows are padded to a byte with 0 bits.
    const int pad_mask = 0xFF >> (f.pixels_per_line % 8);
    for (int y = 0; y < f.lines; ++y) {
      ASSERT_EQ(d.data[static_cast<std::size_t>(y + 1) * f.bytes_per_line() - 1] & pad_mask, 0) << "row " << y;
    }
  }
}

// --- JPEG -------------------------------------------------------------------------------------------------

TEST(PageDecoderJpeg, ColourPageInRandomChunks) {
  const Bytes jpeg = encode_jpeg(200, 120, 3);
  const FrameFormat f = frame(ColorMode::Color, 200, 120);
  for (unsigned seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE(seed);
    const Decoded d = decode(jpeg_source(), f, jpeg, seed);
    check_page(d, f, 200, 120);
    EXPECT_FALSE(d.truncated);
    EXPECT_EQ(d.source_width, 200);
    EXPECT_EQ(d.source_height, 120);
  }
}

TEST(PageDecoderJpeg, OneBytePushesAndOneByteReads) {
  const Bytes jpeg = encode_jpeg(72, 40, 3);
  const FrameFormat f = frame(ColorMode::Color, 72, 40);
  const Decoded d = decode(jpeg_source(), f, jpeg, 3, Chunking{.max_push = 1, .max_read = 1});
  check_page(d, f, 72, 40);
  EXPECT_EQ(d.pushes, static_cast<int>(jpeg.size()));
}

TEST(PageDecoderJpeg, WholeFileInOnePushMatchesChunked) {
  const Bytes jpeg = encode_jpeg(160, 96, 3);
  const FrameFormat f = frame(ColorMode::Color, 160, 96);
  const Decoded whole =
      decode(jpeg_source(), f, jpeg, 5, Chunking{.max_push = jpeg.size(), .max_read = 1 << 20, .fixed = true});
  const Decoded bits = decode(jpeg_source(), f, jpeg, 6, Chunking{.max_push = 7, .max_read = 100});
  check_page(whole, f, 160, 96);
  EXPECT_EQ(whole.data, bits.data);
}

TEST(PageDecoderJpeg, ColourToGrayAndLineart) {
  const Bytes jpeg = encode_jpeg(200, 100, 3);
  for (const ColorMode mode : {ColorMode::Gray, ColorMode::BlackAndWhite}) {
    const FrameFormat f = frame(mode, 200, 100);
    check_page(decode(jpeg_source(), f, jpeg, 11), f, 200, 100);
  }
}

TEST(PageDecoderJpeg, GrayJpegToEveryMode) {
  const Bytes jpeg = encode_jpeg(130, 90, 1);
  for (const ColorMode mode : {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite}) {
    SCOPED_TRACE(static_cast<int>(mode));
    const FrameFormat f = frame(mode, 130, 90);
    check_page(decode(jpeg_source(), f, jpeg, 12), f, 130, 90, /*gray_source=*/true);
  }
}

TEST(PageDecoderJpeg, LineartThresholdAndPadBits) {
  const Bytes jpeg = encode_jpeg(100, 64, 3);
  const FrameFormat f = frame(ColorMode::BlackAndWhite, 101, 64);  // wider, and not a multiple of 8
  const Decoded d = decode(jpeg_source(), f, jpeg, 13);
  check_page(d, f, 100, 64);
  // Block (0,0) is red: luminance 76 -> black; block (3,0) is near-white -> white.
  EXPECT_EQ(d.data[0] & 0x80, 0x80);
  EXPECT_EQ(pixel(d, f, 3 * kBlock + 5, 5).r, 255);
}

TEST(PageDecoderJpeg, CropAndPadInBothDirections) {
  const Bytes jpeg = encode_jpeg(150, 110, 3);
  struct Case {
    int width, lines;
  };
  for (const ColorMode mode : {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite}) {
    for (const Case c : {Case{100, 70}, Case{190, 160}, Case{100, 160}, Case{190, 70}, Case{150, 110}}) {
      SCOPED_TRACE(std::to_string(c.width) + "x" + std::to_string(c.lines) + " mode " +
                   std::to_string(static_cast<int>(mode)));
      const FrameFormat f = frame(mode, c.width, c.lines);
      const Decoded d = decode(jpeg_source(), f, jpeg, 17);
      check_page(d, f, 150, 110);
      EXPECT_FALSE(d.truncated);
    }
  }
}

TEST(PageDecoderJpeg, TallerSourceKeepsAcceptingInputAfterFinishing) {
  const Bytes jpeg = encode_jpeg(64, 400, 3);
  const FrameFormat f = frame(ColorMode::Color, 64, 32);
  PageDecoder d(jpeg_source(), f);
  Bytes out(static_cast<std::size_t>(f.bytes_per_line()) * f.lines);
  std::size_t got = 0, pos = 0;
  while (!d.finished()) {
    const std::size_t n = d.read(std::span(out.data() + got, out.size() - got));
    got += n;
    if (n == 0) {
      ASSERT_TRUE(d.wants_input());
      const std::size_t k = std::min<std::size_t>(100, jpeg.size() - pos);
      d.push(std::span(jpeg.data() + pos, k));
      pos += k;
    }
  }
  EXPECT_LT(pos, jpeg.size());  // stopped decoding early
  EXPECT_FALSE(d.wants_input());
  d.push(std::span(jpeg.data() + pos, jpeg.size() - pos));  // the caller drains the body
  d.end_of_input();
  EXPECT_EQ(d.read(std::span(out)), 0u);
  EXPECT_TRUE(d.finished());
  EXPECT_FALSE(d.truncated());
  Decoded dd;
  dd.data = out;
  check_page(dd, f, 64, 32);
}

TEST(PageDecoderJpeg, DnlHeightWithWhiteBelow) {
  for (const int height : {96, 100, 117}) {  // on and off the 16-row MCU grid
    const Bytes jpeg = make_dnl(encode_jpeg(120, height, 3));
    const FrameFormat f = frame(ColorMode::Color, 120, 160);
    for (const std::size_t max_push : {std::size_t{1}, std::size_t{5}, std::size_t{300}, jpeg.size()}) {
      SCOPED_TRACE("height " + std::to_string(height) + " max_push " + std::to_string(max_push));
      // The whole file in one push lets the decoder patch SOF before libjpeg reads it.
      const Decoded d =
          decode(jpeg_source(), f, jpeg, 21, Chunking{.max_push = max_push, .fixed = max_push == jpeg.size()});
      check_page(d, f, 120, height);
      EXPECT_FALSE(d.truncated);
      EXPECT_EQ(d.source_height, height);
      // The last image row is image, not filler. Its luminance is exact; when the DNL came after the
      // header, its chroma was upsampled against filler below, so the colour is only close.
      const int y = height - 1;
      for (int x = kBlock / 2; x < 120; x += kBlock) {
        const Rgb p = pixel(d, f, x, y);
        EXPECT_NEAR(luma(p), block_gray(x, y), 8) << x;
        EXPECT_TRUE(near(p, block_colour(x, y), max_push == jpeg.size() ? 10 : 60, x, y));
      }
    }
  }
}

TEST(PageDecoderJpeg, DnlHeightCroppedByShorterFrame) {
  const Bytes jpeg = make_dnl(encode_jpeg(120, 200, 3));
  const FrameFormat f = frame(ColorMode::Gray, 120, 150);
  for (const std::size_t max_push : {std::size_t{3}, std::size_t{4096}, jpeg.size()}) {
    const Decoded d =
        decode(jpeg_source(), f, jpeg, 22, Chunking{.max_push = max_push, .fixed = max_push == jpeg.size()});
    check_page(d, f, 120, 200);
    EXPECT_FALSE(d.truncated);
  }
}

TEST(PageDecoderJpeg, SofHeightZeroWithDnl) {
  const Bytes jpeg = make_dnl(encode_jpeg(64, 50, 1), 0);
  const FrameFormat f = frame(ColorMode::Gray, 64, 64);
  for (const std::size_t max_push : {std::size_t{2}, jpeg.size()}) {
    const Decoded d =
        decode(jpeg_source(), f, jpeg, 23, Chunking{.max_push = max_push, .fixed = max_push == jpeg.size()});
    check_page(d, f, 64, 50, true);
    EXPECT_EQ(d.source_height, 50);
  }
}

TEST(PageDecoderJpeg, DnlWithRestartMarkersInRandomChunks) {
  // RSTn markers in the scan must not be taken for its end.
  const Bytes jpeg = make_dnl(encode_jpeg(200, 150, 3, {.restart_rows = 1}));
  const FrameFormat f = frame(ColorMode::Color, 200, 170);
  for (unsigned seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE(seed);
    const Decoded d = decode(jpeg_source(), f, jpeg, seed, Chunking{.max_push = 64});
    check_page(d, f, 200, 150);
    EXPECT_EQ(d.source_height, 150);
  }
}

TEST(PageDecoderJpeg, DnlGrayJpegToLineart) {
  const Bytes jpeg = make_dnl(encode_jpeg(90, 70, 1));
  const FrameFormat f = frame(ColorMode::BlackAndWhite, 90, 80);
  for (unsigned seed = 1; seed <= 4; ++seed) {
    check_page(decode(jpeg_source(), f, jpeg, seed, Chunking{.max_push = 16}), f, 90, 70, true);
  }
}

TEST(PageDecoderJpeg, ProgressiveJpeg) {
  const Bytes jpeg = encode_jpeg(150, 100, 3, {.progressive = true});
  const FrameFormat f = frame(ColorMode::Color, 150, 100);
  for (unsigned seed = 1; seed <= 3; ++seed) check_page(decode(jpeg_source(), f, jpeg, seed), f, 150, 100);
}

TEST(PageDecoderJpeg, LargeMarkerSegmentIsSkippedAcrossPushes) {
  // An APP15 segment of 60000 bytes right after SOI: libjpeg skips it while it arrives in small pushes.
  Bytes jpeg = encode_jpeg(64, 64, 3);
  Bytes app = {0xFF, 0xEF, 60000 >> 8, 60000 & 0xFF};
  app.resize(60002, 0xFF);  // FF bytes inside: must not confuse the marker walk
  jpeg.insert(jpeg.begin() + 2, app.begin(), app.end());
  const FrameFormat f = frame(ColorMode::Gray, 64, 64);
  for (const std::size_t max_push : {std::size_t{100}, std::size_t{5000}}) {
    check_page(decode(jpeg_source(), f, jpeg, 8, Chunking{.max_push = max_push}), f, 64, 64);
  }
  check_page(decode(jpeg_source(), f, make_dnl(jpeg), 9, Chunking{.max_push = 700}), f, 64, 64);
}

TEST(PageDecoderJpeg, DnlThatNeverArrivesIsTruncated) {
  Bytes jpeg = make_dnl(encode_jpeg(64, 64, 3));
  jpeg.resize(jpeg.size() - 8);  // drop DNL and EOI
  const FrameFormat f = frame(ColorMode::Color, 64, 100);
  const Decoded d = decode(jpeg_source(), f, jpeg, 24);
  ASSERT_EQ(d.data.size(), static_cast<std::size_t>(f.bytes_per_line()) * f.lines);
  EXPECT_TRUE(d.truncated);
  for (int y = 80; y < 100; ++y) EXPECT_TRUE(near(pixel(d, f, 10, y), {255, 255, 255}, 0, 10, y));
  EXPECT_TRUE(near(pixel(d, f, 16, 16), block_colour(16, 16), 10, 16, 16));
}

TEST(PageDecoderJpeg, TruncatedAtHalfIsPaddedWhite) {
  const Bytes full = encode_jpeg(256, 256, 3);
  const Bytes half(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(full.size() / 2));
  const FrameFormat f = frame(ColorMode::Color, 256, 256);
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const Decoded d = decode(jpeg_source(), f, half, seed);
    ASSERT_EQ(d.data.size(), static_cast<std::size_t>(f.bytes_per_line()) * f.lines);
    EXPECT_TRUE(d.truncated);
    // The first rows are image, the bottom quarter is white.
    for (int x = kBlock / 2; x < 256; x += kBlock) {
      EXPECT_TRUE(near(pixel(d, f, x, kBlock / 2), block_colour(x, kBlock / 2), 10, x, kBlock / 2));
    }
    for (int y = 192; y < 256; ++y) {
      for (int x = 0; x < 256; x += 7) ASSERT_TRUE(near(pixel(d, f, x, y), {255, 255, 255}, 0, x, y));
    }
  }
}

TEST(PageDecoderJpeg, EmptyInputIsAWhiteTruncatedPage) {
  for (const ColorMode mode : {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite}) {
    const FrameFormat f = frame(mode, 33, 20);
    const Decoded d = decode(jpeg_source(), f, {}, 1);
    EXPECT_TRUE(d.truncated);
    check_page(d, f, 0, 0);
    EXPECT_EQ(d.source_width, 0);
  }
}

TEST(PageDecoderJpeg, InputEndingInTheHeaderIsTruncated) {
  const Bytes jpeg = encode_jpeg(64, 64, 3);
  const Bytes head(jpeg.begin(), jpeg.begin() + 60);
  const FrameFormat f = frame(ColorMode::Gray, 64, 64);
  const Decoded d = decode(jpeg_source(), f, head, 1);
  EXPECT_TRUE(d.truncated);
  check_page(d, f, 0, 0);
}

void expect_image_error(const Bytes& input) {
  PageDecoder d(jpeg_source(), frame(ColorMode::Color, 64, 64));
  Bytes buf(4096);
  std::size_t pos = 0;
  bool threw = false;
  try {
    for (int i = 0; i < 100000 && !d.finished(); ++i) {
      if (d.read(std::span(buf)) > 0) continue;
      if (pos < input.size()) {
        const std::size_t k = std::min<std::size_t>(1000, input.size() - pos);
        d.push(std::span(input.data() + pos, k));
        pos += k;
      } else {
        d.end_of_input();
      }
    }
  } catch (const ImageError& e) {
    threw = true;
    EXPECT_NE(std::string(e.what()), "");
    EXPECT_THROW(d.read(std::span(buf)), ImageError);  // and stays failed
    EXPECT_FALSE(d.wants_input());
    d.push(std::span(input));  // ignored
  }
  EXPECT_TRUE(threw);
}

TEST(PageDecoderJpeg, GarbageIsAnImageError) {
  const std::string text = "<html><body>503 Service Unavailable</body></html>";
  expect_image_error(Bytes(text.begin(), text.end()));
  std::mt19937 rng(7);
  Bytes noise(5000);
  for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
  noise[0] = 0x12;
  expect_image_error(noise);
}

TEST(PageDecoderJpeg, CmykIsAnImageError) { expect_image_error(encode_jpeg(32, 32, 4)); }

TEST(PageDecoderJpeg, CorruptDataNeverCrashes) {
  const Bytes jpeg = encode_jpeg(96, 64, 3, {.quality = 75});
  const FrameFormat f = frame(ColorMode::BlackAndWhite, 90, 70);
  std::mt19937 rng(99);
  int errors = 0;
  for (int round = 0; round < 300; ++round) {
    Bytes bad = jpeg;
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < flips; ++i) bad[rng() % bad.size()] = static_cast<std::uint8_t>(rng());
    if (round % 3 == 0) bad.resize(rng() % bad.size());
    try {
      const Decoded d = decode(jpeg_source(), f, bad, static_cast<unsigned>(round), Chunking{.max_push = 512});
      ASSERT_EQ(d.data.size(), static_cast<std::size_t>(f.bytes_per_line()) * f.lines);
    } catch (const ImageError&) {
      ++errors;
    }
  }
  RecordProperty("image_errors", errors);
}

// A 600 dpi A4 colour page (107 MB decoded) made of solid blocks: decoded with 64 KiB pushes, made only
// when the decoder asks, while the heap never grows by more than a few MB.
TEST(PageDecoderJpeg, LargePageInBoundedMemory) {
  const int width = 5100, height = 7016;
  const Bytes jpeg = encode_jpeg(width, height, 3, {.quality = 75});
  const FrameFormat f = frame(ColorMode::Color, width, height);
  const std::size_t bpl = static_cast<std::size_t>(f.bytes_per_line());

  auto heap = [] {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
  };
  const std::size_t base = heap();
  std::size_t peak = 0;
  {
    PageDecoder d(jpeg_source(), f);
    Bytes buf(4 * bpl);
    std::size_t pos = 0, got = 0;
    std::mt19937 rng(5);
    int y = 0;
    Bytes row(bpl);
    std::size_t row_fill = 0;
    while (!d.finished()) {
      const std::size_t n = d.read(std::span(buf.data(), 1 + rng() % buf.size()));
      peak = std::max(peak, heap() - base);
      // Assemble rows as they go by and check the block centres of every 32nd.
      for (std::size_t i = 0; i < n;) {
        const std::size_t c = std::min(n - i, bpl - row_fill);
        std::memcpy(row.data() + row_fill, buf.data() + i, c);
        i += c;
        row_fill += c;
        if (row_fill == bpl) {
          if (y % kBlock == kBlock / 2) {
            for (int x = kBlock / 2; x < width; x += kBlock) {
              const std::uint8_t* p = row.data() + 3 * x;
              ASSERT_TRUE(near({p[0], p[1], p[2]}, block_colour(x, y), 12, x, y));
            }
          }
          ++y;
          row_fill = 0;
        }
      }
      got += n;
      if (n == 0) {
        ASSERT_TRUE(d.wants_input()) << "row " << y;
        ASSERT_LT(pos, jpeg.size());
        const std::size_t k = std::min<std::size_t>(64 * 1024, jpeg.size() - pos);
        d.push(std::span(jpeg.data() + pos, k));
        pos += k;
      }
    }
    EXPECT_EQ(got, bpl * height);
    EXPECT_FALSE(d.truncated());
  }
  RecordProperty("peak_heap_growth", std::to_string(peak));
  EXPECT_LT(peak, 8u << 20) << "decoder heap growth " << peak;
}

// --- Raw (LEDM) ---------------------------------------------------------------------------------------------

PageSource raw(ColorMode mode, int width, int bpl = 0, int lines = 0) {
  PageSource s;
  s.format = ImageFormat::Raw;
  s.raw_mode = mode;
  s.raw_width = width;
  s.raw_bytes_per_line = bpl;
  s.raw_lines = lines;
  return s;
}

// Raw rows of the block pattern; padding bytes at the end of each row are 0xA5 so leaks show.
Bytes raw_image(ColorMode mode, int width, int height, int bpl) {
  Bytes out(static_cast<std::size_t>(bpl) * height, 0xA5);
  for (int y = 0; y < height; ++y) {
    std::uint8_t* row = out.data() + static_cast<std::size_t>(y) * bpl;
    if (mode == ColorMode::BlackAndWhite) std::memset(row, 0, static_cast<std::size_t>((width + 7) / 8));
    for (int x = 0; x < width; ++x) {
      const Rgb c = block_colour(x, y);
      switch (mode) {
        case ColorMode::Color:
          row[3 * x] = static_cast<std::uint8_t>(c.r);
          row[3 * x + 1] = static_cast<std::uint8_t>(c.g);
          row[3 * x + 2] = static_cast<std::uint8_t>(c.b);
          break;
        case ColorMode::Gray: row[x] = static_cast<std::uint8_t>(luma(c)); break;
        case ColorMode::BlackAndWhite:  // K1: 1 = white
          if (luma(c) >= 128) row[x >> 3] = static_cast<std::uint8_t>(row[x >> 3] | (0x80 >> (x & 7)));
          break;
      }
    }
  }
  return out;
}

TEST(PageDecoderRaw, EveryModeToEveryModeWithRowPadding) {
  const int width = 77, height = 70;
  for (const ColorMode from : {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite}) {
    const int least = FrameFormat{from, width, 1}.bytes_per_line();
    const int bpl = least + 3;
    const Bytes image = raw_image(from, width, height, bpl);
    for (const ColorMode to : {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite}) {
      SCOPED_TRACE(std::to_string(static_cast<int>(from)) + " -> " + std::to_string(static_cast<int>(to)));
      const FrameFormat f = frame(to, width, height);
      const Decoded d = decode(raw(from, width, bpl, height), f, image, 31);
      // Exact conversions: Gray/Color differ by luminance rounding only; K1 is 0 or 255.
      if (from == ColorMode::BlackAndWhite) {
        ASSERT_EQ(d.data.size(), static_cast<std::size_t>(f.bytes_per_line()) * f.lines);
        for (int y = 0; y < height; ++y) {
          for (int x = 0; x < width; ++x) {
            const int v = block_gray(x, y) < 128 ? 0 : 255;
            ASSERT_TRUE(near(pixel(d, f, x, y), {v, v, v}, 0, x, y));
          }
        }
      } else {
        check_page(d, f, width, height, from == ColorMode::Gray, 0);
      }
      EXPECT_FALSE(d.truncated);
      EXPECT_EQ(d.source_height, height);
    }
  }
}

TEST(PageDecoderRaw, K1InvertsToSaneLineart) {
  // 12 pixels in a 3-byte row: white, black alternating in pairs; the 4 bits after pixel 12 and the
  // third byte are padding.
  const Bytes row = {0b11001100, 0b1100'1111, 0xFF};
  const FrameFormat f = frame(ColorMode::BlackAndWhite, 12, 2);
  const Decoded d = decode(raw(ColorMode::BlackAndWhite, 12, 3), f, Bytes{row[0], row[1], row[2], 0, 0, 0});
  ASSERT_EQ(d.data.size(), 4u);
  EXPECT_EQ(d.data[0], 0b00110011);
  EXPECT_EQ(d.data[1], 0b0011'0000);  // pad bits 0
  EXPECT_EQ(d.data[2], 0xFF);         // all-black second row
  EXPECT_EQ(d.data[3], 0xF0);
}

TEST(PageDecoderRaw, CropPadAndTruncation) {
  const Bytes image = raw_image(ColorMode::Color, 64, 40, 64 * 3);
  {  // narrower and shorter frame: cropped
    const FrameFormat f = frame(ColorMode::Color, 50, 30);
    const Decoded d = decode(raw(ColorMode::Color, 64), f, image, 41);
    check_page(d, f, 64, 40, false, 0);
    EXPECT_FALSE(d.truncated);
  }
  {  // wider and taller frame, no announced height: padded, not truncated
    const FrameFormat f = frame(ColorMode::Color, 70, 50);
    const Decoded d = decode(raw(ColorMode::Color, 64), f, image, 42);
    check_page(d, f, 64, 40, false, 0);
    EXPECT_FALSE(d.truncated);
  }
  {  // the device announced 50 rows but sent 40 and a half
    Bytes cut = image;
    cut.resize(cut.size() + 100, 0);
    const FrameFormat f = frame(ColorMode::Gray, 64, 50);
    const Decoded d = decode(raw(ColorMode::Color, 64, 0, 50), f, cut, 43);
    check_page(d, f, 64, 40, false, 0);
    EXPECT_TRUE(d.truncated);
  }
}

// As the page pump does it: whatever pass_through_room() allows goes from the input straight into
// the output, in random pieces; the rest through push() and read().
Decoded decode_passing_through(const PageSource& src, const FrameFormat& frame, const Bytes& input, unsigned seed,
                               std::size_t* passed_total) {
  std::mt19937 rng(seed);
  PageDecoder d(src, frame);
  Decoded r;
  const std::size_t total = static_cast<std::size_t>(frame.bytes_per_line()) * frame.lines;
  Bytes buf(3 * static_cast<std::size_t>(frame.bytes_per_line()));
  std::size_t pos = 0;
  bool ended = false;
  *passed_total = 0;
  for (int guard = 0; !d.finished() && guard < 1000000; ++guard) {
    if (const std::size_t room = d.pass_through_room(); room > 0) {
      const std::size_t k = std::min({random_size(rng, 64 * 1024), room, input.size() - pos});
      if (k == 0) {
        d.end_of_input();
        ended = true;
        continue;
      }
      r.data.insert(r.data.end(), input.begin() + static_cast<std::ptrdiff_t>(pos),
                    input.begin() + static_cast<std::ptrdiff_t>(pos + k));
      d.passed_through(k);
      pos += k;
      *passed_total += k;
      continue;
    }
    const std::size_t n = d.read(std::span(buf.data(), random_size(rng, buf.size())));
    r.data.insert(r.data.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    if (r.data.size() > total) break;
    if (n > 0 || d.finished()) continue;
    if (pos < input.size()) {
      const std::size_t k = std::min(random_size(rng, 64 * 1024), input.size() - pos);
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
  EXPECT_TRUE(d.finished());
  r.lines = d.lines();
  r.truncated = d.truncated();
  r.source_width = d.source_width();
  r.source_height = d.source_height();
  return r;
}

TEST(PageDecoderRaw, PassThroughGivesTheSameFrameAsDecoding) {
  const Bytes colour = raw_image(ColorMode::Color, 64, 40, 64 * 3);
  Bytes cut = colour;
  cut.resize(cut.size() - 64 * 3 / 2);  // the last row half sent
  const Bytes gray = raw_image(ColorMode::Gray, 64, 40, 64);
  struct Case {
    const char* name;
    PageSource src;
    FrameFormat f;
    const Bytes* input;
    bool passes;
  };
  const Case cases[] = {
      {"same geometry", raw(ColorMode::Color, 64), frame(ColorMode::Color, 64, 40), &colour, true},
      {"gray, announced height", raw(ColorMode::Gray, 64, 0, 40), frame(ColorMode::Gray, 64, 40), &gray, true},
      {"shorter frame: the rest is drained", raw(ColorMode::Color, 64), frame(ColorMode::Color, 64, 25), &colour, true},
      {"taller frame: white below", raw(ColorMode::Color, 64), frame(ColorMode::Color, 64, 50), &colour, true},
      {"ends inside a row", raw(ColorMode::Color, 64, 0, 40), frame(ColorMode::Color, 64, 40), &cut, true},
      {"gray to colour is converted", raw(ColorMode::Gray, 64), frame(ColorMode::Color, 64, 40), &gray, false},
      {"narrower frame is cropped", raw(ColorMode::Color, 64), frame(ColorMode::Color, 60, 40), &colour, false},
      {"row padding is dropped", raw(ColorMode::Gray, 62, 64), frame(ColorMode::Gray, 62, 40), &gray, false},
  };
  for (const Case& c : cases) {
    for (unsigned seed = 1; seed <= 5; ++seed) {
      SCOPED_TRACE(std::string(c.name) + ", seed " + std::to_string(seed));
      const Decoded want = decode(c.src, c.f, *c.input, seed);
      std::size_t passed = 0;
      const Decoded got = decode_passing_through(c.src, c.f, *c.input, seed, &passed);
      ASSERT_EQ(got.data.size(), static_cast<std::size_t>(c.f.bytes_per_line()) * c.f.lines);
      Bytes expected = want.data;
      if (c.input == &cut && passed == cut.size()) {
        // What arrived of the last row went out before its end was known; decoding drops it. The
        // rest of that row is white either way.
        const std::size_t row = cut.size() / c.f.bytes_per_line() * c.f.bytes_per_line();
        std::copy(cut.begin() + static_cast<std::ptrdiff_t>(row), cut.end(),
                  expected.begin() + static_cast<std::ptrdiff_t>(row));
      }
      EXPECT_TRUE(got.data == expected);
      EXPECT_EQ(got.truncated, want.truncated);
      EXPECT_EQ(got.source_height, want.source_height);
      if (c.passes) {
        EXPECT_GT(passed, 0u);
      } else {
        EXPECT_EQ(passed, 0u);
      }
    }
  }
}

TEST(PageDecoderRaw, BadGeometryIsAnImageError) {
  EXPECT_THROW(PageDecoder(raw(ColorMode::Color, 100, 299), frame(ColorMode::Color, 100, 10)), ImageError);
  EXPECT_THROW(PageDecoder(raw(ColorMode::Gray, 0), frame(ColorMode::Color, 100, 10)), ImageError);
  EXPECT_THROW(PageDecoder(raw(ColorMode::Gray, 10), frame(ColorMode::Color, 0, 10)), std::invalid_argument);
}

// --- Open-ended frames (feeder pages: as long as the sheet) -------------------------------------------

FrameFormat open_frame(ColorMode mode, int width, int max_lines) {
  FrameFormat f = frame(mode, width, max_lines);
  f.open_ended = true;
  return f;
}

// The frame as it turned out: `lines` rows of the open-ended frame f.
FrameFormat as_delivered(FrameFormat f, const Decoded& d) {
  f.lines = d.lines;
  f.open_ended = false;
  return f;
}

TEST(PageDecoderOpenEnded, DnlJpegEndsAtItsRealHeight) {
  for (const int height : {96, 117}) {
    const Bytes jpeg = make_dnl(encode_jpeg(120, height, 3));
    const FrameFormat f = open_frame(ColorMode::Color, 120, 200);
    for (const std::size_t max_push : {std::size_t{1}, std::size_t{300}, jpeg.size()}) {
      SCOPED_TRACE("height " + std::to_string(height) + " max_push " + std::to_string(max_push));
      const Decoded d =
          decode(jpeg_source(), f, jpeg, 51, Chunking{.max_push = max_push, .fixed = max_push == jpeg.size()});
      EXPECT_EQ(d.lines, height);
      EXPECT_FALSE(d.truncated);
      check_page(d, as_delivered(f, d), 120, height);
    }
  }
}

TEST(PageDecoderOpenEnded, SofHeightShorterEndsThereAndTallerIsCropped) {
  const FrameFormat f = open_frame(ColorMode::Gray, 80, 100);
  const Decoded shorter = decode(jpeg_source(), f, encode_jpeg(80, 60, 3), 52);
  EXPECT_EQ(shorter.lines, 60);
  EXPECT_FALSE(shorter.truncated);
  check_page(shorter, as_delivered(f, shorter), 80, 60);
  const Decoded taller = decode(jpeg_source(), f, make_dnl(encode_jpeg(80, 130, 1)), 53, Chunking{.max_push = 200});
  EXPECT_EQ(taller.lines, 100);
  EXPECT_FALSE(taller.truncated);
  check_page(taller, as_delivered(f, taller), 80, 130, true);
}

TEST(PageDecoderOpenEnded, RawShorterThanAnnouncedIsTheSheet) {
  // LEDM announces the window's height (BufferInfo ImageHeight) and sends the sheet's rows.
  const Bytes image = raw_image(ColorMode::Color, 64, 40, 64 * 3);
  for (const ColorMode to : {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite}) {
    const FrameFormat f = open_frame(to, 64, 90);
    for (unsigned seed = 1; seed <= 3; ++seed) {
      const Decoded d = decode(raw(ColorMode::Color, 64, 0, 90), f, image, seed);
      EXPECT_EQ(d.lines, 40);
      EXPECT_FALSE(d.truncated);
      if (to != ColorMode::BlackAndWhite) check_page(d, as_delivered(f, d), 64, 40, false, 0);
      std::size_t passed = 0;
      const Decoded through = decode_passing_through(raw(ColorMode::Color, 64, 0, 90), f, image, seed, &passed);
      EXPECT_EQ(through.lines, 40);
      EXPECT_FALSE(through.truncated);
      if (to == ColorMode::Color) {
        EXPECT_GT(passed, 0u);
        EXPECT_TRUE(through.data == d.data);
      }
    }
  }
}

TEST(PageDecoderOpenEnded, CutRowEmptyInputAndBrokenJpegAreTruncated) {
  Bytes cut = raw_image(ColorMode::Gray, 64, 30, 64);
  cut.resize(cut.size() - 10);
  const Decoded d = decode(raw(ColorMode::Gray, 64), open_frame(ColorMode::Gray, 64, 50), cut, 54);
  EXPECT_TRUE(d.truncated);
  EXPECT_EQ(d.lines, 29);

  const Decoded empty = decode(raw(ColorMode::Gray, 64), open_frame(ColorMode::Gray, 64, 50), {}, 55);
  EXPECT_TRUE(empty.truncated);
  EXPECT_EQ(empty.lines, 0);
  EXPECT_TRUE(empty.data.empty());

  Bytes no_dnl = make_dnl(encode_jpeg(64, 64, 3));
  no_dnl.resize(no_dnl.size() - 8);  // the DNL and EOI never come
  const Decoded lost = decode(jpeg_source(), open_frame(ColorMode::Color, 64, 100), no_dnl, 56);
  EXPECT_TRUE(lost.truncated);
}

// Pushes `input` in pieces of `piece` bytes until settle_height() can tell; how many bytes it took.
std::size_t settle(PageDecoder& d, const Bytes& input, std::size_t piece) {
  std::size_t pos = 0;
  while (!d.settle_height()) {
    if (pos >= input.size()) {
      d.end_of_input();
      continue;
    }
    const std::size_t k = std::min(piece, input.size() - pos);
    d.push(std::span(input.data() + pos, k));
    pos += k;
  }
  return pos;
}

TEST(PageDecoderOpenEnded, JpegHeightInTheHeaderSettlesTheFrame) {
  // The sheet (60 rows) is shorter than the window (100): the frame becomes 60 rows, from the header.
  const Bytes shorter = encode_jpeg(80, 60, 3);
  PageDecoder d(jpeg_source(), open_frame(ColorMode::Color, 80, 100));
  EXPECT_LT(settle(d, shorter, 100), shorter.size());  // decided from the first bytes, not at the end
  EXPECT_FALSE(d.open_ended());
  EXPECT_EQ(d.lines(), 60);
  // A taller sheet is cropped to the window.
  PageDecoder tall(jpeg_source(), open_frame(ColorMode::Gray, 80, 40));
  settle(tall, shorter, 1);
  EXPECT_FALSE(tall.open_ended());
  EXPECT_EQ(tall.lines(), 40);
}

TEST(PageDecoderOpenEnded, SettledFrameDecodesTheSamePage) {
  const Bytes jpeg = encode_jpeg(80, 60, 3);
  const FrameFormat f = open_frame(ColorMode::Color, 80, 100);
  const Decoded reference = decode(jpeg_source(), f, jpeg, 57);
  PageDecoder d(jpeg_source(), f);
  const std::size_t used = settle(d, jpeg, 64);
  Bytes out;
  Bytes buf(1000);
  std::size_t pos = used;
  while (!d.finished()) {
    const std::size_t n = d.read(std::span(buf.data(), buf.size()));
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    if (n > 0) continue;
    ASSERT_TRUE(d.wants_input());
    ASSERT_LT(pos, jpeg.size());
    const std::size_t k = std::min<std::size_t>(500, jpeg.size() - pos);
    d.push(std::span(jpeg.data() + pos, k));
    pos += k;
  }
  EXPECT_EQ(d.lines(), 60);
  EXPECT_FALSE(d.truncated());
  EXPECT_TRUE(out == reference.data);
}

TEST(PageDecoderOpenEnded, DnlRawAndBrokenPagesStayOpenEnded) {
  // HP's 0xFFFF height: the DNL comes at the end, so the height is not known from the first bytes.
  const Bytes dnl = make_dnl(encode_jpeg(120, 96, 3));
  PageDecoder d(jpeg_source(), open_frame(ColorMode::Color, 120, 200));
  settle(d, Bytes(dnl.begin(), dnl.begin() + static_cast<std::ptrdiff_t>(dnl.size() / 2)), 300);
  EXPECT_TRUE(d.open_ended());
  // A DNL that came with the header's bytes (a small page in one piece) gives the height at once.
  PageDecoder whole(jpeg_source(), open_frame(ColorMode::Color, 120, 200));
  settle(whole, dnl, dnl.size());
  EXPECT_FALSE(whole.open_ended());
  EXPECT_EQ(whole.lines(), 96);
  // Raw rows say nothing before they end.
  PageDecoder r(raw(ColorMode::Gray, 64, 0, 90), open_frame(ColorMode::Gray, 64, 90));
  EXPECT_TRUE(r.settle_height());
  EXPECT_TRUE(r.open_ended());
  // Not a JPEG: an ImageError now and on every read.
  const Bytes garbage(300, 0x41);
  PageDecoder g(jpeg_source(), open_frame(ColorMode::Color, 64, 50));
  g.push(garbage);
  EXPECT_THROW(g.settle_height(), ImageError);
  Bytes buf(64 * 3);
  EXPECT_THROW(g.read(buf), ImageError);
  // A stream that ends inside its header: decided, still open-ended, and truncated.
  const Bytes jpeg = encode_jpeg(64, 64, 3);
  PageDecoder cut(jpeg_source(), open_frame(ColorMode::Color, 64, 50));
  settle(cut, Bytes(jpeg.begin(), jpeg.begin() + 20), 20);
  EXPECT_TRUE(cut.open_ended());
  EXPECT_TRUE(cut.truncated());
}

TEST(FrameFormat, BytesPerLine) {
  EXPECT_EQ(frame(ColorMode::Color, 101, 1).bytes_per_line(), 303);
  EXPECT_EQ(frame(ColorMode::Gray, 101, 1).bytes_per_line(), 101);
  EXPECT_EQ(frame(ColorMode::BlackAndWhite, 101, 1).bytes_per_line(), 13);
  EXPECT_EQ(frame(ColorMode::BlackAndWhite, 96, 1).bytes_per_line(), 12);
}

}  // namespace
