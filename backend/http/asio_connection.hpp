// The HTTP/1.1 exchange over Boost.Beast behind HttpConnection, for a Transport: PlainTransport
// (plain_connection.cpp, in the backend) or TlsTransport (tls_connection.cpp, libhpaio-tls.so).
// A Transport holds the connected stream:
//   bool connected() const;  tcp::socket& lowest();  void reset();
//   error_code start(tcp::socket connected, const Endpoint&, Run run);  // run(async start) bounded
//   auto with_stream(F f);   // f(stream&)
//   static constexpr const char* handshake;  // names start()'s step in messages
// Every wait ends by its deadline or at once when the CancelSignal is raised.
#pragma once

#include <poll.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <optional>

#include "backend/http/http_connection.hpp"

namespace hpaio::backend::connection {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

inline constexpr std::size_t header_limit = 32 * 1024;
inline constexpr std::size_t read_chunk = 64 * 1024;
inline constexpr const char* user_agent = "hpaio/0.1";

template <typename Transport>
class AsioConnection final : public HttpConnection {
 public:
  AsioConnection(Endpoint e, const CancelSignal* c) : endpoint_(std::move(e)), cancel(c) {
    // Beast reads as much as the buffer has room for, and no less than 512 bytes: without room,
    // a page arrives 512 bytes per system call.
    buffer.reserve(read_chunk);
    if (cancel) {
      int fd = ::dup(cancel->fd());
      if (fd >= 0) cancel_wait.emplace(ioc, fd);
    }
  }
  ~AsioConnection() override { drop(); }

  const Endpoint& endpoint() const override { return endpoint_; }
  void set_connect_timeout(std::chrono::milliseconds t) override { connect_timeout = t; }
  HttpResponse open(const HttpRequest& req, Deadline deadline) override { return open_impl(req, deadline); }
  std::size_t read_some(std::span<std::uint8_t> out, Deadline deadline) override { return read_impl(out, deadline); }
  bool body_done() const override { return !pending && (!parser || parser->is_done()); }

 private:
  Endpoint endpoint_;
  const CancelSignal* cancel;
  asio::io_context ioc;
  tcp::resolver resolver{ioc};
  asio::steady_timer timer{ioc};
  std::optional<asio::posix::stream_descriptor> cancel_wait;
  Transport transport;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::buffer_body>> parser;
  bool reused = false;               // the connection has carried a complete exchange already
  std::optional<HttpError> pending;  // a body failure to report after the bytes before it
  std::chrono::milliseconds connect_timeout{5000};

  enum class Abort { none, timeout, cancelled };
  Abort aborted = Abort::none;

  std::optional<tcp::socket> connecting;  // until the transport takes it

  bool connected() const { return transport.connected(); }

  tcp::socket& lowest() { return transport.lowest(); }

 public:
  void drop() override {
    error_code ignored;
    if (connected()) {
      lowest().shutdown(tcp::socket::shutdown_both, ignored);
      lowest().close(ignored);
    }
    transport.reset();
    connecting.reset();
    parser.reset();
    buffer.clear();
    reused = false;
  }

 private:
  // A new exchange forgets what an earlier body left unreported.
  void forget_pending() { pending.reset(); }

  void abort_io(Abort why) {
    aborted = why;
    resolver.cancel();
    error_code ignored;
    if (connected()) lowest().cancel(ignored);
    // Closed, not cancelled: a cancelled attempt would make the connect go on to the next address.
    if (connecting) connecting->close(ignored);
  }

  [[noreturn]] void fail(HttpError::Kind kind, const std::string& what) {
    drop();
    throw HttpError(kind, what);
  }

  std::string where() const { return host_header_value(endpoint_); }

  // Runs one asynchronous operation to completion, or until the deadline or a cancel.
  // With drop_on_abort false, a timeout or cancel leaves the parser (and what it read) in place
  // for the caller, which must drop() the connection.
  template <typename Start>
  error_code run(Start&& start, Deadline deadline, const char* what, bool drop_on_abort = true) {
    error_code result;
    bool done = false;
    aborted = Abort::none;
    start([&](error_code ec) {
      result = ec;
      done = true;
    });
    timer.expires_at(deadline);
    timer.async_wait([this](error_code ec) {
      if (!ec) abort_io(Abort::timeout);
    });
    if (cancel_wait) {
      cancel_wait->async_wait(asio::posix::stream_descriptor::wait_read, [this](error_code ec) {
        if (!ec) abort_io(Abort::cancelled);
      });
    }
    ioc.restart();
    while (!done && ioc.run_one() > 0) {
    }
    timer.cancel();
    if (cancel_wait) cancel_wait->cancel();
    ioc.restart();
    ioc.run();  // the cancelled waits complete at once
    if (aborted == Abort::cancelled || (cancel && cancel->raised())) {
      if (drop_on_abort) drop();
      throw HttpError(HttpError::Kind::cancelled, std::string(what) + " " + where() + ": cancelled");
    }
    if (aborted == Abort::timeout) {
      if (drop_on_abort) drop();
      throw HttpError(HttpError::Kind::timeout, std::string(what) + " " + where() + ": timed out");
    }
    return result;
  }

  void connect(Deadline request_deadline) {
    Deadline deadline = std::min(request_deadline, Clock::now() + connect_timeout);
    tcp::resolver::results_type addresses;
    error_code ec = run(
        [&](auto done) {
          auto flags = tcp::resolver::numeric_service;
          resolver.async_resolve(endpoint_.host, std::to_string(endpoint_.port), flags,
                                 [&addresses, done](error_code e, tcp::resolver::results_type r) {
                                   addresses = std::move(r);
                                   done(e);
                                 });
        },
        deadline, "resolving");
    if (ec) fail(HttpError::Kind::connect, "cannot resolve " + endpoint_.host + ": " + ec.message());

    connecting.emplace(ioc);
    ec = run(
        [&](auto done) {
          asio::async_connect(*connecting, addresses, [done](error_code e, const tcp::endpoint&) { done(e); });
        },
        deadline, "connecting to");
    if (ec) fail(HttpError::Kind::connect, "cannot connect to " + where() + ": " + ec.message());
    connecting->set_option(tcp::no_delay(true), ec);
    tcp::socket socket = std::move(*connecting);
    connecting.reset();
    ec = transport.start(std::move(socket), endpoint_,
                         [&](auto start) { return run(start, deadline, Transport::handshake); });
    if (ec)
      fail(HttpError::Kind::connect, std::string(Transport::handshake) + " " + where() + " failed: " + ec.message());
    reused = false;
  }

  // A kept-alive connection the peer has closed (or sent something unasked on) is readable.
  bool idle_connection_usable() {
    if (!connected() || buffer.size() != 0) return false;
    pollfd p{lowest().native_handle(), POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
  }

  template <typename F>
  auto with_stream(F&& f) {
    return transport.with_stream(std::forward<F>(f));
  }

  void send(const HttpRequest& req, Deadline deadline) {
    http::request<http::string_body> msg;
    msg.method_string(req.method);
    msg.target(req.target);
    msg.version(11);
    msg.set(http::field::host, req.host_override.empty() ? host_header_value(endpoint_) : req.host_override);
    msg.set(http::field::user_agent, user_agent);
    for (const Header& h : req.headers) msg.set(h.name, h.value);
    msg.body() = req.body;
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT") msg.prepare_payload();
    error_code ec = run(
        [&](auto done) {
          with_stream([&](auto& s) { http::async_write(s, msg, [done](error_code e, std::size_t) { done(e); }); });
        },
        deadline, "sending to");
    if (ec) fail(HttpError::Kind::closed, req.method + " " + req.target + " to " + where() + ": " + ec.message());
  }

  HttpResponse read_header(const HttpRequest& req, Deadline deadline) {
    parser.emplace();
    parser->header_limit(header_limit);
    // Boost 1.74 compares the length with an empty optional limit and fails: give a number.
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (req.method == "HEAD") parser->skip(true);
    error_code ec = run(
        [&](auto done) {
          with_stream([&](auto& s) {
            http::async_read_header(s, buffer, *parser, [done](error_code e, std::size_t) { done(e); });
          });
        },
        deadline, "waiting for a reply from");
    if (ec == http::error::header_limit)
      fail(HttpError::Kind::too_large, "reply header from " + where() + " too large");
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset) {
      fail(HttpError::Kind::closed, req.method + " " + req.target + ": " + where() + " closed the connection");
    }
    if (ec)
      fail(HttpError::Kind::protocol,
           req.method + " " + req.target + ": bad reply from " + where() + ": " + ec.message());
    HttpResponse r;
    const auto& h = parser->get();
    r.status = static_cast<int>(h.result_int());
    r.reason = std::string(h.reason());
    for (const auto& f : h) r.headers.push_back(Header{std::string(f.name_string()), std::string(f.value())});
    // A reply without a body (Content-Length: 0, a 204, a HEAD) is complete here: keep or close the
    // connection now, as its Connection header says, not when a body read that never comes.
    if (parser->is_done()) end_exchange();
    return r;
  }

  // The exchange is complete: the connection carries the next one, unless the peer said
  // "Connection: close" (or spoke HTTP/1.0 without keep-alive), in which case it is closed.
  void end_exchange() {
    if (parser->keep_alive()) {
      reused = true;
    } else {
      error_code ignored;
      lowest().close(ignored);
      transport.reset();
      buffer.clear();
    }
  }

  HttpResponse open_impl(const HttpRequest& req, Deadline deadline) {
    forget_pending();
    if (parser && !parser->is_done()) drop();  // an unfinished body poisons the connection
    bool retry_allowed = req.method != "POST";
    if (connected() && !idle_connection_usable()) drop();
    for (int attempt = 0;; ++attempt) {
      bool was_reused = connected() && reused;
      if (!connected()) connect(deadline);
      try {
        send(req, deadline);
        return read_header(req, deadline);
      } catch (const HttpError& e) {
        bool stale = was_reused && (e.kind() == HttpError::Kind::closed || e.kind() == HttpError::Kind::protocol);
        if (attempt == 0 && stale && retry_allowed) continue;
        throw;
      }
    }
  }

  // Body bytes of the open response. Bytes that arrived before a failure are returned first;
  // the failure is reported by the next call, so nothing the device sent is lost.
  std::size_t read_impl(std::span<std::uint8_t> out, Deadline deadline) {
    if (pending) {
      HttpError e = std::move(*pending);
      pending.reset();
      throw e;
    }
    if (!parser || parser->is_done() || out.empty()) return 0;
    auto& body = parser->get().body();
    body.data = out.data();
    body.size = out.size();
    auto received = [&] { return out.size() - body.size; };
    error_code ec;
    try {
      ec = run(
          [&](auto done) {
            with_stream(
                [&](auto& s) { http::async_read(s, buffer, *parser, [done](error_code e, std::size_t) { done(e); }); });
          },
          deadline, "reading from", /*drop_on_abort=*/false);
    } catch (const HttpError& e) {
      std::size_t n = received();
      drop();
      if (n == 0) throw;
      pending = e;
      return n;
    }
    if (ec == http::error::need_buffer) ec = {};
    std::size_t n = received();
    body.data = nullptr;
    body.size = 0;
    if (ec) {
      bool closed = ec == http::error::partial_message || ec == http::error::end_of_stream || ec == asio::error::eof ||
                    ec == asio::error::connection_reset;
      HttpError e(closed ? HttpError::Kind::closed : HttpError::Kind::protocol,
                  closed ? where() + " closed the connection in the middle of a body"
                         : "bad body from " + where() + ": " + ec.message());
      drop();
      if (n == 0) throw e;
      pending = std::move(e);
      return n;
    }
    if (parser->is_done()) end_exchange();
    return n;
  }
};

}  // namespace hpaio::backend::connection
