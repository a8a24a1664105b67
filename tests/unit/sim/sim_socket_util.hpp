// The unit tests' view of hpaio-sim's socket layer: the server on an ephemeral loopback port with
// its io loop on a thread, and a blocking HTTP/1.1 client over TCP or TLS that reads one response
// at a time (de-chunked). Shared by sim_server_test.cpp and sim_transport_test.cpp.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "sim_test_util.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/server/http_server.hpp"
#include "tests/sim/server/request_log.hpp"

namespace simtest {

using hpsim::HttpServer;
using hpsim::parse_listen_address;
using hpsim::RequestLog;
using hpsim::ServerOptions;
using hpsim::SimConfig;
using hpsim::Simulator;

// hpaio-sim's server on 127.0.0.1 (an ephemeral port), its io loop on a thread of its own.
// `tweak` changes the options before it starts (HTTPS listeners, --redirect-https, ...).
class TestServer {
 public:
  explicit TestServer(SimConfig cfg, std::chrono::seconds stall = std::chrono::seconds(2),
                      const std::function<void(ServerOptions&)>& tweak = {})
      : sim_(std::move(cfg)), log_(&log_text_) {
    ServerOptions o;
    o.listen.push_back(*parse_listen_address("127.0.0.1:0"));
    o.stall = stall;
    o.idle_timeout = std::chrono::seconds(5);
    if (tweak) tweak(o);
    server_ = std::make_unique<HttpServer>(io_, sim_, log_, o);
    server_->start();
    if (!server_->local_endpoints().empty()) port_ = server_->local_endpoints().at(0).port();
    if (!server_->https_endpoints().empty()) https_port_ = server_->https_endpoints().at(0).port();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestServer() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::uint16_t port() const { return port_; }
  std::uint16_t https_port() const { return https_port_; }
  std::string log() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
    return log_text_.str();
  }

 private:
  boost::asio::io_context io_;
  Simulator sim_;
  std::ostringstream log_text_;
  RequestLog log_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::uint16_t https_port_ = 0;
  std::thread thread_;
};

enum class Transport { plain, tls };

// A blocking test client with a receive timeout, over TCP or TLS (OpenSSL on the same socket, no
// certificate check, as eSCL clients do).
class Client {
 public:
  explicit Client(std::uint16_t port, int timeout_ms = 5000, Transport transport = Transport::plain) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    connect_errno_ = errno;
    if (connected_ && transport == Transport::tls) {
      // OpenSSL writes to the socket inside SSL_read too (an alert to a peer that is gone).
      std::signal(SIGPIPE, SIG_IGN);
      ctx_ = SSL_CTX_new(TLS_client_method());
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
      ssl_ = SSL_new(ctx_);
      SSL_set_fd(ssl_, fd_);
      connected_ = SSL_connect(ssl_) == 1;
    }
  }
  ~Client() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  bool connected() const { return connected_; }
  int connect_errno() const { return connect_errno_; }
  SSL* ssl() const { return ssl_; }
  void send(const std::string& s) {
    if (ssl_ != nullptr) {
      ASSERT_EQ(SSL_write(ssl_, s.data(), static_cast<int>(s.size())), static_cast<int>(s.size()));
      return;
    }
    ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  }
  // Reads until `n` bytes are buffered, EOF, error or timeout. Returns false on error/timeout
  // (last_errno() EAGAIN on a timeout, ECONNRESET on a reset; over TLS, tls_close_notify() when the
  // end came with a close_notify).
  bool fill(std::size_t n) {
    char b[65536];
    while (buf_.size() < n) {
      const ssize_t k = ssl_ != nullptr ? tls_recv(b, sizeof b) : ::recv(fd_, b, sizeof b, 0);
      if (k == 0) {
        eof_ = true;
        return false;
      }
      if (k < 0) {
        last_errno_ = errno;
        return false;
      }
      buf_.append(b, static_cast<std::size_t>(k));
    }
    return true;
  }
  bool tls_close_notify() const { return close_notify_; }
  bool fill_until(const std::string& marker) {
    while (buf_.find(marker) == std::string::npos) {
      if (!fill(buf_.size() + 1)) return false;
    }
    return true;
  }
  struct Reply {
    int status = 0;
    std::string head;
    std::string body;
  };
  // One response, de-chunked.
  Reply read_reply() {
    Reply r;
    if (!fill_until("\r\n\r\n")) return r;
    const auto end = buf_.find("\r\n\r\n");
    r.head = buf_.substr(0, end + 4);
    buf_.erase(0, end + 4);
    r.status = std::stoi(r.head.substr(9, 3));
    const auto cl = r.head.find("Content-Length: ");
    if (cl != std::string::npos) {
      const std::size_t n = std::stoul(r.head.substr(cl + 16));
      fill(n);
      r.body = buf_.substr(0, std::min(n, buf_.size()));
      buf_.erase(0, r.body.size());
    } else if (r.head.find("Transfer-Encoding: chunked") != std::string::npos) {
      while (true) {
        if (!fill_until("\r\n")) break;
        const auto nl = buf_.find("\r\n");
        const std::size_t n = std::stoul(buf_.substr(0, nl), nullptr, 16);
        buf_.erase(0, nl + 2);
        if (!fill(n + 2)) break;
        r.body += buf_.substr(0, n);
        buf_.erase(0, n + 2);
        if (n == 0) break;
      }
    }
    return r;
  }
  std::string& buffered() { return buf_; }
  bool eof() const { return eof_; }
  int last_errno() const { return last_errno_; }

 private:
  // recv() over TLS: > 0 bytes, 0 at the end of the stream (close_notify or TCP EOF), < 0 with
  // errno set otherwise.
  ssize_t tls_recv(char* b, std::size_t size) {
    errno = 0;
    const int k = SSL_read(ssl_, b, static_cast<int>(size));
    if (k > 0) return k;
    const int e = SSL_get_error(ssl_, k);
    const unsigned long reason = ERR_GET_REASON(ERR_peek_error());
    ERR_clear_error();
    if (e == SSL_ERROR_ZERO_RETURN) {
      close_notify_ = true;
      return 0;
    }
    if (e == SSL_ERROR_SSL && reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) return 0;
    if (e == SSL_ERROR_WANT_READ) {
      errno = EAGAIN;
      return -1;
    }
    if (errno == 0) errno = EPROTO;
    return -1;
  }

  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool close_notify_ = false;
  int fd_ = -1;
  bool connected_ = false;
  int connect_errno_ = 0;
  std::string buf_;
  bool eof_ = false;
  int last_errno_ = 0;
};

inline std::string get(const std::string& path, const std::string& extra = {}) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

inline SimConfig quick(const std::string& profile) {
  SimConfig c = config(profile);
  c.profile.busy_before_page = 0;
  c.profile.ledm_prepare_polls = 0;
  return c;
}

inline const std::string kEsclPost =
    "<scan:ScanSettings xmlns:scan=\"http://schemas.hp.com/imaging/escl/2011/05/03\" "
    "xmlns:pwg=\"http://www.pwg.org/schemas/2010/12/sm\"><pwg:InputSource>Platen</pwg:InputSource>"
    "<scan:ColorMode>RGB24</scan:ColorMode><scan:XResolution>300</scan:XResolution>"
    "<scan:YResolution>300</scan:YResolution></scan:ScanSettings>";

inline std::string post(const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: text/xml\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Starts an eSCL platen job and returns the NextDocument request for it (the Location's path).
inline std::string start_escl_job(Client& c) {
  c.send(post("/eSCL/ScanJobs", kEsclPost));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 201) << r.head;
  const auto l = r.head.find("Location: ");
  std::string loc = r.head.substr(l + 10, r.head.find("\r\n", l) - l - 10);
  if (loc.starts_with("http://") || loc.starts_with("https://")) loc = loc.substr(loc.find('/', 8));
  if (loc.ends_with("/")) loc.pop_back();
  return get(loc + "/NextDocument");
}

}  // namespace simtest
