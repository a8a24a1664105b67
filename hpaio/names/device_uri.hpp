// HPLIP device URIs: hp:/net/<model>?ip=..., hpaio:..., hpfax:..., and SANE device names.
//
// Grammar (every form HPLIP produces; reference §1.1):
//
//   [scheme ":"] "/" bus "/" model "?" param ("&" param)*
//   scheme = "hp" | "hpaio" | "hpfax"        absent in a SANE device name ("/net/...")
//   bus    = "net" | "usb" | "par"           any case, as HPLIP's strcasestr(":/net") allows
//   model  = the token, verbatim, up to the first '?'; it may hold '/' (3.16's mDNS names kept it)
//   param  = name "=" value
//
// Parameters. Names are matched case-insensitively (HPLIP uses strcasestr); values are verbatim.
//   net:  exactly one of ip=, hostname=, zc=;  optional port=1..4, queue=false|true
//   usb:  serial= (required)
//   par:  device= (required)
// A known parameter on the wrong bus, a duplicate name (in any case), a parameter without '=' or
// with an empty value, and white space or control characters anywhere are errors.
//
// Decisions:
//  * Unknown parameters are accepted and kept verbatim, in their place, so every name round-trips.
//    HPLIP ignores them too. They take no part in device identity.
//  * ip= takes IPv4 dotted quads and IPv6 literals, validated with Boost.Asio (inet_pton). An IPv6
//    zone is written percent-encoded as in RFC 6874: ip=fe80::1%25eth0 (a bare '%' is an error).
//    The literal may also be bracketed, ip=[fe80::1%25eth0], as in URLs; make_net writes it bare.
//    A host name in ip= is an error that points at hostname=.
//  * hostname= and zc= take RFC 1123 host names (labels of letters, digits and '-', at most 63
//    characters each, 253 in all, one trailing '.' allowed). zc= names an mDNS host without
//    ".local", as HPLIP writes it.
//  * The scheme must be lowercase: neither CUPS nor the SANE dll backend route "HP:" or "HPAIO:".
//  * Parsing then to_string() gives back the input exactly. format(scheme) changes only the scheme.
//
// Errors: parse() and the make_* functions throw UriError, whose message quotes the input and
// names what is wrong: "device URI 'hp:/net/X?ip=10.0.0.5&port=7': port must be 1..4, got '7'".
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hpaio {

class UriError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `none` is a SANE device name: the URI without its scheme, as the dll backend hands it over.
enum class Scheme { none, hp, hpaio, hpfax };
enum class Bus { net, usb, par };

// "hp", "hpaio", "hpfax"; "" for Scheme::none. "net", "usb", "par".
std::string_view to_string(Scheme scheme);
std::string_view to_string(Bus bus);

// Which query parameter names the host of a network URI.
enum class HostParam { ip, hostname, zc };

// The host of a /net/ URI, decoded.
struct NetHost {
  enum class Kind { ipv4, ipv6, hostname, mdns };

  Kind kind = Kind::ipv4;
  std::string name;  // "10.0.0.5", "fe80::1" (no brackets, no zone), "printer.lan", "npi7c8a3e"
  std::string zone;  // IPv6 zone, decoded ("eth0"); empty when there is none

  // What to give a resolver (getaddrinfo, Avahi): "fe80::1%eth0", "printer.lan", "npi7c8a3e.local".
  std::string resolver_name() const;

  friend bool operator==(const NetHost&, const NetHost&) = default;
};

// A query parameter as written: name with its case, value verbatim (still percent-encoded).
struct QueryParam {
  std::string name;
  std::string value;

  friend bool operator==(const QueryParam&, const QueryParam&) = default;
};

// Which physical device a URI names; equal identities are the same device (for deduplication).
//  * net: the host, normalised, and the JetDirect port (absent = 1). Addresses are compared as
//    addresses (::1 == 0:0::1, ::ffff:10.0.0.1 == 10.0.0.1; a zone is part of the address), host
//    names case-insensitively without a trailing '.', and zc=<name> as the host "<name>.local".
//    hostname= holding an address counts as that address. A host name and an address are never
//    equal: that would take a DNS lookup.
//  * usb: the model token (case-insensitively) and the serial number.
//  * par: the device path.
// The model token, the scheme, queue= and unknown parameters do not matter.
struct DeviceIdentity {
  Bus bus = Bus::net;
  std::string key;  // "10.0.0.1", "fe80::1%eth0", "printer.lan", "officejet_pro_8600/CN123", ...
  int port = 1;

  friend auto operator<=>(const DeviceIdentity&, const DeviceIdentity&) = default;
};

class DeviceUri {
 public:
  // Accepts the scheme-less SANE name too ("/net/...").
  static DeviceUri parse(std::string_view text);

  // HPLIP's forms: <scheme>:/net/<model>?<param>=<host>[&port=<n>][&queue=false], with port=
  // written only when it is not 1 and queue=false only when `queue` is false. For ip=, an IPv6
  // zone may be given as "fe80::1%eth0"; it is written "%25eth0".
  static DeviceUri make_net(std::string_view model, HostParam param, std::string_view host, int port = 1,
                            bool queue = true, Scheme scheme = Scheme::hp);
  // <scheme>:/usb/<model>?serial=<serial>
  static DeviceUri make_usb(std::string_view model, std::string_view serial, Scheme scheme = Scheme::hp);
  // <scheme>:/par/<model>?device=<device>
  static DeviceUri make_par(std::string_view model, std::string_view device, Scheme scheme = Scheme::hp);

  Scheme scheme() const { return scheme_; }
  Bus bus() const { return bus_; }
  const std::string& model() const { return model_; }
  // Every parameter, in the order written, unknown ones included.
  const std::vector<QueryParam>& params() const { return params_; }
  // The verbatim value of a parameter, by case-insensitive name.
  std::optional<std::string_view> param(std::string_view name) const;

  // net only; empty on the other buses.
  const std::optional<NetHost>& host() const { return host_; }
  // JetDirect port (port=), 1 when absent. It selects the SNMP community and the JetDirect raw
  // ports, not the HTTP port.
  int port() const { return port_; }
  // False when the URI says queue=false: not a CUPS queue, so skip the SNMP device-ID check.
  bool queue() const { return queue_; }
  // usb: the serial= value; par: the device= value. Empty on other buses.
  std::optional<std::string_view> serial() const { return param("serial"); }
  std::optional<std::string_view> device() const { return param("device"); }

  DeviceIdentity identity() const;

  // The URI exactly as parsed.
  std::string to_string() const;
  // The same URI under another scheme (Scheme::none gives the SANE device name).
  std::string format(Scheme scheme) const;
  // "/net/<model>?..." (what sane_get_devices lists and sane_open receives).
  std::string sane_name() const { return format(Scheme::none); }
  DeviceUri with_scheme(Scheme scheme) const;

  // Compares URIs as written. For "is this the same device", compare identity() or same_device().
  friend bool operator==(const DeviceUri&, const DeviceUri&) = default;

 private:
  DeviceUri() = default;

  Scheme scheme_ = Scheme::none;
  Bus bus_ = Bus::net;
  std::string bus_text_;  // as written ("net", "NET")
  std::string model_;
  std::vector<QueryParam> params_;
  std::optional<NetHost> host_;
  int port_ = 1;
  bool queue_ = true;
};

inline bool same_device(const DeviceUri& a, const DeviceUri& b) { return a.identity() == b.identity(); }

std::ostream& operator<<(std::ostream& out, const DeviceUri& uri);

}  // namespace hpaio

template <>
struct std::hash<hpaio::DeviceIdentity> {
  std::size_t operator()(const hpaio::DeviceIdentity& id) const noexcept;
};
