// Time for every wait: a monotonic clock, and deadlines on it.
#pragma once

#include <algorithm>
#include <chrono>

namespace hpaio {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

inline Deadline deadline_in(std::chrono::milliseconds d) { return Clock::now() + d; }

// What is left of `deadline`, in whole milliseconds, never negative.
inline std::chrono::milliseconds time_left(Deadline deadline, Clock::time_point now = Clock::now()) {
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
}

}  // namespace hpaio
