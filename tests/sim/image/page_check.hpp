// Checks a scanned image against the page pattern (page_pattern.hpp): the size (+-1 px), the
// ink of every whole cell block in the image (so page number, side, orientation, mode and gross
// offsets), and the position of the dark blocks' left/top edges, which catches a window that is
// off by more than about 1 px + 0.15 mm (e.g. a 1 mm offset bug at 75 dpi).
#pragma once

#include <optional>
#include <string>

#include "tests/sim/image/page_pattern.hpp"

namespace hpsim {

struct CheckSpec {
  int resolution = 300;  // dpi, both axes
  ColorMode mode = ColorMode::color;
  int page = 1;
  Side side = Side::front;
  double tl_x_mm = 0;  // scan window offset on the sheet
  double tl_y_mm = 0;
  std::optional<double> width_mm;  // expected window size; unchecked when absent
  std::optional<double> height_mm;
};

struct CheckResult {
  bool ok = false;
  int cells_checked = 0;
  int cells_wrong = 0;
  std::string message;  // one line: summary on success, what differs on failure
};

CheckResult check_page(const Raster& image, const CheckSpec& spec);

}  // namespace hpsim
