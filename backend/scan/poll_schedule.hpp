// How long to wait before asking a device again whether a page is ready: short at first (a
// page is often ready within a few hundred milliseconds), then longer, so that a device that
// needs tens of seconds is not flooded.
#pragma once

#include <algorithm>
#include <chrono>

namespace hpaio::backend {

class PollSchedule {
 public:
  PollSchedule(std::chrono::milliseconds first, std::chrono::milliseconds longest) : next_(first), longest_(longest) {}

  // The wait before the next question; each is twice the last, up to `longest`.
  std::chrono::milliseconds next() {
    std::chrono::milliseconds now = next_;
    next_ = std::min(next_ * 2, longest_);
    return now;
  }

 private:
  std::chrono::milliseconds next_;
  std::chrono::milliseconds longest_;
};

}  // namespace hpaio::backend
