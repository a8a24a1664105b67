// When a browse through the Avahi daemon has found what it will find. Pure (no Avahi, no waiting):
// the browse loop (service_browser.cpp) tells it what has happened so far and when, and it answers
// "done" or "look again by this time, unless something happens first".
//
// The daemon answers each browser from its cache first (NEW for every service it holds, then
// CACHE_EXHAUSTED, within milliseconds) and from the network later (ALL_FOR_NOW after about 1 s).
// Every service found is then resolved (host name, address, port, TXT) by a resolver of its own,
// from the daemon's cache in a few ms, or from the network. What the network answers comes no
// sooner than about 100 ms after the daemon asks (it holds a query back up to 100 ms to group it
// with others), and an answer to a browse up to 120 ms later still (responders delay shared
// records by 20-120 ms): measured on loopback, a cold daemon's first answers came 180-270 ms after
// the browse started, and resolves it had to ask the network for took 320-480 ms.
//  * The browse is answered once every browser has finished (CACHE_EXHAUSTED, ALL_FOR_NOW or a
//    failure) and, when nothing came from the daemon's cache (a cold cache), `settle` has passed
//    since the start, so that devices have had time to answer the daemon's first query.
//  * It ends when it is answered and no resolve is pending.
//  * A resolve may never end: the daemon resolves a service whose host has no address record (a
//    device switched off while its announcement is still cached) until its own timeout, 5 s. So
//    pending resolves hold an answered browse only
//    - until each has had `resolve_wait` (the time a resolve the daemon has to ask the network for
//      may take), and
//    - once the daemon has answered some resolves, until it has answered nothing (no service found,
//      no resolve ended) for `quiet`: the daemon answers what it holds at once (its answers here
//      came less than 15 ms apart on a loaded machine), so what is still pending then waits for
//      hosts that have not answered the network. A device that does answer, later, is in the
//      daemon's cache for the next listing (the daemon asks within 100 ms).
//    So a service that does not resolve costs a listing `quiet` after the daemon's last answer, or
//    `resolve_wait` when nothing resolves at all; never the listing's deadline.
// The caller's deadline still ends the browse whatever this says.
#pragma once

#include <chrono>
#include <optional>

#include "base/clock.hpp"

namespace hpaio::mdns {

struct BrowseTimings {
  std::chrono::milliseconds settle{400};         // cold cache: the least a browse waits for answers
  std::chrono::milliseconds resolve_wait{1000};  // the longest a resolve may hold the end of a browse
  std::chrono::milliseconds quiet{100};          // once resolves were answered: the daemon's silence that ends it
};

struct BrowseProgress {
  Clock::time_point start;                                // when the browse started
  std::optional<Clock::time_point> browsers_finished_at;  // when the last browser finished; empty until then
  bool from_cache = false;  // some service came from the daemon's cache (before its browser's CACHE_EXHAUSTED)
  int pending_resolves = 0;
  Clock::time_point latest_pending_start;  // when the most recent of the pending resolves started
  int answered_resolves = 0;               // resolves that ended (found, or failed by the daemon)
  Clock::time_point last_answer;           // the daemon's latest answer: a service found or a resolve ended
};

struct BrowseVerdict {
  bool done = false;
  bool resolves_left_behind = false;  // done although resolves are pending
  // Not done: when the verdict changes if nothing happens before (Clock::time_point::max(): only
  // an event can change it).
  Clock::time_point wake = Clock::time_point::max();
};

BrowseVerdict browse_verdict(const BrowseProgress& progress, const BrowseTimings& timings, Clock::time_point now);

}  // namespace hpaio::mdns
