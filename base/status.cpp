#include "base/status.hpp"

namespace hpaio {

std::string_view status_name(Status status) {
  switch (status) {
    case Status::good: return "Success";
    case Status::unsupported: return "Operation not supported";
    case Status::cancelled: return "Operation was cancelled";
    case Status::device_busy: return "Device busy";
    case Status::invalid: return "Invalid argument";
    case Status::eof: return "End of file reached";
    case Status::jammed: return "Document feeder jammed";
    case Status::no_docs: return "Document feeder out of documents";
    case Status::cover_open: return "Scanner cover is open";
    case Status::io_error: return "Error during device I/O";
    case Status::no_mem: return "Out of memory";
    case Status::access_denied: return "Access to resource has been denied";
  }
  return "Unknown status";
}

}  // namespace hpaio
