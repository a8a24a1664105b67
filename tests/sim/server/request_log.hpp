// One JSON object per line for every request the simulator receives, so tests can assert
// exactly what a client sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "tests/sim/core/http_message.hpp"

namespace hpsim {

class RequestLog {
 public:
  // `out` may be null (no logging). Not owned.
  explicit RequestLog(std::ostream* out);
  // `tls`: the request came over an HTTPS listener ("tls":true in its line).
  void request(std::uint64_t conn, const std::string& peer, const Request& req, const Response& resp, bool tls = false);
  void event(std::uint64_t conn, const std::string& peer, std::string_view what, std::string_view detail = {});
  // The JSON line for one request (without the trailing newline). A gzipped response adds
  // "content_encoding":"gzip" (response_size is then the gzipped size); a closing one "close":true.
  static std::string format(double t, std::uint64_t conn, const std::string& peer, const Request& req,
                            const Response& resp, bool tls = false);

 private:
  double elapsed() const;
  std::ostream* out_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace hpsim
