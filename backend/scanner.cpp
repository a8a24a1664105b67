#include "backend/scanner.hpp"

namespace hpaio::backend {

SANE_Status status_for(const HttpError& e) {
  return e.kind() == HttpError::Kind::cancelled ? SANE_STATUS_CANCELLED : SANE_STATUS_IO_ERROR;
}

}  // namespace hpaio::backend
