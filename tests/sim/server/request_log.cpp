#include "tests/sim/server/request_log.hpp"

#include <cstdio>

#include "base/json.hpp"

namespace hpsim {

using hpaio::json_escape;

RequestLog::RequestLog(std::ostream* out) : out_(out), start_(std::chrono::steady_clock::now()) {}

double RequestLog::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string RequestLog::format(double t, std::uint64_t conn, const std::string& peer, const Request& req,
                               const Response& resp, bool tls) {
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", t);
  std::string o = std::string("{\"t\":") + ts + ",\"conn\":" + std::to_string(conn) + ",\"peer\":\"" +
                  json_escape(peer) + "\",\"method\":\"" + json_escape(req.method) + "\",\"target\":\"" +
                  json_escape(req.target) + "\",\"path\":\"" + json_escape(req.path) + "\",\"headers\":[";
  bool first = true;
  for (const auto& h : req.headers) {
    o += std::string(first ? "" : ",") + "[\"" + json_escape(h.name) + "\",\"" + json_escape(h.value) + "\"]";
    first = false;
  }
  o += "],\"stray_lines\":" + std::to_string(req.stray_lines) + ",\"body_size\":" + std::to_string(req.body.size());
  if (!req.body.empty() && req.body.size() <= 8192) o += ",\"body\":\"" + json_escape(req.body) + "\"";
  o += ",\"status\":" + std::to_string(resp.status) + ",\"response_size\":" + std::to_string(resp.body.size());
  const std::string loc = resp.header("Location");
  if (!loc.empty()) o += ",\"location\":\"" + json_escape(loc) + "\"";
  const std::string content_location = resp.header("Content-Location");
  if (!content_location.empty()) o += ",\"content_location\":\"" + json_escape(content_location) + "\"";
  const std::string encoding = resp.header("Content-Encoding");
  if (!encoding.empty()) o += ",\"content_encoding\":\"" + json_escape(encoding) + "\"";
  if (resp.delivery.close_after) o += ",\"close\":true";
  if (tls) o += ",\"tls\":true";
  o += "}";
  return o;
}

void RequestLog::request(std::uint64_t conn, const std::string& peer, const Request& req, const Response& resp,
                         bool tls) {
  if (out_ == nullptr) return;
  *out_ << format(elapsed(), conn, peer, req, resp, tls) << '\n' << std::flush;
}

void RequestLog::event(std::uint64_t conn, const std::string& peer, std::string_view what, std::string_view detail) {
  if (out_ == nullptr) return;
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", elapsed());
  *out_ << "{\"t\":" << ts << ",\"conn\":" << conn << ",\"peer\":\"" << json_escape(peer) << "\",\"event\":\""
        << json_escape(what) << "\"";
  if (!detail.empty()) *out_ << ",\"detail\":\"" << json_escape(detail) << "\"";
  *out_ << "}\n" << std::flush;
}

}  // namespace hpsim
