#include "backend/driver/page_pump.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

constexpr std::size_t input_chunk = 64 * 1024;   // each read waits for this much (or the body's end)
constexpr std::size_t decode_chunk = 64 * 1024;  // the ring's slots
constexpr std::size_t ring_size = 4 * decode_chunk;
// Wake-ups cost more than copies: a waiting reader is woken when this much is ready (or the thread
// is about to wait for the device, or the page ends), a waiting thread when this much is free.
constexpr std::size_t wake_batch = ring_size / 2;

void make_pipe(int& read_fd, int& write_fd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  read_fd = fds[0];
  write_fd = fds[1];
}

void put_byte(int fd) {
  char byte = 1;
  while (::write(fd, &byte, 1) < 0 && errno == EINTR) {
  }
}

void take_bytes(int fd) {
  char buf[16];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
}

}  // namespace

PagePump::PagePump(Scanner& scanner, std::unique_ptr<PageDecoder> decoder, const CancelSignal& cancel)
    : scanner_(scanner), decoder_(std::move(decoder)), cancel_(cancel), ring_(ring_size) {
  make_pipe(ready_read_fd_, ready_write_fd_);
  try {
    make_pipe(room_read_fd_, room_write_fd_);
  } catch (...) {
    ::close(ready_read_fd_);
    ::close(ready_write_fd_);
    throw;
  }
  try {
    thread_ = std::thread([this] { run(); });
  } catch (...) {
    for (int fd : {ready_read_fd_, ready_write_fd_, room_read_fd_, room_write_fd_}) ::close(fd);
    throw;
  }
}

PagePump::~PagePump() {
  finish();
  for (int fd : {ready_read_fd_, ready_write_fd_, room_read_fd_, room_write_fd_}) ::close(fd);
}

void PagePump::signal_ready() {
  if (ready_signalled_) return;
  put_byte(ready_write_fd_);
  ready_signalled_ = true;
}

PagePump::Read PagePump::read(std::span<std::uint8_t> out, std::size_t& length) {
  length = 0;
  for (;;) {
    std::size_t at = 0;
    std::size_t n = 0;
    {
      std::lock_guard lock(mutex_);
      if (size_ == 0 && ended_) return Read::end;
      if (size_ > 0) {
        at = head_;
        n = std::min({size_, ring_.size() - head_, out.size()});
      }
    }
    if (n > 0) {
      // [at, at + n) is the reader's until head_ moves past it: the thread only writes free space.
      std::memcpy(out.data(), ring_.data() + at, n);
      std::lock_guard lock(mutex_);
      head_ = (head_ + n) % ring_.size();
      size_ -= n;
      if (size_ == 0 && !ended_ && ready_signalled_) {
        take_bytes(ready_read_fd_);
        ready_signalled_ = false;
      }
      if (producer_waiting_ && ring_.size() - size_ >= wake_batch) {
        producer_waiting_ = false;
        put_byte(room_write_fd_);
      }
      length = n;
      return Read::data;
    }
    if (out.empty()) return Read::data;
    if (non_blocking_) return Read::would_block;
    // Wait for data or the end; the thread always gets there (a cancel ends it at once).
    pollfd p{ready_read_fd_, POLLIN, 0};
    ::poll(&p, 1, -1);
  }
}

std::span<std::uint8_t> PagePump::wait_for_room() {
  for (;;) {
    if (cancel_.raised()) return {};
    {
      std::lock_guard lock(mutex_);
      if (size_ == 0) head_ = 0;  // the whole ring is free: start at its beginning
      // The rest of the current slot, once all of it is free: the decoder always gets whole rows'
      // worth of room, never the sliver left before the end of the ring.
      const std::size_t tail = (head_ + size_) % ring_.size();
      const std::size_t rest = (tail / decode_chunk + 1) * decode_chunk - tail;
      if (ring_.size() - size_ >= rest) return std::span<std::uint8_t>(ring_.data() + tail, rest);
      producer_waiting_ = true;
    }
    // The frontend has not read yet: wait for it, or for a cancel.
    pollfd p[2] = {{room_read_fd_, POLLIN, 0}, {cancel_.fd(), POLLIN, 0}};
    ::poll(p, 2, -1);
    take_bytes(room_read_fd_);
  }
}

void PagePump::publish(std::size_t n) {
  std::lock_guard lock(mutex_);
  size_ += n;
  if (size_ >= wake_batch) signal_ready();
}

void PagePump::flush() {
  std::lock_guard lock(mutex_);
  if (size_ > 0) signal_ready();
}

void PagePump::end(Outcome outcome) {
  std::lock_guard lock(mutex_);
  outcome_ = std::move(outcome);
  ended_ = true;
  signal_ready();
}

PagePump::Outcome PagePump::finish() {
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  return outcome_;
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
    for (;;) {
      std::span<std::uint8_t> room = wait_for_room();
      if (room.empty()) {
        result = {Status::cancelled, "cancelled"};
        break;
      }
      if (const std::size_t direct = decoder_->pass_through_room(); direct > 0) {
        // Raw rows as the frame wants them: from the device straight into the ring.
        flush();
        const std::size_t got = scanner_.read_page(room.first(std::min(room.size(), direct)));
        if (got == 0) {
          decoder_->end_of_input();
        } else {
          decoder_->passed_through(got);
          publish(got);
        }
        continue;
      }
      std::size_t n = decoder_->read(room);
      if (n > 0) {
        publish(n);
        continue;
      }
      if (decoder_->finished()) {
        bool truncated = decoder_->truncated();
        flush();  // the image is complete: the frontend need not wait for what the device still sends
        drain();
        if (truncated) result = {Status::io_error, "the page ended before its image did (padded with white)"};
        break;
      }
      flush();  // what is decoded goes out before the thread waits for the device
      std::size_t got = scanner_.read_page(input);
      if (got == 0) {
        decoder_->end_of_input();
      } else {
        decoder_->push(std::span<const std::uint8_t>(input.data(), got));
      }
    }
  } catch (const std::exception& e) {
    result = {status_of(e), e.what()};
  }
  if (cancel_.raised() && result.status != Status::eof) result = {Status::cancelled, "cancelled"};
  end(std::move(result));  // the reader sees the end of the page
}

}  // namespace hpaio::backend
