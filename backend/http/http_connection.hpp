// One HTTP/1.1 connection to one endpoint, kept alive between exchanges: what HttpClient drives.
// The plain one is part of the backend; the TLS one comes from the module libhpaio-tls.so
// (module_loader.hpp), so OpenSSL is loaded only when a device asks for HTTPS.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "backend/http/http_client.hpp"

namespace hpaio::backend {

class HttpConnection {
 public:
  virtual ~HttpConnection() = default;

  virtual const Endpoint& endpoint() const = 0;
  virtual void set_connect_timeout(std::chrono::milliseconds t) = 0;
  // Sends the request (connecting first if need be) and reads the response header. A request that
  // fails on a reused connection before any reply is sent once more on a new one (not a POST).
  virtual HttpResponse open(const HttpRequest& req, Deadline deadline) = 0;
  // Up to out.size() body bytes; 0 at the end. Bytes that arrived before a failure are returned
  // first and the failure is thrown by the next call.
  virtual std::size_t read_some(std::span<std::uint8_t> out, Deadline deadline) = 0;
  virtual bool body_done() const = 0;
  virtual void drop() = 0;
};

// A plain TCP connection, or (endpoint.tls) a TLS one from libhpaio-tls.so; HttpError connect
// when that module cannot be loaded.
std::unique_ptr<HttpConnection> make_connection(const Endpoint& endpoint, const CancelSignal* cancel);

// The TLS module's one exported symbol (C linkage, for dlsym); both sides are built from this
// tree by the same compiler, so C++ types may cross.
extern "C" using TlsConnectionEntry = HttpConnection * (const Endpoint& endpoint, const CancelSignal* cancel);
inline constexpr const char* tls_module = "libhpaio-tls.so";
inline constexpr const char* tls_connection_symbol = "hpaio_tls_connection_v1";

}  // namespace hpaio::backend
