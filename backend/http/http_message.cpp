#include "backend/http/http_message.hpp"

#include "base/ascii.hpp"

namespace hpaio::backend {

bool is_ipv6_literal(std::string_view host) { return host.find(':') != std::string_view::npos; }

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

}  // namespace hpaio::backend
