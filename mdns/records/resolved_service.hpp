// One DNS-SD service instance as a resolver reports it: what discovery turns into a device.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mdns/records/txt_record.hpp"

namespace hpaio::mdns {

struct ResolvedService {
  std::string type;       // "_uscan._tcp"
  std::string name;       // instance name, "HP OfficeJet Pro 9010 [ABC123]"
  std::string host_name;  // "HPABC123.local"
  std::string address;    // "10.0.0.5", "fe80::1" (no zone)
  bool ipv6 = false;
  std::string zone;  // interface name of a link-local IPv6 address ("eth0"), else empty
  std::uint16_t port = 0;
  TxtRecord txt;
  // The other types the same instance name was found under, not resolved again: a device publishes
  // all its services under one name ("_scanner._tcp" when `type` is "_uscan._tcp").
  std::vector<std::string> also_types;
};

}  // namespace hpaio::mdns
