#include "hpaio/cli/makeuri_format.hpp"

#include <cstdio>

namespace hpaio {

MadeUris make_uris(const DeviceFacts& facts, HostParam param, const std::string& host, int jetdirect_port,
                   const models::ModelResolver* resolver) {
  MadeUris out;
  const DeviceUri cups = DeviceUri::make_net(facts.token, param, host, jetdirect_port, true, Scheme::hp);
  out.cups = cups.to_string();
  bool scan = facts.speaks_scan;
  bool fax = false;
  if (resolver != nullptr) {
    if (const models::Resolution r = resolver->resolve(facts.token)) {
      out.models_section = r.section->name();
      out.scan_type = models::scan_type_name(r.section->scan_type());
      scan = scan || models::is_network_scan_protocol(r.section->scan_type());
      fax = r.section->has_fax();
    }
  }
  if (scan) out.sane = cups.format(Scheme::hpaio);
  if (fax) out.fax = cups.format(Scheme::hpfax);
  return out;
}

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

namespace {

std::string json_optional(const std::optional<std::string>& s) { return s ? json_quote(*s) : "null"; }
std::string json_or_null(const std::string& s) { return s.empty() ? "null" : json_quote(s); }

}  // namespace

FormattedOutput format_uris(const MadeUris& uris, const DeviceFacts& facts, const std::string& address,
                            OutputMode mode) {
  FormattedOutput out;
  switch (mode) {
    case OutputMode::all:
      out.text = "CUPS URI: " + uris.cups + "\n";
      if (uris.sane) out.text += "SANE URI: " + *uris.sane + "\n";
      if (uris.fax) out.text += "HP Fax URI: " + *uris.fax + "\n";
      break;
    case OutputMode::cups: out.text = uris.cups + "\n"; break;
    case OutputMode::sane:
      if (uris.sane) {
        out.text = *uris.sane + "\n";
      } else {
        out.error = "Device does not support scan (with LEDM or eSCL).";
      }
      break;
    case OutputMode::fax:
      if (uris.fax) {
        out.text = *uris.fax + "\n";
      } else {
        out.error = "Device does not support fax.";
      }
      break;
    case OutputMode::json:
      out.text = "{\"address\": " + json_quote(address) + ", \"model\": " + json_quote(facts.model) +
                 ", \"token\": " + json_quote(facts.token) + ", \"source\": " + json_quote(facts.source) +
                 ", \"device_id\": " + json_or_null(facts.device_id) +
                 ", \"protocol\": " + json_or_null(facts.protocol) +
                 ", \"models_dat\": " + json_or_null(uris.models_section) +
                 ", \"scan_type\": " + json_or_null(uris.scan_type) + ", \"cups_uri\": " + json_quote(uris.cups) +
                 ", \"sane_uri\": " + json_optional(uris.sane) + ", \"fax_uri\": " + json_optional(uris.fax) + "}\n";
      break;
  }
  return out;
}

}  // namespace hpaio
