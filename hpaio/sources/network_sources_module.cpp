// libhpaio-network-sources.so: network_sources() for a dlopen()ing backend.
#include "hpaio/sources/network_sources.hpp"

extern "C" __attribute__((visibility("default"))) void hpaio_network_sources_v1(
    std::vector<hpaio::DiscoverySource>& out) {
  out = hpaio::network_sources();
}

static_assert(std::is_same_v<decltype(hpaio_network_sources_v1), hpaio::NetworkSourcesEntry>);
