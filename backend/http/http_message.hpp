// What an HTTP exchange with a device is made of: endpoint, request, response, errors, deadlines.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"

namespace hpaio::backend {

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
  std::string host_override;  // a Host: value to send instead of the endpoint's ("localhost")
};

// An IPv6 address literal (has a colon), as opposed to an IPv4 one or a name.
bool is_ipv6_literal(std::string_view host);

// "host:port" as an HTTP Host header value, with brackets around IPv6 literals and the port left
// out when it is the scheme's default.
std::string host_header_value(const Endpoint& e);

}  // namespace hpaio::backend
