// Time for every wait: a monotonic clock, and deadlines on it.
#pragma once

#include <algorithm>
#include <chrono>
#include <climits>

namespace hpaio {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

inline Deadline deadline_in(std::chrono::milliseconds d) { return Clock::now() + d; }

// What is left of `deadline`, in whole milliseconds, never negative.
inline std::chrono::milliseconds time_left(Deadline deadline, Clock::time_point now = Clock::now()) {
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
}

// What is left of `deadline` as a poll(2) timeout: milliseconds rounded up, so that a wait never
// ends before the deadline (and is not retried with 0 ms, spinning, until it comes); 0 once it
// has passed.
inline int poll_timeout_ms(Deadline deadline, Clock::time_point now = Clock::now()) {
  if (deadline <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  return static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX));
}

}  // namespace hpaio
