#include "tests/sim/server/wire_rules.hpp"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <optional>
#include <stdexcept>

namespace hpsim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The q-value of one Accept-Encoding element's parameters ("q=0.5"); 1 without one.
double q_value(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      const std::string v(trim(p.substr(2)));
      char* end = nullptr;
      const double q = std::strtod(v.c_str(), &end);
      return end == v.c_str() ? 0.0 : q;
    }
  }
  return 1.0;
}

bool contains_icase(std::string_view hay, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<double> gzip_q, star_q;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string_view element = trim(accept_encoding.substr(0, comma));
    accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    const auto semi = element.find(';');
    const std::string_view coding = trim(element.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1.0 : q_value(element.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      gzip_q = q;
    } else if (coding == "*") {
      star_q = q;
    }
  }
  if (gzip_q) return *gzip_q > 0;
  return star_q && *star_q > 0;
}

std::string gzip_compress(std::string_view data) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

std::string gunzip(std::string_view data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("not a complete gzip stream");
  return out;
}

bool gzip_if_accepted(const Request& req, Response& resp) {
  if (resp.body.empty() || !resp.header("Content-Encoding").empty()) return false;
  if (!contains_icase(resp.header("Content-Type"), "xml")) return false;
  if (!accepts_gzip(req.header("Accept-Encoding"))) return false;
  const long long before = static_cast<long long>(resp.body.size());
  resp.body = gzip_compress(resp.body);
  if (resp.delivery.declared_length) {
    *resp.delivery.declared_length += static_cast<long long>(resp.body.size()) - before;
  }
  resp.set_header("Content-Encoding", "gzip");
  return true;
}

std::string host_of(std::string_view host_header) {
  std::string_view h = trim(host_header);
  if (h.starts_with("[")) {
    const auto close = h.find(']');
    return std::string(close == std::string_view::npos ? h : h.substr(0, close + 1));
  }
  const auto colon = h.find(':');
  if (colon == std::string_view::npos) return std::string(h);
  if (h.find(':', colon + 1) != std::string_view::npos) return "[" + std::string(h) + "]";  // bare IPv6
  return std::string(h.substr(0, colon));
}

std::string url_authority(std::string_view host, std::uint16_t port, std::uint16_t default_port) {
  std::string a(host);
  if (a.find(':') != std::string::npos && !a.starts_with("[")) a = "[" + a + "]";
  if (port != default_port) a += ":" + std::to_string(port);
  return a;
}

Response https_redirect(const Request& req, std::string_view fallback_host, std::uint16_t https_port) {
  std::string host = host_of(req.header("Host"));
  if (host.empty()) host = std::string(fallback_host);
  std::string target = req.path.empty() ? std::string("/") : req.path;
  if (!req.query.empty()) target += "?" + req.query;
  const std::string location = "https://" + url_authority(host, https_port, 443) + target;
  Response r;
  r.status = 301;
  r.set_header("Location", location);
  r.set_header("Content-Type", "text/html");
  r.body = "<html><head><title>301 Moved Permanently</title></head><body>Moved to <a href=\"" + location + "\">" +
           location + "</a></body></html>\n";
  r.framing = Framing::content_length;
  return r;
}

bool location_to_https(Response& resp, std::string_view plain_authority, std::string_view https_authority) {
  std::string loc = resp.header("Location");
  if (loc.empty()) return false;
  const std::string a(plain_authority);
  std::string prefixes[2] = {"http://" + a + "/", {}};
  if (a.ends_with(":80")) prefixes[1] = "http://" + a.substr(0, a.size() - 3) + "/";
  for (const auto& p : prefixes) {
    if (!p.empty() && loc.starts_with(p)) {
      resp.set_header("Location", "https://" + std::string(https_authority) + loc.substr(p.size() - 1));
      return true;
    }
  }
  return false;
}

}  // namespace hpsim
