// DNS-SD through the Avahi daemon (libavahi-client over the D-Bus system bus): browse service types
// and resolve each service, or resolve one host name. Every call ends by its deadline, and at once
// when its CancelSignal is raised (the poll watches the signal's fd).
//
// Browsing ends before the deadline once the browsers have reported what the daemon knows and the
// services found are resolved, or have had their grace to resolve: mdns/avahi/browse_end.hpp says
// when. So:
// - warm cache: some browser got a NEW before its CACHE_EXHAUSTED, i.e. the daemon answered from
//   its cache. The browse ends as soon as every browser has finished and every service is
//   resolved (`from_cache`); devices that answer the network later are found by the next listing.
// - cold cache: nothing came from the cache. The browse also waits until `settle` has passed since
//   the start, so devices have time to answer the daemon's queries.
// - a service that does not resolve (its host has no address record) is left out once the daemon
//   has gone `quiet` after its last answer (or the resolve has had `resolve_wait`), and is named in
//   `unresolved`.
// Each service instance (a name: a device publishes all its services under one) is resolved once
// for each protocol it was found over, whatever the types it was found under (`also_types`): over
// IPv4 to an address of either family, as its host may have only IPv6 addresses (the daemon gives
// the A record when it holds both); over IPv6 to an IPv6 address. A host may so come with several
// addresses; discovery picks one per host.
// Without a daemon (or without a system bus) the calls return at once with `error` set: never an
// abort, and no attempt to start the daemon.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/cancel_signal.hpp"
#include "base/clock.hpp"
#include "mdns/avahi/browse_end.hpp"
#include "mdns/records/resolved_service.hpp"

namespace hpaio::mdns {

struct BrowseOptions {
  std::vector<std::string> types;
  BrowseTimings timings;  // the cold-cache wait, and how long pending resolves may hold the browse
  bool ipv6 = true;       // also browse over IPv6, and resolve to IPv6 addresses
};

struct BrowseResult {
  std::vector<ResolvedService> services;
  std::string error;        // why there are no results (no daemon, ...), empty otherwise
  bool complete = false;    // the browse ended by itself (browse_end.hpp), not by the deadline or a cancel
  bool from_cache = false;  // complete as soon as the daemon's cache answered, without waiting `settle`
  // Services found but not resolved: "<name> (<type>): <why>" (still pending when the browse ended,
  // or the daemon's failure). Their devices are not in `services` unless another of their services
  // resolved.
  std::vector<std::string> unresolved;
  std::chrono::milliseconds slowest_resolve{0};  // the longest a resolve that succeeded took
};

// Ends by `deadline`; `cancel` (may be null), when raised, ends it at once.
BrowseResult browse(const BrowseOptions& options, Deadline deadline, const CancelSignal* cancel = nullptr);

struct HostAddress {
  std::string address;
  bool ipv6 = false;
  std::string zone;
};

// "name.local" to an address through Avahi (IPv4 preferred); nullopt when not found by `deadline`
// or when `cancel` (may be null) is raised.
std::optional<HostAddress> resolve_host_name(const std::string& name, Deadline deadline,
                                             const CancelSignal* cancel = nullptr, std::string* error = nullptr);

}  // namespace hpaio::mdns
