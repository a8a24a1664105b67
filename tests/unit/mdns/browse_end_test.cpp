// When a browse ends (mdns/avahi/browse_end.hpp): a warm cache ends the browse as soon as the
// browsers have finished and every resolve has ended; a cold one waits `settle`; a resolve that
// does not end holds the browse until the daemon has gone quiet after its last answer, or, when
// the daemon has answered no resolve at all, until the resolve has had `resolve_wait`.
#include "mdns/avahi/browse_end.hpp"

#include <gtest/gtest.h>

using namespace hpaio;
using namespace hpaio::mdns;
using namespace std::chrono_literals;

namespace {

const Clock::time_point t0 = Clock::time_point() + 1000s;
const BrowseTimings timings{400ms, 1000ms, 100ms};

// A browse whose browsers all finished at `finished`, from the cache or not, with `pending`
// resolves (the latest started at `latest_start`), `answered` resolves ended, the daemon's last
// answer at `last_answer`.
BrowseProgress progress(Clock::duration finished, bool from_cache, int pending = 0, Clock::duration latest_start = 0ms,
                        int answered = 0, Clock::duration last_answer = 0ms) {
  return BrowseProgress{t0, t0 + finished, from_cache, pending, t0 + latest_start, answered, t0 + last_answer};
}

}  // namespace

TEST(BrowseEnd, WaitsForEveryBrowser) {
  BrowseProgress p = progress(0ms, true);
  p.browsers_finished_at.reset();
  const BrowseVerdict v = browse_verdict(p, timings, t0 + 900ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, Clock::time_point::max());  // only a browser's event can end it
}

TEST(BrowseEnd, WarmCacheEndsWhenBrowsersFinishedAndEveryResolveEnded) {
  const BrowseVerdict v = browse_verdict(progress(8ms, true, 0, 7ms, 200, 60ms), timings, t0 + 60ms);
  EXPECT_TRUE(v.done);
  EXPECT_FALSE(v.resolves_left_behind);
}

TEST(BrowseEnd, ColdCacheWaitsSettleEvenWithNothingPending) {
  BrowseVerdict v = browse_verdict(progress(5ms, false), timings, t0 + 100ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, t0 + 400ms);
  v = browse_verdict(progress(5ms, false), timings, t0 + 400ms);
  EXPECT_TRUE(v.done);
  EXPECT_FALSE(v.resolves_left_behind);
}

TEST(BrowseEnd, ColdCacheBrowserFinishingLateEndsWhenItFinishes) {
  // ALL_FOR_NOW after about 1 s: settle has long passed.
  EXPECT_TRUE(browse_verdict(progress(1010ms, false), timings, t0 + 1010ms).done);
}

TEST(BrowseEnd, PendingResolveHoldsWhileTheDaemonKeepsAnswering) {
  // Warm: 5 resolves pending, the daemon answered another one 100 ms ago.
  const BrowseVerdict v = browse_verdict(progress(8ms, true, 5, 120ms, 150, 130ms), timings, t0 + 200ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, t0 + 130ms + 100ms);
}

TEST(BrowseEnd, ResolveThatNeverEndsIsLeftOnceTheDaemonIsQuiet) {
  // 100 devices answered from the cache by 130 ms; 5 services whose host has no address.
  const BrowseVerdict v = browse_verdict(progress(8ms, true, 5, 120ms, 200, 130ms), timings, t0 + 230ms);
  EXPECT_TRUE(v.done);
  EXPECT_TRUE(v.resolves_left_behind);
}

TEST(BrowseEnd, ResolvesTheDaemonAsksTheNetworkForAreWaitedFor) {
  // Warm cache for the services, not for their hosts (their address records expired): no resolve
  // has ended yet, so silence means the daemon is asking the network, not that it is done.
  BrowseVerdict v = browse_verdict(progress(8ms, true, 200, 130ms, 0, 8ms), timings, t0 + 400ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, t0 + 130ms + 1000ms);
  // The network answers at 320-480 ms; then the quiet rule applies to what is left.
  v = browse_verdict(progress(8ms, true, 5, 130ms, 200, 480ms), timings, t0 + 500ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, t0 + 480ms + 100ms);
  EXPECT_TRUE(browse_verdict(progress(8ms, true, 5, 130ms, 200, 480ms), timings, t0 + 580ms).done);
}

TEST(BrowseEnd, NothingResolvesAtAllCostsResolveWait) {
  // Only services whose host never answers: each resolve is given `resolve_wait` from its start.
  BrowseVerdict v = browse_verdict(progress(8ms, true, 2, 9ms, 0, 9ms), timings, t0 + 1000ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, t0 + 1009ms);
  v = browse_verdict(progress(8ms, true, 2, 9ms, 0, 9ms), timings, t0 + 1009ms);
  EXPECT_TRUE(v.done);
  EXPECT_TRUE(v.resolves_left_behind);
}

TEST(BrowseEnd, ResolveWaitBoundsAResolveEvenWhileOthersAnswer) {
  // Answers keep coming (a slow network), but the pending resolves have had resolve_wait.
  const BrowseVerdict v = browse_verdict(progress(8ms, true, 1, 100ms, 50, 1050ms), timings, t0 + 1100ms);
  EXPECT_TRUE(v.done);
  EXPECT_TRUE(v.resolves_left_behind);
}

TEST(BrowseEnd, ColdCacheSettleStillHoldsAfterTheDaemonWentQuiet) {
  // Cold: services found at 250 ms and resolved by 330 ms, one pending; quiet since then, but the
  // browse is not answered before settle.
  BrowseVerdict v = browse_verdict(progress(5ms, false, 1, 250ms, 10, 330ms), timings, t0 + 340ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, t0 + 430ms);  // the quiet rule's time is the later
  v = browse_verdict(progress(5ms, false, 1, 250ms, 10, 200ms), timings, t0 + 360ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, t0 + 400ms);  // settle is the later
  EXPECT_TRUE(browse_verdict(progress(5ms, false, 1, 250ms, 10, 200ms), timings, t0 + 400ms).done);
}

TEST(BrowseEnd, ServiceFoundLateCountsAsAnAnswer) {
  // Cold: a device answered the daemon (NEW) at 420 ms and its resolve is pending: the quiet time
  // runs from that answer.
  const BrowseVerdict v = browse_verdict(progress(5ms, false, 1, 420ms, 30, 420ms), timings, t0 + 450ms);
  EXPECT_FALSE(v.done);
  EXPECT_EQ(v.wake, t0 + 520ms);
}
