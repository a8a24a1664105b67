// hpaio-makeuri's decisions and output, without I/O: which URIs a device gets, and how they are
// printed (HPLIP hp-makeuri's lines, bare URIs for -c/-s/-f, or JSON).
//
//  * CUPS URI: hp:/net/<token>?ip=<address> (hostname=/zc= for names), &port=<n> when n != 1.
//  * SANE URI: the same with hpaio:, when models.dat gives the model a scan protocol we speak
//    (LEDM, eSCL) or the device showed it speaks one (HTTP, mDNS _uscan._tcp). HPLIP prints it for
//    every non-zero scan-type; we do not print a SANE URI our backend could not open.
//  * HP Fax URI: hpfax:, when models.dat has a fax-type for the model.
#pragma once

#include <optional>
#include <string>

#include "hpaio/names/device_uri.hpp"
#include "models/model_resolver.hpp"

namespace hpaio {

// What is known about the device, from whichever source answered.
struct DeviceFacts {
  std::string token;         // URI model token, HPLIP rule (a): "HP_OfficeJet_Pro_9010_series"
  std::string model;         // as the device reports it: "HP OfficeJet Pro 9010 series"
  std::string source;        // "snmp", "http", "ws-discovery" or "mdns"
  std::string device_id;     // the IEEE-1284 device ID, when SNMP answered
  bool speaks_scan = false;  // the device showed it speaks LEDM, eSCL or WS-Scan
  std::string protocol;      // "LEDM", "eSCL" or "WS-Scan" when the device showed which
};

struct MadeUris {
  std::string cups;
  std::optional<std::string> sane;
  std::optional<std::string> fax;
  std::string models_section;  // empty when models.dat does not know the model
  std::string scan_type;       // models.dat scan-type name, or empty
};

// Throws UriError when the token or host cannot make a URI. `resolver` may be null.
MadeUris make_uris(const DeviceFacts& facts, HostParam param, const std::string& host, int jetdirect_port,
                   const models::ModelResolver* resolver);

enum class OutputMode { all, cups, sane, fax, json };

struct FormattedOutput {
  std::string text;   // for stdout
  std::string error;  // for stderr when the requested URI does not exist (exit status 1)
};

FormattedOutput format_uris(const MadeUris& uris, const DeviceFacts& facts, const std::string& address,
                            OutputMode mode);

}  // namespace hpaio
