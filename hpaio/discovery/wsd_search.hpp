// Finding WS-Scan devices over WS-Discovery: one round of Probes (wsdd/udp_probe.hpp), multicast on
// every multicast-capable interface or sent to given addresses, and a WS-Transfer Get (SOAP 1.2 over
// HTTP POST) on the XAddrs of each device as soon as it answers, each Get on a thread of its own, so
// a slow device does not hold up the others. A device that answers on several interfaces or
// families (the same endpoint address) is one device, asked once.
#pragma once

#include <string>
#include <vector>

#include "base/cancel_signal.hpp"
#include "base/clock.hpp"
#include "hpaio/discovery/wsd_device.hpp"

namespace hpaio {

struct WsdSearchResult {
  std::vector<WsdDevice> devices;    // those whose metadata was read, in the order they answered
  std::string error;                 // what went wrong on the way (no interface, a Get that failed), or empty
  int answers = 0;                   // devices that answered the Probe
  std::vector<std::string> sent_on;  // where the Probe went: "lo (IPv4)", "eth0 (IPv6)", "192.0.2.5"
};

// Answers to the Probe are taken until `answers_until`; the Gets end by `deadline`; everything ends
// at once when `cancel` (may be null) is raised. With `unicast` addresses (literals, a link-local one
// with its zone), the Probe goes to them instead, and the search ends at the first device's answer.
WsdSearchResult search_wsd(const std::vector<std::string>& unicast, Deadline answers_until, Deadline deadline,
                           const CancelSignal* cancel);

}  // namespace hpaio
