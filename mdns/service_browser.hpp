// DNS-SD through the Avahi daemon (libavahi-client over the D-Bus system bus): browse service types
// and resolve each service, or resolve one host name. Every call ends by its deadline.
//
// Browsing ends early, as soon as each browser has reported CACHE_EXHAUSTED or ALL_FOR_NOW, no
// resolve is pending and `settle` has passed since the start: Avahi's CACHE_EXHAUSTED comes within
// milliseconds when the daemon already knows the services, ALL_FOR_NOW only after about 1 s.
// Without a daemon (or without a system bus) the calls return at once with `error` set: never an
// abort, and no attempt to start the daemon.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mdns/txt_record.hpp"

namespace hpaio::mdns {

struct ResolvedService {
  std::string type;       // "_uscan._tcp"
  std::string name;       // instance name, "HP OfficeJet Pro 9010 [ABC123]"
  std::string host_name;  // "HPABC123.local"
  std::string address;    // "10.0.0.5", "fe80::1" (no zone)
  bool ipv6 = false;
  std::string zone;  // interface name of a link-local IPv6 address ("eth0"), else empty
  std::uint16_t port = 0;
  TxtRecord txt;
};

struct BrowseOptions {
  std::vector<std::string> types;
  std::chrono::milliseconds timeout{1500};
  std::chrono::milliseconds settle{250};
  bool ipv6 = true;  // also browse and resolve over IPv6
};

struct BrowseResult {
  std::vector<ResolvedService> services;
  std::string error;      // why there are no results (no daemon, ...), empty otherwise
  bool complete = false;  // every browser finished before the deadline
};

// `stop`, when given and set, ends the browse early (checked every 50 ms).
BrowseResult browse(const BrowseOptions& options, const std::atomic<bool>* stop = nullptr);

struct HostAddress {
  std::string address;
  bool ipv6 = false;
  std::string zone;
};

// "name.local" to an address through Avahi (IPv4 preferred); nullopt when not found in time.
std::optional<HostAddress> resolve_host_name(const std::string& name, std::chrono::milliseconds timeout,
                                             std::string* error = nullptr);

}  // namespace hpaio::mdns
