// The listing's network sources, from the module libhpaio-network-sources.so (see
// hpaio/network_sources.hpp), loaded on first use: from the directory this library was loaded
// from, else from HPAIO_MODULE_DIR (the install location). The module stays loaded for the life
// of the process (a source's thread may outlive a listing).
#pragma once

#include <string>
#include <vector>

#include "hpaio/discovery.hpp"

namespace hpaio::backend {

// Empty, with `error` saying why, when the module cannot be loaded.
std::vector<DiscoverySource> load_network_sources(std::string& error);

}  // namespace hpaio::backend
