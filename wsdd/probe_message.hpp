// WS-Discovery (2005/04) messages as a client exchanges them: the Probe it multicasts for scanners,
// and the ProbeMatches devices answer with (their endpoint address and the XAddrs where their
// metadata is served). Pure: no sockets. Answers are read by namespace URI, SOAP 1.2 or 1.1 alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpaio::wsdd {

// Where Probes go: UDP port 3702 of these groups (IPv6: link-local scope, on each interface).
inline constexpr std::uint16_t discovery_port = 3702;
inline constexpr std::string_view multicast_ipv4 = "239.255.255.250";
inline constexpr std::string_view multicast_ipv6 = "ff02::c";

inline constexpr std::string_view action_probe = "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe";
inline constexpr std::string_view action_probe_matches = "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches";

// A Probe datagram for devices of type wscn:ScanDeviceType (WS-Scan), SOAP 1.2. `message_id` is a
// "urn:uuid:..." URI (answers name it in RelatesTo); it is written as it is.
std::string probe_message(std::string_view message_id);

// An address a device serves its metadata at: an http or https URL with a host and a path.
struct XAddr {
  std::string url;   // as the device wrote it, "http://192.0.2.10:3911/device"
  std::string host;  // "192.0.2.10", "fe80::1%eth0" (an IPv6 literal without brackets, zone unescaped), or a name
  std::uint16_t port = 80;
  std::string path = "/";
  bool tls = false;
};

// `url` split into its parts; nullopt for another scheme, an empty host, a bad port or characters
// that have no place in a URL (controls, white space).
std::optional<XAddr> parse_xaddr(std::string_view url);

struct ProbeMatch {
  std::string endpoint;       // EndpointReference/Address, "urn:uuid:...": the same on every interface
  std::vector<XAddr> xaddrs;  // the usable XAddrs, in the device's order
  bool scanner = false;       // Types names wscn:ScanDeviceType
};

// What one datagram may name: more is left out (an answer is one device, or a few on a gateway;
// a datagram naming hundreds would make the listing open hundreds of connections).
inline constexpr std::size_t kMaxProbeMatches = 16;
inline constexpr std::size_t kMaxXAddrs = 8;

struct ProbeMatches {
  std::string relates_to;  // the MessageID of the Probe answered
  std::vector<ProbeMatch> matches;
};

// The ProbeMatches in a datagram. nullopt (with `error`) when it is not XML, not a SOAP envelope,
// or its body is not wsd:ProbeMatches; a ProbeMatch without an endpoint address is left out, and so
// are the ProbeMatches after kMaxProbeMatches and the XAddrs after kMaxXAddrs.
std::optional<ProbeMatches> parse_probe_matches(std::string_view datagram, std::string* error = nullptr);

}  // namespace hpaio::wsdd
