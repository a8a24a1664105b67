#include "backend/http/http_client.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/asio/ssl.hpp>
#include <chrono>
#include <thread>

#include "loopback_server.hpp"

using namespace hpaio;
using namespace hpaio::backend;
using hpaio::test::LoopbackServer;
using namespace std::chrono_literals;
using tcp = boost::asio::ip::tcp;

namespace {

Endpoint local(unsigned short port) { return Endpoint{"127.0.0.1", port, false}; }

HttpRequest get(std::string target) {
  HttpRequest r;
  r.target = std::move(target);
  return r;
}

HttpError::Kind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no HttpError";
  return HttpError::Kind::protocol;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

TEST(HttpClient, ContentLengthReplyAndCleanRequest) {
  std::string seen;
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    seen = LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\nhello");
  });
  HttpClient client(local(server.port()), nullptr);
  HttpResponse r = client.request(get("/Scan/ScanCaps"), deadline_in(5s));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.header("content-type").value_or(""), "text/xml");
  EXPECT_EQ(seen.rfind("GET /Scan/ScanCaps HTTP/1.1\r\n", 0), 0u) << seen;
  EXPECT_NE(seen.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("\r\n0\r\n"), std::string::npos) << "no stray chunk trailer";
}

TEST(HttpClient, ChunkedRepliesOnOneKeptAliveConnection) {
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    for (int i = 0; i < 2; ++i) {
      if (LoopbackServer::read_request(s, buf).empty()) return;
      LoopbackServer::write(
          s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n");
    }
  });
  HttpClient client(local(server.port()), nullptr);
  EXPECT_EQ(client.request(get("/a"), deadline_in(5s)).body, "abcde");
  EXPECT_EQ(client.request(get("/b"), deadline_in(5s)).body, "abcde");
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClient, ReconnectsWhenTheDeviceClosedAnIdleConnection) {
  std::atomic<int> posts{0};
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    std::string req = LoopbackServer::read_request(s, buf);
    if (req.rfind("POST", 0) == 0) ++posts;
    LoopbackServer::write(s, "HTTP/1.1 201 Created\r\nLocation: /Jobs/JobList/1\r\nContent-Length: 0\r\n\r\n");
    // then close, although the reply did not say so
  });
  HttpClient client(local(server.port()), nullptr);
  EXPECT_EQ(client.request(get("/first"), deadline_in(5s)).status, 201);
  std::this_thread::sleep_for(50ms);
  HttpRequest post;
  post.method = "POST";
  post.target = "/Scan/Jobs";
  post.body = "<x/>";
  HttpResponse r = client.request(post, deadline_in(5s));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.header("Location").value_or(""), "/Jobs/JobList/1");
  EXPECT_EQ(posts.load(), 1);
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, ABodilessReplyWithConnectionCloseIsNotReused) {
  // HP firmware that closes after every response: "201 Created" with no body and "Connection:
  // close", then the socket stays open (unread) for a while before it goes. A client that keeps the
  // connection sends its next request into a socket that will never answer.
  LoopbackServer server([&](tcp::socket& s, int n) {
    boost::asio::streambuf buf;
    if (LoopbackServer::read_request(s, buf).empty()) return;
    if (n == 0) {
      LoopbackServer::write(s,
                            "HTTP/1.1 201 Created\r\nLocation: /eSCL/ScanJobs/1\r\nContent-Length: 0\r\n"
                            "Connection: close\r\n\r\n");
      std::this_thread::sleep_for(300ms);
      return;
    }
    LoopbackServer::write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  });
  HttpClient client(local(server.port()), nullptr);
  HttpRequest post;
  post.method = "POST";
  post.target = "/eSCL/ScanJobs";
  post.body = "<x/>";
  EXPECT_EQ(client.request(post, deadline_in(5s)).status, 201);
  HttpResponse r = client.request(get("/eSCL/ScanJobs/1/NextDocument"), deadline_in(5s));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, SilentDeviceTimesOutAtTheDeadline) {
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    std::this_thread::sleep_for(1500ms);
  });
  HttpClient client(local(server.port()), nullptr);
  auto start = Clock::now();
  EXPECT_EQ(kind_of([&] { client.request(get("/"), deadline_in(300ms)); }), HttpError::Kind::timeout);
  EXPECT_LT(seconds_since(start), 1.0);
}

TEST(HttpClient, StallInTheMiddleOfABodyTimesOut) {
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + std::string(1000, 'x'));
    std::this_thread::sleep_for(1500ms);
  });
  HttpClient client(local(server.port()), nullptr);
  HttpResponse r = client.open_stream(get("/img"), deadline_in(2s));
  EXPECT_EQ(r.status, 200);
  std::uint8_t buf[4096];
  auto start = Clock::now();
  EXPECT_EQ(kind_of([&] {
              while (client.read_body(buf, deadline_in(300ms)) > 0) {
              }
            }),
            HttpError::Kind::timeout);
  EXPECT_LT(seconds_since(start), 1.0);
}

TEST(HttpClient, CancelFromAnotherThreadEndsAWaitAtOnce) {
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    std::this_thread::sleep_for(2s);
  });
  CancelSignal cancel;
  HttpClient client(local(server.port()), &cancel);
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    cancel.raise();
  });
  auto start = Clock::now();
  EXPECT_EQ(kind_of([&] { client.request(get("/"), deadline_in(10s)); }), HttpError::Kind::cancelled);
  EXPECT_LT(seconds_since(start), 1.0);
  canceller.join();
  // Raised before the call: nothing is waited for.
  start = Clock::now();
  EXPECT_EQ(kind_of([&] { client.request(get("/"), deadline_in(10s)); }), HttpError::Kind::cancelled);
  EXPECT_LT(seconds_since(start), 0.5);
  cancel.reset();
  EXPECT_FALSE(cancel.raised());
}

TEST(HttpClient, RefusedConnectionFailsQuickly) {
  unsigned short port;
  {
    LoopbackServer server([](tcp::socket&, int) {});
    port = server.port();
  }
  HttpClient client(local(port), nullptr);
  auto start = Clock::now();
  EXPECT_EQ(kind_of([&] { client.request(get("/"), deadline_in(5s)); }), HttpError::Kind::connect);
  EXPECT_LT(seconds_since(start), 1.0);
}

TEST(HttpClient, BodyOverTheLimitIsRefused) {
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n" + std::string(2000000, 'x'));
  });
  HttpClient client(local(server.port()), nullptr);
  EXPECT_EQ(kind_of([&] { client.request(get("/"), deadline_in(5s), 1 << 20); }), HttpError::Kind::too_large);
}

TEST(HttpClient, ConnectionClosedMidBody) {
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123");
  });
  HttpClient client(local(server.port()), nullptr);
  EXPECT_EQ(kind_of([&] { client.request(get("/"), deadline_in(5s)); }), HttpError::Kind::closed);
}

TEST(HttpClient, GarbageIsAProtocolError) {
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s, "SSH-2.0-OpenSSH\r\n\r\n");
  });
  HttpClient client(local(server.port()), nullptr);
  EXPECT_EQ(kind_of([&] { client.request(get("/"), deadline_in(5s)); }), HttpError::Kind::protocol);
}

TEST(HttpClient, Http10BodyEndsAtClose) {
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s, "HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n<ScanStatus/>");
  });
  HttpClient client(local(server.port()), nullptr);
  HttpResponse r = client.request(get("/Scan/Status"), deadline_in(5s));
  EXPECT_EQ(r.body, "<ScanStatus/>");
}

TEST(HttpClient, StreamsALargeChunkedBodyInPieces) {
  std::string image;
  for (int i = 0; i < 300000; ++i) image.push_back(static_cast<char>(i * 7));
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (std::size_t off = 0; off < image.size(); off += 32768) {
      std::size_t n = std::min<std::size_t>(32768, image.size() - off);
      char size[16];
      std::snprintf(size, sizeof size, "%zx\r\n", n);
      reply += size + image.substr(off, n) + "\r\n";
    }
    reply += "0\r\n\r\n";
    LoopbackServer::write(s, reply);
  });
  HttpClient client(local(server.port()), nullptr);
  client.open_stream(get("/Scan/Jobs/1/Pages/1"), deadline_in(5s));
  std::string got;
  std::uint8_t piece[4000];
  while (std::size_t n = client.read_body(piece, deadline_in(5s))) got.append(reinterpret_cast<char*>(piece), n);
  EXPECT_TRUE(client.body_done());
  EXPECT_EQ(got.size(), image.size());
  EXPECT_TRUE(got == image);
}

TEST(HttpClient, HostHeaderForms) {
  EXPECT_EQ(host_header_value({"10.0.0.5", 8080, false}), "10.0.0.5:8080");
  EXPECT_EQ(host_header_value({"10.0.0.5", 80, false}), "10.0.0.5");
  EXPECT_EQ(host_header_value({"printer.lan", 443, true}), "printer.lan");
  EXPECT_EQ(host_header_value({"::1", 8080, false}), "[::1]:8080");
  EXPECT_EQ(host_header_value({"fe80::1%eth0", 80, false}), "[fe80::1%25eth0]");
}

TEST(HttpClient, BytesBeforeAFailureAreDeliveredFirst) {
  // The device claims more than it sends, then closes: the bytes it did send come first.
  LoopbackServer server([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s, "HTTP/1.1 200 OK\r\nContent-Length: 1100\r\n\r\n" + std::string(100, 'j'));
  });
  HttpClient client(local(server.port()), nullptr);
  client.open_stream(get("/img"), deadline_in(5s));
  std::uint8_t buf[4096];
  EXPECT_EQ(client.read_body(buf, deadline_in(5s)), 100u);
  EXPECT_FALSE(client.body_done());
  EXPECT_EQ(kind_of([&] { client.read_body(buf, deadline_in(5s)); }), HttpError::Kind::closed);
  // A whole-body request does not pass a short body off as complete.
  EXPECT_EQ(kind_of([&] { client.request(get("/img"), deadline_in(5s)); }), HttpError::Kind::closed);
}

namespace {

// A self-signed certificate and key made for the test, as devices have.
struct SelfSigned {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  SelfSigned() {
    key = EVP_RSA_gen(2048);
    cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("HP device"), -1, -1,
                               0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
  }
  ~SelfSigned() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

// One TLS connection: handshake, read a request, answer `reply`.
class TlsServer {
 public:
  explicit TlsServer(std::string reply)
      : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)), reply_(std::move(reply)) {
    SSL_CTX_use_certificate(ctx_.native_handle(), cert_.cert);
    SSL_CTX_use_PrivateKey(ctx_.native_handle(), cert_.key);
    thread_ = std::thread([this] {
      tcp::socket raw(io_);
      boost::system::error_code ec;
      acceptor_.accept(raw, ec);
      if (ec) return;
      boost::asio::ssl::stream<tcp::socket> s(std::move(raw), ctx_);
      s.handshake(boost::asio::ssl::stream_base::server, ec);
      if (ec) return;
      boost::asio::streambuf buf;
      boost::asio::read_until(s, buf, "\r\n\r\n", ec);
      request_ = std::string(boost::asio::buffers_begin(buf.data()), boost::asio::buffers_end(buf.data()));
      boost::asio::write(s, boost::asio::buffer(reply_), ec);
      s.shutdown(ec);
    });
  }
  ~TlsServer() { thread_.join(); }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  const std::string& request() const { return request_; }

 private:
  SelfSigned cert_;
  boost::asio::io_context io_;
  boost::asio::ssl::context ctx_{boost::asio::ssl::context::tls_server};
  tcp::acceptor acceptor_;
  std::string reply_;
  std::string request_;
  std::thread thread_;
};

}  // namespace

TEST(HttpClient, FollowsARedirectToHttpsOnTheSameHostWithASelfSignedCertificate) {
  TlsServer tls("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\ncaps");
  std::string location = "https://127.0.0.1:" + std::to_string(tls.port()) + "/eSCL/ScannerCapabilities";
  LoopbackServer plain([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s,
                          "HTTP/1.1 301 Moved Permanently\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n");
  });
  HttpClient client(local(plain.port()), nullptr);
  HttpResponse r = client.request(get("/eSCL/ScannerCapabilities"), deadline_in(10s));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "caps");
  EXPECT_TRUE(client.endpoint().tls);
  EXPECT_EQ(client.endpoint().port, tls.port());
  EXPECT_EQ(tls.request().rfind("GET /eSCL/ScannerCapabilities HTTP/1.1\r\n", 0), 0u) << tls.request();
}

TEST(HttpClient, DoesNotFollowARedirectToAnotherHost) {
  LoopbackServer plain([&](tcp::socket& s, int) {
    boost::asio::streambuf buf;
    LoopbackServer::read_request(s, buf);
    LoopbackServer::write(s, "HTTP/1.1 302 Found\r\nLocation: https://evil.example/eSCL\r\nContent-Length: 0\r\n\r\n");
  });
  HttpClient client(local(plain.port()), nullptr);
  HttpResponse r = client.request(get("/eSCL/ScannerCapabilities"), deadline_in(5s));
  EXPECT_EQ(r.status, 302);
  EXPECT_FALSE(client.endpoint().tls);
  EXPECT_EQ(client.endpoint().port, plain.port());
}
