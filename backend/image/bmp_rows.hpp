// A Windows BMP page's rows (WS-Scan's "dib", which HP WSD scanners may be the only format they
// offer) in the frame's format: a BITMAPFILEHEADER (or none: a packed DIB) and a BITMAPINFOHEADER,
// V4 or V5 header; 1, 4 and 8 bits a pixel through the palette, 16 and 32 through their bit masks
// (BI_RGB or BI_BITFIELDS), 24-bit BGR; rows padded to 4 bytes.
//
// Streaming: a top-down BMP (negative height) goes out row by row as its bytes arrive, in about one
// row of memory. A bottom-up BMP (positive height, the usual kind) sends its top row last, so no row
// can go out before the whole image is in: its rows are kept, already in the frame's format and only
// those the frame shows (at most the frame's lines, cropped to its width), in one allocation made when
// the header has arrived and bounded by kMaxBufferedBytes; a bigger page is an ImageError, before any
// pixel is read. A page cut short is padded with white where its rows are missing (the bottom of a
// top-down page, the top of a bottom-up one) and reported as truncated().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "backend/image/page_decoder.hpp"

namespace hpaio::backend {

class BmpRows {
 public:
  // The most a bottom-up page may hold in memory (the frame's rows of it): a letter page at 1200
  // dpi in colour (about 400 MB) fits, an absurd header does not.
  static constexpr std::size_t kMaxBufferedBytes = std::size_t{512} << 20;
  // The largest width or height accepted (83 inches at 1200 dpi).
  static constexpr int kMaxDimension = 100000;

  explicit BmpRows(const FrameFormat& out);

  // The next device bytes, while the page takes input.
  void push(std::span<const std::uint8_t> bytes);
  // The device sent all it will send.
  void end_of_input() { eof_ = true; }
  // Writes the next frame row to dst: the image's, or white once the source has no more rows. False
  // when more input is needed first. Throws ImageError when the data is not a BMP we can decode.
  bool next_row(std::uint8_t* dst);

  // No more source rows: the rest of the frame is white.
  bool done() const { return stage_ == Stage::Done; }
  bool header_ready() const { return stage_ != Stage::Header; }
  // The source image's size: 0 before the header; the height is the rows received so far.
  int width() const { return width_; }
  int rows() const { return rows_in_; }
  // The input ended inside the header or before the image's last row.
  bool truncated() const { return truncated_; }
  // The image's rows come bottom row first (positive height).
  bool bottom_up() const { return bottom_up_; }

 private:
  enum class Stage { Header, Rows, Deliver, Done };
  // How a source row's pixels are read.
  enum class Pixels { Palette, Bgr24, Masked };
  struct Channel {
    std::uint32_t mask = 0;
    int shift = 0;
    int bits = 0;
  };

  // Parses the header once all of it is in in_; false when more bytes are needed.
  bool parse_header();
  void set_masks(std::uint32_t r, std::uint32_t g, std::uint32_t b);
  // One source row to row_ in src_mode_ (K1, 8-bit gray or RGB).
  void decode_row(const std::uint8_t* src);
  // Reads the complete rows in in_ into the bottom-up page.
  void store_rows();
  bool white_row(std::uint8_t* dst);

  FrameFormat out_;
  std::size_t out_bpl_ = 0;
  Stage stage_ = Stage::Header;
  bool eof_ = false;
  bool truncated_ = false;

  // Input not consumed yet: the bytes from pos_ on.
  std::vector<std::uint8_t> in_;
  std::size_t pos_ = 0;
  std::uint64_t skip_ = 0;  // header bytes still to pass over before the first row (bfOffBits)

  int width_ = 0;
  int height_ = 0;  // rows in the image
  bool bottom_up_ = false;
  int bpp_ = 0;
  std::size_t row_bytes_ = 0;  // a source row with its padding
  Pixels pixels_ = Pixels::Palette;
  ColorMode src_mode_ = ColorMode::Color;        // of row_: K1 (1 = white), gray or RGB
  std::array<std::uint8_t, 3 * 256> palette_{};  // RGB; entries past the device's are black
  std::array<Channel, 3> channels_{};
  std::vector<std::uint8_t> row_;

  int rows_in_ = 0;   // source rows read
  int rows_out_ = 0;  // frame rows written
  // Bottom-up: the frame's first kept_ rows, in its format; rows above first_kept_ never arrived.
  std::unique_ptr<std::uint8_t[]> page_;
  int kept_ = 0;
  int first_kept_ = 0;
};

}  // namespace hpaio::backend
