#include "mdns/avahi/browse_end.hpp"

#include <algorithm>

namespace hpaio::mdns {

BrowseVerdict browse_verdict(const BrowseProgress& progress, const BrowseTimings& timings, Clock::time_point now) {
  BrowseVerdict v;
  if (!progress.browsers_finished_at) return v;
  const Clock::time_point answered_at = progress.from_cache
                                            ? *progress.browsers_finished_at
                                            : std::max(*progress.browsers_finished_at, progress.start + timings.settle);
  Clock::time_point end_at = answered_at;
  if (progress.pending_resolves > 0) {
    Clock::time_point give_up_at = progress.latest_pending_start + timings.resolve_wait;
    if (progress.answered_resolves > 0) give_up_at = std::min(give_up_at, progress.last_answer + timings.quiet);
    end_at = std::max(end_at, give_up_at);
  }
  if (now < end_at) {
    v.wake = end_at;
    return v;
  }
  v.done = true;
  v.resolves_left_behind = progress.pending_resolves > 0;
  return v;
}

}  // namespace hpaio::mdns
