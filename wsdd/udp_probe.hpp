// One round of WS-Discovery over UDP: a Probe (probe_message.hpp) multicast to 239.255.255.250 and
// ff02::c, port 3702, on every interface that is up and multicast-capable (lo only when its
// MULTICAST flag is on: the tests set it, machines normally do not), or sent to given addresses;
// sent again once after `repeat`, as UDP may lose it. The ProbeMatches answering this Probe are
// handed over as they arrive. Waits end by the deadline, or at once when `cancel` is raised; a
// datagram that is not a ProbeMatches for this Probe (garbage, truncated, someone else's) is
// counted and dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/cancel_signal.hpp"
#include "base/clock.hpp"
#include "wsdd/probe_message.hpp"

namespace hpaio::wsdd {

struct ProbeOptions {
  std::string message_id;  // of the Probe ("urn:uuid:..."); only answers relating to it count
  // Send to these addresses (IPv4 or IPv6 literals, a link-local one with its zone, "fe80::1%eth0")
  // instead of multicasting.
  std::vector<std::string> unicast;
  std::uint16_t port = discovery_port;
  std::chrono::milliseconds repeat{250};
};

struct ProbeAnswer {
  ProbeMatch match;
  std::string from;       // the sender's address, "192.0.2.5" or "fe80::1%eth0"
  std::string interface;  // the interface the Probe went out on ("eth0"); for an address, its zone's, if any
};

struct ProbeReport {
  std::vector<std::string> sent_on;  // "lo (IPv4)", "eth0 (IPv6)", "192.0.2.5"
  int answers = 0;                   // ProbeMatches for this Probe
  int dropped = 0;                   // other datagrams
  std::string error;                 // why nothing could be sent; empty when something was
};

// Probes until `deadline` (or `cancel`, which may be null), calling `on_answer` on this thread for
// each ProbeMatch of each answer; the round ends early when `on_answer` returns false.
ProbeReport probe(const ProbeOptions& options, Deadline deadline, const CancelSignal* cancel,
                  const std::function<bool(ProbeAnswer)>& on_answer);

}  // namespace hpaio::wsdd
