// The simulator's lenient HTTP request parser and response framing.
#include <gtest/gtest.h>

#include "tests/sim/core/http_message.hpp"
#include "tests/sim/core/request_parser.hpp"

using namespace hpsim;

namespace {

TEST(SimHttp, ParsesHplipGetWithStrayZeroLine) {
  RequestParser p;
  p.feed(
      "GET /Scan/ScanCaps HTTP/1.1\r\nHost: localhost\r\nUser-Agent: hplip\r\nCookie: AccessCounter=new\r\n0\r\n\r\n");
  auto r = p.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->path, "/Scan/ScanCaps");
  EXPECT_EQ(r->stray_lines, 1u);
  EXPECT_EQ(r->header("host"), "localhost");
  EXPECT_FALSE(p.failed());
  EXPECT_FALSE(p.next());
}

TEST(SimHttp, AbsoluteFormTargetAndQuery) {
  RequestParser p;
  p.feed("GET http://127.0.0.1:8080/Jobs/JobList/2?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto r = p.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->target, "http://127.0.0.1:8080/Jobs/JobList/2?x=1");
  EXPECT_EQ(r->path, "/Jobs/JobList/2");
  EXPECT_EQ(r->query, "x=1");
}

TEST(SimHttp, HplipPostWithTrailerCountedInContentLength) {
  const std::string xml = "<ScanSettings xmlns=\"urn:x\"><A>1</A></ScanSettings>";
  const std::string body = xml + "\r\n0\r\n\r\n";
  RequestParser p;
  p.feed("POST /Scan/Jobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_FALSE(p.next());  // body pending
  p.feed(body.substr(0, 10));
  EXPECT_FALSE(p.next());
  p.feed(body.substr(10));
  auto r = p.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, body);
  // A follow-up request on the same connection (keep-alive) still parses.
  p.feed("GET /Scan/Status HTTP/1.1\r\n\r\n");
  auto r2 = p.next();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->path, "/Scan/Status");
}

TEST(SimHttp, ChunkedRequestBodyAndPipelining) {
  RequestParser p;
  p.feed(
      "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"
      "GET /y HTTP/1.1\r\n\r\n");
  auto a = p.next();
  auto b = p.next();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "hello world");
  EXPECT_EQ(b->path, "/y");
}

TEST(SimHttp, BareLfLineEnds) {
  RequestParser p;
  p.feed("GET /a HTTP/1.1\nHost: h\n\n");
  auto r = p.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("Host"), "h");
}

TEST(SimHttp, ByteByByteFeeding) {
  const std::string req = "POST /p HTTP/1.1\r\nContent-Length: 3\r\n0\r\n\r\nabc";
  RequestParser p;
  for (char c : req) p.feed(std::string_view(&c, 1));
  auto r = p.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "abc");
}

TEST(SimHttp, ExpectContinueIsReported) {
  RequestParser p;
  p.feed("POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_TRUE(p.take_continue_request());
  EXPECT_FALSE(p.take_continue_request());
  p.feed("ok");
  EXPECT_TRUE(p.next());
}

TEST(SimHttp, MalformedRequestsFail) {
  RequestParser a;
  a.feed("GARBAGE\r\n\r\n");
  EXPECT_TRUE(a.failed());
  EXPECT_EQ(a.error_status(), 400);
  RequestParser b;
  b.feed("POST /p HTTP/1.1\r\nContent-Length: abc\r\n\r\n");
  EXPECT_TRUE(b.failed());
  RequestParser c;
  c.feed("PUT /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  EXPECT_TRUE(c.failed());
}

TEST(SimHttp, LimitsAreEnforced) {
  RequestParser a(ParserLimits{128, 1024});
  a.feed("GET /" + std::string(200, 'a') + " HTTP/1.1\r\n");
  EXPECT_TRUE(a.failed());
  EXPECT_EQ(a.error_status(), 431);
  RequestParser b(ParserLimits{1024, 10});
  b.feed("POST /p HTTP/1.1\r\nContent-Length: 11\r\n\r\n");
  EXPECT_TRUE(b.failed());
  EXPECT_EQ(b.error_status(), 413);
}

TEST(SimHttp, SerializeChunked) {
  Response r;
  r.body = std::string(40000, 'x');
  r.chunk_size = 32768;
  r.set_header("Server", "S");
  const WireResponse w = serialize(r);
  EXPECT_EQ(w.head, "HTTP/1.1 200 OK\r\nServer: S\r\nTransfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(w.body.substr(0, 6), "8000\r\n");
  EXPECT_NE(w.body.find("\r\n1c40\r\n"), std::string::npos);  // 40000 - 32768 = 7232 = 0x1c40
  EXPECT_TRUE(w.body.ends_with("\r\n0\r\n\r\n"));
}

TEST(SimHttp, SerializeContentLengthAndDeclaredLength) {
  Response r;
  r.status = 404;
  r.framing = Framing::content_length;
  EXPECT_EQ(serialize(r).head, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  r.status = 200;
  r.body = "abc";
  r.delivery.declared_length = 1003;
  const WireResponse w = serialize(r);
  EXPECT_NE(w.head.find("Content-Length: 1003\r\n"), std::string::npos);
  EXPECT_EQ(w.body, "abc");
}

TEST(SimHttp, SplitTarget) {
  std::string path, query;
  split_target("https://[::1]:8080/eSCL/ScanJobs/1/", path, query);
  EXPECT_EQ(path, "/eSCL/ScanJobs/1/");
  split_target("http://host", path, query);
  EXPECT_EQ(path, "/");
  split_target("/a?b", path, query);
  EXPECT_EQ(path, "/a");
  EXPECT_EQ(query, "b");
}

}  // namespace
