// The image pipeline: one page's bytes as the device sends them (JPEG, Raw, or WS-Scan's Windows
// BMP) turned into exactly the SANE frame promised by sane_get_parameters, streaming, in bounded
// memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>

#include "backend/scan/page_source.hpp"
#include "backend/scan/scanner_capabilities.hpp"

namespace hpaio::backend {

// Page data that is not an image we can decode.
class ImageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What SANE was promised: 8-bit RGB for Color, 8-bit gray for Gray, 1 bit per pixel for
// BlackAndWhite (SANE "Lineart": 1 = black, MSB first, each row padded to a byte).
struct FrameFormat {
  ColorMode mode = ColorMode::Color;
  int pixels_per_line = 0;
  int lines = 0;
  // The page is as long as the sheet the device scanned (a feeder page: SANE lines = -1): the frame
  // ends with the source image's last row, at most `lines` rows, and is never padded below it.
  bool open_ended = false;

  int bytes_per_line() const;
};

// Pull-based: the caller reads; when read() returns 0 and wants_input(), it pushes the next bytes
// from the device. Only as much input is decoded as the reads need, so memory stays at about one
// row plus the unconsumed part of the last push; a bottom-up BMP is the exception, which has to hold
// its rows until its top row, the last one sent, arrives (bmp_rows.hpp).
//
// The output always has exactly lines * bytes_per_line() bytes: a wider or taller source is cropped
// (right, bottom), a narrower or shorter one padded with white, and a page whose data ends early is
// padded with white and reported as truncated(). HP ADF JPEGs that declare a height of 0xFFFF (or 0)
// and give the real one in a DNL marker after the scan data are decoded to the DNL height.
// An open-ended frame instead ends with the source's last row (lines() says how many there were
// once finished()); a partial last row still counts as truncated.
class PageDecoder {
 public:
  // Throws ImageError for a Raw source whose geometry is impossible, std::invalid_argument for an
  // empty frame.
  PageDecoder(const PageSource& source, const FrameFormat& out);
  ~PageDecoder();
  PageDecoder(PageDecoder&&) noexcept;
  PageDecoder& operator=(PageDecoder&&) noexcept;

  // An open-ended frame whose source states its height before its rows (a JPEG whose header has it,
  // or whose DNL came with the first bytes) is no longer open-ended once that is read: it gets
  // min(height, FrameFormat::lines) rows, padded with white if the data ends early. Reads the
  // header from the bytes pushed so far; false while more input is needed to tell. Throws ImageError
  // when the data is not a decodable image. Raw and BMP pages say their height only at their end.
  bool settle_height();
  // The frame's height is not known yet (FrameFormat::open_ended, until settle_height() fixed it).
  bool open_ended() const;

  // More device bytes are needed before read() can return anything.
  bool wants_input() const;
  // Device bytes, in order. Allowed at any time, but memory stays bounded only when the caller pushes
  // while wants_input(). After the image is complete (or the output is), bytes are ignored, so the
  // caller may go on draining the HTTP body.
  void push(std::span<const std::uint8_t> bytes);
  // The device sent all it will send. From now on read() never returns 0 until finished().
  void end_of_input();
  // Up to out.size() bytes of the frame. Returns 0 when wants_input() or finished(). Throws ImageError
  // (also on every later call) when the data is not a decodable image.
  std::size_t read(std::span<std::uint8_t> out);
  // All lines() * bytes_per_line() bytes were delivered.
  bool finished() const;
  // The frame's rows: FrameFormat::lines, or for an open-ended frame, once the source has ended, the
  // rows it had (at most FrameFormat::lines).
  int lines() const;

  // Raw pages whose rows already are the frame's rows (same colour mode, width and row length; not
  // K1): how many of the next frame bytes the caller may read from the device straight into its
  // output, without push() and read(). 0 when the decoder has to see the bytes (JPEG, conversion,
  // padding, input it holds, the end of the input). After putting k such bytes into the output, the
  // caller says so with passed_through(k); the frame and truncated() are then as if pushed and read,
  // except that a page ending inside such a row keeps what arrived of it (decoding drops a partial
  // row); the rest of the row is white.
  std::size_t pass_through_room() const;
  void passed_through(std::size_t bytes);

  // The source image's size as decoded; 0 while not known (JPEG: before the header, or while an HP
  // DNL height has not arrived yet; Raw: the width is known, the height is the rows received; BMP: the
  // width from the header, the height is the rows received).
  int source_width() const;
  int source_height() const;
  // The input ended before the image did; the rest of the page is white.
  bool truncated() const;
  // JPEG, BMP: the header was parsed (source_width() is known). Raw: always.
  bool header_ready() const;
  // libjpeg's warnings about corrupt data so far (the image was decoded anyway).
  int warnings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hpaio::backend
