// The SANE options of a device, with HPLIP's names and values, and the scan they describe.
// Pure: built from the device's capabilities, no I/O.
//
//  #  name            type                  constraint (from the device, for the current source)
//  0  ""              INT  option count
//  1  mode-group      GROUP "Scan mode"
//  2  mode            STRING  Lineart | Gray | Color   (Lineart: Gray thresholded on the host)
//  3  resolution      INT dpi  word list
//  4  source          STRING  Flatbed | ADF | Duplex
//  5  advanced-group  GROUP "Advanced"
//  6  brightness      INT  range (inactive when the device has none)
//  7  contrast        INT  range (inactive when the device has none)
//  8  compression     STRING  None | JPEG (the formats the device offers for the mode)
//  9  jpeg-quality    INT 0..100 (active with JPEG where the device honours a quality)
// 10  geometry-group  GROUP "Geometry"
// 11-14 tl-x tl-y br-x br-y  FIXED mm  0..the source's maximum
#pragma once

#include <sane/sane.h>

#include <array>
#include <string>
#include <vector>

#include "backend/scan/scan_request.hpp"
#include "backend/scan/scanner_capabilities.hpp"

namespace hpaio::backend {

class ScanOptions {
 public:
  enum Index : int {
    opt_count = 0,
    opt_mode_group,
    opt_mode,
    opt_resolution,
    opt_source,
    opt_advanced_group,
    opt_brightness,
    opt_contrast,
    opt_compression,
    opt_jpeg_quality,
    opt_geometry_group,
    opt_tl_x,
    opt_tl_y,
    opt_br_x,
    opt_br_y,
    num_options
  };

  // `quality_supported`: the protocol carries a JPEG quality the device honours.
  ScanOptions(ScannerCapabilities caps, bool quality_supported);
  ScanOptions(const ScanOptions&) = delete;  // descriptors point into the object
  ScanOptions& operator=(const ScanOptions&) = delete;

  const SANE_Option_Descriptor* descriptor(int index) const;
  SANE_Status control(int index, SANE_Action action, void* value, SANE_Int* info);

  // The scan the options describe now; INVAL when the area is empty.
  SANE_Status request(ScanRequest& out) const;
  // What the frontend gets for request(): exact before and after sane_start.
  SANE_Parameters parameters() const;

  const ScannerCapabilities& capabilities() const { return caps_; }

 private:
  void build_descriptors();
  void apply_source(InputSource s);  // lists and ranges of that source; values adjusted to fit
  void update_activity();
  const SourceCapabilities& current() const;
  ColorMode device_mode() const;
  const ColorModeCapability* device_mode_caps() const;
  SANE_Status set_string(int index, char* value, SANE_Int* info);     // writes back the value used
  SANE_Status set_word(int index, SANE_Word* value, SANE_Int* info);  // writes back the value used

  ScannerCapabilities caps_;
  bool quality_supported_;
  std::array<SANE_Option_Descriptor, num_options> desc_{};

  // Constraint storage the descriptors point at.
  std::vector<SANE_String_Const> mode_list_;
  std::vector<SANE_String_Const> source_list_;
  std::vector<SANE_String_Const> compression_list_;
  std::vector<SANE_Word> resolution_list_;  // [count, values...]
  SANE_Range brightness_range_{};
  SANE_Range contrast_range_{};
  SANE_Range quality_range_{0, 100, 1};
  SANE_Range x_range_{};
  SANE_Range y_range_{};

  // Values.
  InputSource source_ = InputSource::Platen;
  ColorMode mode_ = ColorMode::Color;
  ImageFormat format_ = ImageFormat::Jpeg;
  SANE_Word resolution_ = 300;
  SANE_Word brightness_ = 0;
  SANE_Word contrast_ = 0;
  SANE_Word quality_ = 10;
  SANE_Fixed tl_x_ = 0, tl_y_ = 0, br_x_ = 0, br_y_ = 0;
};

// 1/300 inch <-> SANE_Fixed millimetres.
SANE_Fixed mm_from_300ths(int v);
int to_300ths(SANE_Fixed mm);

}  // namespace hpaio::backend
