#include "base/cancel_signal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace hpaio {

static_assert(std::atomic<bool>::is_always_lock_free, "raise() must be async-signal-safe");

CancelSignal::CancelSignal() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  read_fd_ = fds[0];
  write_fd_ = fds[1];
}

CancelSignal::~CancelSignal() {
  ::close(read_fd_);
  ::close(write_fd_);
}

void CancelSignal::raise() noexcept {
  raised_.store(true, std::memory_order_release);
  int saved = errno;  // a signal handler must leave errno as it found it
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(write_fd_, &byte, 1);  // a full pipe is already readable
  errno = saved;
}

void CancelSignal::reset() noexcept {
  raised_.store(false, std::memory_order_release);
  char buf[64];
  while (::read(read_fd_, buf, sizeof buf) > 0) {
  }
}

}  // namespace hpaio
