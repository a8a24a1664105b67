// Debug output as every SANE backend does it: SANE_DEBUG_HPAIO=N prints messages of level <= N
// to stderr, prefixed with "[hpaio] ".
#pragma once

#include <string_view>

namespace hpaio {

// Levels, as SANE backends use them.
inline constexpr int log_error = 1;
inline constexpr int log_info = 3;
inline constexpr int log_protocol = 5;
inline constexpr int log_trace = 8;

// The level from SANE_DEBUG_HPAIO, read once.
int debug_level();
void debug(int level, std::string_view message);

}  // namespace hpaio
