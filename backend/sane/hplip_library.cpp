#include "backend/sane/hplip_library.hpp"

#include <dlfcn.h>

#include "backend/driver/scanner_open.hpp"
#include "base/debug_log.hpp"
#include "hpaio/names/device_uri.hpp"

namespace hpaio::backend {
namespace {

template <typename F>
bool resolve(void* lib, const char* name, F*& out, std::string& missing) {
  out = reinterpret_cast<F*>(dlsym(lib, name));
  if (out == nullptr && missing.empty()) missing = name;
  return out != nullptr;
}

}  // namespace

HplipLibrary::~HplipLibrary() {
  std::lock_guard lock(mutex_);
  if (ready_) api_.exit();
  // Not dlclose()d: HPLIP's backend may leave threads of its libraries behind.
}

const HplipApi* HplipLibrary::api(std::string& error) {
  std::lock_guard lock(mutex_);
  if (!tried_) {
    tried_ = true;
    void* lib = dlopen(path_.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (lib == nullptr) {
      const char* why = dlerror();
      error_ = "HPLIP's backend is not installed at " + path_ + " (" + (why ? why : "not found") + ")";
    } else {
      std::string missing;
      resolve(lib, "sane_hpaio_init", api_.init, missing);
      resolve(lib, "sane_hpaio_exit", api_.exit, missing);
      resolve(lib, "sane_hpaio_get_devices", api_.get_devices, missing);
      resolve(lib, "sane_hpaio_open", api_.open, missing);
      resolve(lib, "sane_hpaio_close", api_.close, missing);
      resolve(lib, "sane_hpaio_get_option_descriptor", api_.get_option_descriptor, missing);
      resolve(lib, "sane_hpaio_control_option", api_.control_option, missing);
      resolve(lib, "sane_hpaio_get_parameters", api_.get_parameters, missing);
      resolve(lib, "sane_hpaio_start", api_.start, missing);
      resolve(lib, "sane_hpaio_read", api_.read, missing);
      resolve(lib, "sane_hpaio_cancel", api_.cancel, missing);
      resolve(lib, "sane_hpaio_set_io_mode", api_.set_io_mode, missing);
      resolve(lib, "sane_hpaio_get_select_fd", api_.get_select_fd, missing);
      if (!missing.empty()) {
        error_ = path_ + " is not a SANE hpaio backend (no " + missing + ")";
      } else {
        SANE_Int version = 0;
        const SANE_Status st = api_.init(&version, nullptr);
        if (st != SANE_STATUS_GOOD) {
          error_ = "HPLIP's backend at " + path_ + " did not initialise (SANE status " + std::to_string(st) + ")";
        } else {
          ready_ = true;
          debug(log_info, "HPLIP's backend loaded from " + path_);
        }
      }
    }
  }
  if (!ready_) error = error_;
  return ready_ ? &api_ : nullptr;
}

bool hplip_serves(std::string_view name) {
  try {
    const DeviceUri uri = DeviceUri::parse(name);
    if (uri.bus() != Bus::net) return true;
    const std::optional<models::ScanType> type = model_scan_type(uri.model());
    if (!type) return false;  // a model HPLIP does not know either
    switch (*type) {
      case models::ScanType::Ledm:
      case models::ScanType::Escl:
      case models::ScanType::None:
      case models::ScanType::NotSupported:
      case models::ScanType::DigitalSender: return false;
      default: return true;
    }
  } catch (const UriError&) {
    return false;
  }
}

}  // namespace hpaio::backend
