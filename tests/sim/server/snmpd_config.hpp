// An snmpd.conf that makes the real net-snmp agent answer like the profile's device.
#pragma once

#include <string>

#include "tests/sim/core/profiles.hpp"

namespace hpsim {

inline constexpr const char* kHpDeviceIdOid = ".1.3.6.1.4.1.11.2.3.9.1.1.7.0";

// Loopback only (udp:127.0.0.1:PORT), community "public", HP's device-ID OID overridden with
// the profile's IEEE-1284 device ID.
// `persistent_dir`, when given, keeps snmpd's state files out of /var/lib/snmp.
std::string snmpd_config(const Profile& p, int port, const std::string& persistent_dir = {});

}  // namespace hpsim
