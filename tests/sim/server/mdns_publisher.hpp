// Optional DNS-SD publication through the Avahi daemon (--mdns): _uscan._tcp for eSCL
// profiles and _scanner._tcp for all, with HP's TXT keys (lowercase "uuid" on _uscan), on the
// plain port; with an HTTPS listener (--https), _uscans._tcp on its port with _uscan's TXT.
// By default the services carry the daemon's own host name; with --mdns-host NAME the device
// publishes its own address record NAME.local -> listen address (no reverse PTR, so several
// devices may share an address) and its services name that host, so two simulators on one
// daemon look like two devices.
// Run it only inside a private network namespace (see tests/integration/lib.sh).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/sim/core/profiles.hpp"

namespace hpsim {

using TxtRecord = std::vector<std::pair<std::string, std::string>>;

// The TXT records published for a profile (pure; unit-tested).
TxtRecord uscan_txt(const Profile& p);
TxtRecord scanner_txt(const Profile& p);
std::string mdns_instance_name(const Profile& p);

// One DNS-SD service of the device.
struct MdnsService {
  std::string type;  // "_uscan._tcp"
  std::uint16_t port = 0;
  TxtRecord txt;
};
// The services a device publishes (pure; unit-tested): on `port` (0: no plain listener)
// _uscan._tcp (eSCL profiles, and LEDM ones with also_escl) and _scanner._tcp; on `tls_port`
// (0: none) _uscans._tcp (the same), with the TXT records of _uscan._tcp.
std::vector<MdnsService> mdns_services(const Profile& p, std::uint16_t port, std::uint16_t tls_port);

// --mdns-host: the device's own host name and the addresses it stands for: the first listen
// address, then every --mdns-address (a device publishes its IPv4 and its link-local IPv6 address).
struct MdnsHost {
  std::string name;                    // fully qualified: "hpaio-sim-1.local"
  std::vector<std::string> addresses;  // "127.0.0.2", "::1", "fe80::2%lo" (link-local: with its interface)
};
// One address to publish: "fe80::2%lo" -> {"fe80::2", "lo"}; "127.0.0.2" -> {"127.0.0.2", ""}.
// nullopt when the text is no IPv4 or IPv6 address, or a zone is given to anything but an IPv6 one.
struct MdnsAddress {
  std::string address;
  std::string interface;  // empty: every interface
};
std::optional<MdnsAddress> parse_mdns_address(const std::string& text);
// "NAME" -> "NAME.local"; a name that already has a dot (and no trailing one) is kept.
std::string mdns_host_name(std::string name);

class MdnsPublisher {
 public:
  // nullptr and *error set when Avahi is unavailable (no daemon, or built without libavahi-client),
  // or when the daemon refuses a record. host: publish under this host name (--mdns-host).
  // The services are mdns_services(p, port, tls_port).
  static std::unique_ptr<MdnsPublisher> create(const Profile& p, std::uint16_t port,
                                               const std::optional<MdnsHost>& host, std::string* error,
                                               std::uint16_t tls_port = 0);
  virtual ~MdnsPublisher() = default;
};

}  // namespace hpsim
