#include "hpaio/cli/makeuri_format.hpp"

#include <cstdio>

#include "base/json.hpp"

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

namespace {

std::string json_optional(const std::optional<std::string>& s) { return s ? json_string(*s) : "null"; }
std::string json_or_null(const std::string& s) { return s.empty() ? "null" : json_string(s); }

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
      out.text = "{\"address\": " + json_string(address) + ", \"model\": " + json_string(facts.model) +
                 ", \"token\": " + json_string(facts.token) + ", \"source\": " + json_string(facts.source) +
                 ", \"device_id\": " + json_or_null(facts.device_id) +
                 ", \"protocol\": " + json_or_null(facts.protocol) +
                 ", \"models_dat\": " + json_or_null(uris.models_section) +
                 ", \"scan_type\": " + json_or_null(uris.scan_type) + ", \"cups_uri\": " + json_string(uris.cups) +
                 ", \"sane_uri\": " + json_optional(uris.sane) + ", \"fax_uri\": " + json_optional(uris.fax) + "}\n";
      break;
  }
  return out;
}

}  // namespace hpaio
