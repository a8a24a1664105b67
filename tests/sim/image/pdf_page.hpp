// application/pdf pages: a minimal one-page PDF whose only content is the page's JPEG, embedded
// as is (DCTDecode). Enough for a client that saves the document; nothing decodes it here.
#pragma once

#include <string>
#include <string_view>

namespace hpsim {

// The page is the scan's size at 72 points per inch (width / xres inches by height / yres).
// channels: 3 (DeviceRGB) or 1 (DeviceGray), as in the JPEG.
std::string jpeg_pdf(std::string_view jpeg, int width, int height, int channels, int xres, int yres);

}  // namespace hpsim
