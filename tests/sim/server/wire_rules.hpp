// What the socket layer does to a request's answer besides the device (Simulator): the
// http -> https redirect of --redirect-https, absolute Locations on HTTPS connections, and gzip
// (--gzip). Pure functions, unit-tested; HttpServer applies them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tests/sim/core/http_message.hpp"

namespace hpsim {

// Whether an Accept-Encoding value allows gzip (RFC 9110 12.5.3): "gzip" (or "x-gzip") with a
// q-value above 0, or "*" above 0 when gzip is not named. Empty or absent: no.
bool accepts_gzip(std::string_view accept_encoding);

// RFC 1952 gzip of `data` (zlib, default level), and its inverse; throw std::runtime_error.
std::string gzip_compress(std::string_view data);
std::string gunzip(std::string_view data);

// --gzip: an XML response (a Content-Type with "xml") with a body, to a request whose
// Accept-Encoding allows gzip, gets its body gzipped and Content-Encoding: gzip. A declared
// (wrong-content-length) length keeps its distance from the real one. Images, other types and
// requests without Accept-Encoding stay as they are. Returns whether it gzipped.
bool gzip_if_accepted(const Request& req, Response& resp);

// "host" of a Host header value: "127.0.0.1:8080" -> "127.0.0.1", "[::1]:80" -> "[::1]", "localhost"
// -> "localhost"; an unbracketed IPv6 literal gets brackets. Empty stays empty.
std::string host_of(std::string_view host_header);

// --redirect-https on a plain connection: 301 Moved Permanently, Location
// https://HOST[:https_port]/path[?query], HOST taken from the request's Host header (as the
// M477fdw builds it) or `fallback_host` without one, the port left out when it is 443; a short
// HTML body, framed with Content-Length.
Response https_redirect(const Request& req, std::string_view fallback_host, std::uint16_t https_port);

// "host:port" for URLs: IPv6 in brackets, and without ":port" when it is `default_port`.
std::string url_authority(std::string_view host, std::uint16_t port, std::uint16_t default_port);

// On an HTTPS connection, an absolute Location naming the device's plain address
// ("http://" + plain_authority + "/...", or that address without ":80") becomes
// "https://" + https_authority + "/...". Relative ones and the deliberately odd shapes
// (absolute-port80, bogus-host) stay as the device made them. Returns whether it changed.
bool location_to_https(Response& resp, std::string_view plain_authority, std::string_view https_authority);

}  // namespace hpsim
