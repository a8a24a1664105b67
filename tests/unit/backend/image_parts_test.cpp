// The image pipeline's pure parts on their own: row conversion for every mode pair, the JPEG marker
// walk on hand-built byte sequences (HP's 0xFFFF or 0 height and DNL, chunk boundaries, truncation),
// and the Raw rows' padding, truncation and pass-through condition. page_decoder_test covers them
// together with libjpeg.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "backend/image/jpeg_markers.hpp"
#include "backend/image/page_decoder.hpp"
#include "backend/image/raw_rows.hpp"
#include "backend/image/row_conversion.hpp"

using namespace hpaio;
using namespace hpaio::backend;

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr ColorMode kColor = ColorMode::Color;
constexpr ColorMode kGray = ColorMode::Gray;
constexpr ColorMode kBw = ColorMode::BlackAndWhite;  // K1 as a source, SANE lineart as output

// convert_row into a buffer one byte longer than the row, to see that nothing is written past it.
Bytes convert(ColorMode from, const Bytes& src, int src_width, ColorMode to, int out_width) {
  const auto row = static_cast<std::size_t>(min_bytes_per_line(to, out_width));
  Bytes dst(row + 1, 0xA5);
  convert_row(from, src.data(), src_width, to, dst.data(), out_width);
  EXPECT_EQ(dst.back(), 0xA5) << "written past the row";
  dst.pop_back();
  return dst;
}

TEST(RowConversion, MinBytesPerLine) {
  EXPECT_EQ(min_bytes_per_line(kColor, 5), 15);
  EXPECT_EQ(min_bytes_per_line(kGray, 5), 5);
  EXPECT_EQ(min_bytes_per_line(kBw, 1), 1);
  EXPECT_EQ(min_bytes_per_line(kBw, 8), 1);
  EXPECT_EQ(min_bytes_per_line(kBw, 9), 2);
  EXPECT_EQ((FrameFormat{kBw, 17, 3}.bytes_per_line()), 3);
}

TEST(RowConversion, ColorToColorCopiesCropsAndPadsWhite) {
  const Bytes src = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(convert(kColor, src, 2, kColor, 2), src);
  EXPECT_EQ(convert(kColor, src, 2, kColor, 1), (Bytes{1, 2, 3}));
  EXPECT_EQ(convert(kColor, src, 2, kColor, 3), (Bytes{1, 2, 3, 4, 5, 6, 0xFF, 0xFF, 0xFF}));
}

TEST(RowConversion, ColorToGrayIsBt601Luminance) {
  const Bytes src = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 200, 10, 60};
  EXPECT_EQ(convert(kColor, src, 6, kGray, 6), (Bytes{76, 150, 29, 255, 0, 73}));
  EXPECT_EQ(convert(kColor, src, 6, kGray, 7), (Bytes{76, 150, 29, 255, 0, 73, 0xFF}));
}

TEST(RowConversion, ColorToLineartThresholdsLuminanceAt128) {
  // Luminance 128 is white, 127 black; blue (29) and red (76) are black, green (150) white.
  const Bytes src = {128, 128, 128, 127, 127, 127, 0, 0, 255, 255, 0, 0, 0, 255, 0};
  EXPECT_EQ(convert(kColor, src, 5, kBw, 5), (Bytes{0b0111'0000}));
  EXPECT_EQ(convert(kColor, src, 5, kBw, 12), (Bytes{0b0111'0000, 0}));  // padding is white
}

TEST(RowConversion, GrayToColorReplicates) {
  EXPECT_EQ(convert(kGray, {7, 200}, 2, kColor, 3), (Bytes{7, 7, 7, 200, 200, 200, 0xFF, 0xFF, 0xFF}));
}

TEST(RowConversion, GrayToGrayCopiesCropsAndPadsWhite) {
  EXPECT_EQ(convert(kGray, {1, 2, 3}, 3, kGray, 3), (Bytes{1, 2, 3}));
  EXPECT_EQ(convert(kGray, {1, 2, 3}, 3, kGray, 2), (Bytes{1, 2}));
  EXPECT_EQ(convert(kGray, {1, 2, 3}, 3, kGray, 5), (Bytes{1, 2, 3, 0xFF, 0xFF}));
}

TEST(RowConversion, GrayToLineartWholeBytesAndTail) {
  // 11 pixels: the first 8 take the byte-at-a-time path, the last 3 the pixel path.
  const Bytes src = {0, 255, 127, 128, 0, 0, 200, 1, 127, 128, 5};
  EXPECT_EQ(convert(kGray, src, 11, kBw, 11), (Bytes{0b1010'1101, 0b1010'0000}));
  EXPECT_EQ(convert(kGray, src, 11, kBw, 4), (Bytes{0b1010'0000}));  // cropped inside a byte
  EXPECT_EQ(convert(kGray, src, 11, kBw, 20), (Bytes{0b1010'1101, 0b1010'0000, 0}));
}

TEST(RowConversion, K1ToColorAndGray) {
  // K1: 1 = white. Pixels: white, black, black, white.
  const Bytes src = {0b1001'0000};
  EXPECT_EQ(convert(kBw, src, 4, kGray, 4), (Bytes{0xFF, 0, 0, 0xFF}));
  EXPECT_EQ(convert(kBw, src, 4, kGray, 5), (Bytes{0xFF, 0, 0, 0xFF, 0xFF}));
  EXPECT_EQ(convert(kBw, src, 4, kColor, 2), (Bytes{0xFF, 0xFF, 0xFF, 0, 0, 0}));
}

TEST(RowConversion, K1ToLineartInvertsAndClearsPadBits) {
  // 12 pixels; the source's bits after pixel 12 are padding of any value.
  const Bytes src = {0b1100'1100, 0b1010'1111};
  EXPECT_EQ(convert(kBw, src, 12, kBw, 12), (Bytes{0b0011'0011, 0b0101'0000}));
  EXPECT_EQ(convert(kBw, src, 12, kBw, 6), (Bytes{0b0011'0000}));
  EXPECT_EQ(convert(kBw, src, 12, kBw, 8), (Bytes{0b0011'0011}));
  EXPECT_EQ(convert(kBw, src, 12, kBw, 17), (Bytes{0b0011'0011, 0b0101'0000, 0}));
}

TEST(RowConversion, FillWhite) {
  Bytes row(4, 0x5A);
  fill_white(kBw, row.data(), 3);
  EXPECT_EQ(row, (Bytes{0, 0, 0, 0x5A}));
  fill_white(kGray, row.data(), 2);
  EXPECT_EQ(row, (Bytes{0xFF, 0xFF, 0, 0x5A}));
  fill_white(kColor, row.data(), 4);
  EXPECT_EQ(row, (Bytes{0xFF, 0xFF, 0xFF, 0xFF}));
}

// A JPEG-shaped stream, not a decodable one: SOI, an APP0, a TEM marker, SOF0 declaring `height`
// (grayscale, 640 wide), SOS, entropy bytes with a stuffed FF 00 and an RST0, then `tail` (a DNL,
// say) and EOI.
struct Stream {
  Bytes bytes;
  std::size_t sof_height_at = 0;  // offset of SOF's height field
};

Stream hp_stream(int height, const Bytes& tail) {
  const auto hi = static_cast<std::uint8_t>(height >> 8), lo = static_cast<std::uint8_t>(height & 0xFF);
  // After APP0: a fill byte (FF FF) and TEM (FF 01), a marker without a length.
  const Bytes head = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB, 0xFF, 0xFF, 0x01};
  const Bytes sof0 = {0xFF, 0xC0, 0x00, 0x0B, 0x08, hi, lo, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00};
  const Bytes sos = {0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00};
  const Bytes scan = {0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56};
  const Bytes eoi = {0xFF, 0xD9};
  Stream s;
  s.sof_height_at = head.size() + 5;
  for (const Bytes* part : {&head, &sof0, &sos, &scan, &tail, &eoi}) {
    s.bytes.insert(s.bytes.end(), part->begin(), part->end());
  }
  return s;
}

Bytes dnl(int height) {
  return {0xFF, 0xDC, 0x00, 0x04, static_cast<std::uint8_t>(height >> 8), static_cast<std::uint8_t>(height)};
}

int height_field(const Bytes& bytes, std::size_t at) { return bytes[at] << 8 | bytes[at + 1]; }

// Walks `bytes` in pieces of `piece` bytes, keeping all of it buffered (nothing consumed); returns how
// many calls reported the DNL.
int walk_in_pieces(JpegMarkerWalk& walk, Bytes& bytes, std::size_t piece) {
  int found = 0;
  for (std::size_t end = 0; end < bytes.size();) {
    const std::size_t from = end;
    end = std::min(bytes.size(), end + piece);
    found += walk.walk(std::span(bytes).first(end), 0, from) ? 1 : 0;
  }
  return found;
}

TEST(JpegMarkerWalk, MayStartJpeg) {
  EXPECT_TRUE(may_start_jpeg({}));
  EXPECT_TRUE(may_start_jpeg(Bytes{0xFF}));
  EXPECT_TRUE(may_start_jpeg(Bytes{0xFF, 0xD8}));
  EXPECT_FALSE(may_start_jpeg(Bytes{0xFF, 0xD9}));
  EXPECT_FALSE(may_start_jpeg(Bytes{0x00}));
  EXPECT_FALSE(may_start_jpeg(Bytes{0x89, 0x50}));
}

TEST(JpegMarkerWalk, HeightFfffIsRewrittenAndDnlFound) {
  Stream s = hp_stream(0xFFFF, dnl(300));
  const Bytes before = s.bytes;
  JpegMarkerWalk walk;
  EXPECT_TRUE(walk.walk(s.bytes, 0, 0));
  EXPECT_EQ(walk.sof_height(), 0xFFFF);
  EXPECT_TRUE(walk.dnl_mode());
  EXPECT_EQ(walk.dnl_height(), 300);
  EXPECT_FALSE(walk.dnl_pending());
  // Only the height field changed, to the placeholder libjpeg accepts.
  EXPECT_EQ(height_field(s.bytes, s.sof_height_at), JpegMarkerWalk::kPlaceholderHeight);
  Bytes restored = s.bytes;
  restored[s.sof_height_at] = restored[s.sof_height_at + 1] = 0xFF;
  EXPECT_EQ(restored, before);
  // The real height can go in while the SOF segment is still buffered.
  walk.write_sof_height(s.bytes, 0, walk.dnl_height());
  EXPECT_EQ(height_field(s.bytes, s.sof_height_at), 300);
}

TEST(JpegMarkerWalk, HeightZeroIsRewrittenToo) {
  Stream s = hp_stream(0, dnl(7));
  JpegMarkerWalk walk;
  EXPECT_TRUE(walk.walk(s.bytes, 0, 0));
  EXPECT_EQ(walk.sof_height(), 0);
  EXPECT_TRUE(walk.dnl_mode());
  EXPECT_EQ(walk.dnl_height(), 7);
  EXPECT_EQ(height_field(s.bytes, s.sof_height_at), JpegMarkerWalk::kPlaceholderHeight);
}

TEST(JpegMarkerWalk, DeclaredHeightIsLeftAloneAndDnlIgnored) {
  // With a real height the walk stops at SOS: an FF DC in the scan data is not looked at.
  Stream s = hp_stream(480, dnl(300));
  const Bytes before = s.bytes;
  JpegMarkerWalk walk;
  EXPECT_FALSE(walk.walk(s.bytes, 0, 0));
  EXPECT_EQ(walk.sof_height(), 480);
  EXPECT_FALSE(walk.dnl_mode());
  EXPECT_FALSE(walk.dnl_pending());
  EXPECT_EQ(walk.dnl_height(), 0);
  EXPECT_EQ(s.bytes, before);
}

TEST(JpegMarkerWalk, EveryPieceSizeGivesTheSameResult) {
  const Stream whole = hp_stream(0xFFFF, dnl(1234));
  for (std::size_t piece = 1; piece <= whole.bytes.size(); ++piece) {
    SCOPED_TRACE(piece);
    Bytes bytes = whole.bytes;
    JpegMarkerWalk walk;
    EXPECT_EQ(walk_in_pieces(walk, bytes, piece), 1);  // reported once, by the call that completed it
    EXPECT_EQ(walk.sof_height(), 0xFFFF);
    EXPECT_EQ(walk.dnl_height(), 1234);
    EXPECT_EQ(height_field(bytes, whole.sof_height_at), JpegMarkerWalk::kPlaceholderHeight);
  }
}

TEST(JpegMarkerWalk, ConsumedBytesMayBeDropped) {
  // As the decoder does once libjpeg has committed to them: the header is dropped after SOS, then
  // each piece of scan data after it was walked. The DNL arrives split over three pieces.
  const Stream s = hp_stream(0xFFFF, Bytes{0x9A, 0xFF, 0x00});
  const Bytes dnl_bytes = dnl(4321);
  JpegMarkerWalk walk;
  ASSERT_GE(s.bytes.size(), 2u);
  Bytes head(s.bytes.begin(), s.bytes.end() - 2);  // without EOI
  EXPECT_FALSE(walk.walk(head, 0, 0));
  std::uint64_t base = head.size();
  const std::vector<Bytes> pieces = {
      {dnl_bytes[0]}, {dnl_bytes[1], dnl_bytes[2]}, {dnl_bytes[3], dnl_bytes[4]}, {dnl_bytes[5], 0xFF, 0xD9}};
  int found = 0;
  for (Bytes piece : pieces) {
    found += walk.walk(piece, base, 0) ? 1 : 0;
    base += piece.size();
  }
  EXPECT_EQ(found, 1);
  EXPECT_EQ(walk.dnl_height(), 4321);
  // SOF is no longer buffered: there is nothing to write the real height into.
  Bytes later = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
  walk.write_sof_height(later, base, 4321);
  EXPECT_EQ(later, (Bytes{0x11, 0x22, 0x33, 0x44, 0x55, 0x66}));
}

TEST(JpegMarkerWalk, TruncatedStreams) {
  const Stream s = hp_stream(0xFFFF, dnl(300));
  {  // cut inside SOF's height: nothing known yet
    Bytes cut(s.bytes.begin(), s.bytes.begin() + static_cast<std::ptrdiff_t>(s.sof_height_at + 1));
    JpegMarkerWalk walk;
    EXPECT_FALSE(walk.walk(cut, 0, 0));
    EXPECT_EQ(walk.sof_height(), -1);
    EXPECT_FALSE(walk.dnl_mode());
    EXPECT_EQ(cut.back(), 0xFF);  // the half-arrived height is not rewritten
  }
  {  // cut inside the DNL: the height is still pending
    Bytes cut(s.bytes.begin(), s.bytes.end() - 4);
    JpegMarkerWalk walk;
    EXPECT_FALSE(walk.walk(cut, 0, 0));
    EXPECT_EQ(walk.sof_height(), 0xFFFF);
    EXPECT_TRUE(walk.dnl_pending());
    EXPECT_EQ(walk.dnl_height(), 0);
  }
}

TEST(JpegMarkerWalk, MalformedDnlIsSkippedForALaterOne) {
  // A DNL with the wrong length, one with height 0, then a good one.
  Bytes tail = {0xFF, 0xDC, 0x00, 0x05, 0x01, 0x00, 0x77};
  const Bytes zero = dnl(0), good = dnl(99);
  tail.insert(tail.end(), zero.begin(), zero.end());
  tail.insert(tail.end(), good.begin(), good.end());
  Stream s = hp_stream(0xFFFF, tail);
  JpegMarkerWalk walk;
  EXPECT_TRUE(walk.walk(s.bytes, 0, 0));
  EXPECT_EQ(walk.dnl_height(), 99);
}

TEST(JpegMarkerWalk, NotAJpegIsNotWalked) {
  Stream s = hp_stream(0xFFFF, dnl(300));
  s.bytes[1] = 0xD9;
  const Bytes before = s.bytes;
  JpegMarkerWalk walk;
  EXPECT_FALSE(walk.walk(s.bytes, 0, 0));
  EXPECT_EQ(walk.sof_height(), -1);
  EXPECT_EQ(s.bytes, before);
}

TEST(JpegMarkerWalk, SegmentLengthBelowTwoStops) {
  Bytes bytes = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0xFF, 0xFF};
  JpegMarkerWalk walk;
  EXPECT_FALSE(walk.walk(bytes, 0, 0));
  EXPECT_EQ(walk.sof_height(), -1);
  EXPECT_EQ(bytes[11], 0xFF);
}

// Raw rows: 3 gray pixels in rows of 4 bytes (one byte of padding).
PageSource raw_gray(int lines = 0, int bpl = 4) {
  PageSource s;
  s.format = ImageFormat::Raw;
  s.raw_mode = kGray;
  s.raw_width = 3;
  s.raw_bytes_per_line = bpl;
  s.raw_lines = lines;
  return s;
}

TEST(RawRows, BadGeometry) {
  const FrameFormat f{kGray, 3, 2};
  PageSource s = raw_gray();
  s.raw_width = 0;
  EXPECT_THROW(RawRows(s, f), ImageError);
  EXPECT_THROW(RawRows(raw_gray(0, 2), f), ImageError);
  EXPECT_NO_THROW(RawRows(raw_gray(0, 0), f));  // 0: rows of exactly the width
}

TEST(RawRows, WholeRowsOnlyAndPaddingSkipped) {
  RawRows rows(raw_gray(2), FrameFormat{kGray, 3, 2});
  Bytes dst(3);
  EXPECT_FALSE(rows.next_row(dst.data()));
  rows.push(Bytes{1, 2, 3, 0xEE, 4, 5});
  ASSERT_TRUE(rows.next_row(dst.data()));
  EXPECT_EQ(dst, (Bytes{1, 2, 3}));
  EXPECT_FALSE(rows.next_row(dst.data()));  // half a row is held
  rows.push(Bytes{6, 0xEE});
  ASSERT_TRUE(rows.next_row(dst.data()));
  EXPECT_EQ(dst, (Bytes{4, 5, 6}));
  EXPECT_EQ(rows.rows(), 2);
  rows.end_of_input();
  ASSERT_TRUE(rows.next_row(dst.data()));  // below the image: white
  EXPECT_EQ(dst, (Bytes{0xFF, 0xFF, 0xFF}));
  EXPECT_TRUE(rows.done());
  EXPECT_FALSE(rows.truncated());
}

TEST(RawRows, TruncatedByAPartialRowOrMissingAnnouncedRows) {
  Bytes dst(3);
  {
    RawRows rows(raw_gray(0), FrameFormat{kGray, 3, 4});
    rows.push(Bytes{1, 2, 3, 0, 9});
    rows.end_of_input();
    ASSERT_TRUE(rows.next_row(dst.data()));
    ASSERT_TRUE(rows.next_row(dst.data()));
    EXPECT_EQ(dst, (Bytes{0xFF, 0xFF, 0xFF}));  // the partial row is dropped
    EXPECT_TRUE(rows.truncated());
  }
  {
    RawRows rows(raw_gray(3), FrameFormat{kGray, 3, 4});
    rows.push(Bytes{1, 2, 3, 0});
    rows.end_of_input();
    ASSERT_TRUE(rows.next_row(dst.data()));
    ASSERT_TRUE(rows.next_row(dst.data()));
    EXPECT_TRUE(rows.truncated());  // 1 of 3 announced rows
  }
  {
    RawRows rows(raw_gray(0), FrameFormat{kGray, 3, 4});
    rows.push(Bytes{1, 2, 3, 0});
    rows.end_of_input();
    ASSERT_TRUE(rows.next_row(dst.data()));
    ASSERT_TRUE(rows.next_row(dst.data()));
    EXPECT_FALSE(rows.truncated());  // no height announced: a short page is whole
  }
}

TEST(RawRows, PassThroughOnlyForTheFramesOwnRows) {
  EXPECT_TRUE(RawRows(raw_gray(0, 0), FrameFormat{kGray, 3, 2}).pass_through_possible());
  EXPECT_FALSE(RawRows(raw_gray(0, 4), FrameFormat{kGray, 3, 2}).pass_through_possible());   // padded rows
  EXPECT_FALSE(RawRows(raw_gray(0, 0), FrameFormat{kGray, 4, 2}).pass_through_possible());   // other width
  EXPECT_FALSE(RawRows(raw_gray(0, 0), FrameFormat{kColor, 3, 2}).pass_through_possible());  // other mode
  PageSource k1 = raw_gray(0, 0);
  k1.raw_mode = kBw;
  EXPECT_FALSE(RawRows(k1, FrameFormat{kBw, 3, 2}).pass_through_possible());  // K1 is inverted
  RawRows rows(raw_gray(0, 0), FrameFormat{kGray, 3, 2});
  rows.push(Bytes{1});
  EXPECT_FALSE(rows.pass_through_possible());  // input held
  Bytes dst(3);
  rows.push(Bytes{2, 3});
  ASSERT_TRUE(rows.next_row(dst.data()));
  EXPECT_TRUE(rows.pass_through_possible());
  rows.passed_rows(1);
  EXPECT_EQ(rows.rows(), 2);
  rows.end_of_input();
  EXPECT_FALSE(rows.pass_through_possible());
}

}  // namespace
