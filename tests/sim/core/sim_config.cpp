#include "tests/sim/core/sim_config.hpp"

#include <algorithm>

#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/image/pdf_page.hpp"

namespace hpsim {

ScanParams sheet_page(const SimConfig& cfg, const ScanParams& p) {
  ScanParams shown = p;
  const int sheet = cfg.profile.sheet_height;
  if (p.source == Source::adf && sheet > 0 && p.y + p.height > sheet) shown.height = std::max(8, sheet - p.y);
  return shown;
}

ColorMode render_mode(ScanMode m) {
  switch (m) {
    case ScanMode::grayscale8: return ColorMode::gray;
    case ScanMode::blackandwhite1: return ColorMode::lineart;
    case ScanMode::rgb24:
    case ScanMode::auto_color: return ColorMode::color;
  }
  return ColorMode::color;
}

const char* escl_mode_name(ScanMode m) {
  switch (m) {
    case ScanMode::rgb24: return "RGB24";
    case ScanMode::grayscale8: return "Grayscale8";
    case ScanMode::blackandwhite1: return "BlackAndWhite1";
    case ScanMode::auto_color: return "AutoColorDetection";
  }
  return "?";
}

const char* ledm_mode_name(ScanMode m) {
  switch (m) {
    case ScanMode::grayscale8: return "Gray8";
    case ScanMode::blackandwhite1: return "K1";
    case ScanMode::rgb24:
    case ScanMode::auto_color: return "Color8";
  }
  return "?";
}

const char* escl_format_name(Format f) {
  switch (f) {
    case Format::jpeg: return "image/jpeg";
    case Format::raw: return "application/octet-stream";
    case Format::pdf: return "application/pdf";
  }
  return "?";
}

const char* ledm_format_name(Format f) {
  switch (f) {
    case Format::jpeg: return "Jpeg";
    case Format::raw: return "Raw";
    case Format::pdf: return "Pdf";
  }
  return "?";
}

const char* content_type(Format f) { return escl_format_name(f); }

std::optional<ScanMode> parse_escl_mode(std::string_view s) {
  if (const auto colon = s.find(':'); colon != std::string_view::npos) s.remove_prefix(colon + 1);
  if (s == "RGB24") return ScanMode::rgb24;
  if (s == "Grayscale8") return ScanMode::grayscale8;
  if (s == "BlackAndWhite1") return ScanMode::blackandwhite1;
  if (s == "AutoColorDetection") return ScanMode::auto_color;
  return std::nullopt;
}

std::optional<Format> parse_escl_format(std::string_view s) {
  if (s == "image/jpeg") return Format::jpeg;
  if (s == "application/octet-stream") return Format::raw;
  if (s == "application/pdf") return Format::pdf;
  return std::nullopt;
}

std::optional<Format> parse_ledm_format(std::string_view s) {
  if (s == "Jpeg") return Format::jpeg;
  if (s == "Raw") return Format::raw;
  if (s == "Pdf") return Format::pdf;
  return std::nullopt;
}

std::string make_image(const ScanParams& p, int image, bool dnl, bool rotated) {
  Raster r = render_page(p.x, p.y, p.width, p.height, p.xres, p.yres, p.mode, sheet_of(p, image), side_of(p, image));
  if (rotated) r = rotate_180(r);
  if (p.format == Format::raw) return p.mode == ColorMode::lineart ? pack_lineart(r) : r.pixels;
  std::string jpeg = encode_jpeg(r);
  if (p.format == Format::pdf) return jpeg_pdf(jpeg, r.width, r.height, r.channels, p.xres, p.yres);
  if (dnl) {
    if (auto d = make_dnl_jpeg(jpeg)) return *d;
  }
  return jpeg;
}

void apply_image_faults(const SimConfig& cfg, Response& r) {
  const auto& f = cfg.faults;
  if (f.has(Fault::truncated_jpeg)) r.body.resize(r.body.size() / 2);
  if (f.has(Fault::stall_mid_image)) r.delivery.stall_after = r.body.size() / 2;
  if (f.has(Fault::reset_mid_image)) r.delivery.reset_after = r.body.size() / 2;
  if (f.has(Fault::wrong_content_length)) {
    r.framing = Framing::content_length;
    r.delivery.declared_length = static_cast<long long>(r.body.size()) + 1000;
    r.delivery.close_after = true;
  }
}

bool rotated_image(const SimConfig& cfg, const ScanParams& p, int image) {
  return cfg.profile.rotate_back && side_of(p, image) == Side::back;
}

bool is_page_response(const Response& r) {
  const std::string type = r.header("Content-Type");
  return type.starts_with("image/") || type == "application/pdf" || type == "application/octet-stream";
}

bool same_listener(std::string_view configured, std::string_view local) {
  if (configured == local) return true;
  const auto port = [](std::string_view a) {
    const auto c = a.rfind(':');
    return c == std::string_view::npos ? std::string_view{} : a.substr(c + 1);
  };
  const auto host = [](std::string_view a) {
    const auto c = a.rfind(':');
    return c == std::string_view::npos ? a : a.substr(0, c);
  };
  const std::string_view h = host(configured);
  return (h == "0.0.0.0" || h == "[::]") && !port(configured).empty() && port(configured) == port(local);
}

void apply_common(const SimConfig& cfg, Response& r) {
  if (!r.delivery.declared_length) {
    if (is_page_response(r)) {
      r.framing = cfg.profile.chunked_images ? Framing::chunked : Framing::content_length;
    } else if (!cfg.profile.chunked_xml) {
      r.framing = Framing::content_length;
    }
  }
  if (!cfg.profile.server_header.empty() && r.header("Server").empty()) {
    r.set_header("Server", cfg.profile.server_header);
  }
  if (cfg.faults.has(Fault::slow_drip)) {
    r.delivery.drip_bytes = static_cast<std::size_t>(std::max(1, cfg.drip_bytes));
    r.delivery.drip_interval = std::chrono::milliseconds(std::max(0, cfg.drip_ms));
  }
}

std::string caps_body(const SimConfig& cfg, std::string doc) {
  if (cfg.caps_file_content) doc = *cfg.caps_file_content;
  if (cfg.faults.has(Fault::malformed_caps)) {
    // Cut inside a tag about two thirds in, then add a stray end tag: not well-formed.
    std::string cut = doc.substr(0, doc.size() * 2 / 3);
    const auto lt = cut.rfind('<');
    if (lt != std::string::npos) cut.resize(lt + 2);
    return cut + "</Mismatched>";
  }
  if (cfg.faults.has(Fault::huge_caps)) {
    // Insert a comment after the root start tag so the document stays valid.
    auto root = doc.find('<', doc.starts_with("<?") ? doc.find("?>") : 0);
    auto gt = root == std::string::npos ? std::string::npos : doc.find('>', root);
    if (gt == std::string::npos) gt = doc.size() - 1;
    const std::size_t pad = kHugeCapsBytes > doc.size() + 7 ? kHugeCapsBytes - doc.size() - 7 : 0;
    std::string padded = doc.substr(0, gt + 1) + "<!--" + std::string(pad, 'x') + "-->" + doc.substr(gt + 1);
    return padded;
  }
  return doc;
}

Response simple_response(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  if (!content_type.empty()) r.set_header("Content-Type", content_type);
  return r;
}

std::string xml_escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

}  // namespace hpsim
