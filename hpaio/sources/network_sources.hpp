// The listing's network sources: CUPS print queues (libcups), mDNS (Avahi) and WS-Discovery
// (hpaio/discovery/wsd_search.hpp: UDP Probes, then a WS-Transfer Get on each device). They live apart
// from the rest of discovery because of what they link: the backend loads them, as the module
// libhpaio-network-sources.so (network_sources_module.cpp), only when a frontend asks for a
// device list, so scanning never maps libcups, GnuTLS, Kerberos, Avahi or D-Bus.
#pragma once

#include <vector>

#include "hpaio/discovery/sources_module.hpp"

namespace hpaio {

std::vector<DiscoverySource> network_sources();

}  // namespace hpaio
