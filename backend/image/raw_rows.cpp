#include "backend/image/raw_rows.hpp"

#include "backend/image/row_conversion.hpp"

namespace hpaio::backend {

RawRows::RawRows(const PageSource& source, const FrameFormat& out)
    : out_(out), mode_(source.raw_mode), width_(source.raw_width), lines_(source.raw_lines) {
  if (width_ <= 0) throw ImageError("raw image: no width");
  const int least = min_bytes_per_line(mode_, width_);
  const int bpl = source.raw_bytes_per_line == 0 ? least : source.raw_bytes_per_line;
  if (bpl < least) throw ImageError("raw image: BytesPerLine too small for the width");
  row_bytes_ = static_cast<std::size_t>(bpl);
}

void RawRows::push(std::span<const std::uint8_t> bytes) {
  in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(pos_));
  pos_ = 0;
  in_.insert(in_.end(), bytes.begin(), bytes.end());
}

bool RawRows::next_row(std::uint8_t* dst) {
  if (!done_) {
    if (in_.size() - pos_ >= row_bytes_) {
      convert_row(mode_, in_.data() + pos_, width_, out_.mode, dst, out_.pixels_per_line);
      pos_ += row_bytes_;
      ++rows_;
      return true;
    }
    if (!eof_) return false;
    // Fewer rows than announced is a cut page, unless the page is as long as its sheet: LEDM
    // announces the window's height and sends a shorter sheet's rows.
    if (in_.size() > pos_ || (lines_ > 0 && rows_ < lines_ && !out_.open_ended)) truncated_ = true;
    done_ = true;
  }
  fill_white(out_.mode, dst, static_cast<std::size_t>(out_.bytes_per_line()));
  return true;
}

bool RawRows::pass_through_possible() const {
  return !done_ && !eof_ && in_.size() == pos_ && mode_ == out_.mode && out_.mode != ColorMode::BlackAndWhite &&
         width_ == out_.pixels_per_line && row_bytes_ == static_cast<std::size_t>(out_.bytes_per_line());
}

}  // namespace hpaio::backend
