#include "backend/ledm/ledm_codec.hpp"

#include <algorithm>
#include <array>
#include <sstream>

#include "backend/scan/xml_values.hpp"
#include "base/ascii.hpp"
#include "hpaio/xml/xml_namespaces.hpp"

namespace hpaio::backend::ledm {
namespace {

using xml::Element;
using xmlv::child;
using xmlv::children;
using xmlv::int_child;
using xmlv::text_child;

constexpr std::array<std::string_view, 1> scan_list{ns::ledm_scan};
constexpr std::span<const std::string_view> scan_ns{scan_list};
constexpr std::array<std::string_view, 1> jobs_list{ns::ledm_jobs};
constexpr std::span<const std::string_view> jobs_ns{jobs_list};

void expect_root(const Element& root, std::string_view ns_uri, std::string_view name, std::string_view what) {
  if (root.ns() != ns_uri || root.name() != name) {
    throw ProtocolError(std::string(what) + ": root element is {" + root.ns() + "}" + root.name());
  }
}

std::optional<ColorMode> color_type(std::string_view v) {
  if (v == "Color8") return ColorMode::Color;
  if (v == "Gray8") return ColorMode::Gray;
  if (v == "K1") return ColorMode::BlackAndWhite;
  return std::nullopt;
}

std::optional<SourceCapabilities> read_source(const Element* source, const std::vector<ColorModeCapability>& modes) {
  const Element* caps = child(source, scan_ns, "InputSourceCaps");
  if (!caps) return std::nullopt;
  SourceCapabilities s;
  s.min_width = int_child(caps, scan_ns, "MinWidth").value_or(0);
  s.min_height = int_child(caps, scan_ns, "MinHeight").value_or(0);
  s.max_width = int_child(caps, scan_ns, "MaxWidth").value_or(0);
  s.max_height = int_child(caps, scan_ns, "MaxHeight").value_or(0);
  std::vector<ColorMode> listed;
  for (const Element* r : children(child(caps, scan_ns, "SupportedResolutions"), scan_ns, "Resolution")) {
    std::optional<int> x = int_child(r, scan_ns, "XResolution");
    std::optional<int> y = int_child(r, scan_ns, "YResolution");
    if (!x || *x <= 0 || *x > 100000 || (y && *y != *x)) continue;
    s.resolutions.push_back(*x);
    for (const Element* t : children(child(r, scan_ns, "ColorTypes"), scan_ns, "ColorType")) {
      if (std::optional<ColorMode> m = color_type(t->text())) listed.push_back(*m);
    }
  }
  std::sort(s.resolutions.begin(), s.resolutions.end());
  s.resolutions.erase(std::unique(s.resolutions.begin(), s.resolutions.end()), s.resolutions.end());
  for (const ColorModeCapability& m : modes) {
    // A mode the resolutions name explicitly must be among them; without ColorTypes, all modes.
    if (listed.empty() || std::find(listed.begin(), listed.end(), m.mode) != listed.end()) s.modes.push_back(m);
  }
  if (s.min_width > s.max_width) s.min_width = 0;
  if (s.min_height > s.max_height) s.min_height = 0;
  if (!s.usable()) return std::nullopt;
  return s;
}

}  // namespace

ScannerCapabilities decode_capabilities(std::string_view xml) {
  Element root = xmlv::parse_document(xml, "LEDM ScanCaps");
  expect_root(root, ns::ledm_scan, "ScanCaps", "LEDM ScanCaps");
  ScannerCapabilities c;
  const Element* device = child(&root, scan_ns, "DeviceCaps");
  c.make_and_model = text_child(device, scan_ns, "ModelName");

  std::vector<ColorModeCapability> modes;
  bool tone_map = false;
  for (const Element* e : children(child(&root, scan_ns, "ColorEntries"), scan_ns, "ColorEntry")) {
    std::optional<ColorMode> m = color_type(text_child(e, scan_ns, "ColorType"));
    if (!m) continue;
    ColorModeCapability cap{*m, false, false};
    for (const Element* f : children(child(e, scan_ns, "Formats"), scan_ns, "Format")) {
      if (iequals(f->text(), "Jpeg")) cap.jpeg = true;
      if (iequals(f->text(), "Raw")) cap.raw = true;
    }
    for (const Element* t : children(child(e, scan_ns, "ImageTransforms"), scan_ns, "ImageTransform")) {
      if (t->text() == "ToneMap") tone_map = true;
    }
    if (!cap.jpeg && !cap.raw) continue;
    if (std::none_of(modes.begin(), modes.end(), [&](const auto& x) { return x.mode == cap.mode; })) {
      modes.push_back(cap);
    }
  }
  std::sort(modes.begin(), modes.end(), [](const auto& a, const auto& b) { return a.mode < b.mode; });
  if (modes.empty()) throw ProtocolError("LEDM ScanCaps: no ColorEntry with a known ColorType and Format");

  c.platen = read_source(child(&root, scan_ns, "Platen"), modes);
  const Element* adf = child(&root, scan_ns, "Adf");
  c.adf = read_source(adf, modes);
  if (c.adf) {
    const Element* duplexer = child(adf, scan_ns, "AdfDuplexer");
    bool duplex_option = false;
    for (const Element* o : children(child(adf, scan_ns, "AdfOptions"), scan_ns, "AdfOption")) {
      if (o->text() == "Duplex") duplex_option = true;
    }
    if (duplexer || duplex_option) {
      c.adf_duplex = c.adf;
      int w = int_child(duplexer, scan_ns, "AdfDuplexMaxWidth").value_or(0);
      int h = int_child(duplexer, scan_ns, "AdfDuplexMaxHeight").value_or(0);
      if (w > 0) c.adf_duplex->max_width = std::min(c.adf_duplex->max_width, w);
      if (h > 0) c.adf_duplex->max_height = std::min(c.adf_duplex->max_height, h);
    }
  }
  if (!c.platen && !c.adf) {
    throw ProtocolError("LEDM ScanCaps: no usable Platen or Adf (sizes and resolutions)");
  }
  if (tone_map) {
    c.brightness = Range{0, 2000, 1000, 1};
    c.contrast = Range{0, 2000, 1000, 1};
  }
  return c;
}

std::string encode_scan_settings(const ScanRequest& s) {
  constexpr int neutral = 1000;
  std::ostringstream out;
  auto el = [&out](std::string_view name, const auto& value) {
    out << '<' << name << '>' << value << "</" << name << '>';
  };
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ScanSettings xmlns=\"" << ns::ledm_scan << "\">";
  el("XResolution", s.resolution);
  el("YResolution", s.resolution);
  el("XStart", s.region.x);
  el("YStart", s.region.y);
  el("Width", s.region.width);
  el("Height", s.region.height);
  el("Format", s.format == ImageFormat::Jpeg ? "Jpeg" : "Raw");
  el("CompressionQFactor", s.quality.value_or(0));
  // Lineart is scanned as Gray and thresholded on the host, as HPLIP does: how firmware wants a
  // K1 request is not known from any real exchange.
  el("ColorSpace", s.device_mode == ColorMode::Color ? "Color" : "Gray");
  el("BitDepth", 8);
  std::string_view source = s.source == InputSource::Platen ? "Platen" : "Adf";
  el("InputSource", source);
  el("InputSourceType", source);
  if (s.source == InputSource::AdfDuplex) out << "<AdfOptions><AdfOption>Duplex</AdfOption></AdfOptions>";
  el("GrayRendering", "NTSC");
  out << "<ToneMap>";
  el("Gamma", 1000);
  el("Brightness", s.brightness.value_or(neutral));
  el("Contrast", s.contrast.value_or(neutral));
  el("Highlite", 0);
  el("Shadow", 0);
  out << "</ToneMap>";
  el("ContentType", "Photo");
  out << "</ScanSettings>\n";
  return std::move(out).str();
}

std::string encode_cancel_job() {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<j:Job xmlns:j=\"" << ns::ledm_jobs
      << "\"><j:JobState>Canceled</j:JobState></j:Job>\n";
  return std::move(out).str();
}

ScanStatus decode_status(std::string_view xml) {
  Element root = xmlv::parse_document(xml, "LEDM ScanStatus");
  expect_root(root, ns::ledm_scan, "ScanStatus", "LEDM ScanStatus");
  ScanStatus s;
  s.scanner_state = text_child(&root, scan_ns, "ScannerState");
  s.adf_state = text_child(&root, scan_ns, "AdfState");
  if (s.scanner_state.empty()) throw ProtocolError("LEDM ScanStatus: no ScannerState");
  return s;
}

Job decode_job(std::string_view xml) {
  Element root = xmlv::parse_document(xml, "LEDM Job");
  expect_root(root, ns::ledm_jobs, "Job", "LEDM Job");
  Job job;
  job.state = text_child(&root, jobs_ns, "JobState");
  if (job.state.empty()) throw ProtocolError("LEDM Job: no JobState");
  const Element* scan_job = child(&root, scan_ns, "ScanJob");
  auto read_page = [](const Element* p) {
    Page page;
    page.number = int_child(p, scan_ns, "PageNumber").value_or(0);
    page.state = text_child(p, scan_ns, "PageState");
    page.binary_url = text_child(p, scan_ns, "BinaryURL");
    page.total_lines = int_child(p, scan_ns, "TotalLines").value_or(0);
    const Element* buffer = child(p, scan_ns, "BufferInfo");
    page.image_width = int_child(buffer, scan_ns, "ImageWidth").value_or(0);
    page.image_height = int_child(buffer, scan_ns, "ImageHeight").value_or(0);
    page.bytes_per_line = int_child(buffer, scan_ns, "BytesPerLine").value_or(0);
    return page;
  };
  if (const Element* pre = child(scan_job, scan_ns, "PreScanPage")) job.pre_scan = read_page(pre);
  if (const Element* post = child(scan_job, scan_ns, "PostScanPage")) job.post_scan = read_page(post);
  return job;
}

DiscoveryTree decode_discovery_tree(std::string_view xml) {
  Element root = xmlv::parse_document(xml, "LEDM DiscoveryTree");
  expect_root(root, ns::ledm_discovery, "DiscoveryTree", "LEDM DiscoveryTree");
  constexpr std::array<std::string_view, 1> disc_list{ns::ledm_discovery};
  constexpr std::array<std::string_view, 1> dd_list{ns::hp_dictionaries};
  DiscoveryTree tree;
  for (const Element& e : root.children()) {
    if (e.ns() != ns::ledm_discovery || (e.name() != "SupportedIfc" && e.name() != "SupportedTree")) continue;
    std::string uri = text_child(&e, disc_list, "ManifestURI");
    if (uri.empty()) uri = text_child(&e, dd_list, "ResourceURI");
    std::string type = text_child(&e, dd_list, "ResourceType");
    if (uri == "/Scan/ScanJobManifest.xml" || type.ends_with("hpLedmScanJobManifest")) tree.ledm_scan = true;
    if (istarts_with(uri, "/eSCL/") || istarts_with(type, "eSCL:")) tree.escl = true;
  }
  return tree;
}

}  // namespace hpaio::backend::ledm
