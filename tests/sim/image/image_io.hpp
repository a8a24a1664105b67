// Reading scanned images for the page checker: PNM (P4, P5, P6 as `scanimage --format=pnm`
// writes them) and PNG (8-bit gray or RGB, via libpng), plus a PNM writer for tests.
#pragma once

#include <string>
#include <string_view>

#include "tests/sim/image/page_pattern.hpp"

namespace hpsim {

// Decodes PNM or PNG from memory. Lineart (P4, 1-bit PNG) becomes 1 channel of 0/255.
// Throws std::runtime_error with a clear message on anything else.
Raster read_image(std::string_view bytes);
Raster read_image_file(const std::string& path);

// P6 for 3 channels, P5 for 1 (or P4 when `bilevel`).
std::string write_pnm(const Raster& r, bool bilevel = false);

}  // namespace hpsim
