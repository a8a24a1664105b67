// The facade: hands the caller the frame's bytes, row by row, from the source's rows (JpegRows,
// RawRows or BmpRows), keeping a row the caller read only part of, and lets Raw rows bypass it (pass-through).
#include "backend/image/page_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "backend/image/bmp_rows.hpp"
#include "backend/image/jpeg_rows.hpp"
#include "backend/image/raw_rows.hpp"
#include "backend/image/row_conversion.hpp"

namespace hpaio::backend {

int FrameFormat::bytes_per_line() const { return min_bytes_per_line(mode, pixels_per_line); }

struct PageDecoder::Impl {
  FrameFormat out;
  std::size_t bpl = 0;
  // The source's rows: exactly one of them.
  std::optional<JpegRows> jpeg;
  std::optional<RawRows> raw;
  std::optional<BmpRows> bmp;

  // Output progress. `staged` holds a row the caller has only partly read. `passed` bytes of row
  // out_row went to the caller straight from the device (pass_through_room()).
  int out_row = 0;
  std::size_t passed = 0;
  std::vector<std::uint8_t> staged;
  std::size_t staged_pos = 0;
  std::size_t staged_len = 0;

  bool eof = false;
  bool need_input = true;
  bool cut_row = false;  // the input ended inside a row passed through
  // The data is not a decodable image: every read() throws `error`.
  bool failed = false;
  std::string error;

  Impl(const PageSource& source, const FrameFormat& o) : out(o) {
    if (out.pixels_per_line <= 0 || out.lines <= 0) throw std::invalid_argument("PageDecoder: empty frame");
    bpl = static_cast<std::size_t>(out.bytes_per_line());
    staged.resize(bpl);
    switch (source.format) {
      case ImageFormat::Raw: raw.emplace(source, out); break;
      case ImageFormat::Bmp: bmp.emplace(out); break;
      case ImageFormat::Jpeg: jpeg.emplace(out); break;
    }
  }

  bool source_done() const { return jpeg ? jpeg->done() : raw ? raw->done() : bmp->done(); }
  bool accepting() const { return !failed && !eof && !source_done() && out_row < out.lines; }

  void push(std::span<const std::uint8_t> bytes) {
    if (jpeg) jpeg->saw(bytes);
    if (!accepting() || bytes.empty()) return;
    need_input = false;
    if (jpeg) {
      jpeg->push(bytes);
    } else if (raw) {
      raw->push(bytes);
    } else {
      bmp->push(bytes);
    }
  }

  void end_of_input() {
    if (eof) return;
    eof = true;
    if (jpeg) {
      jpeg->end_of_input();
    } else if (raw) {
      raw->end_of_input();
    } else {
      bmp->end_of_input();
    }
  }

  bool pass_through_possible() const {
    return raw && raw->pass_through_possible() && !failed && staged_pos >= staged_len && out_row < out.lines;
  }

  std::size_t pass_through_room() const {
    if (!pass_through_possible()) return 0;
    return static_cast<std::size_t>(out.lines - out_row) * bpl - passed;
  }

  void passed_through(std::size_t bytes) {
    if (bytes == 0) return;
    if (bytes > pass_through_room()) throw std::logic_error("PageDecoder: more passed through than there was room for");
    passed += bytes;
    const auto rows = static_cast<int>(passed / bpl);
    out_row += rows;
    raw->passed_rows(rows);
    passed %= bpl;
    need_input = out_row < out.lines;
  }

  std::size_t read(std::span<std::uint8_t> buf) {
    if (failed) throw ImageError(error);
    try {
      return fill(buf);
    } catch (const ImageError& e) {
      failed = true;
      error = e.what();
      throw;
    }
  }

  std::size_t fill(std::span<std::uint8_t> buf) {
    if (passed > 0 && !pass_through_possible()) {
      // The input ended inside a row that went straight to the caller: the rest of it is white.
      fill_white(out.mode, staged.data(), bpl);
      staged_pos = passed;
      staged_len = bpl;
      passed = 0;
      ++out_row;
      cut_row = true;
    }
    std::size_t n = 0;
    while (n < buf.size()) {
      if (staged_pos < staged_len) {
        const std::size_t c = std::min(buf.size() - n, staged_len - staged_pos);
        std::memcpy(buf.data() + n, staged.data() + staged_pos, c);
        n += c;
        staged_pos += c;
        continue;
      }
      if (out_row >= out.lines) break;
      const std::size_t room = buf.size() - n;
      // Whole rows go straight into the caller's buffer; a row that does not fit ends this read
      // (SANE reads may be short) unless nothing fits, when it is decoded aside and handed out in parts.
      if (room < bpl && n > 0) break;
      if (room >= bpl && jpeg) {
        const auto rows = std::min<std::size_t>(room / bpl, static_cast<std::size_t>(out.lines - out_row));
        const int k = jpeg->direct_rows(buf.data() + n, static_cast<int>(rows));
        if (k > 0) {
          n += static_cast<std::size_t>(k) * bpl;
          out_row += k;
          continue;
        }
        if (k == 0) {
          need_input = true;
          break;
        }
      }
      std::uint8_t* dst = room >= bpl ? buf.data() + n : staged.data();
      if (!(jpeg ? jpeg->next_row(dst) : raw ? raw->next_row(dst) : bmp->next_row(dst))) {
        need_input = true;
        break;
      }
      if (out.open_ended && source_done()) {
        // That row was white filler: the source has no more rows, and an open-ended frame ends here.
        out.lines = out_row;
        break;
      }
      ++out_row;
      if (dst == staged.data()) {
        staged_pos = 0;
        staged_len = bpl;
      } else {
        n += bpl;
      }
    }
    if (out_row >= out.lines) need_input = false;
    return n;
  }

  bool settle_height() {
    if (!out.open_ended || !jpeg) return true;
    if (failed) throw ImageError(error);
    try {
      if (!jpeg->read_header()) return false;
    } catch (const ImageError& e) {
      failed = true;
      error = e.what();
      throw;
    }
    const int height = jpeg->height();
    if (height > 0) {
      out.lines = std::min(out.lines, height);
      out.open_ended = false;
    }
    return true;
  }

  bool finished() const { return out_row >= out.lines && staged_pos >= staged_len; }
  int lines() const { return out.lines; }
};

PageDecoder::PageDecoder(const PageSource& source, const FrameFormat& out)
    : impl_(std::make_unique<Impl>(source, out)) {}
PageDecoder::~PageDecoder() = default;
PageDecoder::PageDecoder(PageDecoder&&) noexcept = default;
PageDecoder& PageDecoder::operator=(PageDecoder&&) noexcept = default;

bool PageDecoder::wants_input() const { return impl_->need_input && impl_->accepting() && !impl_->finished(); }
void PageDecoder::push(std::span<const std::uint8_t> bytes) { impl_->push(bytes); }
void PageDecoder::end_of_input() { impl_->end_of_input(); }
std::size_t PageDecoder::read(std::span<std::uint8_t> out) { return impl_->read(out); }
std::size_t PageDecoder::pass_through_room() const { return impl_->pass_through_room(); }
void PageDecoder::passed_through(std::size_t bytes) { impl_->passed_through(bytes); }
bool PageDecoder::settle_height() { return impl_->settle_height(); }
bool PageDecoder::open_ended() const { return impl_->out.open_ended; }
bool PageDecoder::finished() const { return impl_->finished(); }
int PageDecoder::lines() const { return impl_->lines(); }

int PageDecoder::source_width() const {
  return impl_->jpeg ? impl_->jpeg->width() : impl_->raw ? impl_->raw->width() : impl_->bmp->width();
}
int PageDecoder::source_height() const {
  return impl_->jpeg ? impl_->jpeg->height() : impl_->raw ? impl_->raw->rows() : impl_->bmp->rows();
}
bool PageDecoder::truncated() const {
  // An open-ended page without a single row lost its data.
  if (impl_->out.open_ended && impl_->out.lines == 0) return true;
  const Impl& i = *impl_;
  return i.cut_row || (i.jpeg ? i.jpeg->truncated() : i.raw ? i.raw->truncated() : i.bmp->truncated());
}
bool PageDecoder::header_ready() const {
  return impl_->jpeg ? impl_->jpeg->header_ready() : !impl_->bmp || impl_->bmp->header_ready();
}
int PageDecoder::warnings() const { return impl_->jpeg ? impl_->jpeg->warnings() : 0; }

}  // namespace hpaio::backend
