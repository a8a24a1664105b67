// Wakes a blocked network wait from another thread or from a signal handler (scanimage calls
// sane_cancel from its SIGINT handler).
#pragma once

#include <atomic>

namespace hpaio {

class CancelSignal {
 public:
  CancelSignal();  // throws std::system_error when no pipe can be made
  ~CancelSignal();
  CancelSignal(const CancelSignal&) = delete;
  CancelSignal& operator=(const CancelSignal&) = delete;

  // Async-signal-safe: sets the flag and makes fd() readable.
  void raise() noexcept;
  bool raised() const noexcept { return raised_.load(std::memory_order_acquire); }
  // Clears the flag and drains the pipe. Not for signal handlers.
  void reset() noexcept;
  // Readable while raised.
  int fd() const noexcept { return read_fd_; }

 private:
  std::atomic<bool> raised_{false};
  int read_fd_ = -1;
  int write_fd_ = -1;
};

}  // namespace hpaio
