// hpaio-sim's socket layer on 127.0.0.1 (ephemeral ports): keep-alive, HPLIP's raw requests,
// many connections, and the wire faults (stall, reset, slow drip, wrong Content-Length,
// refused connections).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <chrono>
#include <thread>

#include "sim_socket_util.hpp"
#include "sim_test_util.hpp"
#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/server/http_server.hpp"

using namespace hpsim;
using simtest::Client;
using simtest::config;
using simtest::get;
using simtest::quick;
using simtest::start_escl_job;
using simtest::TestServer;

namespace {

TEST(SimServer, HplipRequestsOnOneKeepAliveConnection) {
  TestServer s(quick("ledm-adf-duplex"));
  Client c(s.port());
  ASSERT_TRUE(c.connected());
  const std::string hplip_get =
      "GET /Scan/ScanCaps HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: hplip\r\nKeep-Alive: 20\r\n"
      "Proxy-Connection: keep-alive\r\nCookie: AccessCounter=new\r\n0\r\n\r\n";
  c.send(hplip_get);
  auto caps = c.read_reply();
  EXPECT_EQ(caps.status, 200);
  EXPECT_NE(caps.head.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_NE(caps.head.find("Server: HP HTTP Server;"), std::string::npos);
  EXPECT_NE(caps.body.find("</ScanCaps>"), std::string::npos);
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ScanSettings xmlns=\"http://www.hp.com/schemas/"
      "imaging/con/cnx/scan/2008/08/19\"><XResolution>75</XResolution><YResolution>75</YResolution>"
      "<XStart>0</XStart><Width>600</Width><YStart>0</YStart><Height>600</Height><Format>Jpeg"
      "</Format><ColorSpace>Gray</ColorSpace><InputSource>Platen</InputSource></ScanSettings>";
  // POST written in three pieces with HPLIP's trailer counted in Content-Length.
  c.send("POST /Scan/Jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(xml.size() + 7) +
         "\r\n\r\n");
  c.send(xml);
  c.send("\r\n0\r\n\r\n");
  auto created = c.read_reply();
  EXPECT_EQ(created.status, 201);
  EXPECT_NE(created.head.find("Location: http://127.0.0.1:"), std::string::npos);
  c.send("GET http://127.0.0.1:8080/Jobs/JobList/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n0\r\n\r\n");
  auto job = c.read_reply();
  EXPECT_NE(job.body.find("ReadyToUpload"), std::string::npos) << job.body;
  c.send(get("/Scan/Jobs/1/Pages/1", "0\r\n"));
  auto page = c.read_reply();
  EXPECT_EQ(page.status, 200);
  const Raster img = decode_jpeg(page.body);
  EXPECT_EQ(img.width, 150);
  EXPECT_EQ(img.height, 150);
  const std::string log = s.log();
  EXPECT_NE(log.find("\"target\":\"http://127.0.0.1:8080/Jobs/JobList/1\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"stray_lines\":1"), std::string::npos);
  EXPECT_NE(log.find("\"body_size\":" + std::to_string(xml.size() + 7)), std::string::npos);
}

TEST(SimServer, ManyConnectionsAtOnce) {
  TestServer s(quick("escl-flatbed"));
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 40; ++i) {
    clients.push_back(std::make_unique<Client>(s.port()));
    ASSERT_TRUE(clients.back()->connected());
  }
  for (auto& c : clients) c->send(get("/eSCL/ScannerStatus"));
  for (auto& c : clients) EXPECT_EQ(c->read_reply().status, 200);
}

TEST(SimServer, ConnectionCloseAndBadRequest) {
  TestServer s(quick("escl-flatbed"));
  Client a(s.port());
  a.send(get("/eSCL/ScannerStatus", "Connection: close\r\n"));
  EXPECT_EQ(a.read_reply().status, 200);
  EXPECT_FALSE(a.fill(1));
  EXPECT_TRUE(a.eof());
  Client b(s.port());
  b.send("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(b.read_reply().status, 400);
}

TEST(SimServer, StallMidImage) {
  SimConfig cfg = quick("escl-flatbed");
  cfg.faults.add(Fault::stall_mid_image);
  TestServer s(cfg, std::chrono::seconds(2));
  Client c(s.port(), 1000);
  const std::string next = start_escl_job(c);
  c.send(next);
  ASSERT_TRUE(c.fill_until("\r\n\r\n"));
  const auto t0 = std::chrono::steady_clock::now();
  while (c.fill(c.buffered().size() + 1)) {
  }
  EXPECT_FALSE(c.eof());  // timed out: the server sent part of the body, then nothing
  EXPECT_EQ(c.last_errno(), EAGAIN);
  const std::size_t got = c.buffered().size();
  EXPECT_GT(got, 1000u);
  // After the stall time the server closes the connection.
  bool closed = false;
  for (int i = 0; i < 5 && !closed; ++i) {
    c.fill(c.buffered().size() + 1);
    closed = c.eof();
  }
  EXPECT_TRUE(closed);
  EXPECT_EQ(c.buffered().size(), got);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(900));
}

TEST(SimServer, ResetMidImage) {
  SimConfig cfg = quick("escl-flatbed");
  cfg.faults.add(Fault::reset_mid_image);
  TestServer s(cfg);
  Client c(s.port());
  c.send(start_escl_job(c));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(c.fill(c.buffered().size() + 1));
  EXPECT_TRUE(c.last_errno() == ECONNRESET || c.eof()) << c.last_errno();
  EXPECT_THROW(decode_jpeg(r.body), std::runtime_error);
}

TEST(SimServer, SlowDrip) {
  SimConfig cfg = quick("escl-flatbed");
  cfg.faults.add(Fault::slow_drip);
  cfg.drip_bytes = 100;
  cfg.drip_ms = 10;
  TestServer s(cfg);
  Client c(s.port());
  const auto t0 = std::chrono::steady_clock::now();
  c.send(get("/eSCL/ScannerCapabilities"));
  const auto r = c.read_reply();
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("</scan:ScannerCapabilities>"), std::string::npos);
  // about size/100 pieces, 10 ms apart
  EXPECT_GE(took, std::chrono::milliseconds(10 * static_cast<long>(r.body.size() / 100) - 20));
}

TEST(SimServer, WrongContentLengthThenClose) {
  SimConfig cfg = quick("escl-flatbed");
  cfg.faults.add(Fault::wrong_content_length);
  TestServer s(cfg);
  Client c(s.port());
  c.send(start_escl_job(c));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 200);
  const auto cl = r.head.find("Content-Length: ");
  ASSERT_NE(cl, std::string::npos);
  EXPECT_EQ(std::stoul(r.head.substr(cl + 16)), r.body.size() + 1000);
  EXPECT_TRUE(c.eof());  // closed before the promised bytes
}

TEST(SimServer, RefuseConnectionsAfterCaps) {
  SimConfig cfg = quick("escl-flatbed");
  cfg.faults.add(Fault::refuse_after_caps);
  TestServer s(cfg);
  {
    Client c(s.port());
    ASSERT_TRUE(c.connected());
    c.send(get("/eSCL/ScannerCapabilities"));
    EXPECT_EQ(c.read_reply().status, 200);
    // The connection that got the capabilities still works.
    c.send(get("/eSCL/ScannerStatus"));
    EXPECT_EQ(c.read_reply().status, 200);
  }
  bool refused = false;
  for (int i = 0; i < 50 && !refused; ++i) {
    Client d(s.port());
    refused = !d.connected() && d.connect_errno() == ECONNREFUSED;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(refused);
}

TEST(SimServer, ListenAddressParsing) {
  EXPECT_TRUE(parse_listen_address("127.0.0.1:8080"));
  EXPECT_TRUE(parse_listen_address("[::1]:8080"));
  EXPECT_EQ(parse_listen_address("[::1]:8080")->port(), 8080);
  EXPECT_FALSE(parse_listen_address("::1:8080"));
  EXPECT_FALSE(parse_listen_address("127.0.0.1"));
  EXPECT_FALSE(parse_listen_address("127.0.0.1:99999"));
  EXPECT_FALSE(parse_listen_address("host:80"));
}

TEST(SimServer, Ipv6Loopback) {
  boost::asio::io_context io;
  Simulator sim(quick("escl-flatbed"));
  RequestLog log(nullptr);
  ServerOptions o;
  o.listen.push_back(*parse_listen_address("[::1]:0"));
  HttpServer server(io, sim, log, o);
  try {
    server.start();
  } catch (const std::exception& e) {
    GTEST_FAIL() << "cannot listen on [::1] (no IPv6 loopback?): " << e.what();
  }
  const auto port = server.local_endpoints().at(0).port();
  std::thread t([&] { io.run(); });
  int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  a.sin6_addr = in6addr_loopback;
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const std::string q = get("/eSCL/ScannerStatus", "Connection: close\r\n");
  ::send(fd, q.data(), q.size(), MSG_NOSIGNAL);
  char b[64] = {};
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  EXPECT_GT(::recv(fd, b, sizeof b - 1, 0), 12);
  EXPECT_EQ(std::string(b).substr(0, 12), "HTTP/1.1 200");
  ::close(fd);
  io.stop();
  t.join();
}

}  // namespace
