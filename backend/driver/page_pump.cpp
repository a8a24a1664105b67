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

constexpr std::size_t kPieceSize = 64 * 1024;        // each device read waits for this much (or the body's end)
constexpr std::size_t kQueueLimit = 4 * kPieceSize;  // the thread reads at most this far ahead of the reader
// Wake-ups cost more than copies: a thread waiting for room is woken when half the queue is free.
constexpr std::size_t kWakeBelow = kQueueLimit / 2;
constexpr int kMaxDrainPieces = 4096;  // what is read of a body after its image: at most 256 MiB

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
    : scanner_(scanner), decoder_(std::move(decoder)), cancel_(cancel) {
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

// ----- the thread -----

bool PagePump::wait_for_room() {
  for (;;) {
    if (cancel_.raised()) return false;
    {
      std::lock_guard lock(mutex_);
      if (image_done_ || queued_bytes_ < kQueueLimit) return true;
      producer_waiting_ = true;
    }
    // The frontend has not read yet: wait for it, or for a cancel.
    pollfd p[2] = {{room_read_fd_, POLLIN, 0}, {cancel_.fd(), POLLIN, 0}};
    ::poll(p, 2, -1);
    take_bytes(room_read_fd_);
  }
}

void PagePump::queue(Piece piece) {
  std::lock_guard lock(mutex_);
  if (image_done_) return;  // the reader needs nothing more
  const bool was_empty = queued_.empty();
  queued_bytes_ += piece.size;
  queued_.push_back(std::move(piece));
  if (was_empty) signal_ready();
}

void PagePump::end_thread(Outcome transport) {
  std::lock_guard lock(mutex_);
  transport_ = std::move(transport);
  ended_ = true;
  signal_ready();
}

void PagePump::run() {
  Outcome transport;
  int drained = 0;
  try {
    for (;;) {
      if (!wait_for_room()) {
        transport = {Status::cancelled, "cancelled"};
        break;
      }
      Piece piece;
      bool discard = false;
      {
        std::lock_guard lock(mutex_);
        discard = image_done_;
        if (!spare_.empty()) {
          piece = std::move(spare_.back());
          spare_.pop_back();
        }
      }
      if (!piece.data) piece.data.reset(new std::uint8_t[kPieceSize]);
      piece.size = scanner_.read_page(std::span<std::uint8_t>(piece.data.get(), kPieceSize));
      if (piece.size == 0) break;  // the end of the body
      // What the device still sends of a page whose image is complete keeps the connection usable.
      if (discard) {
        if (++drained >= kMaxDrainPieces) break;
        std::lock_guard lock(mutex_);
        spare_.push_back(std::move(piece));
        continue;
      }
      queue(std::move(piece));
    }
  } catch (const std::exception& e) {
    bool image_done = false;
    {
      std::lock_guard lock(mutex_);
      image_done = image_done_;
    }
    const auto* http = dynamic_cast<const HttpError*>(&e);
    if (image_done && !cancel_.raised() && !(http && http->kind() == HttpError::Kind::cancelled)) {
      // A device that breaks off after the image (or lied about the length) has still delivered it.
      debug(log_info, std::string("after the image: ") + e.what());
    } else {
      transport = {status_of(e), e.what()};
    }
  }
  if (cancel_.raised() && transport.status != Status::eof) transport = {Status::cancelled, "cancelled"};
  end_thread(std::move(transport));
}

// ----- the reader -----

void PagePump::image_complete(Outcome decoded) {
  decoded_ = std::move(decoded);
  std::lock_guard lock(mutex_);
  image_done_ = true;
  queued_.clear();
  queued_bytes_ = 0;
  if (!ended_ && ready_signalled_) {
    take_bytes(ready_read_fd_);
    ready_signalled_ = false;
  }
  if (producer_waiting_) {
    producer_waiting_ = false;
    put_byte(room_write_fd_);
  }
}

PagePump::Next PagePump::take_input() {
  std::lock_guard lock(mutex_);
  if (!queued_.empty()) {
    if (taken_.data) spare_.push_back(std::move(taken_));
    taken_ = std::move(queued_.front());
    taken_at_ = 0;
    queued_.pop_front();
    queued_bytes_ -= taken_.size;
    if (queued_.empty() && !ended_ && ready_signalled_) {
      take_bytes(ready_read_fd_);
      ready_signalled_ = false;
    }
    if (producer_waiting_ && queued_bytes_ <= kWakeBelow) {
      producer_waiting_ = false;
      put_byte(room_write_fd_);
    }
    return Next::more;
  }
  return ended_ ? Next::end : Next::wait;
}

bool PagePump::push_taken() {
  if (taken_at_ >= taken_.size) return false;
  decoder_->push(std::span<const std::uint8_t>(taken_.data.get() + taken_at_, taken_.size - taken_at_));
  taken_at_ = taken_.size;
  return true;
}

void PagePump::settle_height() {
  for (;;) {
    if (decoded_ || cancel_.raised()) return;
    try {
      if (decoder_->settle_height()) return;
      if (push_taken()) continue;
    } catch (const std::exception& e) {
      image_complete({status_of(e), e.what()});
      return;
    }
    const Next next = take_input();
    if (next == Next::more) continue;
    if (next == Next::end) {
      if (input_told_ended_) return;
      input_told_ended_ = true;
      decoder_->end_of_input();
      continue;
    }
    pollfd p{ready_read_fd_, POLLIN, 0};
    ::poll(&p, 1, -1);
  }
}

PagePump::Read PagePump::read(std::span<std::uint8_t> out, std::size_t& length) {
  length = 0;
  for (;;) {
    if (!decoded_ && cancel_.raised()) image_complete({Status::cancelled, "cancelled"});
    if (decoded_) {
      {
        std::lock_guard lock(mutex_);
        if (ended_) return Read::end;
      }
    } else {
      try {
        const std::size_t direct = decoder_->pass_through_room();
        if (direct > 0 && taken_at_ < taken_.size) {
          // Raw rows as the frame wants them: from the queued piece straight into the frontend's buffer.
          const std::size_t n = std::min({direct, out.size(), taken_.size - taken_at_});
          std::memcpy(out.data(), taken_.data.get() + taken_at_, n);
          taken_at_ += n;
          decoder_->passed_through(n);
          length = n;
          return Read::data;
        }
        if (direct == 0) {
          push_taken();
          const std::size_t n = decoder_->read(out);
          if (n > 0 || out.empty()) {
            length = n;
            return Read::data;
          }
          if (decoder_->finished()) {
            Outcome decoded;
            if (decoder_->truncated()) {
              // The transfer's own failure says why, when there was one.
              std::lock_guard lock(mutex_);
              decoded = transport_.status != Status::eof
                            ? transport_
                            : Outcome{Status::io_error, "the page ended before its image did (padded with white)"};
            }
            image_complete(std::move(decoded));
            continue;
          }
        }
      } catch (const std::exception& e) {
        image_complete({status_of(e), e.what()});
        continue;
      }
      // The decoder needs more device bytes.
      const Next next = take_input();
      if (next == Next::more) continue;
      if (next == Next::end) {
        // No more device bytes (the body ended, or its transfer failed after what is queued): the
        // decoder finishes with what it has; an image that was all there is a good page.
        if (!input_told_ended_) {
          input_told_ended_ = true;
          decoder_->end_of_input();  // the decoder now finishes without more input
        } else {
          image_complete({Status::io_error, "decoding stopped before the page's end"});
        }
        continue;
      }
    }
    if (non_blocking_) return Read::would_block;
    // Wait for device bytes or the end; the thread always gets there (a cancel ends it at once).
    pollfd p{ready_read_fd_, POLLIN, 0};
    ::poll(&p, 1, -1);
  }
}

PagePump::Outcome PagePump::finish() {
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (transport_.status == Status::cancelled) return transport_;
  if (decoded_) return *decoded_;  // a transfer that failed after the image does not matter
  if (transport_.status != Status::eof) return transport_;
  // Abandoned before its image was complete (sane_cancel, sane_close).
  return {Status::cancelled, "cancelled"};
}

}  // namespace hpaio::backend
