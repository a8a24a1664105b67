#include "hpaio/sources/network_sources.hpp"

#include <set>
#include <string_view>

#include "base/ascii.hpp"
#include "hpaio/discovery/device_listing.hpp"
#include "hpaio/discovery/wsd_search.hpp"
#include "hpaio/sources/print_queues.hpp"
#include "mdns/avahi/service_browser.hpp"
#include "mdns/records/hp_service.hpp"

namespace hpaio {
namespace {

// `text` appended to `to`, after `separator` when `to` already holds something.
void append(std::string& to, std::string_view separator, const std::string& text) {
  if (!to.empty()) to += separator;
  to += text;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& i : items) append(out, separator, i);
  return out;
}

std::vector<DeviceCandidate> find_print_queues(Deadline deadline, const CancelSignal* cancel, std::string& error) {
  PrintQueuesResult r = list_print_queues(deadline, cancel);
  error = r.error;
  std::vector<std::string> notes;
  auto out = candidates_from_queues(r.queues, &notes);
  for (const std::string& n : notes) append(error, "; ", n);
  return out;
}

std::vector<DeviceCandidate> find_mdns(Deadline deadline, const CancelSignal* cancel, std::string& error) {
  mdns::BrowseOptions o;
  o.types.assign(mdns::browsed_service_types.begin(), mdns::browsed_service_types.end());
  mdns::BrowseResult r = mdns::browse(o, deadline, cancel);
  error = r.error;
  if (!r.complete && r.error.empty()) error = "browse not complete by the deadline; using what was found";
  const auto add = [&error](const std::string& text) { append(error, "; ", text); };
  if (r.from_cache) add("the browse ended when Avahi's cache had answered");
  if (!r.services.empty()) {
    std::set<std::string> instances;
    for (const mdns::ResolvedService& s : r.services) instances.insert(ascii_lower(s.name));
    add(std::to_string(instances.size()) + " service(s) resolved, the slowest in " +
        std::to_string(r.slowest_resolve.count()) + " ms");
  }
  if (!r.unresolved.empty()) {
    add(std::to_string(r.unresolved.size()) + " service(s) not resolved, left out: " + joined(r.unresolved, ", "));
  }
  return candidates_from_mdns(r.services);
}

// Devices answer a Probe after a random delay of up to half a second (WS-Discovery's APP_MAX_DELAY,
// 500 ms); answers are taken for a little longer, but at most for two thirds of the time left, so that
// the Gets of the last ones to answer end by the deadline too. This window is what a listing on a
// networked machine costs at least.
constexpr std::chrono::milliseconds wsd_answer_window{600};

std::vector<DeviceCandidate> find_wsd(Deadline deadline, const CancelSignal* cancel, std::string& error) {
  const Clock::time_point now = Clock::now();
  const Deadline answers_until = now + std::min<Clock::duration>(wsd_answer_window, (deadline - now) * 2 / 3);
  WsdSearchResult r = search_wsd({}, answers_until, deadline, cancel);
  error = r.error;
  if (!r.sent_on.empty()) append(error, "; ", "Probe sent on " + joined(r.sent_on, ", "));
  if (r.answers > 0) append(error, "; ", std::to_string(r.answers) + " device(s) answered the Probe");
  return candidates_from_wsd(r.devices);
}

}  // namespace

std::vector<DiscoverySource> network_sources() {
  return {DiscoverySource{"CUPS queues", find_print_queues}, DiscoverySource{"mDNS", find_mdns},
          DiscoverySource{std::string(wsd_source_name), find_wsd}};
}

}  // namespace hpaio
