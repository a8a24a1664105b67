// A network scanner as the session drives it: one protocol (LEDM or eSCL) behind one interface.
// Implementations hold the device's HTTP connection; all their waits have deadlines and end when
// the session's CancelSignal is raised.
#pragma once

#include <sane/sane.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "backend/http_client.hpp"
#include "backend/page_decoder.hpp"
#include "backend/scan_request.hpp"
#include "backend/scanner_capabilities.hpp"

namespace hpaio::backend {

// A scan that cannot go on, with the SANE status that says why.
class ScanFailure : public std::runtime_error {
 public:
  ScanFailure(SANE_Status status, const std::string& what) : std::runtime_error(what), status_(status) {}
  SANE_Status status() const { return status_; }

 private:
  SANE_Status status_;
};

// The SANE status for a transport failure.
SANE_Status status_for(const HttpError& e);

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
