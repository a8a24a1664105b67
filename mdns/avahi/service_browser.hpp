// DNS-SD through the Avahi daemon (libavahi-client over the D-Bus system bus): browse service types
// and resolve each service, or resolve one host name. Every call ends by its deadline, and at once
// when its CancelSignal is raised (the poll watches the signal's fd).
//
// Browsing ends early, before the deadline, once each browser has reported CACHE_EXHAUSTED or
// ALL_FOR_NOW (or failed) and no resolve is pending. Avahi's CACHE_EXHAUSTED comes within
// milliseconds, after the services the daemon already has in its cache (sent first, as NEW);
// ALL_FOR_NOW only after about 1 s, when the daemon has also asked the network. So:
// - warm cache: some browser got a NEW before its CACHE_EXHAUSTED, i.e. the daemon answered from
//   its cache. The browse ends as soon as every browser has finished and every service is
//   resolved (`from_cache`); devices that answer the network later are found by the next listing.
// - cold cache: nothing came from the cache. The browse also waits until `settle` has passed since
//   the start, so devices have time to answer the daemon's queries.
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
#include "mdns/records/resolved_service.hpp"

namespace hpaio::mdns {

struct BrowseOptions {
  std::vector<std::string> types;
  std::chrono::milliseconds settle{250};  // cold cache: the least a browse waits for answers
  bool ipv6 = true;                       // also browse and resolve over IPv6
};

struct BrowseResult {
  std::vector<ResolvedService> services;
  std::string error;        // why there are no results (no daemon, ...), empty otherwise
  bool complete = false;    // every browser finished before the deadline
  bool from_cache = false;  // complete as soon as the daemon's cache answered, without waiting `settle`
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
