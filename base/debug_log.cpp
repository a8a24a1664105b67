#include "base/debug_log.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace hpaio {

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

}  // namespace hpaio
