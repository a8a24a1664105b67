// One device WS-Discovery found, as the listing sees it (hpaio/discovery/wsd_search.hpp finds them).
#pragma once

#include <string>
#include <vector>

#include "wsdd/device_metadata.hpp"

namespace hpaio {

struct WsdDevice {
  std::string endpoint;                // its WS-Discovery endpoint address, "urn:uuid:..."
  std::vector<std::string> addresses;  // where it answered: "192.0.2.5", "fe80::5%eth0" (zone of the interface)
  wsdd::DeviceMetadata metadata;       // what its WS-Transfer Get answered
};

}  // namespace hpaio
