// HTTP request/response descriptions shared by the protocol logic (pure) and the socket layer.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpsim {

struct Header {
  std::string name;
  std::string value;
};

struct Request {
  std::string method;
  std::string target;  // as sent (may be absolute-form)
  std::string path;    // origin-form path, query removed
  std::string query;
  std::string version;  // "HTTP/1.1"
  std::vector<Header> headers;
  std::string body;
  std::size_t stray_lines = 0;  // header lines without ':' (HPLIP's "0"), ignored
  std::string local;            // the listener address it came in on ("127.0.0.1:8080"); empty: unknown

  // Case-insensitive lookup of the first header with this name; empty if absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

enum class Framing { chunked, content_length };

// How the socket layer delivers a response: faults that only exist on the wire.
struct Delivery {
  std::optional<std::size_t> stall_after;      // send this many body bytes, then stall
  std::optional<std::size_t> reset_after;      // send this many body bytes, then reset (RST)
  std::size_t drip_bytes = 0;                  // >0: send the body in pieces of this size ...
  std::chrono::milliseconds drip_interval{0};  // ... this far apart
  std::optional<long long> declared_length;    // Content-Length to claim instead of the real one
  bool close_after = false;                    // close the connection after this response
};

struct Response {
  int status = 200;
  std::vector<Header> headers;  // besides Content-Length / Transfer-Encoding / Date
  std::string body;
  Framing framing = Framing::chunked;
  std::size_t chunk_size = 16384;  // for chunked framing; HPLIP needs <= 32 KiB
  Delivery delivery;

  void set_header(std::string name, std::string value);
  std::string header(std::string_view name) const;
};

std::string_view reason_phrase(int status);

// Wire form of a response: status line + headers, and the framed body.
struct WireResponse {
  std::string head;
  std::string body;
};
WireResponse serialize(const Response& response);

bool iequals(std::string_view a, std::string_view b);

}  // namespace hpsim
