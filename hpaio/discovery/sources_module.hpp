// How the backend finds the listing's network sources (hpaio/sources/network_sources.hpp) in
// the module libhpaio-network-sources.so, which it loads only when a frontend asks for a device
// list, so that scanning never maps libcups, Avahi or D-Bus.
#pragma once

#include <string_view>
#include <vector>

#include "hpaio/discovery/discovery.hpp"

namespace hpaio {

// The module's one exported symbol (C linkage, for dlsym). Both sides are built from this tree by
// the same compiler, so C++ types may cross.
extern "C" using NetworkSourcesEntry = void(std::vector<DiscoverySource> & out);
inline constexpr const char* network_sources_module = "libhpaio-network-sources.so";
inline constexpr const char* network_sources_symbol = "hpaio_network_sources_v1";
// The name of the WS-Discovery source among them (hpaio.conf `ws-discovery off` leaves it out).
inline constexpr std::string_view wsd_source_name = "WS-Discovery";

}  // namespace hpaio
