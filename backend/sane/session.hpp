// One open device handle: options, parameters and the scan state. The SANE entry points are a
// thin shell over this class; several sessions, to several devices, live side by side.
//
// Cancel: sane_cancel may come from a signal handler (scanimage's SIGINT) or another thread, so
// cancel() only raises the session's CancelSignal, which ends any network wait at once. The rest
// (telling the device, forgetting the page) happens on the next call that is not a signal handler:
// read() returns SANE_STATUS_CANCELLED, and start()/close() finish the cleanup.
#pragma once

#include <sane/sane.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/driver/page_pump.hpp"
#include "backend/driver/scanner.hpp"
#include "backend/image/page_decoder.hpp"
#include "backend/sane/backend_config.hpp"
#include "backend/sane/sane_status.hpp"
#include "backend/sane/scan_options.hpp"
#include "base/cancel_signal.hpp"
#include "hpaio/names/device_uri.hpp"

namespace hpaio::backend {

class Session {
 public:
  // Opens the device named `name` ("/net/<model>?ip=...", as sane_open gets it).
  static SANE_Status open(std::string_view name, const BackendConfig& config, std::unique_ptr<Session>& out);
  ~Session();

  const SANE_Option_Descriptor* descriptor(int index) const { return options_->descriptor(index); }
  SANE_Status control(int index, SANE_Action action, void* value, SANE_Int* info);
  SANE_Status parameters(SANE_Parameters* p) const;
  SANE_Status start();
  SANE_Status read(SANE_Byte* data, SANE_Int max, SANE_Int* length);
  void cancel() noexcept { cancel_.raise(); }  // async-signal-safe
  SANE_Status set_io_mode(bool non_blocking);
  SANE_Status get_select_fd(SANE_Int* fd);

 private:
  Session(DeviceUri uri, Timeouts timeouts);
  void finish_cancel();  // after cancel(): device told, page dropped, signal cleared
  void stop_pump();      // a page still moving is abandoned (through the CancelSignal)
  SANE_Status fail(Status status, const std::string& why);

  DeviceUri uri_;
  Timeouts timeouts_;
  CancelSignal cancel_;
  std::unique_ptr<Scanner> scanner_;
  std::unique_ptr<ScanOptions> options_;

  // The page being delivered.
  std::optional<ScanRequest> request_;  // set from sane_start to the end of the batch
  std::unique_ptr<PagePump> pump_;      // from sane_start to the end of the page (its frame's height too)
  bool non_blocking_ = false;
};

}  // namespace hpaio::backend
