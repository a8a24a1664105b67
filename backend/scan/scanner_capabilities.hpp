// What a scanner can do, as its capability document says, in one shape for LEDM and eSCL.
// Lengths are in 1/300 inch, the unit of both protocols.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hpaio::backend {

// A document from the device that cannot be understood.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The device answers, but not as a device of that protocol would (404 for its documents).
class WrongProtocol : public ProtocolError {
 public:
  using ProtocolError::ProtocolError;
};

enum class InputSource { Platen, Adf, AdfDuplex };
enum class ColorMode { BlackAndWhite, Gray, Color };
// What a page is sent as. A request asks for Jpeg or Raw (uncompressed); Bmp is a page format only:
// WS-Scan's uncompressed pages ("dib", Windows BMP) are asked for as Raw.
enum class ImageFormat { Jpeg, Raw, Bmp };

// HPLIP's option values: "Flatbed", "ADF", "Duplex"; "Lineart", "Gray", "Color".
std::string_view sane_name(InputSource s);
std::string_view sane_name(ColorMode m);

struct Range {
  int min = 0;
  int max = 0;
  int normal = 0;
  int step = 1;
};

struct ColorModeCapability {
  ColorMode mode = ColorMode::Color;
  bool jpeg = false;
  bool raw = false;
};

struct SourceCapabilities {
  int min_width = 0;
  int max_width = 0;
  int min_height = 0;
  int max_height = 0;
  std::vector<int> resolutions;            // square resolutions in dpi, ascending, no duplicates
  std::vector<ColorModeCapability> modes;  // the modes the device itself produces

  const ColorModeCapability* mode(ColorMode m) const;
  bool usable() const { return max_width > 0 && max_height > 0 && !resolutions.empty() && !modes.empty(); }
};

struct ScannerCapabilities {
  std::string make_and_model;
  std::string uuid;
  std::string version;  // eSCL protocol version, empty for LEDM
  std::optional<SourceCapabilities> platen;
  std::optional<SourceCapabilities> adf;
  std::optional<SourceCapabilities> adf_duplex;
  std::optional<Range> brightness;
  std::optional<Range> contrast;
  std::optional<Range> compression_factor;

  const SourceCapabilities* source(InputSource s) const;
  // The sources the device offers, in HPLIP's order: Flatbed, ADF, Duplex.
  std::vector<InputSource> sources() const;
};

// Resolutions to offer for a continuous range: the usual scanner values that fit in it.
std::vector<int> resolutions_in_range(const Range& r);

}  // namespace hpaio::backend
