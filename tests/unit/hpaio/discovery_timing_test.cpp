// DeviceDiscovery with fake sources: the deadline holds whatever a source does, sources get a
// deadline before the listing's, late results are kept for the next listing, fresh results are
// reused, the CancelSignal ends a waiting source at once, and a stuck source does not hold up exit.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <memory>
#include <thread>

#include "hpaio/discovery/discovery.hpp"

using namespace hpaio;
using namespace std::chrono_literals;

namespace {

DeviceCandidate queue(const std::string& uri) {
  return DeviceCandidate{DeviceUri::parse(uri), DeviceSource::print_queue, {}, false, {}};
}

// A source that answers after `delay`, or at once when cancelled; a `stubborn` one ignores the
// cancel, as a library call that does not return would.
DiscoverySource fake(std::string name, std::chrono::milliseconds delay, std::string uri,
                     std::shared_ptr<std::atomic<int>> calls, bool stubborn = false) {
  return DiscoverySource{std::move(name), [=](Deadline, const CancelSignal* cancel, std::string&) {
                           ++*calls;
                           if (stubborn) {
                             std::this_thread::sleep_for(delay);
                           } else {
                             pollfd p{cancel->fd(), POLLIN, 0};
                             ::poll(&p, 1, static_cast<int>(delay.count()));
                           }
                           return std::vector<DeviceCandidate>{queue(uri)};
                         }};
}

std::vector<std::string> names(const std::vector<ListedDevice>& v) {
  std::vector<std::string> out;
  for (const auto& d : v) out.push_back(d.name);
  return out;
}

std::chrono::milliseconds since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t);
}

}  // namespace

TEST(DeviceDiscovery, DiscoveryOffListsConfiguredOnly) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  DiscoveryOptions o;
  o.configured = {"hpaio:/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.1"};
  o.network = false;
  o.sources = {fake("never", 0ms, "hp:/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.2", calls)};
  DeviceDiscovery d(o);
  EXPECT_EQ(names(d.list()), (std::vector<std::string>{"/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.1"}));
  EXPECT_EQ(*calls, 0);
}

TEST(DeviceDiscovery, DeadlineHoldsAndLateResultsAreKept) {
  auto fast_calls = std::make_shared<std::atomic<int>>(0);
  auto slow_calls = std::make_shared<std::atomic<int>>(0);
  DiscoveryOptions o;
  o.deadline = 300ms;
  o.freshness = 0ms;
  o.sources = {fake("fast", 10ms, "hp:/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.2", fast_calls),
               fake("slow", 1500ms, "hp:/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.3", slow_calls, true)};
  DeviceDiscovery d(o);
  auto start = Clock::now();
  EXPECT_EQ(names(d.list()), (std::vector<std::string>{"/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.2"}));
  EXPECT_LT(since(start), 900ms);
  std::this_thread::sleep_for(1600ms);  // the slow source finishes meanwhile
  start = Clock::now();
  auto second = names(d.list());  // the slow result from before, while it runs again
  EXPECT_LT(since(start), 900ms);
  EXPECT_EQ(second, (std::vector<std::string>{"/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.2",
                                              "/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.3"}));
  EXPECT_EQ(*slow_calls, 2);
}

TEST(DeviceDiscovery, FreshResultsAreReused) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  DiscoveryOptions o;
  o.freshness = 10s;
  o.sources = {fake("cups", 0ms, "hp:/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.2", calls)};
  DeviceDiscovery d(o);
  EXPECT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list().size(), 1u);
  EXPECT_EQ(*calls, 1);
}

TEST(DeviceDiscovery, AStuckSourceDoesNotHoldUpDestruction) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  Clock::time_point start;
  {
    DiscoveryOptions o;
    o.deadline = 100ms;
    o.sources = {fake("stuck", 1500ms, "hp:/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.2", calls, true)};
    DeviceDiscovery d(o);
    EXPECT_TRUE(d.list().empty());
    start = Clock::now();
  }
  EXPECT_LT(since(start), 500ms);
}

TEST(DeviceDiscovery, SourcesEndBeforeTheListingDeadline) {
  auto given = std::make_shared<Deadline>();
  DiscoveryOptions o;
  o.deadline = 1000ms;
  o.sources = {DiscoverySource{"deadline", [given](Deadline deadline, const CancelSignal*, std::string&) {
                                 *given = deadline;
                                 return std::vector<DeviceCandidate>{};
                               }}};
  DeviceDiscovery d(o);
  const auto start = Clock::now();
  d.list();
  EXPECT_LE(*given, start + 1000ms);
  EXPECT_GE(*given, start + 800ms);
}

TEST(DeviceDiscovery, TheCancelEndsAWaitingSourceAtOnce) {
  auto returned = std::make_shared<std::atomic<bool>>(false);
  Clock::time_point start;
  {
    DiscoveryOptions o;
    o.deadline = 100ms;
    o.sources = {DiscoverySource{"waiting", [returned](Deadline, const CancelSignal* cancel, std::string&) {
                                   pollfd p{cancel->fd(), POLLIN, 0};
                                   ::poll(&p, 1, 10000);
                                   *returned = true;
                                   return std::vector<DeviceCandidate>{};
                                 }}};
    DeviceDiscovery d(o);
    EXPECT_TRUE(d.list().empty());
    start = Clock::now();
  }
  EXPECT_LT(since(start), 150ms);
  EXPECT_TRUE(*returned);  // joined, not left behind
}
