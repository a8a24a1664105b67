#include "backend/wsd/wsd_codec.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <sstream>

#include "backend/scan/xml_values.hpp"
#include "base/ascii.hpp"
#include "hpaio/xml/xml_namespaces.hpp"

namespace hpaio::backend::wsd {
namespace {

using xml::Element;
using xmlv::child;
using xmlv::children;
using xmlv::int_child;
using xmlv::text_child;

constexpr std::span<const std::string_view> scan_ns{ns::wsd_scan_any};
// Lengths: WS-Scan's 1/1000 inch up to 1000 inches; resolutions up to 100000 dpi.
constexpr int kMaxLength = 1000000;
constexpr int kMaxResolution = 100000;

bool truthy(std::string_view text) {
  const std::string v = ascii_lower(trim_blanks(text));
  return v == "true" || v == "1";
}

// 1/1000 inch to 1/300: minimums rounded up, maximums down, so that what is offered is possible.
int min_300(int thousandths) { return static_cast<int>((static_cast<long>(thousandths) * 3 + 9) / 10); }
int max_300(int thousandths) { return static_cast<int>(static_cast<long>(thousandths) * 3 / 10); }
// 1/300 inch to 1/1000, rounded to the nearest.
int to_1000(int three_hundredths) { return static_cast<int>((static_cast<long>(three_hundredths) * 10 + 1) / 3); }

std::optional<int> length(const Element* e, std::string_view name) {
  const std::optional<int> v = int_child(e, scan_ns, name);
  if (!v || *v < 0 || *v > kMaxLength) return std::nullopt;
  return v;
}

// The ElementData child named `name` of a GetScannerElementsResponse, or nullptr (also when the
// device marks it Valid="false": it does not have that element).
const Element* element_data(const Element& response, std::string_view name) {
  for (const Element* d : children(child(response, scan_ns, "ScannerElements"), scan_ns, "ElementData")) {
    const Element* e = child(*d, scan_ns, name);
    if (e == nullptr) continue;
    for (const xml::Attribute& a : d->attributes()) {
      if (a.name == "Valid" && !truthy(a.value)) e = nullptr;
    }
    if (e != nullptr) return e;
  }
  return nullptr;
}

std::vector<int> values(const Element* list, std::string_view name) {
  std::vector<int> out;
  for (const Element* v : children(list, scan_ns, name)) {
    const std::optional<int> n = parse_int(trim_blanks(v->text()));
    if (n && *n > 0 && *n <= kMaxResolution) out.push_back(*n);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<int> intersection(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Platen, ADFFront or ADFBack: `prefix` is "Platen" or "ADF" (PlatenResolutions, ADFColor, ...).
std::optional<SourceCapabilities> read_source(const Element* e, std::string_view prefix, bool jpeg, bool raw) {
  if (e == nullptr) return std::nullopt;
  const std::string p(prefix);
  SourceCapabilities s;
  const Element* res = child(e, scan_ns, p + "Resolutions");
  const std::vector<int> widths = values(child(res, scan_ns, "Widths"), "Width");
  const std::vector<int> heights = values(child(res, scan_ns, "Heights"), "Height");
  // Only square resolutions are offered; a device that lists no heights scans square.
  s.resolutions = heights.empty() ? widths : intersection(widths, heights);
  for (const Element* c : children(child(e, scan_ns, p + "Color"), scan_ns, "ColorEntry")) {
    const std::string v(trim_blanks(c->text()));
    std::optional<ColorMode> m;
    if (v == "BlackAndWhite1") m = ColorMode::BlackAndWhite;
    if (v == "Grayscale8") m = ColorMode::Gray;
    if (v == "RGB24") m = ColorMode::Color;
    if (m && !s.mode(*m)) s.modes.push_back({*m, jpeg, raw});
  }
  std::sort(s.modes.begin(), s.modes.end(), [](const auto& a, const auto& b) { return a.mode < b.mode; });
  const Element* min = child(e, scan_ns, p + "MinimumSize");
  const Element* max = child(e, scan_ns, p + "MaximumSize");
  s.min_width = min_300(length(min, "Width").value_or(0));
  s.min_height = min_300(length(min, "Height").value_or(0));
  s.max_width = max_300(length(max, "Width").value_or(0));
  s.max_height = max_300(length(max, "Height").value_or(0));
  if (s.min_width > s.max_width) s.min_width = 0;
  if (s.min_height > s.max_height) s.min_height = 0;
  if (!s.usable()) return std::nullopt;
  return s;
}

// What both sides of the feeder can do.
SourceCapabilities both_sides(const SourceCapabilities& front, const SourceCapabilities& back) {
  SourceCapabilities s;
  s.resolutions = intersection(front.resolutions, back.resolutions);
  for (const ColorModeCapability& m : front.modes) {
    if (back.mode(m.mode)) s.modes.push_back(m);
  }
  s.min_width = std::max(front.min_width, back.min_width);
  s.min_height = std::max(front.min_height, back.min_height);
  s.max_width = std::min(front.max_width, back.max_width);
  s.max_height = std::min(front.max_height, back.max_height);
  return s.usable() ? s : front;
}

std::string_view color_processing(ColorMode m) {
  switch (m) {
    case ColorMode::BlackAndWhite: return "BlackAndWhite1";
    case ColorMode::Gray: return "Grayscale8";
    case ColorMode::Color: return "RGB24";
  }
  return "RGB24";
}

std::string_view input_source(InputSource s) {
  switch (s) {
    case InputSource::Platen: return "Platen";
    case InputSource::Adf: return "ADF";
    case InputSource::AdfDuplex: return "ADFDuplex";
  }
  return "Platen";
}

void element(std::ostringstream& out, std::string_view name, const auto& value) {
  out << "<wscn:" << name << '>' << value << "</wscn:" << name << '>';
}

std::string job_reference(std::string_view job_id) {
  std::ostringstream out;
  element(out, "JobId", xml_escape(job_id));
  return std::move(out).str();
}

std::optional<ImageInfo> image_info(const Element* e) {
  if (e == nullptr) return std::nullopt;
  ImageInfo info;
  info.pixels_per_line = int_child(e, scan_ns, "PixelsPerLine").value_or(0);
  info.lines = int_child(e, scan_ns, "NumberOfLines").value_or(0);
  info.bytes_per_line = int_child(e, scan_ns, "BytesPerLine").value_or(0);
  return info;
}

std::vector<std::string> reason_list(const Element* list, std::string_view name) {
  std::vector<std::string> out;
  for (const Element* r : children(list, scan_ns, name)) {
    std::string v(trim_blanks(r->text()));
    if (!v.empty() && v != "None") out.push_back(std::move(v));
  }
  return out;
}

// What a scanner state reason or device condition means for a scan.
Status condition_status(std::string_view name, InputSource source) {
  if (name == "MediaJam" || name == "MultipleFeedError") return Status::jammed;
  if (name == "CoverOpen" || name == "InterlockOpen") return Status::cover_open;
  if (name == "InputTrayEmpty") return source == InputSource::Platen ? Status::good : Status::no_docs;
  if (name == "LampError") return Status::io_error;
  if (name == "InternalStorageFull") return Status::no_mem;
  if (name == "AttentionRequired" || name == "Paused") return Status::device_busy;
  return Status::good;
}

}  // namespace

Status ScannerStatus::failure(InputSource source) const {
  for (const std::string& r : reasons) {
    if (const Status s = condition_status(r, source); s != Status::good) return s;
  }
  for (const Condition& c : conditions) {
    // A feeder's trouble does not stop a scan from the glass.
    if (source == InputSource::Platen && c.component == "ADF") continue;
    if (const Status s = condition_status(c.name, source); s != Status::good) return s;
  }
  return state == "Stopped" ? Status::device_busy : Status::good;
}

bool ScannerStatus::warming_up() const {
  const auto warming = [](std::string_view n) { return n == "Calibrating" || n == "LampWarming"; };
  return std::any_of(reasons.begin(), reasons.end(), warming) ||
         std::any_of(conditions.begin(), conditions.end(), [&](const Condition& c) { return warming(c.name); });
}

std::string ScannerStatus::describe() const {
  std::string out = state.empty() ? std::string("unknown state") : state;
  std::string why;
  for (const std::string& r : reasons) why += (why.empty() ? "" : ", ") + r;
  for (const Condition& c : conditions) {
    why += (why.empty() ? "" : ", ") + (c.component.empty() ? c.name : c.component + " " + c.name);
  }
  return why.empty() ? out : out + " (" + why + ")";
}

std::string get_scanner_elements(const Addressing& to, Elements elements) {
  std::ostringstream body;
  body << "<wscn:GetScannerElementsRequest><wscn:RequestedElements>";
  if (elements == Elements::configuration_and_status) {
    element(body, "Name", "wscn:ScannerDescription");
    element(body, "Name", "wscn:ScannerConfiguration");
    element(body, "Name", "wscn:DefaultScanTicket");
  }
  element(body, "Name", "wscn:ScannerStatus");
  body << "</wscn:RequestedElements></wscn:GetScannerElementsRequest>";
  return envelope(to, action_get_scanner_elements, std::move(body).str());
}

std::string ticket_format(const ScanRequest& request, const Capabilities& caps) {
  const bool jpeg = !caps.jpeg_format.empty();
  if (request.format == ImageFormat::Jpeg && jpeg) return caps.jpeg_format;
  if (caps.dib) return "dib";
  return jpeg ? caps.jpeg_format : std::string();
}

std::optional<ImageFormat> page_format(std::string_view format) {
  const std::string f = ascii_lower(trim_blanks(format));
  if (f == "dib") return ImageFormat::Bmp;
  if (f == "jfif" || f == "exif") return ImageFormat::Jpeg;
  return std::nullopt;
}

std::string create_scan_job(const Addressing& to, const ScanRequest& r, const Capabilities& caps) {
  const std::string format = ticket_format(r, caps);
  if (format.empty()) throw ProtocolError("WS-Scan: the device offers neither JPEG nor dib pages");
  std::ostringstream out;
  out << "<wscn:CreateScanJobRequest><wscn:ScanTicket><wscn:JobDescription>";
  element(out, "JobName", "hpaio");
  element(out, "JobOriginatingUserName", "hpaio");
  element(out, "JobInformation", "hpaio");  // optional, but some devices refuse a ticket without it
  out << "</wscn:JobDescription><wscn:DocumentParameters>";
  element(out, "Format", format);
  if (r.quality && format != "dib" && caps.scanner.compression_factor) {
    const Range& q = *caps.scanner.compression_factor;
    element(out, "CompressionQualityFactor", q.min + (q.max - q.min) * std::clamp(*r.quality, 0, 100) / 100);
  }
  // A feeder scan transfers every sheet there is (0); a platen scan one image.
  element(out, "ImagesToTransfer", r.source == InputSource::Platen ? 1 : 0);
  element(out, "InputSource", input_source(r.source));
  const int x = to_1000(r.region.x), y = to_1000(r.region.y);
  const int width = to_1000(r.region.width), height = to_1000(r.region.height);
  out << "<wscn:InputSize><wscn:InputMediaSize>";
  element(out, "Width", width);
  element(out, "Height", height);
  out << "</wscn:InputMediaSize></wscn:InputSize>";
  if (r.brightness || r.contrast) {
    out << "<wscn:Exposure><wscn:ExposureSettings>";
    if (r.brightness) element(out, "Brightness", std::clamp(*r.brightness, -1000, 1000));
    if (r.contrast) element(out, "Contrast", std::clamp(*r.contrast, -1000, 1000));
    out << "</wscn:ExposureSettings></wscn:Exposure>";
  }
  out << "<wscn:MediaSides>";
  for (std::string_view side : {"MediaFront", "MediaBack"}) {
    if (side == "MediaBack" && r.source != InputSource::AdfDuplex) break;
    out << "<wscn:" << side << '>';
    element(out, "ColorProcessing", color_processing(r.device_mode));
    out << "<wscn:Resolution>";
    element(out, "Width", r.resolution);
    element(out, "Height", r.resolution);
    out << "</wscn:Resolution><wscn:ScanRegion>";
    element(out, "ScanRegionXOffset", x);
    element(out, "ScanRegionYOffset", y);
    element(out, "ScanRegionWidth", width);
    element(out, "ScanRegionHeight", height);
    out << "</wscn:ScanRegion></wscn:" << side << '>';
  }
  out << "</wscn:MediaSides></wscn:DocumentParameters></wscn:ScanTicket></wscn:CreateScanJobRequest>";
  return envelope(to, action_create_scan_job, std::move(out).str());
}

std::string retrieve_image(const Addressing& to, const CreatedJob& job) {
  std::ostringstream out;
  out << "<wscn:RetrieveImageRequest><wscn:DocumentDescription>";
  element(out, "DocumentName", "hpaio-page");
  out << "</wscn:DocumentDescription>" << job_reference(job.id);
  element(out, "JobToken", xml_escape(job.token));
  out << "</wscn:RetrieveImageRequest>";
  return envelope(to, action_retrieve_image, std::move(out).str());
}

std::string cancel_job(const Addressing& to, std::string_view job_id) {
  return envelope(to, action_cancel_job,
                  "<wscn:CancelJobRequest>" + job_reference(job_id) + "</wscn:CancelJobRequest>");
}

std::string get_job_elements(const Addressing& to, std::string_view job_id) {
  return envelope(to, action_get_job_elements,
                  "<wscn:GetJobElementsRequest>" + job_reference(job_id) +
                      "<wscn:RequestedElements><wscn:Name>wscn:JobStatus</wscn:Name></wscn:RequestedElements>"
                      "</wscn:GetJobElementsRequest>");
}

Capabilities decode_capabilities(std::string_view xml) {
  constexpr std::string_view what = "WS-Scan GetScannerElements";
  const Element response = body_element(xml, scan_ns, "GetScannerElementsResponse", what);
  const Element* config = element_data(response, "ScannerConfiguration");
  if (config == nullptr) throw ProtocolError(std::string(what) + ": no ScannerConfiguration");
  Capabilities c;
  const Element* settings = child(config, scan_ns, "DeviceSettings");
  for (const Element* f : children(child(settings, scan_ns, "FormatsSupported"), scan_ns, "FormatValue")) {
    c.formats.push_back(ascii_lower(trim_blanks(f->text())));
  }
  const auto listed = [&](std::string_view f) {
    return std::find(c.formats.begin(), c.formats.end(), f) != c.formats.end();
  };
  if (listed("jfif")) {
    c.jpeg_format = "jfif";
  } else if (listed("exif")) {
    c.jpeg_format = "exif";
  }
  // No list at all: dib, which every HP WS-Scan device offers (some nothing else).
  c.dib = listed("dib") || c.formats.empty();
  if (c.jpeg_format.empty() && !c.dib) {
    std::string list;
    for (const std::string& f : c.formats) list += (list.empty() ? "" : ", ") + f;
    throw ProtocolError(std::string(what) + ": no format this backend decodes (the device offers " + list + ")");
  }
  if (const Element* q = child(settings, scan_ns, "CompressionQualityFactorSupported")) {
    const std::optional<int> min = int_child(q, scan_ns, "MinValue"), max = int_child(q, scan_ns, "MaxValue");
    if (min && max && *min <= *max) c.scanner.compression_factor = Range{*min, *max, *min + (*max - *min) / 2, 1};
  }
  // Every WS-Scan service maps -1000..1000 onto what its device can do.
  if (truthy(text_child(settings, scan_ns, "BrightnessSupported"))) c.scanner.brightness = Range{-1000, 1000, 0, 1};
  if (truthy(text_child(settings, scan_ns, "ContrastSupported"))) c.scanner.contrast = Range{-1000, 1000, 0, 1};

  const bool jpeg = !c.jpeg_format.empty();
  c.scanner.platen = read_source(child(config, scan_ns, "Platen"), "Platen", jpeg, c.dib);
  const Element* adf = child(config, scan_ns, "ADF");
  const std::optional<SourceCapabilities> front = read_source(child(adf, scan_ns, "ADFFront"), "ADF", jpeg, c.dib);
  const std::optional<SourceCapabilities> back = read_source(child(adf, scan_ns, "ADFBack"), "ADF", jpeg, c.dib);
  c.scanner.adf = front ? front : back;
  // A device with a back side scans duplex, whatever ADFSupportsDuplex says.
  if (c.scanner.adf && (back || truthy(text_child(adf, scan_ns, "ADFSupportsDuplex")))) {
    c.scanner.adf_duplex = front && back ? both_sides(*front, *back) : *c.scanner.adf;
  }
  if (!c.scanner.platen && !c.scanner.adf) {
    throw ProtocolError(std::string(what) +
                        ": no usable input source (platen or feeder with sizes, resolutions and colour modes)");
  }
  if (const Element* d = element_data(response, "ScannerDescription")) {
    c.scanner.make_and_model = text_child(d, scan_ns, "ScannerName");
  }
  return c;
}

ScannerStatus decode_scanner_status(std::string_view xml) {
  constexpr std::string_view what = "WS-Scan ScannerStatus";
  const Element response = body_element(xml, scan_ns, "GetScannerElementsResponse", what);
  const Element* status = element_data(response, "ScannerStatus");
  if (status == nullptr) throw ProtocolError(std::string(what) + ": no ScannerStatus");
  ScannerStatus s;
  s.state = std::string(trim_blanks(text_child(status, scan_ns, "ScannerState")));
  if (s.state.empty()) throw ProtocolError(std::string(what) + ": no ScannerState");
  s.reasons = reason_list(child(status, scan_ns, "ScannerStateReasons"), "ScannerStateReason");
  for (const Element* d : children(child(status, scan_ns, "ActiveConditions"), scan_ns, "DeviceCondition")) {
    Condition c;
    c.name = std::string(trim_blanks(text_child(d, scan_ns, "Name")));
    c.component = std::string(trim_blanks(text_child(d, scan_ns, "Component")));
    c.severity = std::string(trim_blanks(text_child(d, scan_ns, "Severity")));
    if (!c.name.empty()) s.conditions.push_back(std::move(c));
  }
  return s;
}

CreatedJob decode_created_job(std::string_view xml) {
  constexpr std::string_view what = "WS-Scan CreateScanJobResponse";
  const Element response = body_element(xml, scan_ns, "CreateScanJobResponse", what);
  CreatedJob job;
  job.id = std::string(trim_blanks(text_child(&response, scan_ns, "JobId")));
  const std::optional<int> id = parse_int(job.id);
  if (!id || *id <= 0) throw ProtocolError(std::string(what) + ": no usable JobId");
  job.token = std::string(trim_blanks(text_child(&response, scan_ns, "JobToken")));
  if (job.token.empty()) throw ProtocolError(std::string(what) + ": no JobToken");
  const Element* info = child(response, scan_ns, "ImageInformation");
  job.front = image_info(child(info, scan_ns, "MediaFrontImageInfo"));
  job.back = image_info(child(info, scan_ns, "MediaBackImageInfo"));
  const Element* final_params =
      child(child(response, scan_ns, "DocumentFinalParameters"), scan_ns, "DocumentParameters");
  if (final_params == nullptr) final_params = child(response, scan_ns, "DocumentFinalParameters");
  job.format = ascii_lower(trim_blanks(text_child(final_params, scan_ns, "Format")));
  job.input_source = std::string(trim_blanks(text_child(final_params, scan_ns, "InputSource")));
  return job;
}

JobStatus decode_job_status(std::string_view xml) {
  constexpr std::string_view what = "WS-Scan GetJobElements";
  const Element response = body_element(xml, scan_ns, "GetJobElementsResponse", what);
  const Element* status = nullptr;
  for (const Element* d : children(child(response, scan_ns, "JobElements"), scan_ns, "ElementData")) {
    if ((status = child(*d, scan_ns, "JobStatus")) != nullptr) break;
  }
  if (status == nullptr) throw ProtocolError(std::string(what) + ": no JobStatus");
  JobStatus s;
  s.id = std::string(trim_blanks(text_child(status, scan_ns, "JobId")));
  s.state = std::string(trim_blanks(text_child(status, scan_ns, "JobState")));
  if (s.state.empty()) throw ProtocolError(std::string(what) + ": no JobState");
  s.reasons = reason_list(child(status, scan_ns, "JobStateReasons"), "JobStateReason");
  s.scans_completed = int_child(status, scan_ns, "ScansCompleted");
  return s;
}

}  // namespace hpaio::backend::wsd
