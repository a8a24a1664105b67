// The socket side of hpaio-sim: Boost.Asio (C++20 coroutines), many connections at once,
// keep-alive, every wait bounded by a per-connection deadline. Protocol logic stays in
// Simulator; this file only moves bytes and applies the wire faults of Response::delivery, and
// the transport's own rules (wire_rules.hpp). Plain and TLS connections run the same code (a
// template over the stream), so every wire fault works over HTTPS too.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/sim/core/simulator.hpp"
#include "tests/sim/server/request_log.hpp"

namespace boost::asio::ssl {
class context;
}

namespace hpsim {

struct ServerOptions {
  std::vector<boost::asio::ip::tcp::endpoint> listen;
  std::vector<boost::asio::ip::tcp::endpoint> https;  // the same device over TLS (--https)
  std::shared_ptr<boost::asio::ssl::context> tls;     // the HTTPS listeners' (tls_identity.hpp)
  bool redirect_https = false;                        // plain listeners answer 301 to https (needs `https`)
  bool close_each_response = false;                   // "Connection: close" on every response, then close
  bool gzip = false;                                  // gzip XML bodies for requests that accept it
  std::chrono::seconds idle_timeout{60};              // no request bytes for this long: close
  std::chrono::seconds write_timeout{60};             // one write may take this long
  std::chrono::seconds stall{60};                     // stall-mid-image holds the connection this long
};

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0" -> endpoint; nullopt if malformed.
std::optional<boost::asio::ip::tcp::endpoint> parse_listen_address(const std::string& text);

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Simulator& sim, RequestLog& log, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds every listen address (throws boost::system::system_error) and starts accepting.
  void start();
  // The bound addresses (useful with port 0): the plain ones, and the HTTPS ones.
  std::vector<boost::asio::ip::tcp::endpoint> local_endpoints() const;
  std::vector<boost::asio::ip::tcp::endpoint> https_endpoints() const;
  // Stops accepting; existing connections finish on their own deadlines.
  void close_listeners();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace hpsim
