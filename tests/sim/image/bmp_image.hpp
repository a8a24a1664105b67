// Windows DIB (BMP) files for WS-Scan's "dib" format: BITMAPFILEHEADER + BITMAPINFOHEADER, no
// compression, rows bottom-up, each padded to a multiple of 4 bytes. Colour: 24 bits a pixel
// (blue, green, red); gray: 8 bits a pixel with a 256-entry gray palette (biClrUsed 256).
#pragma once

#include <string>
#include <string_view>

namespace hpsim {

// Rows of `width` pixels, top-down, 3 bytes (R, G, B) or 1 byte (gray) a pixel, as raw pages are.
// Throws std::invalid_argument when `pixels` is not height rows of width pixels.
std::string encode_bmp(std::string_view pixels, int width, int height, bool color);

// The padded row stride of a BMP of this width.
inline int bmp_row_bytes(int width, bool color) { return ((width * (color ? 3 : 1)) + 3) / 4 * 4; }

}  // namespace hpsim
