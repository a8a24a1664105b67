// The SANE shell's one translation of how an operation ended (base/status.hpp) into SANE_Status.
#pragma once

#include <sane/sane.h>

#include "base/status.hpp"

namespace hpaio::backend {

static_assert(SANE_STATUS_GOOD == static_cast<int>(Status::good) &&
                  SANE_STATUS_UNSUPPORTED == static_cast<int>(Status::unsupported) &&
                  SANE_STATUS_CANCELLED == static_cast<int>(Status::cancelled) &&
                  SANE_STATUS_DEVICE_BUSY == static_cast<int>(Status::device_busy) &&
                  SANE_STATUS_INVAL == static_cast<int>(Status::invalid) &&
                  SANE_STATUS_EOF == static_cast<int>(Status::eof) &&
                  SANE_STATUS_JAMMED == static_cast<int>(Status::jammed) &&
                  SANE_STATUS_NO_DOCS == static_cast<int>(Status::no_docs) &&
                  SANE_STATUS_COVER_OPEN == static_cast<int>(Status::cover_open) &&
                  SANE_STATUS_IO_ERROR == static_cast<int>(Status::io_error) &&
                  SANE_STATUS_NO_MEM == static_cast<int>(Status::no_mem) &&
                  SANE_STATUS_ACCESS_DENIED == static_cast<int>(Status::access_denied),
              "hpaio::Status numbers are the SANE standard's");

inline SANE_Status to_sane(Status status) { return static_cast<SANE_Status>(status); }

}  // namespace hpaio::backend
