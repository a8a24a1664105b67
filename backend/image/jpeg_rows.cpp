#include "backend/image/jpeg_rows.hpp"

#include <algorithm>
#include <utility>

#include "backend/image/row_conversion.hpp"

namespace hpaio::backend {

namespace {

// What libjpeg reads once the device has sent everything: it ends any scan or header cleanly.
constexpr std::array<JOCTET, 2> kFakeEoi = {0xFF, JPEG_EOI};
static_assert(JpegMarkerWalk::kPlaceholderHeight <= JPEG_MAX_DIMENSION);
// No backing store is compiled into libjpeg-turbo: a (progressive) image needing more fails cleanly.
constexpr long kMaxJpegMemory = 1L << 30;
// Rows per jpeg_read_scanlines call when decoding straight into the caller's buffer.
constexpr int kMaxDirectRows = 32;

}  // namespace

// libjpeg reports errors by calling error_exit, which must not return: we longjmp back here. Only
// C frames and `f` (which must own nothing with a destructor) are skipped.
template <typename F>
bool JpegRows::guarded(F&& f) {
  if (setjmp(err_.jump) != 0) return false;
  f();
  return true;
}

JpegRows::JpegRows(const FrameFormat& out)
    : out_(out),
      bpl_(static_cast<std::size_t>(out.bytes_per_line())),
      decoded_(out.mode == ColorMode::Color ? ColorMode::Color : ColorMode::Gray) {
  cinfo_.err = jpeg_std_error(&err_.pub);
  err_.pub.error_exit = &JpegRows::on_error_exit;
  err_.pub.emit_message = &JpegRows::on_emit_message;
  if (!guarded([&] { jpeg_create_decompress(&cinfo_); })) throw ImageError(std::string("JPEG: ") + err_.message);
  created_ = true;
  cinfo_.mem->max_memory_to_use = kMaxJpegMemory;
  src_.self = this;
  src_.pub.init_source = [](j_decompress_ptr) {};
  src_.pub.fill_input_buffer = &JpegRows::on_fill_input_buffer;
  src_.pub.skip_input_data = &JpegRows::on_skip_input_data;
  src_.pub.resync_to_restart = jpeg_resync_to_restart;
  src_.pub.term_source = [](j_decompress_ptr) {};
  cinfo_.src = &src_.pub;
}

JpegRows::~JpegRows() {
  if (created_) jpeg_destroy_decompress(&cinfo_);
}

void JpegRows::on_error_exit(j_common_ptr c) {
  auto* e = reinterpret_cast<ErrorManager*>(c->err);
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->jump, 1);
}

void JpegRows::on_emit_message(j_common_ptr c, int level) {
  if (level < 0) ++reinterpret_cast<ErrorManager*>(c->err)->warnings;
}

// Suspending source: no data yet means "suspend"; after end_of_input, a fake EOI ends the image.
boolean JpegRows::on_fill_input_buffer(j_decompress_ptr c) {
  JpegRows* self = reinterpret_cast<SourceManager*>(c->src)->self;
  if (!self->eof_) return FALSE;
  c->src->next_input_byte = kFakeEoi.data();
  c->src->bytes_in_buffer = kFakeEoi.size();
  self->fake_eoi_ = true;
  return TRUE;
}

// A skip past the bytes buffered (a large marker segment) is finished by push() as the rest arrives.
void JpegRows::on_skip_input_data(j_decompress_ptr c, long count) {
  if (count <= 0) return;
  JpegRows* self = reinterpret_cast<SourceManager*>(c->src)->self;
  const auto n = static_cast<std::size_t>(count);
  jpeg_source_mgr& s = *c->src;
  if (n <= s.bytes_in_buffer) {
    s.next_input_byte += n;
    s.bytes_in_buffer -= n;
  } else {
    self->pending_skip_ += n - s.bytes_in_buffer;
    s.next_input_byte += s.bytes_in_buffer;
    s.bytes_in_buffer = 0;
  }
}

void JpegRows::fail(const std::string& message) { throw ImageError(message); }
void JpegRows::fail_jpeg() const { fail(std::string("JPEG: ") + err_.message); }

void JpegRows::saw(std::span<const std::uint8_t> bytes) {
  for (std::size_t i = 0; i < bytes.size() && total_pushed_ + i < prefix_.size(); ++i) {
    prefix_[total_pushed_ + i] = bytes[i];
  }
  total_pushed_ += bytes.size();
}

void JpegRows::push(std::span<const std::uint8_t> bytes) {
  const std::size_t consumed = in_.size() - src_.pub.bytes_in_buffer;
  in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(consumed));
  base_ += consumed;
  const std::size_t old_size = in_.size();
  in_.insert(in_.end(), bytes.begin(), bytes.end());
  // If libjpeg has not committed to SOF yet, give it the real height: it then also replicates the
  // bottom edge correctly.
  if (markers_.walk(in_, base_, old_size) && !header_ready_) {
    markers_.write_sof_height(in_, base_, markers_.dnl_height());
  }
  const std::size_t skip = std::min(pending_skip_, in_.size());
  if (skip > 0) {
    in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(skip));
    base_ += skip;
    pending_skip_ -= skip;
  }
  src_.pub.next_input_byte = in_.data();
  src_.pub.bytes_in_buffer = in_.size();
}

void JpegRows::end_of_input() {
  eof_ = true;
  pending_skip_ = 0;
}

int JpegRows::width() const { return header_ready_ ? static_cast<int>(cinfo_.image_width) : 0; }

int JpegRows::height() const {
  if (!header_ready_) return 0;
  return markers_.dnl_mode() ? markers_.dnl_height() : static_cast<int>(cinfo_.image_height);
}

// The row count the source really has, as far as known.
int JpegRows::source_rows() const {
  if (!header_ready_) return 0;
  if (markers_.dnl_mode()) return markers_.dnl_height();
  return static_cast<int>(cinfo_.output_height);
}

bool JpegRows::read_header() {
  if (stage_ == Stage::Header) {
    int rc = JPEG_SUSPENDED;
    if (!guarded([&] { rc = jpeg_read_header(&cinfo_, TRUE); })) {
      // A stream that ended before its header did is a truncated page, not a bad one.
      const auto head = std::span(prefix_).first(static_cast<std::size_t>(std::min<std::uint64_t>(total_pushed_, 2)));
      if (fake_eoi_ && may_start_jpeg(head)) {
        truncated_ = true;
        stage_ = Stage::Done;
        return true;
      }
      fail_jpeg();
    }
    if (rc == JPEG_SUSPENDED) return false;
    const bool gray = cinfo_.num_components == 1 && cinfo_.jpeg_color_space == JCS_GRAYSCALE;
    const bool color =
        cinfo_.num_components == 3 && (cinfo_.jpeg_color_space == JCS_YCbCr || cinfo_.jpeg_color_space == JCS_RGB);
    if (!gray && !color)
      fail("JPEG: unsupported colour space (" + std::to_string(cinfo_.num_components) + " components)");
    cinfo_.out_color_space = decoded_ == ColorMode::Color ? JCS_RGB : JCS_GRAYSCALE;
    cinfo_.dct_method = JDCT_ISLOW;
    header_ready_ = true;
    stage_ = Stage::Starting;
  }
  return true;
}

// Header and jpeg_start_decompress; false when more input is needed.
bool JpegRows::start() {
  if (!read_header()) return false;
  if (stage_ == Stage::Starting) {
    boolean started = FALSE;
    if (!guarded([&] { started = jpeg_start_decompress(&cinfo_); })) fail_jpeg();
    if (!started) return false;
    src_row_.resize(static_cast<std::size_t>(cinfo_.output_width) * cinfo_.output_components);
    stage_ = Stage::Rows;
  }
  return true;
}

// Rows libjpeg produces after its entropy decoder ran into a marker (other than RSTn) may be filler.
bool JpegRows::hit_marker() const {
  return cinfo_.unread_marker != 0 && (cinfo_.unread_marker < 0xD0 || cinfo_.unread_marker > 0xD7);
}

JDIMENSION JpegRows::read_scanlines(JSAMPARRAY rows, JDIMENSION count) {
  JDIMENSION n = 0;
  if (!guarded([&] { n = jpeg_read_scanlines(&cinfo_, rows, count); })) fail_jpeg();
  return n;
}

int JpegRows::direct_rows(std::uint8_t* dst, int max_rows) {
  if (stage_ != Stage::Rows || held_ || markers_.dnl_pending() || fake_eoi_ || out_.mode == ColorMode::BlackAndWhite ||
      static_cast<int>(cinfo_.output_width) != out_.pixels_per_line) {
    return -1;
  }
  const int next = static_cast<int>(cinfo_.output_scanline);
  const int rows = std::min({max_rows, kMaxDirectRows, source_rows() - next});
  if (rows <= 0) return -1;
  std::array<JSAMPROW, kMaxDirectRows> pointers{};
  for (int r = 0; r < rows; ++r) pointers[r] = dst + static_cast<std::size_t>(r) * bpl_;
  const int n = static_cast<int>(read_scanlines(pointers.data(), static_cast<JDIMENSION>(rows)));
  if (n == 0 && eof_) return -1;
  if (fake_eoi_) {
    // The data ran out while these rows were being decoded: they are filler, not image.
    fill_white(out_.mode, dst, static_cast<std::size_t>(n) * bpl_);
    truncated_ = true;
    stage_ = Stage::Done;
  }
  return n;
}

JpegRows::Produced JpegRows::row(std::uint8_t* dst) {
  if (stage_ == Stage::Header || stage_ == Stage::Starting) {
    if (!start()) return Produced::NeedInput;
  }
  if (stage_ == Stage::Done) return Produced::White;
  if (!held_) {
    const int next = static_cast<int>(cinfo_.output_scanline);
    const int dnl_height = markers_.dnl_height();
    if (next >= static_cast<int>(cinfo_.output_height) || (dnl_height > 0 && next >= dnl_height)) {
      stage_ = Stage::Done;
      return Produced::White;
    }
    if (fake_eoi_) {
      truncated_ = true;
      stage_ = Stage::Done;
      return Produced::White;
    }
    // Rows that need no conversion are decoded where they go (not while a DNL may still cut them:
    // such a row is held back in src_row_).
    straight_ = decoded_ == out_.mode && static_cast<int>(cinfo_.output_width) == out_.pixels_per_line &&
                !markers_.dnl_pending();
    JSAMPROW row = straight_ ? dst : src_row_.data();
    if (read_scanlines(&row, 1) == 0) return Produced::NeedInput;
    if (fake_eoi_) {
      truncated_ = true;
      stage_ = Stage::Done;
      return Produced::White;
    }
    held_ = markers_.dnl_pending() && hit_marker();
    held_index_ = next;
  }
  if (held_) {
    if (markers_.dnl_height() == 0) {
      if (!eof_) return Produced::NeedInput;
      truncated_ = true;  // an HP 0xFFFF-height image whose DNL never came
      held_ = false;
      stage_ = Stage::Done;
      return Produced::White;
    }
    held_ = false;
    if (held_index_ >= markers_.dnl_height()) {
      stage_ = Stage::Done;
      return Produced::White;
    }
  }
  if (!straight_) {
    convert_row(decoded_, src_row_.data(), static_cast<int>(cinfo_.output_width), out_.mode, dst, out_.pixels_per_line);
  }
  return Produced::Row;
}

bool JpegRows::next_row(std::uint8_t* dst) {
  Produced p = row(dst);
  if (p == Produced::NeedInput && eof_) {
    // Cannot happen (libjpeg never suspends once the fake EOI is available), but must not stall.
    truncated_ = true;
    stage_ = Stage::Done;
    p = Produced::White;
  }
  if (p == Produced::White) fill_white(out_.mode, dst, bpl_);
  return p != Produced::NeedInput;
}

}  // namespace hpaio::backend
