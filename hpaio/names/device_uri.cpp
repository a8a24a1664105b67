#include "hpaio/names/device_uri.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <ostream>
#include <string>
#include <utility>

#include "base/ascii.hpp"

namespace hpaio {
namespace {

namespace ip = boost::asio::ip;

constexpr std::string_view host_params_hint = "one of ip=, hostname=, zc=";

constexpr bool is_control_or_space(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;
}

constexpr bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// RFC 3986 "unreserved", which is what an RFC 6874 zone may hold besides percent-encodings.
constexpr bool is_unreserved(char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

constexpr bool is_param_name_char(char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_'; }

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// What is wrong with a host name by RFC 1123 rules, or nothing.
std::optional<std::string> host_name_problem(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return "it is empty";
  if (name.size() > 253) return "it is longer than 253 characters";
  for (std::string_view rest = name; !rest.empty();) {
    const std::size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty()) return "it has an empty label";
    if (label.size() > 63) return "label " + quoted(label) + " is longer than 63 characters";
    if (label.front() == '-' || label.back() == '-') return "label " + quoted(label) + " starts or ends with '-'";
    const auto bad = std::find_if_not(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; });
    if (bad != label.end())
      return "it contains " + quoted(std::string_view(&*bad, 1)) + " (only letters, digits, '-' and '.')";
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  }
  return std::nullopt;
}

std::optional<ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return address;
}

// Addresses in one spelling: IPv4-mapped IPv6 as IPv4, IPv6 compressed and lowercase.
std::string canonical_address(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

std::string_view strip_trailing_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

bool ends_with_local(std::string_view name) {
  constexpr std::string_view local = ".local";
  return name.size() > local.size() && iequals(name.substr(name.size() - local.size()), local);
}

[[noreturn]] void fail(std::string_view text, const std::string& what) {
  throw UriError("device URI " + quoted(text) + ": " + what);
}

// ip=: an IPv4 or IPv6 literal, the latter optionally bracketed and with a "%25<zone>".
NetHost parse_ip(std::string_view text, std::string_view name, std::string_view value) {
  const std::string param = std::string(name) + "=";
  std::string_view literal = value;
  const bool bracketed = literal.front() == '[';
  if (bracketed) {
    if (literal.size() < 2 || literal.back() != ']') fail(text, param + " " + quoted(value) + " has no closing ']'");
    literal = literal.substr(1, literal.size() - 2);
  }
  NetHost host;
  if (const std::size_t percent = literal.find('%'); percent != std::string_view::npos) {
    if (literal.substr(percent, 3) != "%25") {
      fail(text, param + " " + quoted(value) + ": an IPv6 zone is written as '%25<zone>' (RFC 6874)");
    }
    host.zone = literal.substr(percent + 3);
    if (host.zone.empty()) fail(text, param + " " + quoted(value) + ": empty IPv6 zone after '%25'");
    if (!std::all_of(host.zone.begin(), host.zone.end(), is_unreserved)) {
      fail(text, param + " " + quoted(value) + ": IPv6 zone " + quoted(host.zone) +
                     " may hold only letters, digits, '-', '.', '_' and '~'");
    }
    literal = literal.substr(0, percent);
  }
  host.name = literal;
  boost::system::error_code ec;
  if (literal.find(':') != std::string_view::npos) {
    ip::make_address_v6(host.name, ec);
    if (ec) fail(text, param + " " + quoted(value) + " is not a valid IPv6 address");
    host.kind = NetHost::Kind::ipv6;
    return host;
  }
  if (bracketed || !host.zone.empty()) {
    fail(text, param + " " + quoted(value) + ": brackets and zones are only for IPv6 addresses");
  }
  ip::make_address_v4(host.name, ec);
  if (ec) {
    const bool dotted_digits = !literal.empty() && std::all_of(literal.begin(), literal.end(), [](char c) {
      return c == '.' || (c >= '0' && c <= '9');
    });
    if (dotted_digits) fail(text, param + " " + quoted(value) + " is not a valid IPv4 address");
    fail(text, param + " must be an IPv4 or IPv6 address, got " + quoted(value) + " (use hostname= for a host name)");
  }
  host.kind = NetHost::Kind::ipv4;
  return host;
}

NetHost parse_host_name(std::string_view text, std::string_view name, std::string_view value, NetHost::Kind kind) {
  if (auto problem = host_name_problem(value)) {
    fail(text, std::string(name) + "= " + quoted(value) + " is not a valid host name: " + *problem);
  }
  return NetHost{kind, std::string(value), {}};
}

Scheme parse_scheme(std::string_view text, std::string_view scheme) {
  for (const Scheme s : {Scheme::hp, Scheme::hpaio, Scheme::hpfax}) {
    if (scheme == to_string(s)) return s;
    if (iequals(scheme, to_string(s))) fail(text, "the scheme must be lowercase, got " + quoted(scheme));
  }
  fail(text, "unknown scheme " + quoted(scheme) + " (expected hp, hpaio or hpfax)");
}

Bus parse_bus(std::string_view text, std::string_view bus) {
  if (bus.empty()) fail(text, "missing bus after the first '/' (expected net, usb or par)");
  for (const Bus b : {Bus::net, Bus::usb, Bus::par}) {
    if (iequals(bus, to_string(b))) return b;
  }
  fail(text, "unknown bus " + quoted(bus) + " (expected net, usb or par)");
}

// Parameters each bus takes besides unknown ones.
bool valid_on(Bus bus, std::string_view lower_name) {
  switch (bus) {
    case Bus::net:
      return lower_name == "ip" || lower_name == "hostname" || lower_name == "zc" || lower_name == "port" ||
             lower_name == "queue";
    case Bus::usb: return lower_name == "serial";
    case Bus::par: return lower_name == "device";
  }
  return false;
}

bool known_param(std::string_view lower_name) {
  return valid_on(Bus::net, lower_name) || valid_on(Bus::usb, lower_name) || valid_on(Bus::par, lower_name);
}

}  // namespace

std::string_view to_string(Scheme scheme) {
  switch (scheme) {
    case Scheme::none: return "";
    case Scheme::hp: return "hp";
    case Scheme::hpaio: return "hpaio";
    case Scheme::hpfax: return "hpfax";
  }
  return "";
}

std::string_view to_string(Bus bus) {
  switch (bus) {
    case Bus::net: return "net";
    case Bus::usb: return "usb";
    case Bus::par: return "par";
  }
  return "";
}

std::string NetHost::resolver_name() const {
  switch (kind) {
    case Kind::ipv6: return zone.empty() ? name : name + "%" + zone;
    case Kind::mdns:
      return ends_with_local(strip_trailing_dot(name)) ? name : std::string(strip_trailing_dot(name)) + ".local";
    case Kind::ipv4:
    case Kind::hostname: break;
  }
  return name;
}

DeviceUri DeviceUri::parse(std::string_view text) {
  if (text.empty()) throw UriError("device URI '': it is empty");
  if (const auto bad = std::find_if(text.begin(), text.end(), is_control_or_space); bad != text.end()) {
    fail(text, "white space or a control character at offset " + std::to_string(bad - text.begin()));
  }

  DeviceUri uri;
  std::string_view rest = text;
  if (rest.front() != '/') {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon > rest.find('/')) {
      fail(text, "expected '<scheme>:/<bus>/<model>?<parameters>' or a SANE name '/<bus>/<model>?<parameters>'");
    }
    uri.scheme_ = parse_scheme(text, rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
    if (rest.empty() || rest.front() != '/') fail(text, "expected '/' after the scheme");
  }
  rest.remove_prefix(1);  // the '/' before the bus

  const std::size_t bus_end = rest.find_first_of("/?");
  uri.bus_text_ = rest.substr(0, bus_end);
  uri.bus_ = parse_bus(text, uri.bus_text_);
  if (bus_end == std::string_view::npos || rest[bus_end] != '/') {
    fail(text, "expected '/<model>' after the bus " + quoted(uri.bus_text_));
  }
  rest.remove_prefix(bus_end + 1);

  const std::size_t question = rest.find('?');
  uri.model_ = rest.substr(0, question);
  if (uri.model_.empty()) fail(text, "the model token is empty");
  if (uri.model_.front() == '/' || uri.model_.back() == '/') {
    fail(text, "the model token " + quoted(uri.model_) + " starts or ends with '/'");
  }
  if (question == std::string_view::npos) fail(text, "no '?' and parameters after the model token");
  rest.remove_prefix(question + 1);
  if (rest.empty()) fail(text, "no parameters after '?'");

  std::vector<std::string> seen;  // lowercase names
  while (true) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (pair.empty()) fail(text, "empty parameter (a stray '&')");
    const std::size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    if (eq == std::string_view::npos) fail(text, "parameter " + quoted(name) + " has no '=<value>'");
    if (name.empty()) fail(text, "parameter " + quoted(pair) + " has no name");
    if (!std::all_of(name.begin(), name.end(), is_param_name_char)) {
      fail(text, "invalid parameter name " + quoted(name) + " (only letters, digits, '-', '.' and '_')");
    }
    const std::string_view value = pair.substr(eq + 1);
    if (value.empty()) fail(text, "parameter " + quoted(name) + " has an empty value");
    if (value.find('?') != std::string_view::npos) fail(text, "parameter " + quoted(name) + " contains a second '?'");

    std::string lower = ascii_lower(name);
    if (std::find(seen.begin(), seen.end(), lower) != seen.end()) {
      fail(text, "parameter " + quoted(name) + " is given more than once");
    }
    if (known_param(lower) && !valid_on(uri.bus_, lower)) {
      fail(text,
           "parameter " + quoted(name) + " is not valid on /" + std::string(hpaio::to_string(uri.bus_)) + "/ URIs");
    }

    std::optional<NetHost> host;
    if (lower == "ip") {
      host = parse_ip(text, name, value);
    } else if (lower == "hostname") {
      host = parse_host_name(text, name, value, NetHost::Kind::hostname);
    } else if (lower == "zc") {
      host = parse_host_name(text, name, value, NetHost::Kind::mdns);
    } else if (lower == "port") {
      if (value.size() != 1 || value[0] < '1' || value[0] > '4') {
        fail(text, "port must be 1..4, got " + quoted(value));
      }
      uri.port_ = value[0] - '0';
    } else if (lower == "queue") {
      if (iequals(value, "false")) {
        uri.queue_ = false;
      } else if (!iequals(value, "true")) {
        fail(text, "queue must be 'false' or 'true', got " + quoted(value));
      }
    }
    if (host) {
      if (uri.host_) {
        fail(text, "more than one host parameter (" + std::string(host_params_hint) + "), second is " + quoted(name));
      }
      uri.host_ = std::move(host);
    }

    seen.push_back(std::move(lower));
    uri.params_.push_back(QueryParam{std::string(name), std::string(value)});
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }

  switch (uri.bus_) {
    case Bus::net:
      if (!uri.host_) fail(text, "no host parameter (" + std::string(host_params_hint) + ")");
      break;
    case Bus::usb:
      if (!uri.serial()) fail(text, "no serial= parameter (a /usb/ URI needs one)");
      break;
    case Bus::par:
      if (!uri.device()) fail(text, "no device= parameter (a /par/ URI needs one)");
      break;
  }
  return uri;
}

DeviceUri DeviceUri::make_net(std::string_view model, HostParam param, std::string_view host, int port, bool queue,
                              Scheme scheme) {
  std::string text = std::string(hpaio::to_string(scheme)) + (scheme == Scheme::none ? "" : ":") + "/net/";
  text += model;
  switch (param) {
    case HostParam::ip: {
      text += "?ip=";
      const std::size_t percent = host.find('%');
      text += host.substr(0, percent);
      if (percent != std::string_view::npos) {
        text += "%25";
        text += host.substr(percent + 1);
      }
      break;
    }
    case HostParam::hostname:
      text += "?hostname=";
      text += host;
      break;
    case HostParam::zc:
      text += "?zc=";
      text += host;
      break;
  }
  if (port != 1) text += "&port=" + std::to_string(port);
  if (!queue) text += "&queue=false";
  return parse(text);
}

DeviceUri DeviceUri::make_usb(std::string_view model, std::string_view serial, Scheme scheme) {
  std::string text = std::string(hpaio::to_string(scheme)) + (scheme == Scheme::none ? "" : ":") + "/usb/";
  text += model;
  text += "?serial=";
  text += serial;
  return parse(text);
}

DeviceUri DeviceUri::make_par(std::string_view model, std::string_view device, Scheme scheme) {
  std::string text = std::string(hpaio::to_string(scheme)) + (scheme == Scheme::none ? "" : ":") + "/par/";
  text += model;
  text += "?device=";
  text += device;
  return parse(text);
}

std::optional<std::string_view> DeviceUri::param(std::string_view name) const {
  const auto it =
      std::find_if(params_.begin(), params_.end(), [&](const QueryParam& p) { return iequals(p.name, name); });
  if (it == params_.end()) return std::nullopt;
  return std::string_view(it->value);
}

DeviceIdentity DeviceUri::identity() const {
  DeviceIdentity id{bus_, {}, 1};
  switch (bus_) {
    case Bus::net: {
      id.port = port_;
      const NetHost& host = *host_;
      switch (host.kind) {
        case NetHost::Kind::ipv4:
        case NetHost::Kind::ipv6:
          id.key = canonical_address(*parse_address(host.name));
          if (!host.zone.empty()) id.key += "%" + host.zone;
          break;
        case NetHost::Kind::hostname:
          if (const auto address = parse_address(strip_trailing_dot(host.name))) {
            id.key = canonical_address(*address);
          } else {
            id.key = ascii_lower(strip_trailing_dot(host.name));
          }
          break;
        case NetHost::Kind::mdns: id.key = ascii_lower(strip_trailing_dot(host.resolver_name())); break;
      }
      break;
    }
    case Bus::usb: id.key = ascii_lower(model_) + "/" + std::string(*serial()); break;
    case Bus::par: id.key = std::string(*device()); break;
  }
  return id;
}

std::string DeviceUri::format(Scheme scheme) const {
  std::string text(hpaio::to_string(scheme));
  if (scheme != Scheme::none) text += ':';
  text += '/';
  text += bus_text_;
  text += '/';
  text += model_;
  char separator = '?';
  for (const QueryParam& p : params_) {
    text += separator;
    text += p.name;
    text += '=';
    text += p.value;
    separator = '&';
  }
  return text;
}

std::string DeviceUri::to_string() const { return format(scheme_); }

DeviceUri DeviceUri::with_scheme(Scheme scheme) const {
  DeviceUri uri = *this;
  uri.scheme_ = scheme;
  return uri;
}

std::ostream& operator<<(std::ostream& out, const DeviceUri& uri) { return out << uri.to_string(); }

}  // namespace hpaio

std::size_t std::hash<hpaio::DeviceIdentity>::operator()(const hpaio::DeviceIdentity& id) const noexcept {
  std::size_t h = std::hash<std::string>{}(id.key);
  h ^= (static_cast<std::size_t>(id.bus) * 31 + static_cast<std::size_t>(id.port)) + 0x9e3779b97f4a7c15ULL + (h << 6) +
       (h >> 2);
  return h;
}
