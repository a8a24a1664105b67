// The listing's network sources: CUPS print queues (libcups) and mDNS (Avahi). They live apart
// from the rest of discovery because of what they link: the backend loads them, as the module
// libhpaio-network-sources.so (network_sources_module.cpp), only when a frontend asks for a
// device list, so scanning never maps libcups, GnuTLS, Kerberos, Avahi or D-Bus.
#pragma once

#include <vector>

#include "hpaio/discovery.hpp"

namespace hpaio {

std::vector<DiscoverySource> network_sources();

// The module's one exported symbol (C linkage, for dlsym). Both sides are built from this tree by
// the same compiler, so C++ types may cross.
extern "C" using NetworkSourcesEntry = void(std::vector<DiscoverySource> & out);
inline constexpr const char* network_sources_module = "libhpaio-network-sources.so";
inline constexpr const char* network_sources_symbol = "hpaio_network_sources_v1";

}  // namespace hpaio
