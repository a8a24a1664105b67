// The SANE C entry points of the hpaio backend: a thin shell over Backend and Session.
// The dll meta-backend finds them as sane_hpaio_*; nothing else is exported (see exports.map).
#include <sane/sane.h>

#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "backend/sane/backend_config.hpp"
#include "backend/sane/hplip_library.hpp"
#include "backend/sane/session.hpp"
#include "base/debug_log.hpp"
#include "base/module_loader.hpp"
#include "hpaio/discovery/discovery.hpp"
#include "hpaio/discovery/sources_module.hpp"

namespace hpaio::backend {
namespace {

constexpr SANE_Int version_major = 1;
constexpr SANE_Int version_minor = 0;
constexpr SANE_Int version_build = 0;

// What lives between sane_init and sane_exit: the configuration, the device discovery (its
// sources keep their threads and recent results here) and the last device list (SANE requires
// that list to stay valid until the next sane_get_devices or sane_exit).
//
// local_only is not "no network devices", as it is in HPLIP: saned always asks with local_only
// set, and its clients should see the network devices this host can reach. Configured devices are
// always listed; discovered ones unless hpaio.conf says `discovery off`. The listing never takes
// longer than `listing-timeout`.
class Backend {
 public:
  Backend() : config_(BackendConfig::load()) {
    for (const std::string& w : config_.warnings) debug(log_error, w);
  }

  const BackendConfig& config() const { return config_; }

  // HPLIP's backend, loaded on first need; null (with `error`) when it is off or not installed.
  const HplipApi* hplip(std::string& error) {
    if (!config_.hplip) {
      error = "handing names to HPLIP's backend is off (hpaio.conf: hplip off)";
      return nullptr;
    }
    return hplip_.api(error);
  }

  const SANE_Device** devices(bool local_only) {
    std::lock_guard lock(mutex_);
    debug(log_info, std::string("sane_get_devices: local_only=") + (local_only ? "true" : "false"));
    if (!discovery_) discovery_.emplace(discovery_options(config_));
    listed_ = discovery_->list();
    entries_.clear();
    for (const hpaio::ListedDevice& d : listed_) {
      entries_.push_back(SANE_Device{d.name.c_str(), "Hewlett-Packard", d.model.c_str(), "all-in-one"});
      debug(log_info, "device " + d.name + " (" + d.model + ", from " + std::string(hpaio::to_string(d.source)) + ")");
    }
    list_.clear();
    for (SANE_Device& e : entries_) list_.push_back(&e);
    add_hplip_devices();
    list_.push_back(nullptr);
    return list_.data();
  }

 private:
  static hpaio::DiscoveryOptions discovery_options(const BackendConfig& c) {
    hpaio::DiscoveryOptions o;
    o.configured = c.devices;
    o.network = c.discovery;
    o.deadline = c.listing_timeout;
    o.freshness = c.listing_cache;
    o.log = [](int level, std::string_view message) { debug(level, message); };
    if (o.network) {
      std::string error;
      auto* entry = module_function<hpaio::NetworkSourcesEntry>(hpaio::network_sources_module,
                                                                hpaio::network_sources_symbol, error);
      if (entry != nullptr) {
        entry(o.sources);
        if (!c.ws_discovery) {
          std::erase_if(o.sources, [](const hpaio::DiscoverySource& s) { return s.name == hpaio::wsd_source_name; });
        }
      } else {
        debug(log_error, "no network discovery (only hpaio.conf devices are listed): " + error);
      }
    }
    return o;
  }

  // The local devices (USB, parallel port) HPLIP's backend lists, when it is installed where the
  // package moved it. Its network devices are ours to list.
  void add_hplip_devices() {
    if (!config_.hplip || !std::filesystem::exists(config_.hplip_library)) return;
    std::string error;
    const HplipApi* api = hplip_.api(error);
    if (api == nullptr) {
      debug(log_error, error);
      return;
    }
    const SANE_Device** theirs = nullptr;
    if (api->get_devices(&theirs, SANE_TRUE) != SANE_STATUS_GOOD || theirs == nullptr) return;
    for (const SANE_Device** d = theirs; *d != nullptr; ++d) {
      const std::string_view name = (*d)->name ? (*d)->name : "";
      if (!name.starts_with("/usb/") && !name.starts_with("/par/")) continue;
      list_.push_back(*d);  // valid until HPLIP's next sane_get_devices, which only our next listing calls
      debug(log_info, "device " + std::string(name) + " (from HPLIP's backend)");
    }
  }

  BackendConfig config_;
  HplipLibrary hplip_{config_.hplip_library};
  // Made at the first listing, which loads the network sources: scanning alone never maps them.
  std::optional<hpaio::DeviceDiscovery> discovery_;
  std::mutex mutex_;
  std::vector<hpaio::ListedDevice> listed_;
  std::vector<SANE_Device> entries_;
  std::vector<const SANE_Device*> list_;
};

// The one thing the C API forces to be process-wide: which Backend sane_init made.
std::unique_ptr<Backend>& backend() {
  static std::unique_ptr<Backend> instance;
  return instance;
}

// What a SANE handle of ours is: a session of this backend, or a handle of HPLIP's backend, whose
// entry points then serve it.
struct Handle {
  std::unique_ptr<Session> session;
  const HplipApi* hplip = nullptr;
  SANE_Handle theirs = nullptr;
};

Handle* handle_of(SANE_Handle h) { return static_cast<Handle*>(h); }

template <typename F>
SANE_Status guarded(const char* what, F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return SANE_STATUS_NO_MEM;  // nothing that allocates
  } catch (const std::exception& e) {
    debug(log_error, std::string(what) + ": " + e.what());
    return to_sane(status_of(e));
  } catch (...) {
    return SANE_STATUS_IO_ERROR;
  }
}

}  // namespace
}  // namespace hpaio::backend

using namespace hpaio::backend;
using hpaio::debug;
using hpaio::log_error;
using hpaio::log_info;

extern "C" {

SANE_Status sane_hpaio_init(SANE_Int* version_code, SANE_Auth_Callback) {
  if (version_code) *version_code = SANE_VERSION_CODE(version_major, version_minor, version_build);
  return guarded("sane_init", [] {
    backend() = std::make_unique<Backend>();
    hpaio::debug(hpaio::log_info,
                 "sane_init: hpaio " + std::to_string(version_major) + "." + std::to_string(version_minor));
    return SANE_STATUS_GOOD;
  });
}

void sane_hpaio_exit(void) { backend().reset(); }

SANE_Status sane_hpaio_get_devices(const SANE_Device*** device_list, SANE_Bool local_only) {
  return guarded("sane_get_devices", [&] {
    if (!device_list) return SANE_STATUS_INVAL;
    if (!backend()) backend() = std::make_unique<Backend>();
    *device_list = backend()->devices(local_only == SANE_TRUE);
    return SANE_STATUS_GOOD;
  });
}

SANE_Status sane_hpaio_open(SANE_String_Const name, SANE_Handle* handle) {
  return guarded("sane_open", [&] {
    if (!name || !handle) return SANE_STATUS_INVAL;
    if (!backend()) backend() = std::make_unique<Backend>();
    // An empty name is the first configured device (saned passes it on for "net:host").
    std::string device = name;
    if (device.empty() && !backend()->config().devices.empty()) device = backend()->config().devices.front();
    auto out = std::make_unique<Handle>();
    SANE_Status status = Session::open(device, backend()->config(), out->session);
    if (status == SANE_STATUS_GOOD) {
      debug(log_info, "sane_open: " + device + " is served by this backend");
      *handle = out.release();
      return status;
    }
    // Not ours to scan (a USB name, a model of another protocol that answers neither of ours):
    // HPLIP's backend, when it is installed, gets the name as it came.
    if (status == SANE_STATUS_CANCELLED || !hplip_serves(device)) return status;
    std::string error;
    const HplipApi* hplip = backend()->hplip(error);
    if (hplip == nullptr) {
      debug(log_error, "sane_open: " + device + " needs HPLIP's backend: " + error);
      return status;
    }
    out->session.reset();
    status = hplip->open(device.c_str(), &out->theirs);
    debug(log_info, "sane_open: " + device + " is served by HPLIP's backend (" + std::to_string(status) + ")");
    if (status != SANE_STATUS_GOOD) return status;
    out->hplip = hplip;
    *handle = out.release();
    return status;
  });
}

void sane_hpaio_close(SANE_Handle h) {
  Handle* handle = handle_of(h);
  if (handle && handle->hplip) handle->hplip->close(handle->theirs);
  delete handle;
}

const SANE_Option_Descriptor* sane_hpaio_get_option_descriptor(SANE_Handle h, SANE_Int option) {
  Handle* handle = handle_of(h);
  if (!handle) return nullptr;
  if (handle->hplip) return handle->hplip->get_option_descriptor(handle->theirs, option);
  return handle->session->descriptor(option);
}

SANE_Status sane_hpaio_control_option(SANE_Handle h, SANE_Int option, SANE_Action action, void* value, SANE_Int* info) {
  Handle* handle = handle_of(h);
  if (handle && handle->hplip) return handle->hplip->control_option(handle->theirs, option, action, value, info);
  return guarded("sane_control_option",
                 [&] { return handle ? handle->session->control(option, action, value, info) : SANE_STATUS_INVAL; });
}

SANE_Status sane_hpaio_get_parameters(SANE_Handle h, SANE_Parameters* params) {
  Handle* handle = handle_of(h);
  if (handle && handle->hplip) return handle->hplip->get_parameters(handle->theirs, params);
  return guarded("sane_get_parameters",
                 [&] { return handle ? handle->session->parameters(params) : SANE_STATUS_INVAL; });
}

SANE_Status sane_hpaio_start(SANE_Handle h) {
  Handle* handle = handle_of(h);
  if (handle && handle->hplip) return handle->hplip->start(handle->theirs);
  return guarded("sane_start", [&] { return handle ? handle->session->start() : SANE_STATUS_INVAL; });
}

SANE_Status sane_hpaio_read(SANE_Handle h, SANE_Byte* data, SANE_Int max_length, SANE_Int* length) {
  Handle* handle = handle_of(h);
  if (handle && handle->hplip) return handle->hplip->read(handle->theirs, data, max_length, length);
  return guarded("sane_read",
                 [&] { return handle ? handle->session->read(data, max_length, length) : SANE_STATUS_INVAL; });
}

void sane_hpaio_cancel(SANE_Handle h) {
  Handle* handle = handle_of(h);  // async-signal-safe: no allocation, no lock
  if (!handle) return;
  if (handle->hplip) {
    handle->hplip->cancel(handle->theirs);
  } else {
    handle->session->cancel();
  }
}

SANE_Status sane_hpaio_set_io_mode(SANE_Handle h, SANE_Bool non_blocking) {
  Handle* handle = handle_of(h);
  if (handle && handle->hplip) return handle->hplip->set_io_mode(handle->theirs, non_blocking);
  return guarded("sane_set_io_mode",
                 [&] { return handle ? handle->session->set_io_mode(non_blocking == SANE_TRUE) : SANE_STATUS_INVAL; });
}

SANE_Status sane_hpaio_get_select_fd(SANE_Handle h, SANE_Int* fd) {
  Handle* handle = handle_of(h);
  if (handle && handle->hplip) return handle->hplip->get_select_fd(handle->theirs, fd);
  return guarded("sane_get_select_fd", [&] { return handle ? handle->session->get_select_fd(fd) : SANE_STATUS_INVAL; });
}

}  // extern "C"
