// One round of Probes against a UDP responder on loopback (unicast: no multicast needed): the
// answer is handed over, garbage and other Probes' answers are dropped, the deadline and the
// cancel hold.
#include "wsdd/udp_probe.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "base/cancel_signal.hpp"
#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"
#include "wsdd_documents.hpp"

using namespace hpaio;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view our_id = "urn:uuid:11111111-2222-4333-8444-555555555555";

// A UDP socket on 127.0.0.1 that answers the first datagram it gets with `answers`, in order.
class Responder {
 public:
  explicit Responder(std::vector<std::string> answers) : answers_(std::move(answers)) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Responder() {
    thread_.join();
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }
  const std::string& probe() const { return probe_; }

 private:
  void serve() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 3000) != 1) return;
    std::string buffer(65536, '\0');
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(fd_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n <= 0) return;
    probe_ = buffer.substr(0, static_cast<std::size_t>(n));
    for (const std::string& a : answers_) ::sendto(fd_, a.data(), a.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
  }

  std::vector<std::string> answers_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string probe_;
  std::thread thread_;
};

}  // namespace

TEST(WsddUdpProbe, HandsOverTheAnswerAndDropsGarbage) {
  std::vector<std::string> answers{std::string("\0\xff\x01", 3), "<Envelope", std::string(2000, '<'),
                                   wsdd_test::probe_matches("urn:uuid:someone-else", "http://127.0.0.1:3911/"),
                                   wsdd_test::probe_matches(our_id, "http://127.0.0.1:3911/device")};
  Responder r(answers);
  wsdd::ProbeOptions o;
  o.message_id = our_id;
  o.unicast = {"127.0.0.1"};
  o.port = r.port();
  std::vector<wsdd::ProbeAnswer> got;
  const Clock::time_point start = Clock::now();
  const wsdd::ProbeReport report = wsdd::probe(o, start + 1500ms, nullptr, [&](wsdd::ProbeAnswer a) {
    got.push_back(std::move(a));
    return false;  // the first answer ends the round
  });
  EXPECT_LT(Clock::now() - start, 1000ms);
  EXPECT_EQ(report.error, "");
  EXPECT_EQ(report.sent_on, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(report.dropped, 4);
  EXPECT_EQ(report.answers, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].from, "127.0.0.1");
  EXPECT_EQ(got[0].interface, "");
  EXPECT_EQ(got[0].match.endpoint, "urn:uuid:4509a320-00a0-008f-00b6-002507510eca");
  ASSERT_EQ(got[0].match.xaddrs.size(), 1u);
  EXPECT_EQ(got[0].match.xaddrs[0].path, "/device");
  // What the responder got was our Probe.
  const xml::Element probe = xml::parse(r.probe());
  EXPECT_EQ(probe.find(ns::wsa, "MessageID")->text(), our_id);
}

TEST(WsddUdpProbe, EndsAtTheDeadlineWhenNothingAnswers) {
  Responder r({});  // takes the Probe, answers nothing
  wsdd::ProbeOptions o;
  o.message_id = our_id;
  o.unicast = {"127.0.0.1"};
  o.port = r.port();
  int calls = 0;
  const Clock::time_point start = Clock::now();
  const wsdd::ProbeReport report =
      wsdd::probe(o, start + 300ms, nullptr, [&](wsdd::ProbeAnswer) { return ++calls > 0; });
  const auto took = Clock::now() - start;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 600ms);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(report.answers, 0);
}

TEST(WsddUdpProbe, EndsAtOnceOnCancel) {
  Responder r({});
  wsdd::ProbeOptions o;
  o.message_id = our_id;
  o.unicast = {"127.0.0.1"};
  o.port = r.port();
  CancelSignal cancel;
  std::thread raiser([&] {
    std::this_thread::sleep_for(100ms);
    cancel.raise();
  });
  const Clock::time_point start = Clock::now();
  wsdd::probe(o, start + 5s, &cancel, [](wsdd::ProbeAnswer) { return true; });
  raiser.join();
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST(WsddUdpProbe, NoAddressNoProbe) {
  wsdd::ProbeOptions o;
  o.message_id = our_id;
  o.unicast = {"not-an-address"};
  const wsdd::ProbeReport report = wsdd::probe(o, deadline_in(1s), nullptr, [](wsdd::ProbeAnswer) { return true; });
  EXPECT_TRUE(report.sent_on.empty());
  EXPECT_EQ(report.error, "the Probe could not be sent to any of the addresses");
}
