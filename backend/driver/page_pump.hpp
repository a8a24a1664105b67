// Moves one page from the device to the frontend. A thread of its own reads the HTTP body in
// 64 KiB pieces into a short queue (at most 256 KiB ahead of the reader), and waits for the
// device; sane_read decodes from that queue straight into the frontend's buffer, in the
// frontend's thread (Raw rows that already are the frame's are copied from the queue as they are).
// So the decoded page (104 MB for A4 colour at 600 dpi) is written once, where the frontend wants
// it, and the two threads meet once per queued piece, not once per decoded row.
// A pipe carries only readiness (sane_get_select_fd): it holds one byte while device bytes are
// queued or the page is over, and loses it when the reader has taken every queued byte; blocking
// reads wait on it, non-blocking ones (sane_set_io_mode) return what is there. Once the image is
// complete the thread reads the rest of the body (to keep the connection usable) and ends; it also
// ends at once when the CancelSignal is raised.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
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

  // Readable while device bytes wait in the queue, and from the end of the page on.
  int fd() const { return ready_read_fd_; }
  void set_non_blocking(bool on) { non_blocking_ = on; }

  enum class Read { data, would_block, end };
  // Decodes into `out` what the queued bytes give. `end`: the page is over; finish() says how it
  // ended. Reads come from one thread at a time (SANE: one frontend thread per handle).
  Read read(std::span<std::uint8_t> out, std::size_t& length);

  // Reads the page's first bytes until the decoder knows whether the frame's height is known before
  // its rows (PageDecoder::settle_height), waiting for the device as read() does in blocking mode.
  // A page that fails or is cancelled meanwhile is left for read() and finish() to report.
  void settle_height();
  bool open_ended() const { return decoder_->open_ended(); }
  int lines() const { return decoder_->lines(); }

  struct Outcome {
    Status status = Status::eof;  // EOF: the whole page; otherwise why it stopped
    std::string message;
  };
  // Waits for the thread (which every wait in it bounds) and says how the page ended.
  Outcome finish();

 private:
  // Device bytes as read: `size` of the kPieceSize bytes at `data` (never zero-filled).
  struct Piece {
    std::unique_ptr<std::uint8_t[]> data;
    std::size_t size = 0;
  };

  void run();  // the thread: device bytes into the queue
  void end_thread(Outcome transport);
  bool wait_for_room();  // false when cancelled
  void queue(Piece piece);
  void signal_ready();  // with mutex_ held
  // Reader side.
  enum class Next { more, wait, end };
  Next take_input();                     // the next queued piece into `taken_`, or why there is none
  bool push_taken();                     // the rest of `taken_` to the decoder; false when nothing was left
  void image_complete(Outcome decoded);  // no more bytes are needed: the thread drains and ends

  Scanner& scanner_;
  std::unique_ptr<PageDecoder> decoder_;
  const CancelSignal& cancel_;
  bool non_blocking_ = false;

  std::mutex mutex_;          // guards what follows, up to the reader's own state
  std::deque<Piece> queued_;  // device bytes the reader has not taken, in order
  std::size_t queued_bytes_ = 0;
  std::vector<Piece> spare_;  // pieces the reader is done with, for the thread to fill again
  bool image_done_ = false;   // the reader needs nothing more: the thread discards what it reads
  bool ended_ = false;        // the thread has ended; transport_ says how the body ended
  bool ready_signalled_ = false;
  bool producer_waiting_ = false;
  Outcome transport_;

  // The reader's own state (the frontend's thread).
  Piece taken_;                     // the piece being consumed
  std::size_t taken_at_ = 0;        // how much of it the decoder has
  bool input_told_ended_ = false;   // decoder_->end_of_input() was called
  std::optional<Outcome> decoded_;  // how the image ended, once it has

  int ready_read_fd_ = -1;
  int ready_write_fd_ = -1;
  int room_read_fd_ = -1;
  int room_write_fd_ = -1;
  std::thread thread_;
};

}  // namespace hpaio::backend
