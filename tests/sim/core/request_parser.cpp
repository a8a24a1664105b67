#include "tests/sim/core/request_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "base/ascii.hpp"

namespace hpsim {

namespace {

std::string_view trim(std::string_view s) { return hpaio::trim_blanks(s); }

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
}

}  // namespace

void split_target(std::string_view target, std::string& path, std::string& query) {
  std::string_view t = target;
  const auto scheme = t.find("://");
  if (scheme != std::string_view::npos && scheme < t.find('/')) {
    t.remove_prefix(scheme + 3);
    const auto slash = t.find('/');
    t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
  }
  const auto q = t.find('?');
  const std::string_view p = t.substr(0, q);
  path.assign(p.empty() ? std::string_view("/") : p);
  query.assign(q == std::string_view::npos ? std::string_view() : t.substr(q + 1));
}

void RequestParser::feed(std::string_view bytes) {
  if (failed_) return;
  buf_.append(bytes);
  run();
}

std::optional<Request> RequestParser::next() {
  if (ready_.empty()) return std::nullopt;
  Request r = std::move(ready_.front());
  ready_.pop_front();
  return r;
}

bool RequestParser::take_continue_request() {
  const bool c = continue_pending_;
  continue_pending_ = false;
  return c;
}

void RequestParser::fail(int status, std::string why) {
  failed_ = true;
  error_status_ = status;
  error_ = std::move(why);
}

std::optional<std::string> RequestParser::take_line() {
  const auto nl = buf_.find('\n');
  if (nl == std::string::npos) return std::nullopt;
  std::string line = buf_.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  buf_.erase(0, nl + 1);
  return line;
}

bool RequestParser::parse_head(std::string_view head) {
  cur_ = Request{};
  bool first = true;
  while (!head.empty()) {
    const auto nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view{} : head.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {
      first = false;
      const auto sp1 = line.find(' ');
      const auto sp2 = line.rfind(' ');
      if (sp1 == std::string_view::npos || sp2 == sp1) {
        fail(400, "malformed request line");
        return false;
      }
      cur_.method = std::string(line.substr(0, sp1));
      cur_.target = std::string(trim(line.substr(sp1 + 1, sp2 - sp1 - 1)));
      cur_.version = std::string(line.substr(sp2 + 1));
      if (!is_token(cur_.method) || cur_.target.empty() || !cur_.version.starts_with("HTTP/1.")) {
        fail(400, "malformed request line");
        return false;
      }
      split_target(cur_.target, cur_.path, cur_.query);
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      ++cur_.stray_lines;  // e.g. HPLIP's "0" line: ignored like HP firmware does
      continue;
    }
    cur_.headers.push_back(Header{std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  return true;
}

void RequestParser::run() {
  while (!failed_) {
    switch (state_) {
      case State::head: {
        // Blank lines between requests (and HPLIP's stray "0" after a body) are skipped.
        while (true) {
          const auto nl = buf_.find('\n');
          if (nl == std::string::npos) break;
          std::string_view first(buf_.data(), nl);
          if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
          if (first.empty() || first == "0") {
            buf_.erase(0, nl + 1);
            continue;
          }
          break;
        }
        std::size_t end = buf_.find("\r\n\r\n");
        std::size_t sep = 4;
        const std::size_t lf = buf_.find("\n\n");
        if (lf != std::string::npos && (end == std::string::npos || lf < end)) {
          end = lf;
          sep = 2;
        }
        if (end == std::string::npos) {
          if (buf_.size() > limits_.max_head) fail(431, "request head too large");
          return;
        }
        if (end > limits_.max_head) {
          fail(431, "request head too large");
          return;
        }
        const std::string head = buf_.substr(0, end);
        buf_.erase(0, end + sep);
        if (!parse_head(head)) return;
        const std::string te = cur_.header("Transfer-Encoding");
        const std::string cl = cur_.header("Content-Length");
        if (!te.empty() && te.find("chunked") != std::string::npos) {
          state_ = State::chunk_size;
        } else if (!cl.empty()) {
          unsigned long long n = 0;
          const auto* b = cl.data();
          const auto [p, ec] = std::from_chars(b, b + cl.size(), n);
          if (ec != std::errc() || p != b + cl.size()) {
            fail(400, "bad Content-Length");
            return;
          }
          if (n > limits_.max_body) {
            fail(413, "request body too large");
            return;
          }
          remaining_ = static_cast<std::size_t>(n);
          state_ = remaining_ == 0 ? State::done : State::body_length;
        } else {
          state_ = State::done;
        }
        if (state_ != State::done && iequals(cur_.header("Expect"), "100-continue")) continue_pending_ = true;
        break;
      }
      case State::body_length: {
        const std::size_t n = std::min(remaining_, buf_.size());
        cur_.body.append(buf_, 0, n);
        buf_.erase(0, n);
        remaining_ -= n;
        if (remaining_ > 0) return;
        state_ = State::done;
        break;
      }
      case State::chunk_size: {
        auto line = take_line();
        if (!line) {
          if (buf_.size() > 1024) fail(400, "chunk size line too long");
          return;
        }
        std::string_view s = trim(*line);
        if (const auto semi = s.find(';'); semi != std::string_view::npos) s = s.substr(0, semi);
        unsigned long long n = 0;
        const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n, 16);
        if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
          fail(400, "bad chunk size");
          return;
        }
        if (cur_.body.size() + n > limits_.max_body) {
          fail(413, "request body too large");
          return;
        }
        remaining_ = static_cast<std::size_t>(n);
        state_ = n == 0 ? State::chunk_trailer : State::chunk_data;
        break;
      }
      case State::chunk_data: {
        if (remaining_ > 0) {
          const std::size_t n = std::min(remaining_, buf_.size());
          cur_.body.append(buf_, 0, n);
          buf_.erase(0, n);
          remaining_ -= n;
          if (remaining_ > 0) return;
        }
        auto line = take_line();  // the CRLF after the chunk data
        if (!line) return;
        state_ = State::chunk_size;
        break;
      }
      case State::chunk_trailer: {
        auto line = take_line();
        if (!line) return;
        if (line->empty()) state_ = State::done;
        break;
      }
      case State::done:
        ready_.push_back(std::move(cur_));
        cur_ = Request{};
        state_ = State::head;
        if (buf_.empty()) return;
        break;
    }
  }
}

}  // namespace hpsim
