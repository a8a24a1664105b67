#include "backend/escl/escl_codec.hpp"

#include <algorithm>
#include <array>
#include <sstream>

#include "backend/scan/job_location.hpp"
#include "backend/scan/xml_values.hpp"
#include "base/ascii.hpp"
#include "hpaio/xml/xml_namespaces.hpp"

namespace hpaio::backend::escl {
namespace {

using xml::Element;
using xmlv::child;
using xmlv::children;
using xmlv::int_child;
using xmlv::text_child;

constexpr std::span<const std::string_view> scan_ns{ns::escl_any};
constexpr std::span<const std::string_view> pwg_ns{ns::pwg_any};
// Devices put some elements in the "wrong" one of the two (scan:Manufacturer, pwg:Version in
// scan:); reading either is harmless because the local names do not collide.
constexpr std::array<std::string_view, 4> any_ns_list{ns::escl, ns::escl_legacy, ns::pwg, ns::pwg_hp};
constexpr std::span<const std::string_view> any_ns{any_ns_list};

std::optional<ColorMode> color_mode(std::string_view v) {
  if (v == "RGB24") return ColorMode::Color;
  if (v == "Grayscale8") return ColorMode::Gray;
  if (v == "BlackAndWhite1") return ColorMode::BlackAndWhite;
  return std::nullopt;
}

std::string_view color_mode_value(ColorMode m) {
  switch (m) {
    case ColorMode::Color: return "RGB24";
    case ColorMode::Gray: return "Grayscale8";
    case ColorMode::BlackAndWhite: return "BlackAndWhite1";
  }
  return "RGB24";
}

void add_resolution(std::vector<int>& list, std::optional<int> x, std::optional<int> y) {
  if (!x || *x <= 0 || *x > 100000) return;
  if (y && *y != *x) return;  // only square resolutions are offered
  list.push_back(*x);
}

void read_resolution_element(const Element* d, std::vector<int>& out) {
  std::vector<const Element*> xs = children(d, scan_ns, "XResolution");
  std::vector<const Element*> ys = children(d, scan_ns, "YResolution");
  if (xs.size() == 1) {
    add_resolution(out, parse_int(xs[0]->text()), ys.size() == 1 ? parse_int(ys[0]->text()) : std::nullopt);
    return;
  }
  // Old firmware lists several values in one element; they are square when no Y is given.
  if (ys.empty()) {
    for (const Element* x : xs) add_resolution(out, parse_int(x->text()), std::nullopt);
  }
}

void read_resolutions(const Element* supported, std::vector<int>& out) {
  if (!supported) return;
  for (const Element* d : children(child(supported, scan_ns, "DiscreteResolutions"), scan_ns, "DiscreteResolution")) {
    read_resolution_element(d, out);
  }
  // Old firmware lists scan:Resolution directly.
  for (const Element* d : children(supported, scan_ns, "Resolution")) read_resolution_element(d, out);
  if (!out.empty()) return;  // discrete values win over a range
  if (const Element* range = child(supported, scan_ns, "ResolutionRange")) {
    const Element* x = child(range, scan_ns, "XResolutionRange");
    if (!x) x = child(range, scan_ns, "XResolution");
    std::optional<int> min = int_child(x, scan_ns, "Min");
    std::optional<int> max = int_child(x, scan_ns, "Max");
    if (min && max) {
      Range r{*min, *max, int_child(x, scan_ns, "Normal").value_or(*min), int_child(x, scan_ns, "Step").value_or(1)};
      std::vector<int> values = resolutions_in_range(r);
      out.insert(out.end(), values.begin(), values.end());
    }
  }
}

struct FormatFlags {
  bool jpeg = false;
  bool raw = false;
  bool ext = false;
};

void read_formats(const Element* formats, FormatFlags& f) {
  if (!formats) return;
  for (const Element& c : formats->children()) {
    bool is_format = (c.name() == "DocumentFormat" && std::find(pwg_ns.begin(), pwg_ns.end(), c.ns()) != pwg_ns.end());
    bool is_ext = c.name() == "DocumentFormatExt" && std::find(scan_ns.begin(), scan_ns.end(), c.ns()) != scan_ns.end();
    if (!is_format && !is_ext) continue;
    f.ext = f.ext || is_ext;
    std::string v = ascii_lower(c.text());
    if (v == "image/jpeg") f.jpeg = true;
    if (v == "application/octet-stream") f.raw = true;
  }
}

void read_modes(const Element* modes, std::vector<ColorMode>& out) {
  for (const Element* m : children(modes, scan_ns, "ColorMode")) {
    if (std::optional<ColorMode> cm = color_mode(m->text())) out.push_back(*cm);
  }
  // Old firmware: ColorReferences/ColorReference.
  for (const Element* m : children(modes, scan_ns, "ColorReference")) {
    if (std::optional<ColorMode> cm = color_mode(m->text())) out.push_back(*cm);
  }
}

std::optional<SourceCapabilities> read_input_caps(const Element* caps, bool& uses_ext) {
  if (!caps) return std::nullopt;
  SourceCapabilities s;
  s.min_width = int_child(caps, scan_ns, "MinWidth").value_or(0);
  s.max_width = int_child(caps, scan_ns, "MaxWidth").value_or(0);
  s.min_height = int_child(caps, scan_ns, "MinHeight").value_or(0);
  s.max_height = int_child(caps, scan_ns, "MaxHeight").value_or(0);

  std::vector<ColorMode> modes;
  FormatFlags formats;
  const Element* profiles = child(caps, scan_ns, "SettingProfiles");
  for (const Element* p : children(profiles, scan_ns, "SettingProfile")) {
    read_modes(child(p, scan_ns, "ColorModes"), modes);
    read_formats(child(p, scan_ns, "DocumentFormats"), formats);
    read_resolutions(child(p, scan_ns, "SupportedResolutions"), s.resolutions);
  }
  // Firmware without SettingProfiles puts the same elements directly in the input caps, colour
  // modes sometimes as ColorReferences, there or inside each resolution.
  read_modes(child(caps, scan_ns, "ColorModes"), modes);
  read_modes(child(caps, scan_ns, "ColorReferences"), modes);
  read_formats(child(caps, scan_ns, "DocumentFormats"), formats);
  const Element* supported = child(caps, scan_ns, "SupportedResolutions");
  if (s.resolutions.empty()) read_resolutions(supported, s.resolutions);
  for (const Element* r : children(supported, scan_ns, "Resolution"))
    read_modes(child(r, scan_ns, "ColorReferences"), modes);
  if (!formats.jpeg && !formats.raw) formats.jpeg = true;  // every eSCL device sends JPEG
  uses_ext = uses_ext || formats.ext;

  std::sort(s.resolutions.begin(), s.resolutions.end());
  s.resolutions.erase(std::unique(s.resolutions.begin(), s.resolutions.end()), s.resolutions.end());
  for (ColorMode m : {ColorMode::BlackAndWhite, ColorMode::Gray, ColorMode::Color}) {
    if (std::find(modes.begin(), modes.end(), m) != modes.end()) s.modes.push_back({m, formats.jpeg, formats.raw});
  }
  if (s.min_width > s.max_width) s.min_width = 0;
  if (s.min_height > s.max_height) s.min_height = 0;
  if (!s.usable()) return std::nullopt;
  return s;
}

std::optional<Range> read_range(const Element* root, std::string_view name) {
  const Element* e = child(root, scan_ns, name);
  if (!e) return std::nullopt;
  std::optional<int> min = int_child(e, scan_ns, "Min");
  std::optional<int> max = int_child(e, scan_ns, "Max");
  if (!min || !max || *min > *max) return std::nullopt;
  int normal = std::clamp(int_child(e, scan_ns, "Normal").value_or(*min + (*max - *min) / 2), *min, *max);
  int step = std::max(1, int_child(e, scan_ns, "Step").value_or(1));
  return Range{*min, *max, normal, step};
}

void write_element(std::ostringstream& out, std::string_view prefix, std::string_view name, const auto& value) {
  out << '<' << prefix << ':' << name << '>' << value << "</" << prefix << ':' << name << '>';
}

}  // namespace

Capabilities decode_capabilities(std::string_view xml) {
  Element root = xmlv::parse_document(xml, "eSCL ScannerCapabilities");
  if (root.name() != "ScannerCapabilities" || std::find(scan_ns.begin(), scan_ns.end(), root.ns()) == scan_ns.end()) {
    throw ProtocolError("eSCL ScannerCapabilities: root element is {" + root.ns() + "}" + root.name());
  }
  Capabilities c;
  c.scan_namespace = root.ns();
  c.scanner.version = text_child(&root, any_ns, "Version");
  c.scanner.make_and_model = text_child(&root, any_ns, "MakeAndModel");
  c.scanner.uuid = text_child(&root, scan_ns, "UUID");

  c.scanner.platen =
      read_input_caps(child(child(&root, scan_ns, "Platen"), scan_ns, "PlatenInputCaps"), c.document_format_ext);
  const Element* adf = child(&root, scan_ns, "Adf");
  c.scanner.adf = read_input_caps(child(adf, scan_ns, "AdfSimplexInputCaps"), c.document_format_ext);
  c.scanner.adf_duplex = read_input_caps(child(adf, scan_ns, "AdfDuplexInputCaps"), c.document_format_ext);
  if (!c.scanner.adf_duplex && c.scanner.adf) {
    for (const Element* o : children(child(adf, scan_ns, "AdfOptions"), scan_ns, "AdfOption")) {
      if (o->text() == "Duplex") c.scanner.adf_duplex = c.scanner.adf;
    }
  }
  if (!c.scanner.adf && c.scanner.adf_duplex) c.scanner.adf = c.scanner.adf_duplex;
  c.scanner.brightness = read_range(&root, "BrightnessSupport");
  c.scanner.contrast = read_range(&root, "ContrastSupport");
  c.scanner.compression_factor = read_range(&root, "CompressionFactorSupport");

  if (!c.scanner.platen && !c.scanner.adf) {
    throw ProtocolError(
        "eSCL ScannerCapabilities: no usable input source (platen or feeder with sizes, "
        "resolutions and colour modes)");
  }
  return c;
}

std::string encode_scan_settings(const ScanRequest& s, const Capabilities& caps) {
  std::ostringstream out;
  bool legacy = caps.scan_namespace == ns::escl_legacy;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<scan:ScanSettings xmlns:scan=\"" << (legacy ? ns::escl_legacy : ns::escl) << "\" xmlns:pwg=\"" << ns::pwg
      << "\">";
  write_element(out, "pwg", "Version",
                caps.scanner.version.empty() ? std::string(legacy ? "1.0" : "2.0") : caps.scanner.version);
  out << "<pwg:ScanRegions><pwg:ScanRegion>";
  write_element(out, "pwg", "ContentRegionUnits", "escl:ThreeHundredthsOfInches");
  write_element(out, "pwg", "XOffset", s.region.x);
  write_element(out, "pwg", "YOffset", s.region.y);
  write_element(out, "pwg", "Width", s.region.width);
  write_element(out, "pwg", "Height", s.region.height);
  out << "</pwg:ScanRegion></pwg:ScanRegions>";
  write_element(out, "pwg", "InputSource", s.source == InputSource::Platen ? "Platen" : "Feeder");
  write_element(out, "scan", "ColorMode", color_mode_value(s.device_mode));
  std::string_view format = s.format == ImageFormat::Jpeg ? "image/jpeg" : "application/octet-stream";
  write_element(out, "pwg", "DocumentFormat", format);
  if (caps.document_format_ext) write_element(out, "scan", "DocumentFormatExt", format);
  write_element(out, "scan", "XResolution", s.resolution);
  write_element(out, "scan", "YResolution", s.resolution);
  if (s.source != InputSource::Platen) {
    write_element(out, "scan", "Duplex", s.source == InputSource::AdfDuplex ? "true" : "false");
  }
  if (s.brightness) write_element(out, "scan", "Brightness", *s.brightness);
  if (s.contrast) write_element(out, "scan", "Contrast", *s.contrast);
  if (s.quality && caps.scanner.compression_factor) {
    const Range& q = *caps.scanner.compression_factor;
    write_element(out, "scan", "CompressionFactor", q.min + (q.max - q.min) * *s.quality / 100);
  }
  out << "</scan:ScanSettings>\n";
  return std::move(out).str();
}

const JobInfo* ScannerStatus::job(std::string_view job_path) const {
  for (const JobInfo& j : jobs) {
    std::optional<std::string> p = job_path_from_location(j.uri);
    if (p && *p == job_path) return &j;
  }
  return nullptr;
}

ScannerStatus decode_status(std::string_view xml) {
  Element root = xmlv::parse_document(xml, "eSCL ScannerStatus");
  if (root.name() != "ScannerStatus" || std::find(scan_ns.begin(), scan_ns.end(), root.ns()) == scan_ns.end()) {
    throw ProtocolError("eSCL ScannerStatus: root element is {" + root.ns() + "}" + root.name());
  }
  ScannerStatus s;
  s.state = text_child(&root, any_ns, "State");
  s.adf_state = text_child(&root, scan_ns, "AdfState");
  if (s.state.empty()) throw ProtocolError("eSCL ScannerStatus: no State");
  for (const Element* j : children(child(&root, scan_ns, "Jobs"), scan_ns, "JobInfo")) {
    JobInfo info;
    info.uri = text_child(j, pwg_ns, "JobUri");
    info.uuid = text_child(j, pwg_ns, "JobUuid");
    info.state = text_child(j, pwg_ns, "JobState");
    info.images_completed = int_child(j, pwg_ns, "ImagesCompleted");
    info.images_to_transfer = int_child(j, pwg_ns, "ImagesToTransfer");
    for (const Element* r : children(child(j, pwg_ns, "JobStateReasons"), pwg_ns, "JobStateReason")) {
      info.reasons.push_back(r->text());
    }
    s.jobs.push_back(std::move(info));
  }
  return s;
}

ImageInfo decode_image_info(std::string_view xml) {
  Element root = xmlv::parse_document(xml, "eSCL ScanImageInfo");
  if (root.name() != "ScanImageInfo") throw ProtocolError("eSCL ScanImageInfo: root element is " + root.name());
  ImageInfo info;
  info.width = int_child(&root, scan_ns, "ActualWidth").value_or(0);
  info.height = int_child(&root, scan_ns, "ActualHeight").value_or(0);
  info.bytes_per_line = int_child(&root, scan_ns, "ActualBytesPerLine").value_or(0);
  if (info.width <= 0 || info.height <= 0) throw ProtocolError("eSCL ScanImageInfo: no ActualWidth/ActualHeight");
  return info;
}

}  // namespace hpaio::backend::escl
