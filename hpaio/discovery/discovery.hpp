// The device listing behind sane_get_devices: hpaio.conf devices, CUPS queues and mDNS, the network
// sources queried in parallel on their own threads, merged by merge_devices().
//
// Time: list() returns within `deadline` whatever the sources do. Each source is given a Deadline a
// little before the listing's, so its result arrives in time. A source still running then is not
// waited for: its previous result (if any) is used, and its new result is kept for the next
// listing. Results younger than `freshness` are reused without asking again. The destructor raises
// the sources' CancelSignal and joins their threads; a thread still stuck after 200 ms (inside
// libdbus, whose own timeout is 25 s, when the Avahi daemon hangs) is detached instead.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/cancel_signal.hpp"
#include "base/clock.hpp"
#include "hpaio/discovery/device_listing.hpp"
#include "models/model_resolver.hpp"

namespace hpaio {

// A network source: finds candidates by `deadline`, returning early when `cancel` (never null) is
// raised; `error` says why it found nothing, what went wrong on the way, or how the search ended
// (logged as info).
struct DiscoverySource {
  std::string name;
  std::function<std::vector<DeviceCandidate>(Deadline deadline, const CancelSignal* cancel, std::string& error)> find;
};

struct DiscoveryOptions {
  std::vector<std::string> configured;  // hpaio.conf `device` lines, always listed
  bool network = true;                  // hpaio.conf `discovery on|off`
  // Asked when `network` is on: network_sources() (network_sources.hpp), or fakes in tests.
  std::vector<DiscoverySource> sources;
  std::chrono::milliseconds deadline{1500};  // how long list() takes at most
  std::chrono::milliseconds freshness{5000};
  // Debug output (level as SANE_DEBUG: 1 errors, 3 info); may be empty.
  std::function<void(int level, std::string_view message)> log;
};

class DeviceDiscovery {
 public:
  explicit DeviceDiscovery(DiscoveryOptions options);
  ~DeviceDiscovery();
  DeviceDiscovery(const DeviceDiscovery&) = delete;
  DeviceDiscovery& operator=(const DeviceDiscovery&) = delete;

  std::vector<ListedDevice> list();

 private:
  class Source;
  void log(int level, std::string_view message) const;

  DiscoveryOptions options_;
  std::vector<std::unique_ptr<Source>> sources_;
  bool resolver_loaded_ = false;
  std::optional<models::ModelResolver> resolver_;  // over the installed models.dat, made once
};

}  // namespace hpaio
