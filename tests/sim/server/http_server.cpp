#include "tests/sim/server/http_server.hpp"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <type_traits>

#include "tests/sim/core/request_parser.hpp"
#include "tests/sim/server/wire_rules.hpp"

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

using TlsStream = asio::ssl::stream<tcp::socket>;

template <typename Stream>
constexpr bool is_tls = !std::is_same_v<Stream, tcp::socket>;

// One connection's stream (a plain socket or TLS over one) plus the watchdog deadline that bounds
// every wait on it.
template <typename Stream>
struct Connection {
  template <typename... Extra>
  explicit Connection(tcp::socket s, Extra&... extra)
      : stream(std::move(s), extra...), watchdog(stream.get_executor()) {}
  Stream stream;
  asio::steady_timer watchdog;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  auto& socket() { return stream.lowest_layer(); }
  // Abrupt: TCP FIN without a TLS close_notify.
  void close() {
    error_code ec;
    socket().shutdown(tcp::socket::shutdown_both, ec);
    socket().close(ec);
    watchdog.cancel();
  }
  void reset() {
    error_code ec;
    socket().set_option(asio::socket_base::linger(true, 0), ec);
    socket().close(ec);
    watchdog.cancel();
  }
};

std::string endpoint_text(const tcp::endpoint& e) {
  const auto a = e.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(e.port());
}

// The address a URL names for a listener: loopback for an unspecified one.
asio::ip::address url_address(const tcp::endpoint& e) {
  const auto a = e.address();
  if (!a.is_unspecified()) return a;
  return a.is_v6() ? asio::ip::address(asio::ip::address_v6::loopback())
                   : asio::ip::address(asio::ip::address_v4::loopback());
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& i, Simulator& s, RequestLog& l, ServerOptions o)
      : io(i), sim(s), log(l), options(std::move(o)) {}

  struct Listener {
    std::unique_ptr<tcp::acceptor> acceptor;
    bool tls = false;
  };

  asio::io_context& io;
  Simulator& sim;
  RequestLog& log;
  ServerOptions options;
  std::vector<Listener> listeners;
  std::string https_host;  // the first HTTPS listener's address, for URLs ("127.0.0.1", "[::1]")
  std::uint16_t https_port = 0;
  std::uint64_t next_conn = 1;
  bool closed = false;

  void close_listeners() {
    closed = true;
    for (auto& l : listeners) {
      error_code ec;
      l.acceptor->close(ec);
    }
  }

  asio::awaitable<void> accept_loop(Listener& listener) {
    auto self = shared_from_this();
    tcp::acceptor& acceptor = *listener.acceptor;
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
      const std::uint64_t id = next_conn++;
      if (listener.tls) {
        start(std::make_shared<Connection<TlsStream>>(std::move(s), *options.tls), id);
      } else {
        start(std::make_shared<Connection<tcp::socket>>(std::move(s)), id);
      }
    }
  }

  template <typename Stream>
  void start(std::shared_ptr<Connection<Stream>> conn, std::uint64_t id) {
    asio::co_spawn(io, watchdog(conn), asio::detached);
    asio::co_spawn(io, session(conn, id), asio::detached);
  }

  template <typename Stream>
  static asio::awaitable<void> watchdog(std::shared_ptr<Connection<Stream>> c) {
    while (c->socket().is_open()) {
      c->watchdog.expires_at(c->deadline);
      error_code ec;
      co_await c->watchdog.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (!c->socket().is_open()) co_return;
      if (std::chrono::steady_clock::now() >= c->deadline) {
        c->close();
        co_return;
      }
    }
  }

  template <typename Stream>
  void arm(Connection<Stream>& c, std::chrono::seconds d) {
    c.deadline = std::chrono::steady_clock::now() + d;
    c.watchdog.cancel();  // the watchdog re-arms with the new deadline
  }

  template <typename Stream>
  asio::awaitable<bool> write(Connection<Stream>& c, std::string_view bytes) {
    if (bytes.empty()) co_return true;
    arm(c, options.write_timeout);
    error_code ec;
    co_await asio::async_write(c.stream, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  template <typename Stream>
  asio::awaitable<void> sleep(Connection<Stream>& c, std::chrono::milliseconds d) {
    asio::steady_timer t(c.stream.get_executor());
    t.expires_after(d);
    error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }

  // Ends a connection the server chose to end: over TLS with a close_notify first (waiting at most
  // two seconds for the peer's), then the TCP close.
  template <typename Stream>
  asio::awaitable<void> finish(Connection<Stream>& c) {
    if constexpr (is_tls<Stream>) {
      if (c.socket().is_open()) {
        arm(c, std::chrono::seconds(2));
        error_code ec;
        co_await c.stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    c.close();
  }

  // Sends one response with its wire faults. Returns false when the connection is finished.
  template <typename Stream>
  asio::awaitable<bool> send(Connection<Stream>& c, const Response& r) {
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
      asio::steady_timer t(c.stream.get_executor());
      t.expires_at(until);
      t.async_wait([&c](error_code e) {
        if (!e) c.close();
      });
      while (c.socket().is_open() && std::chrono::steady_clock::now() < until) {
        error_code ec;
        co_await c.stream.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
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

  // The answer to one request: the device's, or the redirect to https on a plain connection with
  // --redirect-https; then the transport's rules (absolute Locations over TLS, gzip).
  Response respond(const Request& req, bool tls) {
    Response resp;
    if (!tls && options.redirect_https && https_port != 0) {
      resp = https_redirect(req, https_host, https_port);
      apply_common(sim.config(), resp);
      return resp;
    }
    try {
      resp = sim.handle(req, std::chrono::steady_clock::now());
    } catch (const std::exception& e) {
      resp = simple_response(500, std::string("simulator error: ") + e.what() + "\n", "text/plain");
      resp.framing = Framing::content_length;
    }
    if (tls) location_to_https(resp, sim.config().authority, url_authority(https_host, https_port, 443));
    if (options.gzip) gzip_if_accepted(req, resp);
    return resp;
  }

  template <typename Stream>
  asio::awaitable<void> session(std::shared_ptr<Connection<Stream>> c, std::uint64_t id) {
    auto self = shared_from_this();
    error_code ec;
    const std::string peer = endpoint_text(c->socket().remote_endpoint(ec));
    const std::string local = endpoint_text(c->socket().local_endpoint(ec));  // Request::local
    if constexpr (is_tls<Stream>) {
      arm(*c, options.idle_timeout);
      co_await c->stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        log.event(id, peer, "tls-handshake-failed", ec.message());
        c->close();
        co_return;
      }
      const SSL* ssl = c->stream.native_handle();
      log.event(id, peer, "tls",
                std::string(SSL_get_version(ssl)) + " " + SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
    }
    RequestParser parser;
    std::array<char, 16384> buf{};
    bool open = true;
    while (open && c->socket().is_open()) {
      arm(*c, options.idle_timeout);
      const std::size_t n =
          co_await c->stream.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      parser.feed(std::string_view(buf.data(), n));
      if (parser.take_continue_request()) {
        if (!co_await write(*c, "HTTP/1.1 100 Continue\r\n\r\n")) break;
      }
      while (auto req = parser.next()) {
        req->local = local;
        Response resp = respond(*req, is_tls<Stream>);
        const std::string conn_hdr = req->header("Connection");
        const bool close = options.close_each_response || iequals(conn_hdr, "close") ||
                           (req->version == "HTTP/1.0" && !iequals(conn_hdr, "keep-alive"));
        if (close) {
          resp.set_header("Connection", "close");
          resp.delivery.close_after = true;
        }
        log.request(id, peer, *req, resp, is_tls<Stream>);
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
    // The server ends a connection it still has open (a Connection: close response, a bad
    // request); the peer's close or an expired deadline has closed it already otherwise.
    if (!open || parser.failed()) {
      co_await finish(*c);
    } else {
      c->close();
    }
  }
};

HttpServer::HttpServer(asio::io_context& io, Simulator& sim, RequestLog& log, ServerOptions options)
    : impl_(std::make_shared<Impl>(io, sim, log, std::move(options))) {}

HttpServer::~HttpServer() { impl_->close_listeners(); }

void HttpServer::start() {
  if (!impl_->options.https.empty() && !impl_->options.tls) {
    throw std::invalid_argument("HttpServer: HTTPS listeners need a TLS context");
  }
  auto bind = [&](const tcp::endpoint& ep, bool tls) {
    auto a = std::make_unique<tcp::acceptor>(impl_->io);
    a->open(ep.protocol());
    a->set_option(tcp::acceptor::reuse_address(true));
    if (ep.address().is_v6()) a->set_option(asio::ip::v6_only(true));
    a->bind(ep);
    a->listen(asio::socket_base::max_listen_connections);
    impl_->listeners.push_back(Impl::Listener{std::move(a), tls});
  };
  for (const auto& ep : impl_->options.listen) bind(ep, false);
  for (const auto& ep : impl_->options.https) bind(ep, true);
  if (const auto https = https_endpoints(); !https.empty()) {
    const auto a = url_address(https.front());
    impl_->https_host = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
    impl_->https_port = https.front().port();
  }
  for (auto& l : impl_->listeners) {
    asio::co_spawn(impl_->io, impl_->accept_loop(l), asio::detached);
  }
}

namespace {
std::vector<tcp::endpoint> bound(const std::vector<HttpServer::Impl::Listener>& listeners, bool tls) {
  std::vector<tcp::endpoint> v;
  for (const auto& l : listeners) {
    if (l.tls != tls) continue;
    error_code ec;
    auto e = l.acceptor->local_endpoint(ec);
    if (!ec) v.push_back(e);
  }
  return v;
}
}  // namespace

std::vector<tcp::endpoint> HttpServer::local_endpoints() const { return bound(impl_->listeners, false); }

std::vector<tcp::endpoint> HttpServer::https_endpoints() const { return bound(impl_->listeners, true); }

void HttpServer::close_listeners() { impl_->close_listeners(); }

}  // namespace hpsim
