// A network scanner as the session drives it: one protocol (LEDM or eSCL) behind one interface.
// Implementations hold the device's HTTP connection; all their waits have deadlines and end when
// the session's CancelSignal is raised.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "backend/http/http_client.hpp"
#include "backend/image/page_decoder.hpp"
#include "backend/scan/scan_request.hpp"
#include "backend/scan/scanner_capabilities.hpp"
#include "base/status.hpp"

namespace hpaio::backend {

// The one map from what stopped a scan (ScanFailure, HttpError, ProtocolError, ImageError,
// std::bad_alloc, ...) to the status the frontend gets.
Status status_of(const std::exception& e);

struct Timeouts {
  std::chrono::milliseconds connect{5000};
  std::chrono::milliseconds request{20000};
  std::chrono::milliseconds page{120000};
};

class Scanner {
 public:
  virtual ~Scanner() = default;
  virtual std::string_view protocol() const = 0;  // "LEDM", "eSCL"
  virtual const ScannerCapabilities& capabilities() const = 0;
  // The protocol carries a JPEG quality the device honours.
  virtual bool quality_supported() const = 0;

  // Creates a job on the device for `request` (throws ScanFailure).
  virtual void start_job(const ScanRequest& request) = 0;
  // Waits for the job's next page and opens its data; nullopt when the job has no more pages.
  virtual std::optional<PageSource> next_page() = 0;
  // Bytes of the open page; 0 at its end.
  virtual std::size_t read_page(std::span<std::uint8_t> out) = 0;
  // The job still runs on the device (a page may follow, or it was interrupted).
  virtual bool job_active() const = 0;
  // Cancels the active job on the device (short deadline, never throws) and forgets it.
  virtual void cancel_job() = 0;
  // Forgets the job without telling the device (it ended by itself).
  virtual void forget_job() = 0;
};

}  // namespace hpaio::backend
