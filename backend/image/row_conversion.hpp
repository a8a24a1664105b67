// Rows from what the device sends to what SANE was promised: 8-bit RGB, 8-bit gray, 1-bit lineart.
// Pure functions over one row; the JPEG and Raw paths share them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "backend/scan/scanner_capabilities.hpp"

namespace hpaio::backend {

// The fewest bytes a row of `width` pixels takes: 3 per pixel for Color, 1 for Gray, 1 bit for
// BlackAndWhite (rounded up to a byte). The same for HP's K1 and SANE's lineart.
int min_bytes_per_line(ColorMode mode, int width);

// One source row (Color = RGB8, Gray = 8-bit, BlackAndWhite = HP's K1: 1 = white) to one output row in
// SANE's format (BlackAndWhite = lineart: 1 = black, pad bits 0), cropped or padded with white on the
// right. Gray and RGB become lineart at luminance 128.
void convert_row(ColorMode from, const std::uint8_t* src, int src_width, ColorMode to, std::uint8_t* dst,
                 int out_width);

// `bytes` of white in SANE's format for `mode` (0xFF, or 0 for lineart).
void fill_white(ColorMode mode, std::uint8_t* dst, std::size_t bytes);

}  // namespace hpaio::backend
