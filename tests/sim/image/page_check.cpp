#include "tests/sim/image/page_check.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

namespace hpsim {

namespace {

constexpr double kMmPer300 = 25.4 / 300.0;

const char* mode_name(ColorMode m) {
  switch (m) {
    case ColorMode::color: return "color";
    case ColorMode::gray: return "gray";
    case ColorMode::lineart: return "lineart";
  }
  return "?";
}

// Which inks a measured colour can be, given the mode. Returns the class index compared
// between expectation and measurement.
int classify(ColorMode mode, double r, double g, double b) {
  if (mode == ColorMode::color) {
    int best = 0;
    double best_d = std::numeric_limits<double>::max();
    for (int i = 0; i < 4; ++i) {
      const Rgb c = ink_rgb(static_cast<Ink>(i));
      const double d = (r - c.r) * (r - c.r) + (g - c.g) * (g - c.g) + (b - c.b) * (b - c.b);
      if (d < best_d) {
        best_d = d;
        best = i;
      }
    }
    return best;
  }
  const double y = 0.299 * r + 0.587 * g + 0.114 * b;
  if (mode == ColorMode::lineart) return y < 128 ? 1 : 0;
  int best = 0;
  double best_d = std::numeric_limits<double>::max();
  for (int i = 0; i < 4; ++i) {
    const double d = std::fabs(y - ink_gray(static_cast<Ink>(i)));
    if (d < best_d) {
      best_d = d;
      best = i;
    }
  }
  return best;
}

int expected_class(ColorMode mode, Ink ink) {
  if (mode == ColorMode::color) return static_cast<int>(ink);
  if (mode == ColorMode::lineart) return ink_gray(ink) < 128 ? 1 : 0;
  return static_cast<int>(ink);
}

std::string class_name(ColorMode mode, int cls) {
  if (mode == ColorMode::lineart) return cls == 1 ? "black" : "white";
  const Ink ink = static_cast<Ink>(cls);
  if (mode == ColorMode::gray) return "gray " + std::to_string(ink_gray(ink)) + " (" + ink_name(ink) + " ink)";
  return ink_name(ink);
}

struct Sample {
  int cx, cy, px, py;
  double r, g, b;
};

// Averages the centre of every cell block that lies completely inside the image.
std::vector<Sample> sample_cells(const Raster& img, const CheckSpec& spec) {
  std::vector<Sample> out;
  const double x0 = spec.tl_x_mm / kMmPer300;
  const double y0 = spec.tl_y_mm / kMmPer300;
  const double scale = spec.resolution / 300.0;
  const int inset = kGutter + 15;  // sample the middle of the block, away from JPEG ringing
  const int first_cx = static_cast<int>(std::floor(x0 / kCellSize));
  const int first_cy = static_cast<int>(std::floor(y0 / kCellSize));
  const int last_cx = static_cast<int>(std::ceil((x0 + img.width / scale) / kCellSize));
  const int last_cy = static_cast<int>(std::ceil((y0 + img.height / scale) / kCellSize));
  for (int cy = std::max(0, first_cy); cy <= last_cy; ++cy) {
    for (int cx = std::max(0, first_cx); cx <= last_cx; ++cx) {
      const double a0x = cx * kCellSize + inset, a1x = (cx + 1) * kCellSize - inset;
      const double a0y = cy * kCellSize + inset, a1y = (cy + 1) * kCellSize - inset;
      const int px0 = static_cast<int>(std::ceil((a0x - x0) * scale));
      const int px1 = static_cast<int>(std::floor((a1x - x0) * scale)) - 1;
      const int py0 = static_cast<int>(std::ceil((a0y - y0) * scale));
      const int py1 = static_cast<int>(std::floor((a1y - y0) * scale)) - 1;
      if (px0 < 0 || py0 < 0 || px1 >= img.width || py1 >= img.height || px1 < px0 || py1 < py0) continue;
      double r = 0, g = 0, b = 0;
      long n = 0;
      for (int y = py0; y <= py1; ++y) {
        for (int x = px0; x <= px1; ++x) {
          const std::size_t o =
              (static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(x)) *
              static_cast<std::size_t>(img.channels);
          const auto v = [&](std::size_t k) { return static_cast<unsigned char>(img.pixels[o + k]); };
          if (img.channels == 3) {
            r += v(0);
            g += v(1);
            b += v(2);
          } else {
            r += v(0);
            g += v(0);
            b += v(0);
          }
          ++n;
        }
      }
      out.push_back(Sample{cx, cy, (px0 + px1) / 2, (py0 + py1) / 2, r / static_cast<double>(n),
                           g / static_cast<double>(n), b / static_cast<double>(n)});
    }
  }
  return out;
}

int count_wrong(const std::vector<Sample>& samples, ColorMode mode, int page, Side side) {
  int wrong = 0;
  for (const auto& s : samples) {
    if (classify(mode, s.r, s.g, s.b) != expected_class(mode, cell_ink(s.cx, s.cy, page, side))) ++wrong;
  }
  return wrong;
}

double luminance_at(const Raster& img, int x, int y) {
  const std::size_t o =
      (static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(x)) *
      static_cast<std::size_t>(img.channels);
  const auto v = [&](std::size_t k) { return static_cast<unsigned char>(img.pixels[o + k]); };
  if (img.channels == 3) return 0.299 * v(0) + 0.587 * v(1) + 0.114 * v(2);
  return v(0);
}

// Measures where the left and top edges of dark blocks (black or red ink, dark in every mode)
// really are, against where the window offset says they should be. Returns the median
// displacement in pixels (x, y), or nullopt when no edge could be measured.
struct Displacement {
  double dx = 0, dy = 0;
  int edges_x = 0, edges_y = 0;
};

Displacement measure_edges(const Raster& img, const CheckSpec& spec, const std::vector<Sample>& samples) {
  const double x0 = spec.tl_x_mm / kMmPer300;
  const double y0 = spec.tl_y_mm / kMmPer300;
  const double scale = spec.resolution / 300.0;
  const double search = 18 * scale;  // inside the 40-unit white gap between blocks
  std::vector<double> dxs, dys;
  for (const auto& s : samples) {
    const Ink ink = cell_ink(s.cx, s.cy, spec.page, spec.side);
    if (ink_gray(ink) >= 128) continue;
    // Left edge, along the block's middle row.
    const double ex = (s.cx * kCellSize + kGutter - x0) * scale;  // expected edge, in pixels
    const int row = s.py;
    const int from = static_cast<int>(std::floor(ex - search));
    const int to = static_cast<int>(std::ceil(ex + search));
    if (from >= 0 && to < img.width && row >= 0 && row < img.height && luminance_at(img, from, row) >= 128) {
      for (int x = from; x <= to; ++x) {
        if (luminance_at(img, x, row) < 128) {
          dxs.push_back(x - ex);  // the first dark pixel centre vs. the edge
          break;
        }
      }
    }
    const double ey = (s.cy * kCellSize + kGutter - y0) * scale;
    const int col = s.px;
    const int fy = static_cast<int>(std::floor(ey - search));
    const int ty = static_cast<int>(std::ceil(ey + search));
    if (fy >= 0 && ty < img.height && col >= 0 && col < img.width && luminance_at(img, col, fy) >= 128) {
      for (int y = fy; y <= ty; ++y) {
        if (luminance_at(img, col, y) < 128) {
          dys.push_back(y - ey);
          break;
        }
      }
    }
  }
  const auto median = [](std::vector<double>& v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  Displacement d;
  d.edges_x = static_cast<int>(dxs.size());
  d.edges_y = static_cast<int>(dys.size());
  d.dx = median(dxs);
  d.dy = median(dys);
  return d;
}

}  // namespace

CheckResult check_page(const Raster& img, const CheckSpec& spec) {
  CheckResult res;
  std::ostringstream msg;
  if (img.width <= 0 || img.height <= 0) {
    res.message = "empty image";
    return res;
  }
  if (spec.resolution <= 0) {
    res.message = "bad resolution";
    return res;
  }
  if (spec.mode == ColorMode::color && img.channels != 3) {
    res.message = "mode: expected a colour (RGB) image, got a single-channel image";
    return res;
  }
  if (spec.mode != ColorMode::color && img.channels != 1) {
    res.message = std::string("mode: expected a ") + mode_name(spec.mode) + " (single-channel) image, got RGB";
    return res;
  }
  const auto size_ok = [&](int actual, double mm) {
    const double expect = mm / 25.4 * spec.resolution;
    return actual >= static_cast<int>(std::floor(expect)) - 1 && actual <= static_cast<int>(std::ceil(expect)) + 1;
  };
  if ((spec.width_mm && !size_ok(img.width, *spec.width_mm)) ||
      (spec.height_mm && !size_ok(img.height, *spec.height_mm))) {
    msg << "size: expected about ";
    msg << (spec.width_mm ? std::to_string(std::lround(*spec.width_mm / 25.4 * spec.resolution)) : "?") << "x"
        << (spec.height_mm ? std::to_string(std::lround(*spec.height_mm / 25.4 * spec.resolution)) : "?")
        << " px (+-1) at " << spec.resolution << " dpi, got " << img.width << "x" << img.height;
    res.message = msg.str();
    return res;
  }
  const auto samples = sample_cells(img, spec);
  res.cells_checked = static_cast<int>(samples.size());
  if (samples.empty()) {
    res.message = "pattern: the image is too small to contain one whole pattern cell";
    return res;
  }
  const char* side_name = spec.side == Side::front ? "front" : "back";
  int wrong = 0;
  std::ostringstream first;
  int shown = 0;
  for (const auto& s : samples) {
    const Ink want = cell_ink(s.cx, s.cy, spec.page, spec.side);
    const int got = classify(spec.mode, s.r, s.g, s.b);
    if (got == expected_class(spec.mode, want)) continue;
    ++wrong;
    if (shown++ < 3) {
      first << (shown > 1 ? "; " : "") << "cell (" << s.cx << "," << s.cy << ") at pixel (" << s.px << "," << s.py
            << "): expected " << class_name(spec.mode, expected_class(spec.mode, want)) << ", got "
            << class_name(spec.mode, got) << " (" << std::lround(s.r) << "," << std::lround(s.g) << ","
            << std::lround(s.b) << ")";
    }
  }
  res.cells_wrong = wrong;
  if (wrong == 0) {
    // Cells can match with the window a little off; the block edges tell by how much.
    // A pixel centre sits up to one pixel after the edge; allow that plus 0.15 mm.
    const Displacement d = measure_edges(img, spec, samples);
    const double tol = 1.0 + 0.15 / 25.4 * spec.resolution;
    const auto off = [&](double v) { return v < -0.5 - tol || v > 0.5 + tol; };
    if ((d.edges_x > 0 && off(d.dx)) || (d.edges_y > 0 && off(d.dy))) {
      msg << "offset: the pattern sits " << std::round(d.dx * 25.4 / spec.resolution * 10) / 10.0 << " mm (x), "
          << std::round(d.dy * 25.4 / spec.resolution * 10) / 10.0
          << " mm (y) from where the window offset puts it (block edges measured: " << d.edges_x << " x, " << d.edges_y
          << " y)";
      res.message = msg.str();
      return res;
    }
    res.ok = true;
    msg << "OK: " << img.width << "x" << img.height << " px, " << samples.size() << " cells match page " << spec.page
        << " " << side_name << " (" << mode_name(spec.mode) << ", " << spec.resolution << " dpi, offset "
        << spec.tl_x_mm << "," << spec.tl_y_mm << " mm)";
    res.message = msg.str();
    return res;
  }
  msg << "pattern: " << wrong << " of " << samples.size() << " cells differ from page " << spec.page << " " << side_name
      << ": " << first.str();
  // Say what the image looks like instead, when it is another page or side.
  for (int p = 1; p <= 64; ++p) {
    for (Side sd : {Side::front, Side::back}) {
      if (p == spec.page && sd == spec.side) continue;
      if (count_wrong(samples, spec.mode, p, sd) == 0) {
        msg << " [the image matches page " << p << " " << (sd == Side::front ? "front" : "back") << "]";
        res.message = msg.str();
        return res;
      }
    }
  }
  res.message = msg.str();
  return res;
}

}  // namespace hpsim
