// A Raw page's rows (LEDM: uncompressed RGB8, 8-bit gray or HP's K1, each row maybe padded) in the
// frame's format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "backend/image/page_decoder.hpp"
#include "backend/scan/page_source.hpp"

namespace hpaio::backend {

class RawRows {
 public:
  // Throws ImageError when the geometry is impossible (no width, rows shorter than the width).
  RawRows(const PageSource& source, const FrameFormat& out);

  // The next device bytes, while the page takes input.
  void push(std::span<const std::uint8_t> bytes);
  // The device sent all it will send.
  void end_of_input() { eof_ = true; }
  // Writes the next frame row to dst: the next source row converted, or white once the source has no
  // more rows. False when more input is needed first.
  bool next_row(std::uint8_t* dst);

  // The device's rows are the frame's rows byte for byte and no input is held: the caller may take
  // the next rows straight from the device. It says how many with passed_rows().
  bool pass_through_possible() const;
  void passed_rows(int rows) { rows_ += rows; }

  // No more source rows: the rest of the frame is white.
  bool done() const { return done_; }
  int width() const { return width_; }
  // The rows received so far.
  int rows() const { return rows_; }
  // The input ended inside a row, or before the rows the device announced.
  bool truncated() const { return truncated_; }

 private:
  FrameFormat out_;
  ColorMode mode_;
  int width_;
  int lines_;  // announced, 0 if unknown
  std::size_t row_bytes_ = 0;
  bool eof_ = false;
  bool done_ = false;
  bool truncated_ = false;
  // Input not consumed yet: the bytes from pos_ on.
  std::vector<std::uint8_t> in_;
  std::size_t pos_ = 0;
  int rows_ = 0;
};

}  // namespace hpaio::backend
