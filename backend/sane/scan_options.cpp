#include "backend/sane/scan_options.hpp"

#include <sane/saneopts.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "base/ascii.hpp"

namespace hpaio::backend {
namespace {

constexpr SANE_Int string_size = 32;
constexpr int preferred_resolution = 300;

const char* compression_name(ImageFormat f) { return f == ImageFormat::Jpeg ? "JPEG" : "None"; }

SANE_Option_Descriptor group(const char* name, const char* title) {
  SANE_Option_Descriptor d{};
  d.name = name;
  d.title = title;
  d.desc = "";
  d.type = SANE_TYPE_GROUP;
  d.cap = SANE_CAP_ADVANCED;
  d.constraint_type = SANE_CONSTRAINT_NONE;
  return d;
}

SANE_Option_Descriptor option(const char* name, const char* title, const char* desc, SANE_Value_Type type,
                              SANE_Unit unit, SANE_Int size) {
  SANE_Option_Descriptor d{};
  d.name = name;
  d.title = title;
  d.desc = desc;
  d.type = type;
  d.unit = unit;
  d.size = size;
  d.cap = SANE_CAP_SOFT_SELECT | SANE_CAP_SOFT_DETECT;
  d.constraint_type = SANE_CONSTRAINT_NONE;
  return d;
}

void set_active(SANE_Option_Descriptor& d, bool active) {
  if (active) {
    d.cap &= ~SANE_CAP_INACTIVE;
  } else {
    d.cap |= SANE_CAP_INACTIVE;
  }
}

bool is_active(const SANE_Option_Descriptor& d) { return (d.cap & SANE_CAP_INACTIVE) == 0; }

SANE_Word clamp_to(const SANE_Range& r, SANE_Word v) { return std::clamp(v, r.min, r.max); }

}  // namespace

SANE_Fixed mm_from_300ths(int v) { return SANE_FIX(v * 25.4 / 300.0); }
int to_300ths(SANE_Fixed mm) { return static_cast<int>(std::lround(SANE_UNFIX(mm) * 300.0 / 25.4)); }

ScanOptions::ScanOptions(ScannerCapabilities caps, bool quality_supported)
    : caps_(std::move(caps)), quality_supported_(quality_supported) {
  build_descriptors();
  for (InputSource s : caps_.sources()) source_list_.push_back(sane_name(s).data());
  source_list_.push_back(nullptr);
  desc_[opt_source].constraint.string_list = source_list_.data();
  if (caps_.brightness) {
    brightness_range_ = {caps_.brightness->min, caps_.brightness->max, caps_.brightness->step};
    brightness_ = caps_.brightness->normal;
  }
  if (caps_.contrast) {
    contrast_range_ = {caps_.contrast->min, caps_.contrast->max, caps_.contrast->step};
    contrast_ = caps_.contrast->normal;
  }
  source_ = caps_.sources().empty() ? InputSource::Platen : caps_.sources().front();
  mode_ = ColorMode::Color;
  resolution_ = preferred_resolution;
  apply_source(source_);
  // The whole area of the first source.
  tl_x_ = tl_y_ = 0;
  br_x_ = x_range_.max;
  br_y_ = y_range_.max;
}

void ScanOptions::build_descriptors() {
  SANE_Option_Descriptor& count = desc_[opt_count];
  count = option("", SANE_TITLE_NUM_OPTIONS, SANE_DESC_NUM_OPTIONS, SANE_TYPE_INT, SANE_UNIT_NONE, sizeof(SANE_Word));
  count.cap = SANE_CAP_SOFT_DETECT;

  desc_[opt_mode_group] = group("mode-group", "Scan mode");
  desc_[opt_mode_group].cap = 0;
  desc_[opt_mode] = option(SANE_NAME_SCAN_MODE, SANE_TITLE_SCAN_MODE, SANE_DESC_SCAN_MODE, SANE_TYPE_STRING,
                           SANE_UNIT_NONE, string_size);
  desc_[opt_mode].constraint_type = SANE_CONSTRAINT_STRING_LIST;
  desc_[opt_resolution] = option(SANE_NAME_SCAN_RESOLUTION, SANE_TITLE_SCAN_RESOLUTION, SANE_DESC_SCAN_RESOLUTION,
                                 SANE_TYPE_INT, SANE_UNIT_DPI, sizeof(SANE_Word));
  desc_[opt_resolution].constraint_type = SANE_CONSTRAINT_WORD_LIST;
  desc_[opt_source] = option(SANE_NAME_SCAN_SOURCE, SANE_TITLE_SCAN_SOURCE, SANE_DESC_SCAN_SOURCE, SANE_TYPE_STRING,
                             SANE_UNIT_NONE, string_size);
  desc_[opt_source].constraint_type = SANE_CONSTRAINT_STRING_LIST;

  desc_[opt_advanced_group] = group("advanced-group", "Advanced");
  desc_[opt_brightness] = option(SANE_NAME_BRIGHTNESS, SANE_TITLE_BRIGHTNESS, SANE_DESC_BRIGHTNESS, SANE_TYPE_INT,
                                 SANE_UNIT_NONE, sizeof(SANE_Word));
  desc_[opt_brightness].cap |= SANE_CAP_ADVANCED;
  desc_[opt_brightness].constraint_type = SANE_CONSTRAINT_RANGE;
  desc_[opt_brightness].constraint.range = &brightness_range_;
  desc_[opt_contrast] = option(SANE_NAME_CONTRAST, SANE_TITLE_CONTRAST, SANE_DESC_CONTRAST, SANE_TYPE_INT,
                               SANE_UNIT_NONE, sizeof(SANE_Word));
  desc_[opt_contrast].cap |= SANE_CAP_ADVANCED;
  desc_[opt_contrast].constraint_type = SANE_CONSTRAINT_RANGE;
  desc_[opt_contrast].constraint.range = &contrast_range_;
  desc_[opt_compression] =
      option("compression", "Compression",
             "Selects the scanner compression method for faster scans, possibly at the expense of image quality.",
             SANE_TYPE_STRING, SANE_UNIT_NONE, string_size);
  desc_[opt_compression].cap |= SANE_CAP_ADVANCED;
  desc_[opt_compression].constraint_type = SANE_CONSTRAINT_STRING_LIST;
  desc_[opt_jpeg_quality] = option("jpeg-quality", "JPEG compression factor",
                                   "Sets the scanner JPEG compression factor. Larger numbers mean better compression, "
                                   "and smaller numbers mean better image quality.",
                                   SANE_TYPE_INT, SANE_UNIT_NONE, sizeof(SANE_Word));
  desc_[opt_jpeg_quality].cap |= SANE_CAP_ADVANCED;
  desc_[opt_jpeg_quality].constraint_type = SANE_CONSTRAINT_RANGE;
  desc_[opt_jpeg_quality].constraint.range = &quality_range_;

  desc_[opt_geometry_group] = group("geometry-group", "Geometry");
  const char* names[] = {SANE_NAME_SCAN_TL_X, SANE_NAME_SCAN_TL_Y, SANE_NAME_SCAN_BR_X, SANE_NAME_SCAN_BR_Y};
  const char* titles[] = {SANE_TITLE_SCAN_TL_X, SANE_TITLE_SCAN_TL_Y, SANE_TITLE_SCAN_BR_X, SANE_TITLE_SCAN_BR_Y};
  const char* descs[] = {SANE_DESC_SCAN_TL_X, SANE_DESC_SCAN_TL_Y, SANE_DESC_SCAN_BR_X, SANE_DESC_SCAN_BR_Y};
  for (int i = 0; i < 4; ++i) {
    SANE_Option_Descriptor& d = desc_[opt_tl_x + i];
    d = option(names[i], titles[i], descs[i], SANE_TYPE_FIXED, SANE_UNIT_MM, sizeof(SANE_Word));
    d.constraint_type = SANE_CONSTRAINT_RANGE;
    d.constraint.range = (i % 2 == 0) ? &x_range_ : &y_range_;
  }
}

const SourceCapabilities& ScanOptions::current() const {
  const SourceCapabilities* s = caps_.source(source_);
  return *s;  // the constructor and set_string only ever select an offered source
}

ColorMode ScanOptions::device_mode() const {
  // Lineart is always Gray thresholded here: HP's black-and-white modes come as K1 raw (LEDM,
  // unverified request form) or not at all in JPEG.
  return mode_ == ColorMode::BlackAndWhite ? ColorMode::Gray : mode_;
}

const ColorModeCapability* ScanOptions::device_mode_caps() const { return current().mode(device_mode()); }

void ScanOptions::apply_source(InputSource s) {
  source_ = s;
  const SourceCapabilities& src = current();

  // Modes: Lineart wherever Gray is offered.
  mode_list_.clear();
  if (src.mode(ColorMode::Gray)) mode_list_.push_back(sane_name(ColorMode::BlackAndWhite).data());
  if (src.mode(ColorMode::Gray)) mode_list_.push_back(sane_name(ColorMode::Gray).data());
  if (src.mode(ColorMode::Color)) mode_list_.push_back(sane_name(ColorMode::Color).data());
  if (mode_list_.empty()) mode_list_.push_back(sane_name(ColorMode::Color).data());
  mode_list_.push_back(nullptr);
  if (!src.mode(device_mode())) mode_ = src.mode(ColorMode::Color) ? ColorMode::Color : ColorMode::Gray;
  desc_[opt_mode].constraint.string_list = mode_list_.data();

  // Resolutions: keep the value when offered, else the nearest.
  resolution_list_.assign(1, static_cast<SANE_Word>(src.resolutions.size()));
  resolution_list_.insert(resolution_list_.end(), src.resolutions.begin(), src.resolutions.end());
  desc_[opt_resolution].constraint.word_list = resolution_list_.data();
  auto nearest = std::min_element(src.resolutions.begin(), src.resolutions.end(), [this](int a, int b) {
    return std::abs(a - resolution_) < std::abs(b - resolution_);
  });
  if (nearest != src.resolutions.end()) resolution_ = *nearest;

  // Area: a value at the old maximum follows the new one; others are clamped.
  SANE_Range old_x = x_range_, old_y = y_range_;
  x_range_ = {0, mm_from_300ths(src.max_width), 0};
  y_range_ = {0, mm_from_300ths(src.max_height), 0};
  for (SANE_Fixed* v : {&tl_x_, &br_x_})
    *v = (old_x.max != 0 && *v == old_x.max) ? x_range_.max : clamp_to(x_range_, *v);
  for (SANE_Fixed* v : {&tl_y_, &br_y_})
    *v = (old_y.max != 0 && *v == old_y.max) ? y_range_.max : clamp_to(y_range_, *v);

  update_activity();
}

void ScanOptions::update_activity() {
  const ColorModeCapability* m = device_mode_caps();
  compression_list_.clear();
  if (m && m->raw) compression_list_.push_back(compression_name(ImageFormat::Raw));
  if (!m || m->jpeg) compression_list_.push_back(compression_name(ImageFormat::Jpeg));
  compression_list_.push_back(nullptr);
  desc_[opt_compression].constraint.string_list = compression_list_.data();
  bool format_ok = m && (format_ == ImageFormat::Jpeg ? m->jpeg : m->raw);
  if (!format_ok) format_ = (m && !m->jpeg) ? ImageFormat::Raw : ImageFormat::Jpeg;

  set_active(desc_[opt_brightness], caps_.brightness.has_value());
  set_active(desc_[opt_contrast], caps_.contrast.has_value());
  set_active(desc_[opt_compression], compression_list_.size() > 2);
  set_active(desc_[opt_jpeg_quality], quality_supported_ && format_ == ImageFormat::Jpeg);
}

const SANE_Option_Descriptor* ScanOptions::descriptor(int index) const {
  if (index < 0 || index >= num_options) return nullptr;
  return &desc_[static_cast<std::size_t>(index)];
}

SANE_Status ScanOptions::control(int index, SANE_Action action, void* value, SANE_Int* info) {
  if (info) *info = 0;
  if (index < 0 || index >= num_options || !value) return SANE_STATUS_INVAL;
  const SANE_Option_Descriptor& d = desc_[static_cast<std::size_t>(index)];
  if (d.type == SANE_TYPE_GROUP) return SANE_STATUS_INVAL;

  if (action == SANE_ACTION_GET_VALUE) {
    auto put_word = [value](SANE_Word w) { *static_cast<SANE_Word*>(value) = w; };
    auto put_string = [value](std::string_view s) {
      std::size_t n = std::min<std::size_t>(s.size(), string_size - 1);
      std::memcpy(value, s.data(), n);
      static_cast<char*>(value)[n] = '\0';
    };
    switch (index) {
      case opt_count: put_word(num_options); break;
      case opt_mode: put_string(sane_name(mode_)); break;
      case opt_resolution: put_word(resolution_); break;
      case opt_source: put_string(sane_name(source_)); break;
      case opt_brightness: put_word(brightness_); break;
      case opt_contrast: put_word(contrast_); break;
      case opt_compression: put_string(compression_name(format_)); break;
      case opt_jpeg_quality: put_word(quality_); break;
      case opt_tl_x: put_word(tl_x_); break;
      case opt_tl_y: put_word(tl_y_); break;
      case opt_br_x: put_word(br_x_); break;
      case opt_br_y: put_word(br_y_); break;
      default: return SANE_STATUS_INVAL;
    }
    return SANE_STATUS_GOOD;
  }
  if (action != SANE_ACTION_SET_VALUE) return SANE_STATUS_INVAL;  // no option is automatic
  if (!(d.cap & SANE_CAP_SOFT_SELECT) || !is_active(d)) return SANE_STATUS_INVAL;
  // The SANE standard: a value the backend could not use as given is written back as it was used.
  if (d.type == SANE_TYPE_STRING) return set_string(index, static_cast<char*>(value), info);
  return set_word(index, static_cast<SANE_Word*>(value), info);
}

SANE_Status ScanOptions::set_string(int index, char* value, SANE_Int* info) {
  std::string_view v(value, strnlen(value, string_size));
  const SANE_String_Const* list = desc_[static_cast<std::size_t>(index)].constraint.string_list;
  const char* match = nullptr;
  for (const SANE_String_Const* s = list; s && *s; ++s) {
    if (iequals(*s, v)) match = *s;  // HPLIP takes "gray" for "Gray"
  }
  if (!match) return SANE_STATUS_INVAL;
  SANE_Int flags = 0;
  if (index == opt_mode) {
    ColorMode m = std::string_view(match) == "Lineart" ? ColorMode::BlackAndWhite
                  : std::string_view(match) == "Gray"  ? ColorMode::Gray
                                                       : ColorMode::Color;
    if (m != mode_) flags |= SANE_INFO_RELOAD_PARAMS | SANE_INFO_RELOAD_OPTIONS;
    mode_ = m;
    update_activity();
  } else if (index == opt_source) {
    for (InputSource s : caps_.sources()) {
      if (sane_name(s) == match && s != source_) {
        apply_source(s);
        flags |= SANE_INFO_RELOAD_PARAMS | SANE_INFO_RELOAD_OPTIONS;
      }
    }
  } else if (index == opt_compression) {
    ImageFormat f = std::string_view(match) == "JPEG" ? ImageFormat::Jpeg : ImageFormat::Raw;
    if (f != format_) flags |= SANE_INFO_RELOAD_OPTIONS;
    format_ = f;
    update_activity();
  }
  if (v != match) {
    flags |= SANE_INFO_INEXACT;
    std::memcpy(value, match, std::strlen(match) + 1);  // same length, other case: it fits
  }
  if (info) *info = flags;
  return SANE_STATUS_GOOD;
}

SANE_Status ScanOptions::set_word(int index, SANE_Word* in_out, SANE_Int* info) {
  const SANE_Word value = *in_out;
  SANE_Word v = value;
  SANE_Int flags = 0;
  const SANE_Option_Descriptor& d = desc_[static_cast<std::size_t>(index)];
  if (d.constraint_type == SANE_CONSTRAINT_RANGE) {
    v = clamp_to(*d.constraint.range, value);
  } else if (d.constraint_type == SANE_CONSTRAINT_WORD_LIST) {
    const SANE_Word* list = d.constraint.word_list;
    if (list[0] == 0) return SANE_STATUS_INVAL;
    v = list[1];
    for (SANE_Word i = 1; i <= list[0]; ++i) {
      if (std::abs(list[i] - value) < std::abs(v - value)) v = list[i];
    }
  }
  if (v != value) flags |= SANE_INFO_INEXACT;
  SANE_Word* target = nullptr;
  switch (index) {
    case opt_resolution: target = &resolution_; break;
    case opt_brightness: target = &brightness_; break;
    case opt_contrast: target = &contrast_; break;
    case opt_jpeg_quality: target = &quality_; break;
    case opt_tl_x: target = &tl_x_; break;
    case opt_tl_y: target = &tl_y_; break;
    case opt_br_x: target = &br_x_; break;
    case opt_br_y: target = &br_y_; break;
    default: return SANE_STATUS_INVAL;
  }
  bool changes_params = index == opt_resolution || index >= opt_tl_x;
  if (*target != v && changes_params) flags |= SANE_INFO_RELOAD_PARAMS;
  *target = v;
  *in_out = v;
  if (info) *info = flags;
  return SANE_STATUS_GOOD;
}

SANE_Status ScanOptions::request(ScanRequest& r) const {
  r.source = source_;
  r.mode = mode_;
  r.device_mode = device_mode();
  r.format = format_;
  r.resolution = resolution_;
  int x0 = to_300ths(tl_x_), y0 = to_300ths(tl_y_), x1 = to_300ths(br_x_), y1 = to_300ths(br_y_);
  r.region = ScanRegion{x0, y0, x1 - x0, y1 - y0};
  r.brightness = caps_.brightness ? std::optional<int>(brightness_) : std::nullopt;
  r.contrast = caps_.contrast ? std::optional<int>(contrast_) : std::nullopt;
  r.quality = is_active(desc_[opt_jpeg_quality]) ? std::optional<int>(quality_) : std::nullopt;
  if (r.pixels_per_line() <= 0 || r.lines() <= 0) return SANE_STATUS_INVAL;
  return SANE_STATUS_GOOD;
}

SANE_Parameters ScanOptions::parameters() const {
  ScanRequest r;
  SANE_Status status = request(r);
  SANE_Parameters p{};
  p.last_frame = SANE_TRUE;
  p.format = mode_ == ColorMode::Color ? SANE_FRAME_RGB : SANE_FRAME_GRAY;
  p.depth = mode_ == ColorMode::BlackAndWhite ? 1 : 8;
  p.pixels_per_line = status == SANE_STATUS_GOOD ? r.pixels_per_line() : 0;
  p.lines = status == SANE_STATUS_GOOD ? r.lines() : 0;
  switch (mode_) {
    case ColorMode::Color: p.bytes_per_line = 3 * p.pixels_per_line; break;
    case ColorMode::Gray: p.bytes_per_line = p.pixels_per_line; break;
    case ColorMode::BlackAndWhite: p.bytes_per_line = (p.pixels_per_line + 7) / 8; break;
  }
  return p;
}

}  // namespace hpaio::backend
