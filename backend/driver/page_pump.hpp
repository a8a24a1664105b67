// Moves one page from the device to the frontend on a thread of its own: HTTP body -> decoder ->
// a ring buffer in memory, which sane_read copies from (Raw rows that already are the frame's go
// from the body straight into the ring). The ring bounds the memory between the two
// sides. A pipe carries only readiness (sane_get_select_fd): it gets one byte when half the ring is
// ready, when the thread has to wait for the device with anything ready, or when the page ends,
// and loses it when the reader has emptied the ring; blocking reads wait on it, non-blocking ones
// (sane_set_io_mode) return what is there. The thread ends at the end of the page, on an error, or at once when the
// CancelSignal is raised.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "backend/driver/scanner.hpp"
#include "backend/image/page_decoder.hpp"
#include "base/cancel_signal.hpp"

namespace hpaio::backend {

class PagePump {
 public:
  // Starts the thread. `scanner` and `cancel` must outlive the pump; the scanner is the
  // thread's until finish().
  PagePump(Scanner& scanner, std::unique_ptr<PageDecoder> decoder, const CancelSignal& cancel);
  ~PagePump();  // finish()es
  PagePump(const PagePump&) = delete;
  PagePump& operator=(const PagePump&) = delete;

  // Readable once half the ring is ready, before the thread waits for the device with data ready,
  // and from the end of the page on; not readable once the reader has emptied the ring.
  int fd() const { return ready_read_fd_; }
  void set_non_blocking(bool on) { non_blocking_ = on; }

  enum class Read { data, would_block, end };
  // Copies what the page has ready. `end`: the thread is done; finish() says how it ended.
  // Reads come from one thread at a time (SANE: one frontend thread per handle).
  Read read(std::span<std::uint8_t> out, std::size_t& length);

  struct Outcome {
    Status status = Status::eof;  // EOF: the whole page; otherwise why it stopped
    std::string message;
  };
  // Waits for the thread (which every wait in it bounds) and says how the page ended.
  Outcome finish();

 private:
  void run();
  // The producer's next free stretch of the ring; empty when cancelled.
  std::span<std::uint8_t> wait_for_room();
  void publish(std::size_t n);  // the first n bytes of the last stretch hold page data
  void flush();                 // wake the reader for whatever is ready
  void end(Outcome outcome);
  void drain();
  void signal_ready();  // with mutex_ held

  Scanner& scanner_;
  std::unique_ptr<PageDecoder> decoder_;
  const CancelSignal& cancel_;
  bool non_blocking_ = false;

  std::vector<std::uint8_t> ring_;
  std::mutex mutex_;      // guards what follows
  std::size_t head_ = 0;  // where the reader copies from
  std::size_t size_ = 0;  // bytes ready for the reader
  bool ended_ = false;
  bool ready_signalled_ = false;   // the readiness pipe holds its byte
  bool producer_waiting_ = false;  // the thread waits for room on room_read_fd_
  Outcome outcome_;

  int ready_read_fd_ = -1;
  int ready_write_fd_ = -1;
  int room_read_fd_ = -1;
  int room_write_fd_ = -1;
  std::thread thread_;
};

}  // namespace hpaio::backend
