#include "wsdd/probe_message.hpp"

#include <algorithm>
#include <charconv>

#include "base/ascii.hpp"
#include "hpaio/xml/soap_body.hpp"
#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpaio::wsdd {
namespace {

using xml::Element;

// The WS-Discovery "To" of a multicast Probe.
constexpr std::string_view discovery_urn = "urn:schemas-xmlsoap-org:ws:2005:04:discovery";

bool url_char_ok(char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; }

}  // namespace

std::string probe_message(std::string_view message_id) {
  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soap:Envelope xmlns:soap=\"";
  out += ns::soap12;
  out += "\" xmlns:wsa=\"";
  out += ns::wsa;
  out += "\" xmlns:wsd=\"";
  out += ns::ws_discovery;
  out += "\" xmlns:wscn=\"";
  out += ns::wsd_scan;
  out += "\"><soap:Header><wsa:To>";
  out += discovery_urn;
  out += "</wsa:To><wsa:Action>";
  out += action_probe;
  out += "</wsa:Action><wsa:MessageID>";
  out += message_id;
  out +=
      "</wsa:MessageID></soap:Header><soap:Body><wsd:Probe><wsd:Types>wscn:ScanDeviceType</wsd:Types>"
      "</wsd:Probe></soap:Body></soap:Envelope>\n";
  return out;
}

std::optional<XAddr> parse_xaddr(std::string_view url) {
  if (url.empty() || !std::all_of(url.begin(), url.end(), url_char_ok)) return std::nullopt;
  XAddr x;
  x.url = std::string(url);
  std::string_view rest;
  if (istarts_with(url, "http://")) {
    rest = url.substr(7);
  } else if (istarts_with(url, "https://")) {
    rest = url.substr(8);
    x.tls = true;
    x.port = 443;
  } else {
    return std::nullopt;
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  x.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string host(authority.substr(1, close - 1));
    // RFC 6874: the zone of a link-local address is written %25eth0 in a URL.
    if (const std::size_t z = host.find("%25"); z != std::string::npos) host.erase(z + 1, 2);
    x.host = std::move(host);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return std::nullopt;
      port = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.find(':');
    x.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (x.host.empty()) return std::nullopt;
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) return std::nullopt;
    x.port = static_cast<std::uint16_t>(value);
  }
  return x;
}

std::optional<ProbeMatches> parse_probe_matches(std::string_view datagram, std::string* error) {
  const auto fail = [&](std::string why) -> std::optional<ProbeMatches> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  // A datagram is at most 64 KiB; so is what is parsed of it.
  std::string why;
  const std::optional<Element> root = xml::try_parse(datagram, &why, xml::Limits{65536, 32});
  if (!root) return fail(why);
  const Element* body = xml::soap_body(*root);
  if (body == nullptr) return fail("not a SOAP envelope");
  const Element* matches = body->child(ns::ws_discovery, "ProbeMatches");
  if (matches == nullptr) return fail("not a ProbeMatches");
  ProbeMatches out;
  if (const Element* header = root->child(root->ns(), "Header")) {
    out.relates_to = std::string(trim_blanks(header->child_text(ns::wsa, "RelatesTo").value_or("")));
  }
  for (const Element* m : matches->children(ns::ws_discovery, "ProbeMatch")) {
    if (out.matches.size() >= kMaxProbeMatches) break;
    ProbeMatch match;
    if (const Element* epr = m->child(ns::wsa, "EndpointReference")) {
      match.endpoint = std::string(trim_blanks(epr->child_text(ns::wsa, "Address").value_or("")));
    }
    if (match.endpoint.empty()) continue;
    if (const Element* types = m->child(ns::ws_discovery, "Types")) {
      for (const auto& [uri, local] : types->text_qnames()) {
        if (local == "ScanDeviceType" &&
            std::find(ns::wsd_scan_any.begin(), ns::wsd_scan_any.end(), uri) != ns::wsd_scan_any.end()) {
          match.scanner = true;
        }
      }
    }
    const std::string xaddrs = m->child_text(ns::ws_discovery, "XAddrs").value_or("");
    std::string_view rest = xaddrs;
    while (!rest.empty() && match.xaddrs.size() < kMaxXAddrs) {
      const std::size_t begin = rest.find_first_not_of(" \t\r\n");
      if (begin == std::string_view::npos) break;
      rest.remove_prefix(begin);
      const std::size_t end = std::min(rest.find_first_of(" \t\r\n"), rest.size());
      if (auto x = parse_xaddr(rest.substr(0, end))) match.xaddrs.push_back(std::move(*x));
      rest.remove_prefix(end);
    }
    out.matches.push_back(std::move(match));
  }
  return out;
}

}  // namespace hpaio::wsdd
