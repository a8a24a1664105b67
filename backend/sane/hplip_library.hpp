// HPLIP's own hpaio backend, for the device names this backend does not serve: USB and
// parallel-port devices, and network models whose models.dat scan-type is neither LEDM nor eSCL
// (SCL and PML over JetDirect; SOAP, SOAPHT and Marvell with HP's plug-in) when they answer neither
// protocol. Installing hpaio moves HPLIP's libsane-hpaio.so.1 to a private path (the package
// diverts it there, so HPLIP's upgrades land there too); it is loaded from there on the first name
// that needs it, with its symbols kept to itself (RTLD_LOCAL, RTLD_DEEPBIND: both libraries export
// sane_hpaio_*), and initialised once. Its handles are used through its own entry points.
#pragma once

#include <sane/sane.h>

#include <mutex>
#include <string>
#include <string_view>

namespace hpaio::backend {

// HPLIP's entry points.
struct HplipApi {
  SANE_Status (*init)(SANE_Int*, SANE_Auth_Callback) = nullptr;
  void (*exit)() = nullptr;
  SANE_Status (*get_devices)(const SANE_Device***, SANE_Bool) = nullptr;
  SANE_Status (*open)(SANE_String_Const, SANE_Handle*) = nullptr;
  void (*close)(SANE_Handle) = nullptr;
  const SANE_Option_Descriptor* (*get_option_descriptor)(SANE_Handle, SANE_Int) = nullptr;
  SANE_Status (*control_option)(SANE_Handle, SANE_Int, SANE_Action, void*, SANE_Int*) = nullptr;
  SANE_Status (*get_parameters)(SANE_Handle, SANE_Parameters*) = nullptr;
  SANE_Status (*start)(SANE_Handle) = nullptr;
  SANE_Status (*read)(SANE_Handle, SANE_Byte*, SANE_Int, SANE_Int*) = nullptr;
  void (*cancel)(SANE_Handle) = nullptr;
  SANE_Status (*set_io_mode)(SANE_Handle, SANE_Bool) = nullptr;
  SANE_Status (*get_select_fd)(SANE_Handle, SANE_Int*) = nullptr;
};

class HplipLibrary {
 public:
  // `path`: HPLIP's libsane-hpaio.so.1 (hpaio.conf `hplip-library`).
  explicit HplipLibrary(std::string path) : path_(std::move(path)) {}
  ~HplipLibrary();  // sane_exit()s HPLIP's backend if it was initialised; the library stays mapped
  HplipLibrary(const HplipLibrary&) = delete;
  HplipLibrary& operator=(const HplipLibrary&) = delete;

  // Loads and initialises HPLIP's backend once; null, with `error` saying why, when it cannot.
  const HplipApi* api(std::string& error);

 private:
  std::string path_;
  std::mutex mutex_;
  bool tried_ = false;
  bool ready_ = false;
  std::string error_;
  HplipApi api_;
};

// Whether a device name is HPLIP's to serve once ours failed to open it: a USB or parallel-port
// name, or a network model that models.dat gives another protocol than LEDM or eSCL (and a scanner).
bool hplip_serves(std::string_view name);

}  // namespace hpaio::backend
