// Optional DNS-SD publication through the Avahi daemon (--mdns): _uscan._tcp for eSCL
// profiles and _scanner._tcp for all, with HP's TXT keys (lowercase "uuid" on _uscan).
// Run it only inside a private network namespace (see tests/integration/lib.sh).
#pragma once

#include "profiles.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hpsim {

using TxtRecord = std::vector<std::pair<std::string, std::string>>;

// The TXT records published for a profile (pure; unit-tested).
TxtRecord uscan_txt(const Profile& p);
TxtRecord scanner_txt(const Profile& p);
std::string mdns_instance_name(const Profile& p);

class MdnsPublisher {
public:
    // nullptr and *error set when Avahi is unavailable (no daemon, or built without libavahi-client).
    static std::unique_ptr<MdnsPublisher> create(const Profile& p, std::uint16_t port, std::string* error);
    virtual ~MdnsPublisher() = default;
};

}  // namespace hpsim
