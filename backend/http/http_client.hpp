// An HTTP/1.1 client for one device: persistent connection, TLS where asked (device certificates
// are self-signed, so they are not verified, as every eSCL client does; OpenSSL is loaded only
// then, see http_connection.hpp), every wait bounded by the caller's deadline, and every wait
// interrupted by a CancelSignal.
#pragma once

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

#include "backend/http/http_message.hpp"
#include "base/cancel_signal.hpp"

namespace hpaio::backend {

class HttpConnection;

class HttpClient {
 public:
  // `cancel` may be null; it must outlive the client.
  HttpClient(Endpoint endpoint, const CancelSignal* cancel);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const Endpoint& endpoint() const { return endpoint_; }
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
  HttpConnection& connection();  // made on first use: a TLS one loads its module then

  Endpoint endpoint_;
  const CancelSignal* cancel_;
  std::chrono::milliseconds connect_timeout_{5000};
  std::unique_ptr<HttpConnection> connection_;
};

}  // namespace hpaio::backend
