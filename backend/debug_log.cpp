#include "backend/debug_log.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace hpaio::backend {

int debug_level() {
  static const int level = [] {
    const char* v = std::getenv("SANE_DEBUG_HPAIO");
    return v ? std::atoi(v) : 0;
  }();
  return level;
}

void debug(int level, std::string_view message) {
  if (level > debug_level()) return;
  std::string line = "[hpaio] ";
  line.append(message);
  line.push_back('\n');
  // One write per line, so lines from several handles do not interleave.
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
}

std::string_view status_name(SANE_Status status) {
  switch (status) {
    case SANE_STATUS_GOOD: return "Success";
    case SANE_STATUS_UNSUPPORTED: return "Operation not supported";
    case SANE_STATUS_CANCELLED: return "Operation was cancelled";
    case SANE_STATUS_DEVICE_BUSY: return "Device busy";
    case SANE_STATUS_INVAL: return "Invalid argument";
    case SANE_STATUS_EOF: return "End of file reached";
    case SANE_STATUS_JAMMED: return "Document feeder jammed";
    case SANE_STATUS_NO_DOCS: return "Document feeder out of documents";
    case SANE_STATUS_COVER_OPEN: return "Scanner cover is open";
    case SANE_STATUS_IO_ERROR: return "Error during device I/O";
    case SANE_STATUS_NO_MEM: return "Out of memory";
    case SANE_STATUS_ACCESS_DENIED: return "Access to resource has been denied";
  }
  return "Unknown SANE status code";
}

}  // namespace hpaio::backend
