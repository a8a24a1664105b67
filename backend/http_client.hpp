// An HTTP/1.1 client for one device: persistent connection, TLS where asked (device certificates
// are self-signed, so they are not verified, as every eSCL client does), every wait bounded by
// the caller's deadline, and every wait interrupted by a CancelSignal.
#pragma once

#include "backend/cancel_signal.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpaio::backend {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

inline Deadline deadline_in(std::chrono::milliseconds d) { return Clock::now() + d; }

class HttpError : public std::runtime_error {
 public:
  enum class Kind {
    connect,    // no connection (refused, unreachable, name not found)
    timeout,    // a deadline passed
    cancelled,  // the CancelSignal was raised
    closed,     // the peer closed the connection early
    protocol,   // not HTTP, or a malformed message
    too_large,  // a header or body over its limit
  };
  HttpError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct Endpoint {
  std::string host;  // name or address literal; IPv6 without brackets, zone as "%eth0"
  std::uint16_t port = 80;
  bool tls = false;
};

struct Header {
  std::string name;
  std::string value;
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::vector<Header> headers;
  std::string body;  // filled by request(); empty after open_stream()
  // First header of that name, compared case-insensitively.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<Header> headers;  // besides Host, User-Agent, Content-Length
  std::string body;
  std::string host_override;    // a Host: value to send instead of the endpoint's ("localhost")
};

class HttpClient {
 public:
  // `cancel` may be null; it must outlive the client.
  HttpClient(Endpoint endpoint, const CancelSignal* cancel);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const Endpoint& endpoint() const;
  // Opening a connection takes at most this long, whatever the request's deadline (default 5 s).
  void set_connect_timeout(std::chrono::milliseconds t);

  // One exchange with the whole body read (at most `body_limit` bytes, else HttpError too_large).
  // A request that fails on a reused connection before any reply is sent once more on a new one.
  // Redirects to the same host (HP firmware that moves everything to HTTPS) are followed, and
  // the client stays on the new scheme and port for every later request; a redirect to another
  // host is returned as it is.
  HttpResponse request(const HttpRequest& req, Deadline deadline, std::size_t body_limit = 1 << 20);

  // Sends the request and reads the response header; the body is then read with read_body().
  HttpResponse open_stream(const HttpRequest& req, Deadline deadline);
  // Up to out.size() body bytes of the open stream; 0 at the end of the body.
  std::size_t read_body(std::span<std::uint8_t> out, Deadline deadline);
  // True when the open stream's body has been read to its end.
  bool body_done() const;

  // Waits `d` (between polls of a device), ending at once with HttpError cancelled when the
  // CancelSignal is raised.
  void pause(std::chrono::milliseconds d);

  // Drops the connection (the next request opens a new one).
  void close();

 private:
  HttpResponse request_once(const HttpRequest& req, Deadline deadline, std::size_t body_limit);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "host:port" as an HTTP Host header value, with brackets around IPv6 literals and the port left
// out when it is the scheme's default.
std::string host_header_value(const Endpoint& e);

}  // namespace hpaio::backend
