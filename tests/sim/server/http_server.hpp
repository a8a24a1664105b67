// The socket side of hpaio-sim: Boost.Asio (C++20 coroutines), many connections at once,
// keep-alive, every wait bounded by a per-connection deadline. Protocol logic stays in
// Simulator; this file only moves bytes and applies the wire faults of Response::delivery.
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

namespace hpsim {

struct ServerOptions {
  std::vector<boost::asio::ip::tcp::endpoint> listen;
  std::chrono::seconds idle_timeout{60};   // no request bytes for this long: close
  std::chrono::seconds write_timeout{60};  // one write may take this long
  std::chrono::seconds stall{60};          // stall-mid-image holds the connection this long
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
  // The bound addresses (useful with port 0).
  std::vector<boost::asio::ip::tcp::endpoint> local_endpoints() const;
  // Stops accepting; existing connections finish on their own deadlines.
  void close_listeners();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace hpsim
