#include "tests/sim/core/http_message.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace hpsim {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Request::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

bool Request::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(), [&](const Header& h) { return iequals(h.name, name); });
}

void Response::set_header(std::string name, std::string value) {
  for (auto& h : headers) {
    if (iequals(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  }
  headers.push_back(Header{std::move(name), std::move(value)});
}

std::string Response::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

WireResponse serialize(const Response& r) {
  WireResponse w;
  w.head = "HTTP/1.1 " + std::to_string(r.status) + " " + std::string(reason_phrase(r.status)) + "\r\n";
  for (const auto& h : r.headers) w.head += h.name + ": " + h.value + "\r\n";
  // 1xx/204/304 carry no body; everything else is framed.
  const bool bodiless = r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
  if (bodiless) {
    w.head += "\r\n";
    return w;
  }
  if (r.framing == Framing::content_length || r.delivery.declared_length) {
    const long long len =
        r.delivery.declared_length ? *r.delivery.declared_length : static_cast<long long>(r.body.size());
    w.head += "Content-Length: " + std::to_string(len) + "\r\n\r\n";
    w.body = r.body;
    return w;
  }
  w.head += "Transfer-Encoding: chunked\r\n\r\n";
  const std::size_t chunk = std::max<std::size_t>(1, r.chunk_size);
  for (std::size_t off = 0; off < r.body.size(); off += chunk) {
    const std::size_t n = std::min(chunk, r.body.size() - off);
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
    w.body += size_line;
    w.body.append(r.body, off, n);
    w.body += "\r\n";
  }
  w.body += "0\r\n\r\n";
  return w;
}

}  // namespace hpsim
