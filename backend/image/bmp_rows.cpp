#include "backend/image/bmp_rows.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>
#include <string>

#include "backend/image/row_conversion.hpp"

namespace hpaio::backend {
namespace {

constexpr std::size_t kFileHeaderSize = 14;
// The most bytes allowed between the header (with its palette) and the first row, per bfOffBits
// (an ICC profile, say).
constexpr std::uint64_t kMaxGap = std::uint64_t{1} << 20;

enum Compression : std::uint32_t { bi_rgb = 0, bi_rle8 = 1, bi_rle4 = 2, bi_bitfields = 3, bi_jpeg = 4, bi_png = 5 };

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | p[1] << 8); }
std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// BITMAPINFOHEADER, its V2 and V3 (52, 56), OS/2 2.x (64, the same first 40 bytes), V4 and V5.
bool known_info_header(std::uint32_t size) {
  return size == 40 || size == 52 || size == 56 || size == 64 || size == 108 || size == 124;
}

std::string compression_name(std::uint32_t c) {
  switch (c) {
    case bi_rle8: return "RLE8";
    case bi_rle4: return "RLE4";
    case bi_jpeg: return "JPEG";
    case bi_png: return "PNG";
    default: return std::to_string(c);
  }
}

[[noreturn]] void fail(const std::string& what) { throw ImageError("BMP: " + what); }

}  // namespace

BmpRows::BmpRows(const FrameFormat& out) : out_(out), out_bpl_(static_cast<std::size_t>(out.bytes_per_line())) {}

void BmpRows::push(std::span<const std::uint8_t> bytes) {
  // Bytes after the image (a V5 header's ICC profile, say) are not kept.
  if (stage_ == Stage::Deliver || stage_ == Stage::Done || (stage_ == Stage::Rows && rows_in_ >= height_)) return;
  in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(pos_));
  pos_ = 0;
  in_.insert(in_.end(), bytes.begin(), bytes.end());
}

void BmpRows::set_masks(std::uint32_t r, std::uint32_t g, std::uint32_t b) {
  const std::array<std::uint32_t, 3> masks{r, g, b};
  for (std::size_t c = 0; c < 3; ++c) {
    Channel& ch = channels_[c];
    ch.mask = masks[c];
    ch.shift = masks[c] == 0 ? 0 : std::countr_zero(masks[c]);
    ch.bits = masks[c] == 0 ? 0 : std::bit_width(masks[c] >> ch.shift);
  }
}

bool BmpRows::parse_header() {
  const std::size_t avail = in_.size() - pos_;
  const std::uint8_t* p = in_.data() + pos_;
  if (avail < 2) return false;
  const bool file_header = p[0] == 'B' && p[1] == 'M';
  const std::size_t info = file_header ? kFileHeaderSize : 0;
  if (avail < info + 4) return false;
  const std::uint32_t info_size = le32(p + info);
  if (!known_info_header(info_size)) {
    if (!file_header) fail("not a BMP image (neither a 'BM' file header nor a BITMAPINFOHEADER)");
    if (info_size == 12) fail("the OS/2 1.x header (BITMAPCOREHEADER) is not supported");
    fail("unknown info header size " + std::to_string(info_size));
  }
  if (avail < info + info_size) return false;
  const std::uint8_t* h = p + info;
  const auto width = static_cast<std::int32_t>(le32(h + 4));
  const auto height = static_cast<std::int32_t>(le32(h + 8));
  const int bpp = le16(h + 14);
  const std::uint32_t compression = le32(h + 16);
  const std::uint32_t colours_used = le32(h + 32);

  if (width <= 0 || width > kMaxDimension) fail("width " + std::to_string(width) + " is out of range");
  if (height == 0 || height < -kMaxDimension || height > kMaxDimension) {
    fail("height " + std::to_string(height) + " is out of range");
  }
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
    fail(std::to_string(bpp) + " bits per pixel is not supported");
  }
  const bool bitfields = compression == bi_bitfields;
  if (compression != bi_rgb && !bitfields) {
    fail("compression " + compression_name(compression) +
         " is not supported (only uncompressed BI_RGB and BI_BITFIELDS)");
  }
  if (bitfields && bpp != 16 && bpp != 32) fail("BI_BITFIELDS with " + std::to_string(bpp) + " bits per pixel");

  // A 40-byte header with BI_BITFIELDS is followed by the three masks; later headers hold them.
  std::size_t header_end = info + info_size;
  std::uint32_t r = 0, g = 0, b = 0;
  if (bitfields) {
    const std::uint8_t* m = h + 40;
    if (info_size == 40) {
      if (avail < header_end + 12) return false;
      m = p + header_end;
      header_end += 12;
    }
    r = le32(m);
    g = le32(m + 4);
    b = le32(m + 8);
  }
  if (r == 0 && g == 0 && b == 0) {
    if (bpp == 16) {
      r = 0x7C00, g = 0x03E0, b = 0x001F;  // 5-5-5
    } else {
      r = 0xFF0000, g = 0xFF00, b = 0xFF;  // BGRX
    }
  }

  // The palette: every index of a 1-, 4- or 8-bit image has an entry (missing ones are black); an
  // image of more bits may list colours for display, which are skipped.
  const std::uint32_t entries = colours_used != 0 ? colours_used : (bpp <= 8 ? 1u << bpp : 0u);
  if (entries > 256) fail("a palette of " + std::to_string(entries) + " colours");
  const std::size_t palette_end = header_end + 4 * static_cast<std::size_t>(entries);
  if (avail < palette_end) return false;

  std::uint64_t data_start = palette_end;
  if (file_header) {
    const std::uint32_t offset = le32(p + 10);
    // Some writers leave bfOffBits 0; the rows then follow the palette.
    if (offset != 0) {
      if (offset < palette_end) fail("pixel data offset " + std::to_string(offset) + " lies inside the header");
      if (offset - palette_end > kMaxGap) fail("pixel data offset " + std::to_string(offset) + " is too far");
      data_start = offset;
    }
  }

  width_ = width;
  bottom_up_ = height > 0;
  height_ = bottom_up_ ? height : -height;
  bpp_ = bpp;
  row_bytes_ = (static_cast<std::size_t>(width) * static_cast<std::size_t>(bpp) + 31) / 32 * 4;

  if (bpp <= 8) {
    pixels_ = Pixels::Palette;
    const std::uint32_t usable = std::min<std::uint32_t>(entries, 1u << bpp);
    bool gray = true;
    for (std::uint32_t i = 0; i < usable; ++i) {
      const std::uint8_t* e = p + header_end + 4 * i;  // B, G, R, reserved
      palette_[3 * i] = e[2];
      palette_[3 * i + 1] = e[1];
      palette_[3 * i + 2] = e[0];
      gray = gray && e[0] == e[1] && e[1] == e[2];
    }
    // A gray palette gives gray rows, a two-entry one bilevel rows (whichever index is white);
    // any other one RGB.
    src_mode_ = !gray ? ColorMode::Color : bpp == 1 ? ColorMode::BlackAndWhite : ColorMode::Gray;
  } else if (bpp == 24) {
    pixels_ = Pixels::Bgr24;
    src_mode_ = ColorMode::Color;
  } else {
    pixels_ = Pixels::Masked;
    src_mode_ = ColorMode::Color;
    set_masks(r, g, b);
  }
  row_.assign(static_cast<std::size_t>(min_bytes_per_line(src_mode_, width_)), 0);

  if (bottom_up_) {
    kept_ = std::min(height_, out_.lines);
    const std::uint64_t bytes = static_cast<std::uint64_t>(kept_) * out_bpl_;
    if (bytes > kMaxBufferedBytes) {
      fail("a bottom-up page of " + std::to_string(bytes >> 20) + " MiB is more than the " +
           std::to_string(kMaxBufferedBytes >> 20) + " MiB it may hold in memory (scan a smaller area or at a lower " +
           "resolution)");
    }
    try {
      page_ = std::make_unique_for_overwrite<std::uint8_t[]>(static_cast<std::size_t>(bytes));
    } catch (const std::bad_alloc&) {
      fail("no memory for a bottom-up page of " + std::to_string(bytes >> 20) + " MiB");
    }
    first_kept_ = kept_;
  }
  pos_ += palette_end;
  skip_ = data_start - palette_end;
  stage_ = Stage::Rows;
  return true;
}

void BmpRows::decode_row(const std::uint8_t* src) {
  std::uint8_t* dst = row_.data();
  const int w = width_;
  switch (pixels_) {
    case Pixels::Palette: {
      if (src_mode_ == ColorMode::BlackAndWhite) {
        // K1 (1 = white) straight from the bits: each index is white or not by its palette gray.
        const std::uint8_t one = palette_[3] >= 128 ? 0xFF : 0;
        const std::uint8_t zero = palette_[0] >= 128 ? 0xFF : 0;
        for (std::size_t i = 0; i < row_.size(); ++i) {
          dst[i] = static_cast<std::uint8_t>((src[i] & one) | (~src[i] & zero));
        }
        return;
      }
      for (int x = 0; x < w; ++x) {
        unsigned index = 0;
        switch (bpp_) {
          case 1: index = (src[x >> 3] >> (7 - (x & 7))) & 1u; break;
          case 4: index = (src[x >> 1] >> ((x & 1) ? 0 : 4)) & 0xFu; break;
          default: index = src[x]; break;
        }
        const std::uint8_t* c = palette_.data() + 3 * index;
        if (src_mode_ == ColorMode::Gray) {
          dst[x] = c[0];
        } else {
          std::memcpy(dst + 3 * x, c, 3);
        }
      }
      return;
    }
    case Pixels::Bgr24:
      for (int x = 0; x < w; ++x) {
        dst[3 * x] = src[3 * x + 2];
        dst[3 * x + 1] = src[3 * x + 1];
        dst[3 * x + 2] = src[3 * x];
      }
      return;
    case Pixels::Masked:
      for (int x = 0; x < w; ++x) {
        const std::uint32_t v = bpp_ == 16 ? le16(src + 2 * x) : le32(src + 4 * x);
        for (std::size_t c = 0; c < 3; ++c) {
          const Channel& ch = channels_[c];
          const std::uint32_t level = (v & ch.mask) >> ch.shift;
          std::uint32_t out = 0;
          if (ch.bits >= 8) {
            out = level >> (ch.bits - 8);
          } else if (ch.bits > 0) {
            const std::uint32_t top = (1u << ch.bits) - 1;
            out = (level * 255 + top / 2) / top;
          }
          dst[3 * x + static_cast<int>(c)] = static_cast<std::uint8_t>(out);
        }
      }
      return;
  }
}

void BmpRows::store_rows() {
  while (rows_in_ < height_ && in_.size() - pos_ >= row_bytes_) {
    const int index = height_ - 1 - rows_in_;  // from the top
    if (index < kept_) {
      decode_row(in_.data() + pos_);
      convert_row(src_mode_, row_.data(), width_, out_.mode, page_.get() + static_cast<std::size_t>(index) * out_bpl_,
                  out_.pixels_per_line);
      first_kept_ = index;
    }
    pos_ += row_bytes_;
    ++rows_in_;
  }
}

bool BmpRows::white_row(std::uint8_t* dst) {
  stage_ = Stage::Done;
  page_.reset();
  in_.clear();
  in_.shrink_to_fit();
  pos_ = 0;
  fill_white(out_.mode, dst, out_bpl_);
  return true;
}

bool BmpRows::next_row(std::uint8_t* dst) {
  if (stage_ == Stage::Header && !parse_header()) {
    if (!eof_) return false;
    truncated_ = true;  // the input ended in the header: a white page
    return white_row(dst);
  }
  if (stage_ == Stage::Rows) {
    if (skip_ > 0) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, in_.size() - pos_));
      pos_ += n;
      skip_ -= n;
    }
    if (!bottom_up_) {
      if (rows_in_ >= height_) return white_row(dst);
      if (skip_ == 0 && in_.size() - pos_ >= row_bytes_) {
        decode_row(in_.data() + pos_);
        convert_row(src_mode_, row_.data(), width_, out_.mode, dst, out_.pixels_per_line);
        pos_ += row_bytes_;
        ++rows_in_;
        return true;
      }
      if (!eof_) return false;
      truncated_ = true;
      return white_row(dst);
    }
    if (skip_ == 0) store_rows();
    if (rows_in_ < height_) {
      if (!eof_) return false;
      truncated_ = true;  // the top rows never came: they stay white
    }
    stage_ = Stage::Deliver;
    in_.clear();
    in_.shrink_to_fit();
    pos_ = 0;
  }
  if (stage_ == Stage::Deliver && rows_out_ < kept_) {
    if (rows_out_ < first_kept_) {
      fill_white(out_.mode, dst, out_bpl_);
    } else {
      std::memcpy(dst, page_.get() + static_cast<std::size_t>(rows_out_) * out_bpl_, out_bpl_);
    }
    ++rows_out_;
    return true;
  }
  return white_row(dst);
}

}  // namespace hpaio::backend
