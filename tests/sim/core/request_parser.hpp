// Incremental, deliberately lenient HTTP/1.1 request parser.
//
// It accepts what HP's own hpaio sends: a stray header line without ':' (the "0" before the
// blank line), absolute-form targets, bare-LF line ends and bytes after a body that are not a
// request line (HPLIP's trailing "\r\n0\r\n\r\n" is counted in Content-Length anyway).
// Bodies are framed by Content-Length or chunked Transfer-Encoding.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "tests/sim/core/http_message.hpp"

namespace hpsim {

struct ParserLimits {
  std::size_t max_head = 64 * 1024;
  std::size_t max_body = 16 * 1024 * 1024;
};

class RequestParser {
 public:
  explicit RequestParser(ParserLimits limits = {}) : limits_(limits) {}

  // Adds received bytes. Complete requests become available through next().
  void feed(std::string_view bytes);
  std::optional<Request> next();

  // A request error makes the connection unusable: answer with error_status() and close.
  bool failed() const noexcept { return failed_; }
  int error_status() const noexcept { return error_status_; }
  const std::string& error() const noexcept { return error_; }
  // True once per request whose head asked for "Expect: 100-continue" and whose body is pending.
  bool take_continue_request();

 private:
  enum class State { head, body_length, chunk_size, chunk_data, chunk_trailer, done };
  void run();
  bool parse_head(std::string_view head);
  void fail(int status, std::string why);
  std::optional<std::string> take_line();

  ParserLimits limits_;
  std::string buf_;
  State state_ = State::head;
  Request cur_;
  std::size_t remaining_ = 0;
  std::deque<Request> ready_;
  bool failed_ = false;
  int error_status_ = 400;
  std::string error_;
  bool continue_pending_ = false;
};

// Splits a request target into path and query; strips "scheme://authority" of absolute-form.
void split_target(std::string_view target, std::string& path, std::string& query);

}  // namespace hpsim
