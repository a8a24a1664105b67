// How an operation ended, in the SANE standard's terms but without <sane/sane.h>: every layer
// below the SANE shell speaks Status, and the shell turns it into SANE_Status in one place
// (backend/sane/sane_status.hpp). The numbers are the SANE standard's.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace hpaio {

enum class Status {
  good = 0,
  unsupported = 1,
  cancelled = 2,
  device_busy = 3,
  invalid = 4,
  eof = 5,
  jammed = 6,
  no_docs = 7,
  cover_open = 8,
  io_error = 9,
  no_mem = 10,
  access_denied = 11,
};

// "Document feeder out of documents" and the like (the words of sane_strstatus), for messages.
std::string_view status_name(Status status);

// A scan that cannot go on, with the status that says why.
class ScanFailure : public std::runtime_error {
 public:
  ScanFailure(Status status, const std::string& what) : std::runtime_error(what), status_(status) {}
  Status status() const { return status_; }

 private:
  Status status_;
};

}  // namespace hpaio
