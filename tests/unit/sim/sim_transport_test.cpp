// hpaio-sim's transport options on 127.0.0.1 (ephemeral ports): HTTPS listeners with the
// certificate made at start (--https) or read from files, the wire faults over TLS, the
// http -> https redirect (--redirect-https), _uscans._tcp (--mdns with --https), a closed
// connection after every response (--close-each-response) and gzip (--gzip).
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl/context.hpp>
#include <cstdio>
#include <fstream>

#include "sim_socket_util.hpp"
#include "sim_test_util.hpp"
#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/server/mdns_publisher.hpp"
#include "tests/sim/server/tls_identity.hpp"
#include "tests/sim/server/wire_rules.hpp"

using namespace hpsim;
using simtest::Client;
using simtest::get;
using simtest::post;
using simtest::quick;
using simtest::start_escl_job;
using simtest::TestServer;
using simtest::Transport;

namespace {

namespace asio = boost::asio;

// A server with a plain listener and an HTTPS one (a fresh self-signed certificate), and `more`.
std::function<void(ServerOptions&)> with_https(std::function<void(ServerOptions&)> more = {}) {
  return [more](ServerOptions& o) {
    o.https.push_back(*parse_listen_address("127.0.0.1:0"));
    o.tls = make_server_tls_context(make_self_signed_identity("SIMTEST01", {asio::ip::make_address("127.0.0.1")}));
    if (more) more(o);
  };
}

std::string header_of(const Client::Reply& r, const std::string& name) {
  const auto at = r.head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<absent>";
  const auto start = at + name.size() + 4;
  return r.head.substr(start, r.head.find("\r\n", start) - start);
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// --- the certificate ---

struct Parsed {
  std::unique_ptr<X509, decltype(&X509_free)> cert{nullptr, X509_free};
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{nullptr, EVP_PKEY_free};
};

Parsed parse(const TlsIdentity& id) {
  Parsed p;
  BIO* b = BIO_new_mem_buf(id.cert_pem.data(), static_cast<int>(id.cert_pem.size()));
  p.cert.reset(PEM_read_bio_X509(b, nullptr, nullptr, nullptr));
  BIO_free(b);
  b = BIO_new_mem_buf(id.key_pem.data(), static_cast<int>(id.key_pem.size()));
  p.key.reset(PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr));
  BIO_free(b);
  return p;
}

std::string common_name(X509* cert) {
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  return cn;
}

TEST(SimTls, SelfSignedP256CertificateNamesTheSerialAndTheAddresses) {
  const TlsIdentity id =
      make_self_signed_identity("SIMM479D04", {asio::ip::make_address("127.0.0.1"), asio::ip::make_address("::1")});
  Parsed p = parse(id);
  ASSERT_TRUE(p.cert && p.key);
  EXPECT_EQ(common_name(p.cert.get()), "SIMM479D04");
  // Self-signed: issuer = subject, and the key verifies the signature.
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(p.cert.get()), X509_get_issuer_name(p.cert.get())), 0);
  EXPECT_EQ(X509_verify(p.cert.get(), p.key.get()), 1);
  EXPECT_EQ(EVP_PKEY_get_base_id(p.key.get()), EVP_PKEY_EC);
  char group[64] = {};
  std::size_t len = 0;
  EVP_PKEY_get_group_name(p.key.get(), group, sizeof group, &len);
  EXPECT_STREQ(group, "prime256v1");
  // SAN: IP:127.0.0.1, IP:::1 and DNS:localhost, which is what clients that check names look at.
  EXPECT_EQ(X509_check_ip_asc(p.cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(p.cert.get(), "::1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(p.cert.get(), "127.0.0.2", 0), 0);
  EXPECT_EQ(X509_check_host(p.cert.get(), "localhost", 0, 0, nullptr), 1);
  // Valid now, and for years.
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(p.cert.get())), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(p.cert.get())), 0);
  EXPECT_NO_THROW(make_server_tls_context(id));
  // Every start makes a new key.
  EXPECT_NE(make_self_signed_identity("SIMM479D04", {}).key_pem, id.key_pem);
}

TEST(SimTls, CertificateFilesAreReadAndAMismatchedKeyIsRefused) {
  const TlsIdentity a = make_self_signed_identity("A", {});
  const TlsIdentity b = make_self_signed_identity("B", {});
  const std::string dir = ::testing::TempDir();
  const std::string cert = dir + "/sim-tls-cert.pem", key = dir + "/sim-tls-key.pem";
  std::ofstream(cert) << a.cert_pem;
  std::ofstream(key) << a.key_pem;
  const TlsIdentity read = read_identity_files(cert, key);
  EXPECT_EQ(read.cert_pem, a.cert_pem);
  EXPECT_NO_THROW(make_server_tls_context(read));
  EXPECT_THROW(make_server_tls_context(TlsIdentity{a.cert_pem, b.key_pem}), std::runtime_error);
  EXPECT_THROW(make_server_tls_context(TlsIdentity{"not a certificate", a.key_pem}), std::runtime_error);
  EXPECT_THROW(read_identity_files(dir + "/no-such-cert.pem", key), std::runtime_error);
  std::remove(cert.c_str());
  std::remove(key.c_str());
}

// --- the HTTPS listener ---

TEST(SimHttps, TheSameDeviceOverTlsAndPlainAtOnce) {
  SimConfig cfg = quick("escl-adf-duplex");
  cfg.profile.location = LocationStyle::absolute;
  cfg.profile.cancel_lag_ms = 0;
  cfg.profile.status_lag_ms = 0;
  TestServer s(cfg, std::chrono::seconds(2), with_https());
  ASSERT_NE(s.https_port(), 0);
  // The plain listener serves the device with a plain Location (the job is cancelled again).
  {
    Client c(s.port());
    c.send(post("/eSCL/ScanJobs", simtest::kEsclPost));
    const auto plain = c.read_reply();
    EXPECT_EQ(plain.status, 201);
    const std::string loc = header_of(plain, "Location");
    EXPECT_TRUE(loc.starts_with("http://127.0.0.1:8080/eSCL/ScanJobs/")) << loc;
    c.send("DELETE " + loc.substr(loc.find("/eSCL/")) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_EQ(c.read_reply().status, 200);
  }
  Client t(s.https_port(), 5000, Transport::tls);
  ASSERT_TRUE(t.connected());
  X509* peer = SSL_get0_peer_certificate(t.ssl());
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(common_name(peer), "SIMTEST01");
  // Keep-alive: capabilities, a job, its page, all on one TLS connection.
  t.send(get("/eSCL/ScannerCapabilities"));
  const auto caps = t.read_reply();
  EXPECT_EQ(caps.status, 200);
  EXPECT_NE(caps.body.find("</scan:ScannerCapabilities>"), std::string::npos);
  t.send(post("/eSCL/ScanJobs", simtest::kEsclPost));
  const auto created = t.read_reply();
  EXPECT_EQ(created.status, 201);
  // The absolute Location names the device over https at its HTTPS port.
  const std::string loc = header_of(created, "Location");
  EXPECT_TRUE(loc.starts_with("https://127.0.0.1:" + std::to_string(s.https_port()) + "/eSCL/ScanJobs/")) << loc;
  t.send(get(loc.substr(loc.find("/eSCL/")) + "/NextDocument"));
  const auto page = t.read_reply();
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(decode_jpeg(page.body).width, 2550);
  const std::string log = s.log();
  EXPECT_NE(log.find("\"event\":\"tls\",\"detail\":\"TLSv1."), std::string::npos) << log;
  EXPECT_NE(log.find("\"path\":\"/eSCL/ScannerCapabilities\",\"headers\""), std::string::npos);
  EXPECT_NE(log.find("\"tls\":true"), std::string::npos);
}

TEST(SimHttps, HttpsOnlyAndPlainHttpToTheTlsPort) {
  TestServer s(quick("escl-flatbed"), std::chrono::seconds(2), [](ServerOptions& o) {
    o.listen.clear();
    with_https()(o);
  });
  EXPECT_EQ(s.port(), 0);
  // Plain HTTP on the TLS port: no HTTP answer, the connection ends.
  Client c(s.https_port());
  ASSERT_TRUE(c.connected());
  c.send(get("/eSCL/ScannerStatus"));
  EXPECT_EQ(c.read_reply().status, 0);
  EXPECT_EQ(c.buffered().find("HTTP/1.1"), std::string::npos);
  Client t(s.https_port(), 5000, Transport::tls);
  t.send(get("/eSCL/ScannerStatus"));
  EXPECT_EQ(t.read_reply().status, 200);
  const std::string log = s.log();
  EXPECT_NE(log.find("\"event\":\"tls-handshake-failed\""), std::string::npos) << log;
}

TEST(SimHttps, WireFaultsOverTls) {
  {  // stall: part of the body, then nothing until the stall time is over, then the end
    SimConfig cfg = quick("escl-flatbed");
    cfg.faults.add(Fault::stall_mid_image);
    TestServer s(cfg, std::chrono::seconds(2), with_https());
    Client c(s.https_port(), 1000, Transport::tls);
    c.send(start_escl_job(c));
    ASSERT_TRUE(c.fill_until("\r\n\r\n"));
    while (c.fill(c.buffered().size() + 1)) {
    }
    EXPECT_FALSE(c.eof());
    EXPECT_EQ(c.last_errno(), EAGAIN);
    const std::size_t got = c.buffered().size();
    EXPECT_GT(got, 1000u);
    bool closed = false;
    for (int i = 0; i < 5 && !closed; ++i) {
      c.fill(c.buffered().size() + 1);
      closed = c.eof();
    }
    EXPECT_TRUE(closed);
    EXPECT_EQ(c.buffered().size(), got);
  }
  {  // reset: half the page, then RST
    SimConfig cfg = quick("escl-flatbed");
    cfg.faults.add(Fault::reset_mid_image);
    TestServer s(cfg, std::chrono::seconds(2), with_https());
    Client c(s.https_port(), 5000, Transport::tls);
    c.send(start_escl_job(c));
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(c.fill(c.buffered().size() + 1));
    EXPECT_EQ(c.last_errno(), ECONNRESET);
    EXPECT_FALSE(c.tls_close_notify());
    EXPECT_THROW(decode_jpeg(r.body), std::runtime_error);
  }
  {  // truncation: a Content-Length 1000 bytes over the body, then the end
    SimConfig cfg = quick("escl-flatbed");
    cfg.faults.add(Fault::wrong_content_length);
    TestServer s(cfg, std::chrono::seconds(2), with_https());
    Client c(s.https_port(), 5000, Transport::tls);
    c.send(start_escl_job(c));
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(std::stoul(header_of(r, "Content-Length")), r.body.size() + 1000);
    EXPECT_TRUE(c.eof());
  }
  {  // slow drip: pieces of 100 bytes 10 ms apart
    SimConfig cfg = quick("escl-flatbed");
    cfg.faults.add(Fault::slow_drip);
    cfg.drip_bytes = 100;
    cfg.drip_ms = 10;
    TestServer s(cfg, std::chrono::seconds(2), with_https());
    Client c(s.https_port(), 5000, Transport::tls);
    const auto t0 = std::chrono::steady_clock::now();
    c.send(get("/eSCL/ScannerCapabilities"));
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("</scan:ScannerCapabilities>"), std::string::npos);
    EXPECT_GE(std::chrono::steady_clock::now() - t0,
              std::chrono::milliseconds(10 * static_cast<long>(r.body.size() / 100) - 20));
  }
}

// --- --redirect-https ---

TEST(SimRedirect, LocationFromTheHostHeaderAndTheHttpsPort) {
  auto req = simtest::req("GET", "/eSCL/ScannerCapabilities", {}, {{"Host", "192.168.1.20:8080"}});
  Response r = https_redirect(req, "127.0.0.1", 443);
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.header("Location"), "https://192.168.1.20/eSCL/ScannerCapabilities");
  req = simtest::req("POST", "/eSCL/ScanJobs", "<x/>", {{"Host", "localhost"}});
  EXPECT_EQ(https_redirect(req, "127.0.0.1", 443).header("Location"), "https://localhost/eSCL/ScanJobs");
  req = simtest::req("GET", "/eSCL/ScannerStatus", {}, {{"Host", "[::1]:8080"}});
  EXPECT_EQ(https_redirect(req, "127.0.0.1", 8443).header("Location"), "https://[::1]:8443/eSCL/ScannerStatus");
  req = simtest::req("GET", "http://10.0.0.5:8080/Jobs/JobList/2?x=1", {}, {});
  req.query = "x=1";
  EXPECT_EQ(https_redirect(req, "10.0.0.9", 443).header("Location"), "https://10.0.0.9/Jobs/JobList/2?x=1");
  EXPECT_EQ(host_of("::1"), "[::1]");
  EXPECT_EQ(url_authority("::1", 443, 443), "[::1]");
  EXPECT_EQ(url_authority("127.0.0.1", 8443, 443), "127.0.0.1:8443");
}

TEST(SimRedirect, PlainRequestsAre301ToTheHttpsListenerWhichServesThem) {
  TestServer s(quick("escl-adf-duplex"), std::chrono::seconds(2),
               with_https([](ServerOptions& o) { o.redirect_https = true; }));
  const std::string https = "https://127.0.0.1:" + std::to_string(s.https_port());
  Client c(s.port());
  c.send(get("/eSCL/ScannerCapabilities"));
  auto r = c.read_reply();
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(header_of(r, "Location"), https + "/eSCL/ScannerCapabilities");
  EXPECT_EQ(header_of(r, "Server"), "nginx");  // still the device answering
  // The connection stays usable; a POST is redirected too (and creates no job).
  c.send(simtest::post("/eSCL/ScanJobs", simtest::kEsclPost));
  r = c.read_reply();
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(header_of(r, "Location"), "https://127.0.0.1:" + std::to_string(s.https_port()) + "/eSCL/ScanJobs");
  c.send(get("/DevMgmt/DiscoveryTree.xml", "Connection: close\r\n"));
  EXPECT_EQ(c.read_reply().status, 301);
  // Over TLS the device answers.
  Client t(s.https_port(), 5000, Transport::tls);
  t.send(get("/eSCL/ScannerStatus"));
  r = t.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(":State>Idle</"), std::string::npos) << r.body;
  const std::string log = s.log();
  EXPECT_NE(log.find("\"status\":301,\"response_size\""), std::string::npos);
  EXPECT_EQ(log.find("\"status\":201"), std::string::npos) << "a redirected POST created a job";
}

// --- --close-each-response ---

TEST(SimCloseEachResponse, OneResponsePerConnectionThenClose) {
  for (const Transport tr : {Transport::plain, Transport::tls}) {
    TestServer s(quick("escl-flatbed"), std::chrono::seconds(2),
                 with_https([](ServerOptions& o) { o.close_each_response = true; }));
    Client c(tr == Transport::tls ? s.https_port() : s.port(), 5000, tr);
    // Two pipelined keep-alive requests: only the first is answered.
    c.send(get("/eSCL/ScannerStatus") + get("/eSCL/ScannerCapabilities"));
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(header_of(r, "Connection"), "close");
    EXPECT_FALSE(c.fill(c.buffered().size() + 1));
    EXPECT_TRUE(c.eof()) << c.last_errno();
    EXPECT_TRUE(c.buffered().empty());
    if (tr == Transport::tls) {
      EXPECT_TRUE(c.tls_close_notify());  // a clean TLS end
    }
    // A new connection is served again.
    Client d(tr == Transport::tls ? s.https_port() : s.port(), 5000, tr);
    d.send(get("/eSCL/ScannerCapabilities"));
    EXPECT_EQ(d.read_reply().status, 200);
    const std::string log = s.log();
    EXPECT_EQ(count(log, "\"path\":\"/eSCL/ScannerCapabilities\""), 1u) << "the pipelined request was answered\n"
                                                                        << log;
    EXPECT_EQ(count(log, "\"close\":true"), 2u) << log;
  }
}

// --- --gzip ---

TEST(SimGzip, AcceptEncoding) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate"));
  EXPECT_TRUE(accepts_gzip("deflate, GZip;q=0.5"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, *;q=0.1"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  const std::string text(100000, 'x');
  const std::string z = gzip_compress(text);
  EXPECT_LT(z.size(), 1000u);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
  EXPECT_EQ(gunzip(z), text);
  EXPECT_THROW(gunzip(z.substr(0, z.size() / 2)), std::runtime_error);
}

TEST(SimGzip, XmlIsGzippedWhenAskedImagesNever) {
  SimConfig cfg = quick("escl-flatbed");
  cfg.profile.status_lag_ms = 0;  // a second job at once
  TestServer s(cfg, std::chrono::seconds(2), with_https([](ServerOptions& o) { o.gzip = true; }));
  for (const Transport tr : {Transport::plain, Transport::tls}) {
    Client c(tr == Transport::tls ? s.https_port() : s.port(), 5000, tr);
    c.send(get("/eSCL/ScannerCapabilities"));
    const auto plain = c.read_reply();
    EXPECT_EQ(header_of(plain, "Content-Encoding"), "<absent>");  // no Accept-Encoding: plain
    c.send(get("/eSCL/ScannerCapabilities", "Accept-Encoding: gzip, deflate\r\n"));
    const auto zipped = c.read_reply();
    EXPECT_EQ(zipped.status, 200);
    EXPECT_EQ(header_of(zipped, "Content-Encoding"), "gzip");
    EXPECT_EQ(header_of(zipped, "Content-Type"), header_of(plain, "Content-Type"));
    EXPECT_LT(zipped.body.size(), plain.body.size());
    EXPECT_EQ(gunzip(zipped.body), plain.body);
    c.send(get("/eSCL/ScannerStatus", "Accept-Encoding: gzip;q=0\r\n"));
    EXPECT_EQ(header_of(c.read_reply(), "Content-Encoding"), "<absent>");
    // The page is an image: never gzipped.
    const std::string next = start_escl_job(c);
    c.send(next.substr(0, next.size() - 2) + "Accept-Encoding: gzip\r\n\r\n");
    const auto page = c.read_reply();
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(header_of(page, "Content-Encoding"), "<absent>");
    EXPECT_EQ(decode_jpeg(page.body).width, 2550);
  }
  EXPECT_NE(s.log().find("\"content_encoding\":\"gzip\""), std::string::npos);
}

TEST(SimGzip, OffByDefaultAndContentLengthFramingCountsTheGzippedBytes) {
  {
    TestServer s(quick("escl-flatbed"));
    Client c(s.port());
    c.send(get("/eSCL/ScannerCapabilities", "Accept-Encoding: gzip\r\n"));
    EXPECT_EQ(header_of(c.read_reply(), "Content-Encoding"), "<absent>");
  }
  SimConfig cfg = quick("escl-flatbed");
  cfg.profile.chunked_xml = false;
  TestServer s(cfg, std::chrono::seconds(2), [](ServerOptions& o) { o.gzip = true; });
  Client c(s.port());
  c.send(get("/eSCL/ScannerCapabilities", "Accept-Encoding: gzip\r\n"));
  const auto r = c.read_reply();
  EXPECT_EQ(header_of(r, "Content-Encoding"), "gzip");
  EXPECT_EQ(std::stoul(header_of(r, "Content-Length")), r.body.size());
  EXPECT_NE(gunzip(r.body).find("</scan:ScannerCapabilities>"), std::string::npos);
}

// --- _uscans._tcp ---

TEST(SimMdns, UscansOnTheHttpsPortWithUscansTxt) {
  const Profile& p = *find_profile("escl-adf-duplex");
  auto v = mdns_services(p, 8080, 443);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].type, "_uscan._tcp");
  EXPECT_EQ(v[0].port, 8080);
  EXPECT_EQ(v[1].type, "_uscans._tcp");
  EXPECT_EQ(v[1].port, 443);
  EXPECT_EQ(v[1].txt, uscan_txt(p));
  EXPECT_EQ(v[2].type, "_scanner._tcp");
  EXPECT_EQ(v[2].port, 8080);
  // Without --https: as before.
  v = mdns_services(p, 8080, 0);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].type, "_uscan._tcp");
  EXPECT_EQ(v[1].type, "_scanner._tcp");
  // HTTPS only: _uscans alone.
  v = mdns_services(p, 0, 8443);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].type, "_uscans._tcp");
  EXPECT_EQ(v[0].port, 8443);
  // LEDM has no eSCL service over either.
  v = mdns_services(*find_profile("ledm-adf-duplex"), 8080, 443);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].type, "_scanner._tcp");
}

}  // namespace
