#include "backend/http_client.hpp"

#include "models/ascii.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <limits>

#include <poll.h>
#include <unistd.h>

namespace hpaio::backend {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t header_limit = 32 * 1024;
constexpr std::size_t read_chunk = 64 * 1024;
constexpr const char* user_agent = "hpaio/0.1";

bool is_ipv6_literal(std::string_view host) { return host.find(':') != std::string_view::npos; }

}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::string host_header_value(const Endpoint& e) {
  std::string host = e.host;
  if (is_ipv6_literal(host)) {
    // RFC 6874: the zone is percent-encoded inside the brackets.
    std::size_t pct = host.find('%');
    if (pct != std::string::npos) host.replace(pct, 1, "%25");
    host = "[" + host + "]";
  }
  bool default_port = (!e.tls && e.port == 80) || (e.tls && e.port == 443);
  return default_port ? host : host + ":" + std::to_string(e.port);
}

struct HttpClient::Impl {
  Endpoint endpoint;
  const CancelSignal* cancel;
  asio::io_context ioc;
  tcp::resolver resolver{ioc};
  asio::steady_timer timer{ioc};
  std::optional<asio::posix::stream_descriptor> cancel_wait;
  std::optional<ssl::context> tls_context;
  std::optional<tcp::socket> plain;
  std::optional<ssl::stream<tcp::socket>> tls;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::buffer_body>> parser;
  bool reused = false;  // the connection has carried a complete exchange already
  std::optional<HttpError> pending;  // a body failure to report after the bytes before it
  std::chrono::milliseconds connect_timeout{5000};

  enum class Abort { none, timeout, cancelled };
  Abort aborted = Abort::none;

  Impl(Endpoint e, const CancelSignal* c) : endpoint(std::move(e)), cancel(c) {
    // Beast reads as much as the buffer has room for, and no less than 512 bytes: without room,
    // a page arrives 512 bytes per system call.
    buffer.reserve(read_chunk);
    if (cancel) {
      int fd = ::dup(cancel->fd());
      if (fd >= 0) cancel_wait.emplace(ioc, fd);
    }
  }

  bool connected() const { return plain || tls; }

  tcp::socket& lowest() { return tls ? tls->next_layer() : *plain; }

  void drop() {
    error_code ignored;
    if (connected()) {
      lowest().shutdown(tcp::socket::shutdown_both, ignored);
      lowest().close(ignored);
    }
    tls.reset();
    plain.reset();
    parser.reset();
    buffer.clear();
    reused = false;
  }

  // A new exchange forgets what an earlier body left unreported.
  void forget_pending() { pending.reset(); }

  void abort_io(Abort why) {
    aborted = why;
    resolver.cancel();
    error_code ignored;
    if (connected()) lowest().cancel(ignored);
  }

  [[noreturn]] void fail(HttpError::Kind kind, const std::string& what) {
    drop();
    throw HttpError(kind, what);
  }

  std::string where() const { return host_header_value(endpoint); }

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
          resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), flags,
                                 [&addresses, done](error_code e, tcp::resolver::results_type r) {
                                   addresses = std::move(r);
                                   done(e);
                                 });
        },
        deadline, "resolving");
    if (ec) fail(HttpError::Kind::connect, "cannot resolve " + endpoint.host + ": " + ec.message());

    plain.emplace(ioc);
    ec = run(
        [&](auto done) {
          asio::async_connect(*plain, addresses, [done](error_code e, const tcp::endpoint&) { done(e); });
        },
        deadline, "connecting to");
    if (ec) fail(HttpError::Kind::connect, "cannot connect to " + where() + ": " + ec.message());
    plain->set_option(tcp::no_delay(true), ec);

    if (endpoint.tls) {
      if (!tls_context) {
        tls_context.emplace(ssl::context::tls_client);
        // Device certificates are self-signed and HP's TLS is old: accept both.
        tls_context->set_verify_mode(ssl::verify_none);
        SSL_CTX_set_security_level(tls_context->native_handle(), 0);
      }
      tls.emplace(std::move(*plain), *tls_context);
      plain.reset();
      if (!is_ipv6_literal(endpoint.host)) SSL_set_tlsext_host_name(tls->native_handle(), endpoint.host.c_str());
      ec = run([&](auto done) { tls->async_handshake(ssl::stream_base::client, done); }, deadline, "TLS handshake with");
      if (ec) fail(HttpError::Kind::connect, "TLS handshake with " + where() + " failed: " + ec.message());
    }
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
    if (tls) return f(*tls);
    return f(*plain);
  }

  void send(const HttpRequest& req, Deadline deadline) {
    http::request<http::string_body> msg;
    msg.method_string(req.method);
    msg.target(req.target);
    msg.version(11);
    msg.set(http::field::host, req.host_override.empty() ? host_header_value(endpoint) : req.host_override);
    msg.set(http::field::user_agent, user_agent);
    for (const Header& h : req.headers) msg.set(h.name, h.value);
    msg.body() = req.body;
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT") msg.prepare_payload();
    error_code ec = run([&](auto done) {
      with_stream([&](auto& s) { http::async_write(s, msg, [done](error_code e, std::size_t) { done(e); }); });
    }, deadline, "sending to");
    if (ec) fail(HttpError::Kind::closed, req.method + " " + req.target + " to " + where() + ": " + ec.message());
  }

  HttpResponse read_header(const HttpRequest& req, Deadline deadline) {
    parser.emplace();
    parser->header_limit(header_limit);
    // Boost 1.74 compares the length with an empty optional limit and fails: give a number.
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (req.method == "HEAD") parser->skip(true);
    error_code ec = run([&](auto done) {
      with_stream([&](auto& s) { http::async_read_header(s, buffer, *parser, [done](error_code e, std::size_t) { done(e); }); });
    }, deadline, "waiting for a reply from");
    if (ec == http::error::header_limit) fail(HttpError::Kind::too_large, "reply header from " + where() + " too large");
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset) {
      fail(HttpError::Kind::closed, req.method + " " + req.target + ": " + where() + " closed the connection");
    }
    if (ec) fail(HttpError::Kind::protocol, req.method + " " + req.target + ": bad reply from " + where() + ": " + ec.message());
    HttpResponse r;
    const auto& h = parser->get();
    r.status = static_cast<int>(h.result_int());
    r.reason = std::string(h.reason());
    for (const auto& f : h) r.headers.push_back(Header{std::string(f.name_string()), std::string(f.value())});
    return r;
  }

  HttpResponse open(const HttpRequest& req, Deadline deadline) {
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
  std::size_t read_some(std::span<std::uint8_t> out, Deadline deadline) {
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
      ec = run([&](auto done) {
        with_stream([&](auto& s) { http::async_read(s, buffer, *parser, [done](error_code e, std::size_t) { done(e); }); });
      }, deadline, "reading from", /*drop_on_abort=*/false);
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
      bool closed = ec == http::error::partial_message || ec == http::error::end_of_stream ||
                    ec == asio::error::eof || ec == asio::error::connection_reset;
      HttpError e(closed ? HttpError::Kind::closed : HttpError::Kind::protocol,
                  closed ? where() + " closed the connection in the middle of a body"
                         : "bad body from " + where() + ": " + ec.message());
      drop();
      if (n == 0) throw e;
      pending = std::move(e);
      return n;
    }
    if (parser->is_done()) {
      if (parser->keep_alive()) {
        reused = true;
      } else {
        error_code ignored;
        lowest().close(ignored);
        tls.reset();
        plain.reset();
        buffer.clear();
      }
    }
    return n;
  }
};

HttpClient::HttpClient(Endpoint endpoint, const CancelSignal* cancel)
    : impl_(std::make_unique<Impl>(std::move(endpoint), cancel)) {}

HttpClient::~HttpClient() { impl_->drop(); }

const Endpoint& HttpClient::endpoint() const { return impl_->endpoint; }

void HttpClient::set_connect_timeout(std::chrono::milliseconds t) { impl_->connect_timeout = t; }

HttpResponse HttpClient::open_stream(const HttpRequest& req, Deadline deadline) { return impl_->open(req, deadline); }

std::size_t HttpClient::read_body(std::span<std::uint8_t> out, Deadline deadline) {
  return impl_->read_some(out, deadline);
}

bool HttpClient::body_done() const { return !impl_->pending && (!impl_->parser || impl_->parser->is_done()); }

namespace {

constexpr int max_redirects = 3;

bool is_redirect(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

struct Target {
  std::optional<Endpoint> endpoint;  // absent: the same one
  std::string path;
};

// "https://host:port/path?q", "//host/path" or "/path"; nullopt when unusable.
// `alias`: another name the device goes by in this exchange (the Host: override, "localhost").
std::optional<Target> parse_location(std::string_view loc, const Endpoint& current, std::string_view alias) {
  Target t;
  loc = trim_blanks(loc);
  if (loc.starts_with("/") && !loc.starts_with("//")) {
    t.path = std::string(loc);
    return t;
  }
  Endpoint e = current;
  std::size_t rest = 0;
  if (istarts_with(loc, "https://")) {
    e.tls = true;
    e.port = 443;
    rest = 8;
  } else if (istarts_with(loc, "http://")) {
    e.tls = false;
    e.port = 80;
    rest = 7;
  } else {
    return std::nullopt;
  }
  std::string_view authority = loc.substr(rest);
  std::size_t slash = authority.find('/');
  std::string_view path = slash == std::string_view::npos ? "/" : authority.substr(slash);
  authority = authority.substr(0, slash);
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with("[")) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
  } else if (std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!port.empty()) {
    unsigned p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || ptr != port.data() + port.size() || p == 0 || p > 65535) return std::nullopt;
    e.port = static_cast<std::uint16_t>(p);
  }
  std::string h(host);
  if (std::size_t pct = h.find("%25"); pct != std::string::npos) h.replace(pct, 3, "%");
  if (!iequals(h, current.host) && !(iequals(h, alias) && !alias.empty())) return std::nullopt;  // another host
  e.host = current.host;
  t.endpoint = e;
  t.path = std::string(path);
  return t;
}

}  // namespace

HttpResponse HttpClient::request(const HttpRequest& original, Deadline deadline, std::size_t body_limit) {
  HttpRequest req = original;
  for (int hop = 0;; ++hop) {
    HttpResponse r = request_once(req, deadline, body_limit);
    if (!is_redirect(r.status) || hop == max_redirects) return r;
    std::optional<Target> t = parse_location(r.header("Location").value_or(""), impl_->endpoint, req.host_override);
    if (!t) return r;
    if (t->endpoint) {
      impl_->drop();
      impl_->endpoint = *t->endpoint;
    }
    req.target = t->path;
    if (r.status == 303) {
      req.method = "GET";
      req.body.clear();
    }
  }
}

HttpResponse HttpClient::request_once(const HttpRequest& req, Deadline deadline, std::size_t body_limit) {
  HttpResponse r = impl_->open(req, deadline);
  std::uint8_t chunk[16 * 1024];
  while (!body_done()) {
    std::size_t n = read_body(chunk, deadline);
    if (r.body.size() + n > body_limit) {
      impl_->drop();
      throw HttpError(HttpError::Kind::too_large, req.method + " " + req.target + ": reply body from " +
                                                      impl_->where() + " is over " + std::to_string(body_limit) +
                                                      " bytes");
    }
    r.body.append(reinterpret_cast<const char*>(chunk), n);
  }
  return r;
}

void HttpClient::close() { impl_->drop(); }

void HttpClient::pause(std::chrono::milliseconds d) {
  Deadline until = Clock::now() + d;
  const CancelSignal* cancel = impl_->cancel;
  for (;;) {
    if (cancel && cancel->raised()) throw HttpError(HttpError::Kind::cancelled, "cancelled while waiting for the device");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return;
    pollfd p{cancel ? cancel->fd() : -1, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left.count()));  // EINTR: loop; readable: raised
  }
}

}  // namespace hpaio::backend
