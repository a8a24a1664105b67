#include "tests/sim/image/page_pattern.hpp"

#include <cmath>

namespace hpsim {

Rgb ink_rgb(Ink ink) {
  switch (ink) {
    case Ink::white: return {255, 255, 255};
    case Ink::black: return {0, 0, 0};
    case Ink::red: return {255, 0, 0};
    case Ink::green: return {128, 255, 128};
  }
  return {};
}

std::uint8_t rgb_to_gray(Rgb c) {
  const double y = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
  return static_cast<std::uint8_t>(std::lround(std::min(255.0, y)));
}

std::uint8_t ink_gray(Ink ink) { return rgb_to_gray(ink_rgb(ink)); }

const char* ink_name(Ink ink) {
  switch (ink) {
    case Ink::white: return "white";
    case Ink::black: return "black";
    case Ink::red: return "red";
    case Ink::green: return "green";
  }
  return "?";
}

Ink cell_ink(int cx, int cy, int page, Side side) {
  if (cy == 0) {
    if (cx == 0) return Ink::black;
    if (cx >= 1 && cx <= 8) return ((page >> (cx - 1)) & 1) != 0 ? Ink::black : Ink::white;
    if (cx == 9) return side == Side::front ? Ink::red : Ink::green;
    if (cx == 10) return Ink::white;
    return Ink::green;
  }
  // A small integer hash (splitmix64 finaliser) of the four inputs.
  std::uint64_t h = static_cast<std::uint64_t>(static_cast<std::uint32_t>(cx)) * 0x9E3779B97F4A7C15ull;
  h ^= static_cast<std::uint64_t>(static_cast<std::uint32_t>(cy)) * 0xC2B2AE3D27D4EB4Full;
  h ^= static_cast<std::uint64_t>(static_cast<std::uint32_t>(page)) * 0x165667B19E3779F9ull;
  h ^= side == Side::back ? 0xD6E8FEB86659FD93ull : 0;
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 31;
  return static_cast<Ink>(h & 3u);
}

Rgb pattern_at(double x300, double y300, int page, Side side) {
  if (x300 < 0 || y300 < 0) return {};
  const int x = static_cast<int>(x300);
  const int y = static_cast<int>(y300);
  const int cx = x / kCellSize;
  const int cy = y / kCellSize;
  const int ix = x % kCellSize;
  const int iy = y % kCellSize;
  if (ix < kGutter || ix >= kCellSize - kGutter || iy < kGutter || iy >= kCellSize - kGutter) return {};
  return ink_rgb(cell_ink(cx, cy, page, side));
}

Raster render_page(int x300, int y300, int w300, int h300, int xres, int yres, ColorMode mode, int page, Side side) {
  Raster r;
  r.width = static_cast<int>(static_cast<long long>(w300) * xres / 300);
  r.height = static_cast<int>(static_cast<long long>(h300) * yres / 300);
  r.channels = mode == ColorMode::color ? 3 : 1;
  if (r.width <= 0 || r.height <= 0) {
    r.width = r.height = 0;
    return r;
  }
  r.pixels.resize(static_cast<std::size_t>(r.width) * static_cast<std::size_t>(r.height) *
                  static_cast<std::size_t>(r.channels));
  // Columns repeat on every row: precompute the absolute x of each pixel centre.
  std::string::size_type o = 0;
  for (int py = 0; py < r.height; ++py) {
    const double ay = y300 + (py + 0.5) * 300.0 / yres;
    for (int px = 0; px < r.width; ++px) {
      const double ax = x300 + (px + 0.5) * 300.0 / xres;
      const Rgb c = pattern_at(ax, ay, page, side);
      if (mode == ColorMode::color) {
        r.pixels[o++] = static_cast<char>(c.r);
        r.pixels[o++] = static_cast<char>(c.g);
        r.pixels[o++] = static_cast<char>(c.b);
      } else if (mode == ColorMode::gray) {
        r.pixels[o++] = static_cast<char>(rgb_to_gray(c));
      } else {
        r.pixels[o++] = static_cast<char>(rgb_to_gray(c) < 128 ? 0 : 255);
      }
    }
  }
  return r;
}

Raster rotate_180(const Raster& r) {
  Raster out = r;
  const auto px = static_cast<std::size_t>(r.channels);
  const std::size_t n = r.pixels.size() / px;
  for (std::size_t i = 0; i < n; ++i) {
    out.pixels.replace(i * px, px, r.pixels, (n - 1 - i) * px, px);
  }
  return out;
}

std::string pack_lineart(const Raster& r) {
  const std::size_t row_bytes = (static_cast<std::size_t>(r.width) + 7) / 8;
  std::string out(row_bytes * static_cast<std::size_t>(r.height), '\0');
  std::size_t i = 0;
  for (int y = 0; y < r.height; ++y) {
    const std::size_t row = static_cast<std::size_t>(y) * row_bytes;
    for (int x = 0; x < r.width; ++x, i += static_cast<std::size_t>(r.channels)) {
      if (static_cast<unsigned char>(r.pixels[i]) >= 128) {
        out[row + static_cast<std::size_t>(x) / 8] |= static_cast<char>(0x80u >> (x % 8));
      }
    }
  }
  return out;
}

}  // namespace hpsim
