#include "tests/sim/server/http_server.hpp"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "tests/sim/core/request_parser.hpp"

namespace hpsim {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

std::optional<tcp::endpoint> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size()) return std::nullopt;
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (host.starts_with("[")) {
    if (!host.ends_with("]")) return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return std::nullopt;  // IPv6 needs brackets
  }
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(port_text, &used);
    if (used != port_text.size() || port > 65535) return std::nullopt;
  } catch (...) {
    return std::nullopt;
  }
  error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  return tcp::endpoint(addr, static_cast<unsigned short>(port));
}

namespace {

// One connection's socket plus the watchdog deadline that bounds every wait on it.
struct Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)), watchdog(socket.get_executor()) {}
  tcp::socket socket;
  asio::steady_timer watchdog;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  void close() {
    error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
    watchdog.cancel();
  }
  void reset() {
    error_code ec;
    socket.set_option(asio::socket_base::linger(true, 0), ec);
    socket.close(ec);
    watchdog.cancel();
  }
};

std::string endpoint_text(const tcp::endpoint& e) {
  const auto a = e.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(e.port());
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& i, Simulator& s, RequestLog& l, ServerOptions o)
      : io(i), sim(s), log(l), options(std::move(o)) {}

  asio::io_context& io;
  Simulator& sim;
  RequestLog& log;
  ServerOptions options;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::uint64_t next_conn = 1;
  bool closed = false;

  void close_listeners() {
    closed = true;
    for (auto& a : acceptors) {
      error_code ec;
      a->close(ec);
    }
  }

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    auto self = shared_from_this();
    while (!closed && acceptor.is_open()) {
      error_code ec;
      tcp::socket s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        continue;  // e.g. EMFILE: keep serving the others
      }
      if (sim.refusing_connections()) {
        error_code ignored;
        s.set_option(asio::socket_base::linger(true, 0), ignored);
        s.close(ignored);
        close_listeners();
        co_return;
      }
      // Without this, a response whose head and body go out as two writes waits for the
      // client's delayed ACK (Nagle) before the body: ~40 ms per response on Linux.
      error_code nodelay_ec;
      s.set_option(tcp::no_delay(true), nodelay_ec);
      auto conn = std::make_shared<Connection>(std::move(s));
      const std::uint64_t id = next_conn++;
      asio::co_spawn(io, watchdog(conn), asio::detached);
      asio::co_spawn(io, session(conn, id), asio::detached);
    }
  }

  static asio::awaitable<void> watchdog(std::shared_ptr<Connection> c) {
    while (c->socket.is_open()) {
      c->watchdog.expires_at(c->deadline);
      error_code ec;
      co_await c->watchdog.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (!c->socket.is_open()) co_return;
      if (std::chrono::steady_clock::now() >= c->deadline) {
        c->close();
        co_return;
      }
    }
  }

  void arm(Connection& c, std::chrono::seconds d) {
    c.deadline = std::chrono::steady_clock::now() + d;
    c.watchdog.cancel();  // the watchdog re-arms with the new deadline
  }

  asio::awaitable<bool> write(Connection& c, std::string_view bytes) {
    if (bytes.empty()) co_return true;
    arm(c, options.write_timeout);
    error_code ec;
    co_await asio::async_write(c.socket, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  asio::awaitable<void> sleep(Connection& c, std::chrono::milliseconds d) {
    asio::steady_timer t(c.socket.get_executor());
    t.expires_after(d);
    error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }

  // Sends one response with its wire faults. Returns false when the connection is finished.
  asio::awaitable<bool> send(Connection& c, const Response& r) {
    const WireResponse w = serialize(r);
    const Delivery& d = r.delivery;
    if (!co_await write(c, w.head)) co_return false;
    std::string_view body = w.body;
    // Offsets of stall/reset count body bytes; with chunked framing, count wire bytes of the body.
    if (d.reset_after) {
      const std::size_t n = std::min(body.size(), *d.reset_after);
      co_await write(c, body.substr(0, n));
      co_await sleep(c, std::chrono::milliseconds(100));
      c.reset();
      co_return false;
    }
    if (d.stall_after) {
      const std::size_t n = std::min(body.size(), *d.stall_after);
      if (!co_await write(c, body.substr(0, n))) co_return false;
      arm(c, options.stall + std::chrono::seconds(5));
      // Hold the connection open without sending, until the stall time is over or the peer leaves.
      std::array<char, 4096> sink{};
      const auto until = std::chrono::steady_clock::now() + options.stall;
      asio::steady_timer t(c.socket.get_executor());
      t.expires_at(until);
      t.async_wait([&c](error_code e) {
        if (!e) c.close();
      });
      while (c.socket.is_open() && std::chrono::steady_clock::now() < until) {
        error_code ec;
        co_await c.socket.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
      }
      t.cancel();
      c.close();
      co_return false;
    }
    if (d.drip_bytes > 0) {
      for (std::size_t off = 0; off < body.size(); off += d.drip_bytes) {
        if (!co_await write(c, body.substr(off, d.drip_bytes))) co_return false;
        co_await sleep(c, d.drip_interval);
      }
    } else if (!co_await write(c, body)) {
      co_return false;
    }
    co_return !d.close_after;
  }

  asio::awaitable<void> session(std::shared_ptr<Connection> c, std::uint64_t id) {
    auto self = shared_from_this();
    error_code ec;
    const std::string peer = endpoint_text(c->socket.remote_endpoint(ec));
    const std::string local = endpoint_text(c->socket.local_endpoint(ec));  // Request::local
    RequestParser parser;
    std::array<char, 16384> buf{};
    bool open = true;
    while (open && c->socket.is_open()) {
      arm(*c, options.idle_timeout);
      const std::size_t n =
          co_await c->socket.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      parser.feed(std::string_view(buf.data(), n));
      if (parser.take_continue_request()) {
        if (!co_await write(*c, "HTTP/1.1 100 Continue\r\n\r\n")) break;
      }
      while (auto req = parser.next()) {
        req->local = local;
        Response resp;
        try {
          resp = sim.handle(*req, std::chrono::steady_clock::now());
        } catch (const std::exception& e) {
          resp = simple_response(500, std::string("simulator error: ") + e.what() + "\n", "text/plain");
          resp.framing = Framing::content_length;
        }
        const std::string conn_hdr = req->header("Connection");
        const bool close =
            iequals(conn_hdr, "close") || (req->version == "HTTP/1.0" && !iequals(conn_hdr, "keep-alive"));
        if (close) {
          resp.set_header("Connection", "close");
          resp.delivery.close_after = true;
        }
        log.request(id, peer, *req, resp);
        const bool keep = co_await send(*c, resp);
        if (sim.refusing_connections()) close_listeners();
        if (!keep) {
          open = false;
          break;
        }
      }
      if (parser.failed()) {
        log.event(id, peer, "bad-request", parser.error());
        Response r = simple_response(parser.error_status(), parser.error() + "\n", "text/plain");
        r.framing = Framing::content_length;
        r.set_header("Connection", "close");
        co_await send(*c, r);
        break;
      }
    }
    c->close();
  }
};

HttpServer::HttpServer(asio::io_context& io, Simulator& sim, RequestLog& log, ServerOptions options)
    : impl_(std::make_shared<Impl>(io, sim, log, std::move(options))) {}

HttpServer::~HttpServer() { impl_->close_listeners(); }

void HttpServer::start() {
  for (const auto& ep : impl_->options.listen) {
    auto a = std::make_unique<tcp::acceptor>(impl_->io);
    a->open(ep.protocol());
    a->set_option(tcp::acceptor::reuse_address(true));
    if (ep.address().is_v6()) a->set_option(asio::ip::v6_only(true));
    a->bind(ep);
    a->listen(asio::socket_base::max_listen_connections);
    impl_->acceptors.push_back(std::move(a));
  }
  for (auto& a : impl_->acceptors) {
    asio::co_spawn(impl_->io, impl_->accept_loop(*a), asio::detached);
  }
}

std::vector<tcp::endpoint> HttpServer::local_endpoints() const {
  std::vector<tcp::endpoint> v;
  for (const auto& a : impl_->acceptors) {
    error_code ec;
    auto e = a->local_endpoint(ec);
    if (!ec) v.push_back(e);
  }
  return v;
}

void HttpServer::close_listeners() { impl_->close_listeners(); }

}  // namespace hpsim
