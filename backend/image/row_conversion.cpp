#include "backend/image/row_conversion.hpp"

#include <algorithm>
#include <cstring>

namespace hpaio::backend {

int min_bytes_per_line(ColorMode mode, int width) {
  switch (mode) {
    case ColorMode::Color: return 3 * width;
    case ColorMode::Gray: return width;
    case ColorMode::BlackAndWhite: return (width + 7) / 8;
  }
  return 0;
}

namespace {

// ITU-R BT.601 luma, as libjpeg computes it for YCbCr -> grayscale.
inline std::uint8_t luminance(const std::uint8_t* rgb) {
  return static_cast<std::uint8_t>((19595u * rgb[0] + 38470u * rgb[1] + 7471u * rgb[2] + 32768u) >> 16);
}

// K1 (LEDM raw lineart): 1 = white.
inline bool k1_white(const std::uint8_t* row, int x) { return ((row[x >> 3] >> (7 - (x & 7))) & 1) != 0; }

}  // namespace

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

}  // namespace hpaio::backend
