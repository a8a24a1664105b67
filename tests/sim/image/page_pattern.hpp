// The synthetic page printed on every simulated sheet, shared by the generator (hpaio-sim)
// and the checker (hpaio-pagecheck).
//
// Coordinates are ABSOLUTE positions on the physical sheet in 1/300 inch (the unit of LEDM and
// eSCL), origin at the top-left corner of the sheet as the scanner sees it. The colour of a
// point depends only on that position, the page (sheet) number within the job (1-based) and the
// side (front/back), so a scan of a sub-area shows exactly that part of the sheet and offset,
// cropping, scaling, page-order and front/back mix-ups all show up as wrong cells.
//
// Layout: the sheet is tiled with square cells of kCellSize (120 = 0.4 in, about 10 mm). Each
// cell has a white gutter of kGutter (20) on every side around a solid block of one "ink":
//   white (255,255,255)  gray 255  lineart white
//   black (0,0,0)        gray 0    lineart black
//   red   (255,0,0)      gray 76   lineart black
//   green (128,255,128)  gray 203  lineart white
// (gray = round(0.299 R + 0.587 G + 0.114 B); lineart threshold 128), far enough apart to
// survive JPEG compression and any usual gray conversion.
// Row 0 is a label row: cell (0,0) is always black (the orientation marker: it must be at the
// top-left), cells 1..8 carry the page number in binary, least significant bit first
// (black = 1, white = 0), cell 9 is red on the front side and green on the back, cell 10 is
// white, and the remaining cells of row 0 are green. Every other cell takes its ink from a hash
// of (column, row, page, side), so neighbouring pages and the two sides of one sheet differ in
// about three cells out of four everywhere on the sheet.
#pragma once

#include <cstdint>
#include <string>

namespace hpsim {

enum class Side { front, back };
enum class Ink : std::uint8_t { white, black, red, green };
enum class ColorMode { color, gray, lineart };

struct Rgb {
  std::uint8_t r = 255, g = 255, b = 255;
};

inline constexpr int kCellSize = 120;  // 1/300 inch
inline constexpr int kGutter = 20;     // 1/300 inch, white, on each side of a block

Rgb ink_rgb(Ink ink);
std::uint8_t ink_gray(Ink ink);
std::uint8_t rgb_to_gray(Rgb c);
const char* ink_name(Ink ink);

// The ink of the block of cell (cx, cy).
Ink cell_ink(int cx, int cy, int page, Side side);
// The colour at an absolute position (1/300 inch); white in gutters and off the sheet (x or y < 0).
Rgb pattern_at(double x300, double y300, int page, Side side);

// A rendered scan: w x h pixels, 3 bytes per pixel (color) or 1 (gray/lineart: 0 or 255).
struct Raster {
  int width = 0;
  int height = 0;
  int channels = 3;
  std::string pixels;
};

// Renders the scan window (offset and size in 1/300 inch) at the given resolution:
// width = w300 * xres / 300, height = h300 * yres / 300 (integer division, as HP devices do).
Raster render_page(int x300, int y300, int w300, int h300, int xres, int yres, ColorMode mode, int page, Side side);

// The raster turned 180 degrees (a back side as a device that rotates them sends it).
Raster rotate_180(const Raster& r);

// A lineart raster (0 or 255 per pixel) as raw 1-bit rows: 8 pixels a byte, the leftmost in the
// most significant bit, 1 = white, each row padded to a whole byte (eSCL BlackAndWhite1, LEDM K1).
std::string pack_lineart(const Raster& r);

}  // namespace hpsim
