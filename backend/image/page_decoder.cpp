#include "backend/image/page_decoder.hpp"

#include <jpeglib.h>

#include <algorithm>
#include <array>
#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE and size_t declared first
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace hpaio::backend {

int FrameFormat::bytes_per_line() const {
  switch (mode) {
    case ColorMode::Color: return 3 * pixels_per_line;
    case ColorMode::Gray: return pixels_per_line;
    case ColorMode::BlackAndWhite: return (pixels_per_line + 7) / 8;
  }
  return 0;
}

namespace {

// What libjpeg reads once the device has sent everything: it ends any scan or header cleanly.
constexpr std::array<JOCTET, 2> kFakeEoi = {0xFF, JPEG_EOI};
constexpr int kSofHeightUnknown = 0xFFFF;
constexpr std::uint8_t kSoi = 0xD8;
// The largest height libjpeg accepts (JPEG_MAX_DIMENSION 65500), rounded down to whole MCU rows.
constexpr int kPlaceholderHeight = 65488;
// No backing store is compiled into libjpeg-turbo: a (progressive) image needing more fails cleanly.
constexpr long kMaxJpegMemory = 1L << 30;
// Rows per jpeg_read_scanlines call when decoding straight into the caller's buffer.
constexpr int kMaxDirectRows = 32;

int min_bytes_per_line(ColorMode mode, int width) { return FrameFormat{mode, width, 1}.bytes_per_line(); }

// ITU-R BT.601 luma, as libjpeg computes it for YCbCr -> grayscale.
inline std::uint8_t luminance(const std::uint8_t* rgb) {
  return static_cast<std::uint8_t>((19595u * rgb[0] + 38470u * rgb[1] + 7471u * rgb[2] + 32768u) >> 16);
}

// K1 (LEDM raw lineart): 1 = white.
inline bool k1_white(const std::uint8_t* row, int x) { return ((row[x >> 3] >> (7 - (x & 7))) & 1) != 0; }

// One source row (Color = RGB8, Gray = 8-bit, BlackAndWhite = K1) to one output row in SANE's format,
// cropped or padded with white on the right.
void convert_row(ColorMode from, const std::uint8_t* src, int src_width, ColorMode to, std::uint8_t* dst,
                 int out_width) {
  const int n = std::min(src_width, out_width);
  switch (to) {
    case ColorMode::Color:
      if (from == ColorMode::Color) {
        std::memcpy(dst, src, 3 * static_cast<std::size_t>(n));
      } else {
        for (int x = 0; x < n; ++x) {
          const std::uint8_t v = from == ColorMode::Gray ? src[x] : (k1_white(src, x) ? 0xFF : 0);
          dst[3 * x] = dst[3 * x + 1] = dst[3 * x + 2] = v;
        }
      }
      std::memset(dst + 3 * n, 0xFF, 3 * static_cast<std::size_t>(out_width - n));
      return;
    case ColorMode::Gray:
      if (from == ColorMode::Gray) {
        std::memcpy(dst, src, static_cast<std::size_t>(n));
      } else if (from == ColorMode::Color) {
        for (int x = 0; x < n; ++x) dst[x] = luminance(src + 3 * x);
      } else {
        for (int x = 0; x < n; ++x) dst[x] = k1_white(src, x) ? 0xFF : 0;
      }
      std::memset(dst + n, 0xFF, static_cast<std::size_t>(out_width - n));
      return;
    case ColorMode::BlackAndWhite: {
      const int out_bytes = (out_width + 7) / 8;
      std::memset(dst, 0, static_cast<std::size_t>(out_bytes));
      if (from == ColorMode::BlackAndWhite) {
        const int whole = n / 8;
        for (int i = 0; i < whole; ++i) dst[i] = static_cast<std::uint8_t>(~src[i]);
        if (const int rest = n % 8; rest != 0) {
          dst[whole] = static_cast<std::uint8_t>(~src[whole] & (0xFF << (8 - rest)));
        }
      } else if (from == ColorMode::Gray) {
        // Branch-free, a byte at a time: bit 7 of a gray value is clear exactly when it is < 128 (black).
        int x = 0;
        for (; x + 8 <= n; x += 8) {
          unsigned bits = 0;
          for (int k = 0; k < 8; ++k) bits = bits << 1 | ((src[x + k] >> 7) ^ 1u);
          dst[x >> 3] = static_cast<std::uint8_t>(bits);
        }
        for (; x < n; ++x) {
          if (src[x] < 128) dst[x >> 3] = static_cast<std::uint8_t>(dst[x >> 3] | (0x80 >> (x & 7)));
        }
      } else {
        for (int x = 0; x < n; ++x) {
          if (luminance(src + 3 * x) < 128) dst[x >> 3] = static_cast<std::uint8_t>(dst[x >> 3] | (0x80 >> (x & 7)));
        }
      }
      return;
    }
  }
}

void fill_white(ColorMode mode, std::uint8_t* dst, std::size_t bytes) {
  std::memset(dst, mode == ColorMode::BlackAndWhite ? 0 : 0xFF, bytes);
}

struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  int warnings;
};

}  // namespace

struct PageDecoder::Impl {
  struct SourceManager {
    jpeg_source_mgr pub;
    Impl* impl;
  };
  enum class Stage { Header, Starting, Rows, Done };  // Done: no more source rows, the rest is white
  enum class Produced { Row, White, NeedInput };

  PageSource source;
  FrameFormat out;
  std::size_t bpl = 0;

  // Output progress. `staged` holds a row the caller has only partly read. `passed` bytes of row
  // out_row went to the caller straight from the device (pass_through_room()).
  int out_row = 0;
  std::size_t passed = 0;
  std::vector<std::uint8_t> staged;
  std::size_t staged_pos = 0;
  std::size_t staged_len = 0;

  bool eof = false;
  bool need_input = true;
  bool truncated = false;
  bool failed = false;
  std::string error;
  Stage stage = Stage::Header;

  // Input not consumed yet: for JPEG its last src.pub.bytes_in_buffer bytes are what libjpeg has not
  // committed to; for Raw, bytes from raw_pos on. `base` is the stream offset of in[0].
  std::vector<std::uint8_t> in;
  std::uint64_t base = 0;
  std::size_t raw_pos = 0;
  int raw_rows = 0;
  int raw_bpl = 0;
  std::uint64_t total_pushed = 0;
  std::array<std::uint8_t, 2> prefix{};

  // JPEG.
  jpeg_decompress_struct cinfo{};
  ErrorManager err{};
  SourceManager src{};
  bool jpeg_created = false;
  bool header_ready = false;
  bool fake_eoi = false;
  std::size_t pending_skip = 0;
  ColorMode jpeg_out = ColorMode::Color;  // what libjpeg hands us: RGB or gray
  std::vector<std::uint8_t> src_row;
  bool held = false;  // src_row holds a row that may lie below an HP DNL height not received yet
  int held_index = 0;

  // Our own walk over the stream's markers, as bytes arrive: finds SOF's height field and the DNL
  // marker, which libjpeg-turbo does not support.
  enum class Walk { Soi0, Soi1, Marker, Code, Len0, Len1, Body, Entropy, EntropyFF, Dnl, Stop };
  Walk walk = Walk::Soi0;
  int marker = 0;
  int seg_len = 0;
  std::uint64_t seg_start = 0;  // stream offset of the segment's length field
  std::uint64_t seg_left = 0;
  std::uint64_t sof_len_at = 0;
  bool sof_seen = false;
  int sof_height = -1;  // as declared (before our patching)
  std::array<std::uint8_t, 4> dnl_bytes{};
  int dnl_got = 0;
  int dnl_height = 0;

  Impl(const PageSource& s, const FrameFormat& o) : source(s), out(o) {
    if (out.pixels_per_line <= 0 || out.lines <= 0) throw std::invalid_argument("PageDecoder: empty frame");
    bpl = static_cast<std::size_t>(out.bytes_per_line());
    staged.resize(bpl);
    jpeg_out = out.mode == ColorMode::Color ? ColorMode::Color : ColorMode::Gray;
    if (source.format == ImageFormat::Raw) {
      if (source.raw_width <= 0) throw ImageError("raw image: no width");
      const int least = min_bytes_per_line(source.raw_mode, source.raw_width);
      raw_bpl = source.raw_bytes_per_line == 0 ? least : source.raw_bytes_per_line;
      if (raw_bpl < least) throw ImageError("raw image: BytesPerLine too small for the width");
      header_ready = true;
      stage = Stage::Rows;
      return;
    }
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = &Impl::on_error_exit;
    err.pub.emit_message = &Impl::on_emit_message;
    if (!guarded([&] { jpeg_create_decompress(&cinfo); })) throw ImageError(std::string("JPEG: ") + err.message);
    jpeg_created = true;
    cinfo.mem->max_memory_to_use = kMaxJpegMemory;
    src.impl = this;
    src.pub.init_source = [](j_decompress_ptr) {};
    src.pub.fill_input_buffer = &Impl::on_fill_input_buffer;
    src.pub.skip_input_data = &Impl::on_skip_input_data;
    src.pub.resync_to_restart = jpeg_resync_to_restart;
    src.pub.term_source = [](j_decompress_ptr) {};
    cinfo.src = &src.pub;
  }
  ~Impl() {
    if (jpeg_created) jpeg_destroy_decompress(&cinfo);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // libjpeg reports errors by calling error_exit, which must not return: we longjmp back here. Only
  // C frames and `f` (which must own nothing with a destructor) are skipped.
  template <typename F>
  bool guarded(F&& f) {
    if (setjmp(err.jump) != 0) return false;
    f();
    return true;
  }
  static void on_error_exit(j_common_ptr c) {
    auto* e = reinterpret_cast<ErrorManager*>(c->err);
    (*c->err->format_message)(c, e->message);
    std::longjmp(e->jump, 1);
  }
  static void on_emit_message(j_common_ptr c, int level) {
    if (level < 0) ++reinterpret_cast<ErrorManager*>(c->err)->warnings;
  }
  // Suspending source: no data yet means "suspend"; after end_of_input, a fake EOI ends the image.
  static boolean on_fill_input_buffer(j_decompress_ptr c) {
    Impl* self = reinterpret_cast<SourceManager*>(c->src)->impl;
    if (!self->eof) return FALSE;
    c->src->next_input_byte = kFakeEoi.data();
    c->src->bytes_in_buffer = kFakeEoi.size();
    self->fake_eoi = true;
    return TRUE;
  }
  static void on_skip_input_data(j_decompress_ptr c, long count) {
    if (count <= 0) return;
    Impl* self = reinterpret_cast<SourceManager*>(c->src)->impl;
    const auto n = static_cast<std::size_t>(count);
    jpeg_source_mgr& s = *c->src;
    if (n <= s.bytes_in_buffer) {
      s.next_input_byte += n;
      s.bytes_in_buffer -= n;
    } else {
      self->pending_skip += n - s.bytes_in_buffer;
      s.next_input_byte += s.bytes_in_buffer;
      s.bytes_in_buffer = 0;
    }
  }

  [[noreturn]] void fail(std::string message) {
    failed = true;
    error = std::move(message);
    throw ImageError(error);
  }
  [[noreturn]] void fail_jpeg() { fail(std::string("JPEG: ") + err.message); }

  bool dnl_mode() const { return sof_height == kSofHeightUnknown || sof_height == 0; }
  bool dnl_pending() const { return dnl_mode() && dnl_height == 0; }
  // The row count the source really has, as far as known.
  int source_rows() const {
    if (!header_ready) return 0;
    if (dnl_mode()) return dnl_height;
    return static_cast<int>(cinfo.output_height);
  }
  bool accepting() const { return !failed && !eof && stage != Stage::Done && out_row < out.lines; }

  void push(std::span<const std::uint8_t> bytes) {
    for (std::size_t i = 0; i < bytes.size() && total_pushed + i < prefix.size(); ++i) {
      prefix[total_pushed + i] = bytes[i];
    }
    total_pushed += bytes.size();
    if (!accepting() || bytes.empty()) return;
    need_input = false;
    if (source.format == ImageFormat::Raw) {
      in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(raw_pos));
      raw_pos = 0;
      in.insert(in.end(), bytes.begin(), bytes.end());
      return;
    }
    const std::size_t consumed = in.size() - src.pub.bytes_in_buffer;
    in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(consumed));
    base += consumed;
    const std::size_t old_size = in.size();
    in.insert(in.end(), bytes.begin(), bytes.end());
    walk_markers(old_size);
    const std::size_t skip = std::min(pending_skip, in.size());
    if (skip > 0) {
      in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(skip));
      base += skip;
      pending_skip -= skip;
    }
    src.pub.next_input_byte = in.data();
    src.pub.bytes_in_buffer = in.size();
  }

  static bool is_sof(int m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

  // After SOS comes entropy-coded data, worth scanning for DNL only when SOF announced one.
  Walk after_segment() const {
    if (marker != 0xDA) return Walk::Marker;
    return dnl_mode() ? Walk::Entropy : Walk::Stop;
  }

  void walk_markers(std::size_t from) {
    std::size_t i = from;
    while (i < in.size()) {
      const std::uint8_t b = in[i];
      const std::uint64_t at = base + i;
      switch (walk) {
        case Walk::Soi0: walk = b == 0xFF ? Walk::Soi1 : Walk::Stop; break;
        case Walk::Soi1: walk = b == kSoi ? Walk::Marker : Walk::Stop; break;
        case Walk::Marker: walk = b == 0xFF ? Walk::Code : Walk::Stop; break;
        case Walk::Code:
          if (b == 0xFF) break;  // fill byte
          if (b == JPEG_EOI) {
            walk = Walk::Stop;
          } else if (b == 0x01 || (b >= 0xD0 && b <= 0xD8)) {
            walk = Walk::Marker;  // no length
          } else {
            marker = b;
            walk = Walk::Len0;
          }
          break;
        case Walk::Len0:
          seg_len = b << 8;
          seg_start = at;
          walk = Walk::Len1;
          break;
        case Walk::Len1:
          seg_len |= b;
          if (seg_len < 2) {
            walk = Walk::Stop;
            break;
          }
          seg_left = static_cast<std::uint64_t>(seg_len - 2);
          if (is_sof(marker) && !sof_seen) {
            sof_seen = true;
            sof_len_at = seg_start;
          }
          walk = seg_left > 0 ? Walk::Body : after_segment();
          break;
        case Walk::Body: {
          const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(seg_left, in.size() - i));
          // SOF: length(2) precision(1) height(2): look at the height once both bytes are here (libjpeg
          // commits to a marker segment only as a whole, so the first one is still buffered too).
          const std::uint64_t height_lo = sof_len_at + 4;
          const bool height_here = at <= height_lo && height_lo < at + n && height_lo > base;
          if (is_sof(marker) && seg_start == sof_len_at && height_here) {
            const std::size_t lo = static_cast<std::size_t>(height_lo - base);
            sof_height = in[lo - 1] << 8 | in[lo];
            // libjpeg rejects both HP's 0xFFFF (over JPEG_MAX_DIMENSION) and 0 ("DNL not supported"):
            // let it decode up to a placeholder height, and stop at the DNL height ourselves.
            if (dnl_mode()) {
              in[lo - 1] = static_cast<std::uint8_t>(kPlaceholderHeight >> 8);
              in[lo] = static_cast<std::uint8_t>(kPlaceholderHeight & 0xFF);
            }
          }
          seg_left -= n;
          i += n;
          if (seg_left == 0) walk = after_segment();
          continue;
        }
        case Walk::Entropy: {
          const void* ff = std::memchr(in.data() + i, 0xFF, in.size() - i);
          if (ff == nullptr) return;
          i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(ff) - in.data()) + 1;
          walk = Walk::EntropyFF;
          continue;
        }
        case Walk::EntropyFF:
          // Inside entropy-coded data FF is followed by 00 or RSTn, so FF DC can only be DNL.
          if (b == 0xDC) {
            walk = Walk::Dnl;
            dnl_got = 0;
          } else if (b != 0xFF) {
            walk = Walk::Entropy;
          }
          break;
        case Walk::Dnl:
          dnl_bytes[dnl_got++] = b;
          if (dnl_got == 4) {
            const int len = dnl_bytes[0] << 8 | dnl_bytes[1];
            const int height = dnl_bytes[2] << 8 | dnl_bytes[3];
            if (len == 4 && height > 0 && dnl_mode()) {
              on_dnl(height);
              walk = Walk::Stop;
            } else {
              walk = Walk::Entropy;
            }
          }
          break;
        case Walk::Stop: return;
      }
      ++i;
    }
  }

  void on_dnl(int height) {
    dnl_height = height;
    // If libjpeg has not committed to SOF yet (it re-reads a marker segment after suspending inside
    // it), give it the real height: it then also replicates the bottom edge correctly.
    if (sof_seen && sof_len_at >= base && !header_ready) {
      const std::size_t at = static_cast<std::size_t>(sof_len_at - base) + 3;
      if (at + 1 < in.size()) {
        in[at] = static_cast<std::uint8_t>(height >> 8);
        in[at + 1] = static_cast<std::uint8_t>(height & 0xFF);
      }
    }
  }

  void end_of_input() {
    if (eof) return;
    eof = true;
    pending_skip = 0;
  }

  bool looks_like_jpeg_start() const {
    return total_pushed == 0 || (prefix[0] == 0xFF && (total_pushed == 1 || prefix[1] == kSoi));
  }

  // Header and jpeg_start_decompress; false when more input is needed.
  bool start_jpeg() {
    if (stage == Stage::Header) {
      int rc = JPEG_SUSPENDED;
      if (!guarded([&] { rc = jpeg_read_header(&cinfo, TRUE); })) {
        // A stream that ended before its header did is a truncated page, not a bad one.
        if (fake_eoi && looks_like_jpeg_start()) {
          truncated = true;
          stage = Stage::Done;
          return true;
        }
        fail_jpeg();
      }
      if (rc == JPEG_SUSPENDED) return false;
      const bool gray = cinfo.num_components == 1 && cinfo.jpeg_color_space == JCS_GRAYSCALE;
      const bool color =
          cinfo.num_components == 3 && (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB);
      if (!gray && !color)
        fail("JPEG: unsupported colour space (" + std::to_string(cinfo.num_components) + " components)");
      cinfo.out_color_space = jpeg_out == ColorMode::Color ? JCS_RGB : JCS_GRAYSCALE;
      cinfo.dct_method = JDCT_ISLOW;
      header_ready = true;
      stage = Stage::Starting;
    }
    if (stage == Stage::Starting) {
      boolean started = FALSE;
      if (!guarded([&] { started = jpeg_start_decompress(&cinfo); })) fail_jpeg();
      if (!started) return false;
      src_row.resize(static_cast<std::size_t>(cinfo.output_width) * cinfo.output_components);
      stage = Stage::Rows;
    }
    return true;
  }

  // Rows libjpeg produces after its entropy decoder ran into a marker (other than RSTn) may be filler.
  bool hit_marker() const {
    return cinfo.unread_marker != 0 && (cinfo.unread_marker < 0xD0 || cinfo.unread_marker > 0xD7);
  }

  JDIMENSION read_scanlines(JSAMPARRAY rows, JDIMENSION count) {
    JDIMENSION n = 0;
    if (!guarded([&] { n = jpeg_read_scanlines(&cinfo, rows, count); })) fail_jpeg();
    return n;
  }

  // Decodes straight into the caller's buffer when no conversion is needed. Returns the rows written,
  // 0 when more input is needed, -1 when the row-by-row path must handle what comes next.
  int jpeg_rows_direct(std::uint8_t* dst, int max_rows) {
    if (stage != Stage::Rows || held || dnl_pending() || fake_eoi || out.mode == ColorMode::BlackAndWhite ||
        static_cast<int>(cinfo.output_width) != out.pixels_per_line) {
      return -1;
    }
    const int next = static_cast<int>(cinfo.output_scanline);
    const int rows = std::min({max_rows, kMaxDirectRows, out.lines - out_row, source_rows() - next});
    if (rows <= 0) return -1;
    std::array<JSAMPROW, kMaxDirectRows> pointers{};
    for (int r = 0; r < rows; ++r) pointers[r] = dst + static_cast<std::size_t>(r) * bpl;
    const int n = static_cast<int>(read_scanlines(pointers.data(), static_cast<JDIMENSION>(rows)));
    if (n == 0 && eof) return -1;
    if (fake_eoi) {
      // The data ran out while these rows were being decoded: they are filler, not image.
      fill_white(out.mode, dst, static_cast<std::size_t>(n) * bpl);
      truncated = true;
      stage = Stage::Done;
    }
    return n;
  }

  Produced jpeg_row(std::uint8_t* dst) {
    if (stage == Stage::Header || stage == Stage::Starting) {
      if (!start_jpeg()) return Produced::NeedInput;
    }
    if (stage == Stage::Done) return Produced::White;
    if (!held) {
      const int next = static_cast<int>(cinfo.output_scanline);
      if (next >= static_cast<int>(cinfo.output_height) || (dnl_height > 0 && next >= dnl_height)) {
        stage = Stage::Done;
        return Produced::White;
      }
      if (fake_eoi) {
        truncated = true;
        stage = Stage::Done;
        return Produced::White;
      }
      JSAMPROW row = src_row.data();
      if (read_scanlines(&row, 1) == 0) return Produced::NeedInput;
      if (fake_eoi) {
        truncated = true;
        stage = Stage::Done;
        return Produced::White;
      }
      held = dnl_pending() && hit_marker();
      held_index = next;
    }
    if (held) {
      if (dnl_height == 0) {
        if (!eof) return Produced::NeedInput;
        truncated = true;  // an HP 0xFFFF-height image whose DNL never came
        held = false;
        stage = Stage::Done;
        return Produced::White;
      }
      held = false;
      if (held_index >= dnl_height) {
        stage = Stage::Done;
        return Produced::White;
      }
    }
    convert_row(jpeg_out, src_row.data(), static_cast<int>(cinfo.output_width), out.mode, dst, out.pixels_per_line);
    return Produced::Row;
  }

  Produced raw_row(std::uint8_t* dst) {
    if (stage == Stage::Done) return Produced::White;
    const auto row_bytes = static_cast<std::size_t>(raw_bpl);
    if (in.size() - raw_pos >= row_bytes) {
      convert_row(source.raw_mode, in.data() + raw_pos, source.raw_width, out.mode, dst, out.pixels_per_line);
      raw_pos += row_bytes;
      ++raw_rows;
      return Produced::Row;
    }
    if (!eof) return Produced::NeedInput;
    if (in.size() > raw_pos || (source.raw_lines > 0 && raw_rows < source.raw_lines)) truncated = true;
    stage = Stage::Done;
    return Produced::White;
  }

  Produced produce_row(std::uint8_t* dst) {
    Produced p = source.format == ImageFormat::Raw ? raw_row(dst) : jpeg_row(dst);
    if (p == Produced::NeedInput && eof) {
      // Cannot happen (libjpeg never suspends once the fake EOI is available), but must not stall.
      truncated = true;
      stage = Stage::Done;
      p = Produced::White;
    }
    if (p == Produced::White) fill_white(out.mode, dst, bpl);
    return p;
  }

  bool pass_through_possible() const {
    return source.format == ImageFormat::Raw && stage == Stage::Rows && !eof && !failed && in.size() == raw_pos &&
           staged_pos >= staged_len && out_row < out.lines && source.raw_mode == out.mode &&
           out.mode != ColorMode::BlackAndWhite && source.raw_width == out.pixels_per_line &&
           static_cast<std::size_t>(raw_bpl) == bpl;
  }

  std::size_t pass_through_room() const {
    if (!pass_through_possible()) return 0;
    return static_cast<std::size_t>(out.lines - out_row) * bpl - passed;
  }

  void passed_through(std::size_t bytes) {
    if (bytes == 0) return;
    if (bytes > pass_through_room()) throw std::logic_error("PageDecoder: more passed through than there was room for");
    total_pushed += bytes;
    passed += bytes;
    const auto rows = static_cast<int>(passed / bpl);
    out_row += rows;
    raw_rows += rows;
    passed %= bpl;
    need_input = out_row < out.lines;
  }

  std::size_t read(std::span<std::uint8_t> buf) {
    if (failed) throw ImageError(error);
    if (passed > 0 && !pass_through_possible()) {
      // The input ended inside a row that went straight to the caller: the rest of it is white.
      fill_white(out.mode, staged.data(), bpl);
      staged_pos = passed;
      staged_len = bpl;
      passed = 0;
      ++out_row;
      truncated = true;
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
      if (room >= bpl && source.format == ImageFormat::Jpeg) {
        const int k =
            jpeg_rows_direct(buf.data() + n, static_cast<int>(std::min<std::size_t>(room / bpl, kMaxDirectRows)));
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
      if (produce_row(dst) == Produced::NeedInput) {
        need_input = true;
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

  bool finished() const { return out_row >= out.lines && staged_pos >= staged_len; }
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
bool PageDecoder::finished() const { return impl_->finished(); }

int PageDecoder::source_width() const {
  if (impl_->source.format == ImageFormat::Raw) return impl_->source.raw_width;
  return impl_->header_ready ? static_cast<int>(impl_->cinfo.image_width) : 0;
}
int PageDecoder::source_height() const {
  if (impl_->source.format == ImageFormat::Raw) return impl_->raw_rows;
  if (!impl_->header_ready) return 0;
  return impl_->dnl_mode() ? impl_->dnl_height : static_cast<int>(impl_->cinfo.image_height);
}
bool PageDecoder::truncated() const { return impl_->truncated; }
bool PageDecoder::header_ready() const { return impl_->header_ready; }
int PageDecoder::warnings() const { return impl_->err.warnings; }

}  // namespace hpaio::backend
