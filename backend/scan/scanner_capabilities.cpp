#include "backend/scan/scanner_capabilities.hpp"

#include <array>

namespace hpaio::backend {

std::string_view sane_name(InputSource s) {
  switch (s) {
    case InputSource::Platen: return "Flatbed";
    case InputSource::Adf: return "ADF";
    case InputSource::AdfDuplex: return "Duplex";
  }
  return "Flatbed";
}

std::string_view sane_name(ColorMode m) {
  switch (m) {
    case ColorMode::BlackAndWhite: return "Lineart";
    case ColorMode::Gray: return "Gray";
    case ColorMode::Color: return "Color";
  }
  return "Color";
}

const ColorModeCapability* SourceCapabilities::mode(ColorMode m) const {
  for (const ColorModeCapability& c : modes) {
    if (c.mode == m) return &c;
  }
  return nullptr;
}

const SourceCapabilities* ScannerCapabilities::source(InputSource s) const {
  const std::optional<SourceCapabilities>* caps = nullptr;
  switch (s) {
    case InputSource::Platen: caps = &platen; break;
    case InputSource::Adf: caps = &adf; break;
    case InputSource::AdfDuplex: caps = &adf_duplex; break;
  }
  return caps && *caps ? &**caps : nullptr;
}

std::vector<InputSource> ScannerCapabilities::sources() const {
  std::vector<InputSource> out;
  for (InputSource s : {InputSource::Platen, InputSource::Adf, InputSource::AdfDuplex}) {
    if (source(s)) out.push_back(s);
  }
  return out;
}

std::vector<int> resolutions_in_range(const Range& r) {
  static constexpr std::array<int, 12> usual{75, 100, 150, 200, 240, 300, 400, 600, 1200, 2400, 4800, 9600};
  std::vector<int> out;
  int step = r.step > 0 ? r.step : 1;
  for (int dpi : usual) {
    if (dpi >= r.min && dpi <= r.max && (dpi - r.min) % step == 0) out.push_back(dpi);
  }
  if (out.empty() && r.min > 0 && r.min <= r.max) out.push_back(r.min);
  return out;
}

}  // namespace hpaio::backend
