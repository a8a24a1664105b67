#include "backend/page_pump.hpp"

#include "backend/debug_log.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace hpaio::backend {
namespace {

constexpr std::size_t input_chunk = 64 * 1024;
constexpr std::size_t output_chunk = 64 * 1024;
constexpr int pipe_size = 1 << 20;  // fewer wake-ups; the kernel may give less

}  // namespace

PagePump::PagePump(Scanner& scanner, std::unique_ptr<PageDecoder> decoder, const CancelSignal& cancel)
    : scanner_(scanner), decoder_(std::move(decoder)), cancel_(cancel) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  ::fcntl(write_fd_, F_SETPIPE_SZ, pipe_size);
  ::fcntl(write_fd_, F_SETFL, O_NONBLOCK);  // the thread waits in poll(), where a cancel reaches it
  thread_ = std::thread([this] { run(); });
}

PagePump::~PagePump() {
  finish();
  ::close(read_fd_);
}

void PagePump::set_non_blocking(bool on) {
  int flags = ::fcntl(read_fd_, F_GETFL);
  ::fcntl(read_fd_, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

PagePump::Read PagePump::read(SANE_Byte* data, SANE_Int max, SANE_Int* length) {
  *length = 0;
  for (;;) {
    ssize_t n = ::read(read_fd_, data, static_cast<std::size_t>(max));
    if (n > 0) {
      *length = static_cast<SANE_Int>(n);
      return Read::data;
    }
    if (n == 0) return Read::end;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Read::would_block;
    if (errno != EINTR) return Read::end;  // finish() has the thread's reason
    // EINTR: a signal (scanimage's SIGINT handler cancels); read again, the pump ends soon.
  }
}

PagePump::Outcome PagePump::finish() {
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  return outcome_;
}

bool PagePump::write_all(const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    if (cancel_.raised()) return false;
    ssize_t n = ::write(write_fd_, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EPIPE) return false;
    if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
    // The frontend has not read yet: wait for room, or for a cancel.
    pollfd p[2] = {{write_fd_, POLLOUT, 0}, {cancel_.fd(), POLLIN, 0}};
    ::poll(p, 2, -1);
  }
  return true;
}

void PagePump::drain() {
  // What the device still sends of a page whose image is complete keeps the connection usable;
  // a device that then breaks off (or lied about the length) has still delivered the image.
  std::vector<std::uint8_t> sink(input_chunk);
  try {
    for (int i = 0; i < 4096 && scanner_.read_page(sink) > 0; ++i) {
    }
  } catch (const HttpError& e) {
    if (e.kind() == HttpError::Kind::cancelled) throw;
    debug(log_info, std::string("after the image: ") + e.what());
  }
}

void PagePump::run() {
  Outcome result;
  try {
    std::vector<std::uint8_t> input(input_chunk);
    std::vector<std::uint8_t> output(output_chunk);
    for (;;) {
      std::size_t n = decoder_->read(output);
      if (n > 0) {
        if (!write_all(output.data(), n)) {
          result = {SANE_STATUS_CANCELLED, "cancelled"};
          break;
        }
        continue;
      }
      if (decoder_->finished()) {
        bool truncated = decoder_->truncated();
        drain();
        if (truncated) result = {SANE_STATUS_IO_ERROR, "the page ended before its image did (padded with white)"};
        break;
      }
      std::size_t got = scanner_.read_page(input);
      if (got == 0) {
        decoder_->end_of_input();
      } else {
        decoder_->push(std::span<const std::uint8_t>(input.data(), got));
      }
    }
  } catch (const HttpError& e) {
    result = {status_for(e), e.what()};
  } catch (const ImageError& e) {
    result = {SANE_STATUS_IO_ERROR, e.what()};
  } catch (const std::exception& e) {
    result = {SANE_STATUS_IO_ERROR, e.what()};
  }
  if (cancel_.raised() && result.status != SANE_STATUS_EOF) result = {SANE_STATUS_CANCELLED, "cancelled"};
  {
    std::lock_guard lock(mutex_);
    outcome_ = std::move(result);
  }
  ::close(write_fd_);  // the reader sees the end of the page
}

}  // namespace hpaio::backend
