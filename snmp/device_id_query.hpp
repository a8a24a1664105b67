// HP's device ID (OID 1.3.6.1.4.1.11.2.3.9.1.1.7.0, an IEEE-1284 string) by SNMP GET, as HPLIP asks
// for it (jd.c device_id, reference §3.2): SNMPv1 with the JetDirect port's community ("public"
// for port 1, "public.2", "public.3"), then "public.1"; then the same over SNMPv2c.
//
// Unlike HPLIP the attempts go out together and the answer of the first attempt in that order that
// answers wins (the later ones only once the earlier ones failed), so a device without SNMP costs
// one timeout, not four. Everything ends by the deadline, and at once when the CancelSignal is
// raised (its fd is in the select set).
//
// The UDP port: `udp_port` when given, else net-snmp's default (161, or `defaultPort` of an
// snmp.conf on SNMPCONFPATH). snmp_port_from_env() reads HPAIO_SNMP_PORT for tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/cancel_signal.hpp"
#include "base/clock.hpp"

namespace hpaio::snmp {

inline constexpr const char* device_id_oid = "1.3.6.1.4.1.11.2.3.9.1.1.7.0";

enum class Version { v1, v2c };

struct Attempt {
  Version version = Version::v1;
  std::string community;
  friend bool operator==(const Attempt&, const Attempt&) = default;
};

// "public" for JetDirect port 1, "public.<n>" for the others.
std::string jetdirect_community(int port);
// The attempts in order of preference (no duplicates).
std::vector<Attempt> device_id_attempts(int jetdirect_port);

struct DeviceIdQuery {
  std::string address;  // an IPv4 or IPv6 literal (IPv6 with "%zone" allowed); names are not resolved
  int jetdirect_port = 1;
  std::optional<std::uint16_t> udp_port;
};

struct DeviceIdAnswer {
  std::string device_id;
  Attempt attempt;
};

struct DeviceIdResult {
  std::optional<DeviceIdAnswer> answer;
  std::string error;  // why there is no answer
};

// `cancel` may be null.
DeviceIdResult query_device_id(const DeviceIdQuery& query, Deadline deadline, const CancelSignal* cancel = nullptr);

// HPAIO_SNMP_PORT, when it holds a port number.
std::optional<std::uint16_t> snmp_port_from_env();

}  // namespace hpaio::snmp
