// One scan as the options describe it, in the units both protocols use (1/300 inch).
#pragma once

#include <optional>

#include "backend/scan/scanner_capabilities.hpp"

namespace hpaio::backend {

struct ScanRegion {
  int x = 0;  // 1/300 inch from the top-left corner of the source's area
  int y = 0;
  int width = 0;
  int height = 0;

  friend bool operator==(const ScanRegion&, const ScanRegion&) = default;
};

struct ScanRequest {
  InputSource source = InputSource::Platen;
  ColorMode mode = ColorMode::Color;         // what the frontend gets
  ColorMode device_mode = ColorMode::Color;  // what the device is asked for (Gray for host Lineart)
  ImageFormat format = ImageFormat::Jpeg;
  int resolution = 300;
  ScanRegion region;
  std::optional<int> brightness;  // in the device's range; absent: the device's default
  std::optional<int> contrast;
  std::optional<int> quality;  // HPLIP's jpeg-quality 0..100 where it has an effect

  friend bool operator==(const ScanRequest&, const ScanRequest&) = default;

  // What SANE is promised for this request: pixels and lines of the region at the resolution.
  int pixels_per_line() const { return static_cast<int>(static_cast<long>(region.width) * resolution / 300); }
  int lines() const { return static_cast<int>(static_cast<long>(region.height) * resolution / 300); }
};

}  // namespace hpaio::backend
