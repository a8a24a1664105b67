#include "tests/sim/image/bmp_image.hpp"

#include <cstdint>
#include <stdexcept>

namespace hpsim {

namespace {

void put16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

std::string encode_bmp(std::string_view pixels, int width, int height, bool color) {
  const int bpp = color ? 3 : 1;
  if (width <= 0 || height <= 0 ||
      pixels.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * bpp) {
    throw std::invalid_argument("encode_bmp: pixel data does not match the size");
  }
  const std::uint32_t stride = static_cast<std::uint32_t>(bmp_row_bytes(width, color));
  const std::uint32_t palette = color ? 0 : 256 * 4;
  const std::uint32_t offset = 14 + 40 + palette;
  const std::uint32_t image = stride * static_cast<std::uint32_t>(height);
  std::string s;
  s.reserve(offset + image);
  s += "BM";
  put32(s, offset + image);
  put32(s, 0);  // reserved
  put32(s, offset);
  put32(s, 40);
  put32(s, static_cast<std::uint32_t>(width));
  put32(s, static_cast<std::uint32_t>(height));  // positive: bottom-up
  put16(s, 1);
  put16(s, color ? 24 : 8);
  put32(s, 0);  // BI_RGB
  put32(s, image);
  put32(s, 0);
  put32(s, 0);
  put32(s, color ? 0 : 256);
  put32(s, 0);
  if (!color) {
    for (int i = 0; i < 256; ++i) {
      const char v = static_cast<char>(i);
      s.push_back(v);
      s.push_back(v);
      s.push_back(v);
      s.push_back(0);
    }
  }
  const std::size_t row = static_cast<std::size_t>(width) * bpp;
  const std::string pad(stride - row, '\0');
  for (int y = height - 1; y >= 0; --y) {
    const std::string_view src = pixels.substr(static_cast<std::size_t>(y) * row, row);
    if (color) {
      for (std::size_t x = 0; x < row; x += 3) {
        s.push_back(src[x + 2]);
        s.push_back(src[x + 1]);
        s.push_back(src[x]);
      }
    } else {
      s.append(src);
    }
    s += pad;
  }
  return s;
}

}  // namespace hpsim
