// Debug output as every SANE backend does it: SANE_DEBUG_HPAIO=N prints messages of level <= N
// to stderr, prefixed with "[hpaio] ".
#pragma once

#include <sane/sane.h>

#include <string_view>

namespace hpaio::backend {

// Levels, as SANE backends use them.
inline constexpr int log_error = 1;
inline constexpr int log_info = 3;
inline constexpr int log_protocol = 5;
inline constexpr int log_trace = 8;

// The level from SANE_DEBUG_HPAIO, read once.
int debug_level();
void debug(int level, std::string_view message);
// "Document feeder out of documents" and the like, for debug lines.
std::string_view status_name(SANE_Status status);

}  // namespace hpaio::backend
