// WS-Discovery (2005/04) and the WS-Transfer Get of a WS-Scan device's metadata (devprof 2006/02):
// Probe -> ProbeMatches naming the device's XAddrs, and Get -> the metadata whose Hosted service
// (types wscn:ScannerServiceType) is the scan service at Profile::wsd_path (/scanner). Pure: messages in, messages out;
// the UDP socket is the server's (server/wsd_discovery_responder.*).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tests/sim/core/profiles.hpp"

namespace hpsim {

inline constexpr const char* kWsdDiscoveryNs = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
inline constexpr const char* kDevprofNs = "http://schemas.xmlsoap.org/ws/2006/02/devprof";
inline constexpr const char* kMexNs = "http://schemas.xmlsoap.org/ws/2004/09/mex";
inline constexpr const char* kWsdProbeAction = "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe";
inline constexpr const char* kWsdProbeMatchesAction = "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches";
inline constexpr const char* kTransferGetAction = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get";
inline constexpr const char* kTransferGetResponseAction = "http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse";
inline constexpr const char* kWsdMulticastV4 = "239.255.255.250";
inline constexpr const char* kWsdMulticastV6 = "ff02::c";
inline constexpr unsigned short kWsdDiscoveryPort = 3702;
// The path of the device's own endpoint (its XAddr), where the metadata Get is answered.
inline constexpr const char* kWsdDevicePath = "/device";

// The device's WS-Discovery endpoint address: urn:uuid:<profile uuid>.
std::string wsd_endpoint(const Profile& p);

// "[fe80::2%lo]:3911" -> "[fe80::2]:3911": a device names its link-local address without a zone
// (the zone is the receiver's interface, which only the receiver knows); others are unchanged.
std::string without_zone(std::string_view authority);

// The ProbeMatches answer to a Probe datagram, or nullopt when it is not a Probe or asks for types
// the device is not (matched: wsdp:Device and wscn:ScanDeviceType, by their namespace URI when the
// prefix is declared in the Probe, else by local name). `authority` is the device's "ADDR:PORT";
// the XAddr is http://authority/device, without a link-local address's zone. `message_number` counts the device's
// discovery messages.
std::optional<std::string> wsd_probe_matches(std::string_view probe, const Profile& p, std::string_view authority,
                                             unsigned message_number);

// The GetResponse to a WS-Transfer Get: ThisModel, ThisDevice and a Relationship whose Hosted
// service is http://authority<Profile::wsd_path> (wscn:ScannerServiceType).
std::string wsd_metadata(const Profile& p, std::string_view authority, std::string_view relates_to,
                         std::string_view message_id);

}  // namespace hpsim
