#include "tests/sim/image/image_io.hpp"

#include <png.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hpsim {

namespace {

Raster read_pnm(std::string_view b) {
  std::size_t i = 2;
  const char kind = b[1];
  const auto next_int = [&]() -> long {
    while (i < b.size()) {
      if (b[i] == '#') {
        while (i < b.size() && b[i] != '\n') ++i;
      } else if (std::isspace(static_cast<unsigned char>(b[i])) != 0) {
        ++i;
      } else {
        break;
      }
    }
    long v = 0;
    const std::size_t start = i;
    while (i < b.size() && std::isdigit(static_cast<unsigned char>(b[i])) != 0 && i - start < 9) {
      v = v * 10 + (b[i] - '0');
      ++i;
    }
    if (i == start) throw std::runtime_error("PNM: malformed header");
    return v;
  };
  const long w = next_int();
  const long h = next_int();
  const long maxval = kind == '4' ? 1 : next_int();
  if (w <= 0 || h <= 0 || w > 100000 || h > 100000) throw std::runtime_error("PNM: bad size");
  if (kind != '4' && maxval != 255) throw std::runtime_error("PNM: only 8-bit (maxval 255) images are supported");
  ++i;  // the single whitespace after the header
  Raster r;
  r.width = static_cast<int>(w);
  r.height = static_cast<int>(h);
  r.channels = kind == '6' ? 3 : 1;
  const std::size_t pixels = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
  if (kind == '4') {
    const std::size_t row = (static_cast<std::size_t>(w) + 7) / 8;
    if (b.size() < i + row * static_cast<std::size_t>(h)) throw std::runtime_error("PNM: truncated P4 data");
    r.pixels.resize(pixels);
    for (long y = 0; y < h; ++y) {
      for (long x = 0; x < w; ++x) {
        const auto byte =
            static_cast<unsigned char>(b[i + static_cast<std::size_t>(y) * row + static_cast<std::size_t>(x) / 8]);
        const bool black = ((byte >> (7 - x % 8)) & 1) != 0;
        r.pixels[static_cast<std::size_t>(y * w + x)] = static_cast<char>(black ? 0 : 255);
      }
    }
    return r;
  }
  const std::size_t n = pixels * static_cast<std::size_t>(r.channels);
  if (b.size() < i + n) throw std::runtime_error("PNM: truncated pixel data");
  r.pixels.assign(b.data() + i, n);
  return r;
}

Raster read_png(std::string_view b) {
  png_image img;
  std::memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&img, b.data(), b.size()) == 0) {
    throw std::runtime_error(std::string("PNG: ") + img.message);
  }
  const bool color = (img.format & PNG_FORMAT_FLAG_COLOR) != 0;
  img.format = color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  Raster r;
  r.width = static_cast<int>(img.width);
  r.height = static_cast<int>(img.height);
  r.channels = color ? 3 : 1;
  r.pixels.resize(PNG_IMAGE_SIZE(img));
  if (png_image_finish_read(&img, nullptr, r.pixels.data(), 0, nullptr) == 0) {
    png_image_free(&img);
    throw std::runtime_error(std::string("PNG: ") + img.message);
  }
  return r;
}

}  // namespace

Raster read_image(std::string_view b) {
  if (b.size() >= 3 && b[0] == 'P' && (b[1] == '4' || b[1] == '5' || b[1] == '6')) return read_pnm(b);
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return read_png(b);
  throw std::runtime_error("unsupported image format (expected PNM P4/P5/P6 or PNG)");
}

Raster read_image_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return read_image(s.str());
}

std::string write_pnm(const Raster& r, bool bilevel) {
  if (r.channels == 1 && bilevel) {
    std::string o = "P4\n" + std::to_string(r.width) + " " + std::to_string(r.height) + "\n";
    const std::size_t row = (static_cast<std::size_t>(r.width) + 7) / 8;
    std::string data(row * static_cast<std::size_t>(r.height), '\0');
    for (int y = 0; y < r.height; ++y) {
      for (int x = 0; x < r.width; ++x) {
        if (static_cast<unsigned char>(r.pixels[static_cast<std::size_t>(y * r.width + x)]) < 128) {
          data[static_cast<std::size_t>(y) * row + static_cast<std::size_t>(x) / 8] |=
              static_cast<char>(0x80 >> (x % 8));
        }
      }
    }
    return o + data;
  }
  return std::string(r.channels == 3 ? "P6\n" : "P5\n") + std::to_string(r.width) + " " + std::to_string(r.height) +
         "\n255\n" + r.pixels;
}

}  // namespace hpsim
