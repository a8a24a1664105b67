// hpaio.conf, found as SANE backends find their configuration: in each directory of
// SANE_CONFIG_DIR (':'-separated; a trailing ':' adds the default), else /etc/sane.d.
//
//   # comment
//   connect-timeout 5          seconds to open a connection to a device
//   request-timeout 20         seconds for a device to answer a request
//   page-timeout 120           seconds for a device to get a page ready (warm-up, 503s, polling)
//   device hpaio:/net/...      a device to list (and to open by name); repeatable
//   discovery off              do not look for devices on the network (default on)
//   ws-discovery off           leave WS-Discovery out of it (default on; it waits 0.6 s for answers)
//   listing-timeout 1.5        seconds a device listing (sane_get_devices) may take at most
//   listing-cache 5            seconds a listing's network results are reused
//   hplip off                  never hand a name to HPLIP's backend (default on)
//   hplip-library PATH         where HPLIP's libsane-hpaio.so.1 was moved (hplip_library.hpp)
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace hpaio::backend {

struct BackendConfig {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{20000};
  std::chrono::milliseconds page_timeout{120000};
  std::vector<std::string> devices;
  bool discovery = true;
  bool ws_discovery = true;
  std::chrono::milliseconds listing_timeout{1500};
  std::chrono::milliseconds listing_cache{5000};
  bool hplip = true;
  std::string hplip_library = HPAIO_HPLIP_LIBRARY;
  std::vector<std::string> warnings;  // lines that were not understood

  static BackendConfig parse(std::string_view text);
  // Reads hpaio.conf from the SANE configuration path; defaults when there is none.
  static BackendConfig load();
};

// The directories SANE backends read configuration from, in order.
std::vector<std::filesystem::path> sane_config_dirs();

}  // namespace hpaio::backend
