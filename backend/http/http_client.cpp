#include "backend/http/http_client.hpp"

#include <poll.h>

#include <charconv>

#include "backend/http/http_connection.hpp"
#include "base/ascii.hpp"

namespace hpaio::backend {

namespace {

constexpr int max_redirects = 3;

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

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

HttpClient::HttpClient(Endpoint endpoint, const CancelSignal* cancel)
    : endpoint_(std::move(endpoint)), cancel_(cancel) {}

HttpClient::~HttpClient() = default;

HttpConnection& HttpClient::connection() {
  if (!connection_) {
    connection_ = make_connection(endpoint_, cancel_);
    connection_->set_connect_timeout(connect_timeout_);
  }
  return *connection_;
}

void HttpClient::set_connect_timeout(std::chrono::milliseconds t) {
  connect_timeout_ = t;
  if (connection_) connection_->set_connect_timeout(t);
}

HttpResponse HttpClient::open_stream(const HttpRequest& req, Deadline deadline) {
  return connection().open(req, deadline);
}

std::size_t HttpClient::read_body(std::span<std::uint8_t> out, Deadline deadline) {
  return connection_ ? connection_->read_some(out, deadline) : 0;
}

bool HttpClient::body_done() const { return !connection_ || connection_->body_done(); }

HttpResponse HttpClient::request(const HttpRequest& original, Deadline deadline, std::size_t body_limit) {
  HttpRequest req = original;
  for (int hop = 0;; ++hop) {
    HttpResponse r = request_once(req, deadline, body_limit);
    if (!is_redirect(r.status) || hop == max_redirects) return r;
    std::optional<Target> t = parse_location(r.header("Location").value_or(""), endpoint_, req.host_override);
    if (!t) return r;
    if (t->endpoint) {
      connection_.reset();
      endpoint_ = *t->endpoint;
    }
    req.target = t->path;
    if (r.status == 303) {
      req.method = "GET";
      req.body.clear();
    }
  }
}

HttpResponse HttpClient::request_once(const HttpRequest& req, Deadline deadline, std::size_t body_limit) {
  HttpResponse r = open_stream(req, deadline);
  std::uint8_t chunk[16 * 1024];
  while (!body_done()) {
    std::size_t n = read_body(chunk, deadline);
    if (r.body.size() + n > body_limit) {
      close();
      throw HttpError(HttpError::Kind::too_large, req.method + " " + req.target + ": reply body from " +
                                                      host_header_value(endpoint_) + " is over " +
                                                      std::to_string(body_limit) + " bytes");
    }
    r.body.append(reinterpret_cast<const char*>(chunk), n);
  }
  return r;
}

void HttpClient::close() {
  if (connection_) connection_->drop();
}

void HttpClient::pause(std::chrono::milliseconds d) {
  Deadline until = Clock::now() + d;
  const CancelSignal* cancel = cancel_;
  for (;;) {
    if (cancel && cancel->raised())
      throw HttpError(HttpError::Kind::cancelled, "cancelled while waiting for the device");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return;
    pollfd p{cancel ? cancel->fd() : -1, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left.count()));  // EINTR: loop; readable: raised
  }
}

}  // namespace hpaio::backend
