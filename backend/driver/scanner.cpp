#include "backend/driver/scanner.hpp"

#include <new>

namespace hpaio::backend {

Status status_of(const std::exception& e) {
  if (const auto* f = dynamic_cast<const ScanFailure*>(&e)) return f->status();
  if (const auto* h = dynamic_cast<const HttpError*>(&e)) {
    return h->kind() == HttpError::Kind::cancelled ? Status::cancelled : Status::io_error;
  }
  if (dynamic_cast<const std::bad_alloc*>(&e)) return Status::no_mem;
  return Status::io_error;  // ProtocolError, ImageError, and whatever else stopped a scan
}

}  // namespace hpaio::backend
