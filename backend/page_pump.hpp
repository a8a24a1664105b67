// Moves one page from the device to the frontend on a thread of its own: HTTP body -> decoder ->
// a pipe, which sane_read reads and sane_get_select_fd hands out. The pipe bounds the memory
// between the two sides; blocking and non-blocking reads (sane_set_io_mode) are the pipe's.
// The thread ends at the end of the page, on an error, or at once when the CancelSignal is raised.
#pragma once

#include "backend/cancel_signal.hpp"
#include "backend/page_decoder.hpp"
#include "backend/scanner.hpp"

#include <sane/sane.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace hpaio::backend {

class PagePump {
 public:
  // Starts the thread. `scanner` and `cancel` must outlive the pump; the scanner is the
  // thread's until finish().
  PagePump(Scanner& scanner, std::unique_ptr<PageDecoder> decoder, const CancelSignal& cancel);
  ~PagePump();  // finish()es
  PagePump(const PagePump&) = delete;
  PagePump& operator=(const PagePump&) = delete;

  int fd() const { return read_fd_; }
  void set_non_blocking(bool on);

  enum class Read { data, would_block, end };
  // Reads what the page has ready. `end`: the thread is done; finish() says how it ended.
  Read read(SANE_Byte* data, SANE_Int max, SANE_Int* length);

  struct Outcome {
    SANE_Status status = SANE_STATUS_EOF;  // EOF: the whole page; otherwise why it stopped
    std::string message;
  };
  // Waits for the thread (which every wait in it bounds) and says how the page ended.
  Outcome finish();

 private:
  void run();
  bool write_all(const std::uint8_t* data, std::size_t size);  // false when cancelled
  void drain();

  Scanner& scanner_;
  std::unique_ptr<PageDecoder> decoder_;
  const CancelSignal& cancel_;
  int read_fd_ = -1;
  int write_fd_ = -1;
  std::mutex mutex_;
  Outcome outcome_;
  std::thread thread_;
};

}  // namespace hpaio::backend
