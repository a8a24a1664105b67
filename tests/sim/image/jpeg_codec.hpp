// JPEG encoding of simulated pages with libjpeg-turbo, the HP ADF "DNL" variant, and a decoder
// used by tests and the page checker.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tests/sim/image/page_pattern.hpp"

namespace hpsim {

// Baseline JFIF; 3-channel rasters as YCbCr, 1-channel as grayscale. Throws std::runtime_error.
std::string encode_jpeg(const Raster& raster, int quality = 85);

// HP ADF style: SOF height set to 0xFFFF and a DNL (FFDC) segment with the real height inserted
// after the entropy-coded data, just before EOI. Returns nullopt if `jpeg` has no SOF0/EOI.
std::optional<std::string> make_dnl_jpeg(std::string_view jpeg);

// The height recorded in SOF0, and in a DNL segment if present.
struct JpegHeights {
  int sof_height = -1;
  int dnl_height = -1;
  int width = -1;
};
JpegHeights jpeg_heights(std::string_view jpeg);

// Decodes to a raster (RGB or gray). A 0xFFFF SOF height is first replaced by the DNL height.
// Throws std::runtime_error on corrupt data.
Raster decode_jpeg(std::string_view jpeg);

}  // namespace hpsim
