#include "mdns/avahi/service_browser.hpp"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/address.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/simple-watch.h>
#include <avahi-common/strlst.h>
#include <net/if.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>

#include "base/ascii.hpp"

namespace hpaio::mdns {
namespace {

struct PollDeleter {
  void operator()(AvahiSimplePoll* p) const { avahi_simple_poll_free(p); }
};
struct ClientDeleter {
  void operator()(AvahiClient* c) const { avahi_client_free(c); }
};

struct BrowseState;

// One service instance being resolved (the resolvers' userdata), with every type it was found under.
struct PendingResolve {
  BrowseState* state = nullptr;
  Clock::time_point start;  // when its latest lookup started
  std::string name;
  std::string type;                     // the type resolved
  std::vector<std::string> also_types;  // the others, not resolved again
  bool any_family = false;              // resolved to an address of either family
  bool ended = false;                   // the service's resolver has answered (or could not start)
  bool asks_ipv4 = false;               // resolved to an IPv6 address: its host's IPv4 address is asked
  std::optional<ResolvedService> found;
  std::optional<ResolvedService> found_ipv4;  // the same service at its host's IPv4 address

  bool pending() const { return !ended || asks_ipv4; }
};

struct BrowseState {
  AvahiSimplePoll* poll = nullptr;
  std::vector<int> finished;  // per browser: 1 once CACHE_EXHAUSTED, ALL_FOR_NOW or FAILURE
  std::optional<Clock::time_point> all_finished_at;
  bool from_cache = false;              // some browser got a NEW before it finished: the daemon's cache answered
  std::deque<PendingResolve> resolves;  // a deque: its elements stay where they are as it grows
  std::map<std::string, PendingResolve*> by_name;  // lowercased instance name and protocol -> its resolve
  int pending_resolves = 0;
  int answered_resolves = 0;
  Clock::time_point last_answer;  // the latest NEW or resolver event
  Clock::duration slowest_resolve{0};
  bool client_failed = false;
  std::string error;
  std::vector<std::string> unresolved;
};

struct BrowserTag {
  BrowseState* state;
  std::size_t index;
  bool ipv6;
};

std::string interface_name(AvahiIfIndex index) {
  char buf[IF_NAMESIZE] = {};
  if (index > 0 && if_indextoname(static_cast<unsigned>(index), buf) != nullptr) return buf;
  return index > 0 ? std::to_string(index) : std::string();
}

void fill_address(const AvahiAddress* a, AvahiIfIndex iface, std::string& address, bool& ipv6, std::string& zone) {
  char text[AVAHI_ADDRESS_STR_MAX] = {};
  avahi_address_snprint(text, sizeof text, a);
  address = text;
  ipv6 = a->proto == AVAHI_PROTO_INET6;
  zone.clear();
  if (ipv6) {
    const std::uint8_t* b = a->data.ipv6.address;
    const bool link_local = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
    if (link_local) zone = interface_name(iface);
  }
}

void answered(BrowseState* state) {
  --state->pending_resolves;
  ++state->answered_resolves;
  state->last_answer = Clock::now();
}

void on_ipv4_address(AvahiHostNameResolver* r, AvahiIfIndex iface, AvahiProtocol, AvahiResolverEvent event, const char*,
                     const AvahiAddress* a, AvahiLookupResultFlags, void* userdata) {
  auto* pending = static_cast<PendingResolve*>(userdata);
  if (event == AVAHI_RESOLVER_FOUND && a != nullptr && a->proto == AVAHI_PROTO_INET && pending->found) {
    pending->found_ipv4 = pending->found;
    fill_address(a, iface, pending->found_ipv4->address, pending->found_ipv4->ipv6, pending->found_ipv4->zone);
  }
  avahi_host_name_resolver_free(r);
  pending->asks_ipv4 = false;
  answered(pending->state);
}

void on_resolved(AvahiServiceResolver* r, AvahiIfIndex iface, AvahiProtocol protocol, AvahiResolverEvent event,
                 const char* name, const char* type, const char*, const char* host_name, const AvahiAddress* a,
                 uint16_t port, AvahiStringList* txt, AvahiLookupResultFlags, void* userdata) {
  auto* pending = static_cast<PendingResolve*>(userdata);
  BrowseState* state = pending->state;
  if (event == AVAHI_RESOLVER_FOUND && a != nullptr) {
    ResolvedService s;
    s.type = type ? type : "";
    s.name = name ? name : "";
    s.host_name = host_name ? host_name : "";
    fill_address(a, iface, s.address, s.ipv6, s.zone);
    s.port = port;
    std::vector<std::string> entries;
    for (AvahiStringList* l = txt; l != nullptr; l = avahi_string_list_get_next(l)) {
      entries.emplace_back(reinterpret_cast<const char*>(avahi_string_list_get_text(l)), avahi_string_list_get_size(l));
    }
    s.txt = TxtRecord::parse(entries);
    pending->found = std::move(s);
    state->slowest_resolve = std::max(state->slowest_resolve, Clock::now() - pending->start);
    // The daemon gives the first address record it has for the host; when that is an IPv6 one, the
    // host may have an IPv4 address too, which is the one to list (as HPLIP does). Asked like a
    // resolve: answered at once when the daemon holds it, else left by the rules of browse_end.hpp.
    if (pending->any_family && pending->found->ipv6 && !pending->found->host_name.empty()) {
      AvahiClient* c = avahi_service_resolver_get_client(r);
      if (avahi_host_name_resolver_new(c, iface, protocol, pending->found->host_name.c_str(), AVAHI_PROTO_INET,
                                       static_cast<AvahiLookupFlags>(0), on_ipv4_address, pending) != nullptr) {
        pending->asks_ipv4 = true;
        pending->start = Clock::now();
      }
    }
  } else {
    const char* why = event == AVAHI_RESOLVER_FOUND
                          ? "no address"
                          : avahi_strerror(avahi_client_errno(avahi_service_resolver_get_client(r)));
    state->unresolved.push_back(pending->name + " (" + pending->type + "): " + why);
  }
  avahi_service_resolver_free(r);
  pending->ended = true;
  if (pending->asks_ipv4) {
    // Still pending, for its IPv4 address; the daemon has answered.
    ++state->answered_resolves;
    state->last_answer = Clock::now();
  } else {
    answered(state);
  }
}

void on_browse(AvahiServiceBrowser* b, AvahiIfIndex iface, AvahiProtocol protocol, AvahiBrowserEvent event,
               const char* name, const char* type, const char* domain, AvahiLookupResultFlags, void* userdata) {
  auto* tag = static_cast<BrowserTag*>(userdata);
  BrowseState* state = tag->state;
  switch (event) {
    case AVAHI_BROWSER_NEW: {
      if (protocol == AVAHI_PROTO_INET6 && !tag->ipv6) break;
      if (state->finished[tag->index] == 0) state->from_cache = true;
      state->last_answer = Clock::now();
      const std::string instance = name ? name : "";
      const std::string service_type = type ? type : "";
      // One resolve per instance name and protocol: a device publishes all its services under one
      // name, and they share its host name and addresses. At scale this keeps resolves (and the
      // daemon's objects for this client, at most 1024) to one or two per device.
      const bool over_ipv6 = protocol == AVAHI_PROTO_INET6;
      auto [it, first] = state->by_name.try_emplace(ascii_lower(instance) + (over_ipv6 ? "/IPv6" : "/IPv4"), nullptr);
      if (!first) {
        PendingResolve& known = *it->second;
        if (known.type != service_type &&
            std::find(known.also_types.begin(), known.also_types.end(), service_type) == known.also_types.end()) {
          known.also_types.push_back(service_type);
        }
        break;
      }
      AvahiClient* c = avahi_service_browser_get_client(b);
      PendingResolve& pending = state->resolves.emplace_back();
      pending.state = state;
      pending.start = Clock::now();
      pending.name = instance;
      pending.type = service_type;
      it->second = &pending;
      // Found over IPv4: an address of either family (the daemon gives the A record when it holds
      // both), as the host may have only IPv6 addresses; found over IPv6: an IPv6 address, so that
      // a host with both is known at both (discovery lists the IPv4 one, and matches a CUPS queue
      // at either).
      const AvahiProtocol address_protocol = !tag->ipv6  ? AVAHI_PROTO_INET
                                             : over_ipv6 ? AVAHI_PROTO_INET6
                                                         : AVAHI_PROTO_UNSPEC;
      pending.any_family = address_protocol == AVAHI_PROTO_UNSPEC;
      if (avahi_service_resolver_new(c, iface, protocol, name, type, domain, address_protocol,
                                     static_cast<AvahiLookupFlags>(0), on_resolved, &pending) != nullptr) {
        ++state->pending_resolves;
      } else {
        pending.ended = true;
        state->unresolved.push_back(pending.name + " (" + pending.type +
                                    "): cannot resolve: " + avahi_strerror(avahi_client_errno(c)));
      }
      break;
    }
    case AVAHI_BROWSER_REMOVE: break;
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    case AVAHI_BROWSER_ALL_FOR_NOW:
    case AVAHI_BROWSER_FAILURE:
      state->finished[tag->index] = 1;
      if (!state->all_finished_at &&
          std::all_of(state->finished.begin(), state->finished.end(), [](int f) { return f != 0; })) {
        state->all_finished_at = Clock::now();
      }
      break;
  }
}

void on_client(AvahiClient* c, AvahiClientState s, void* userdata) {
  auto* state = static_cast<BrowseState*>(userdata);
  if (s == AVAHI_CLIENT_FAILURE && state != nullptr) {
    state->client_failed = true;
    state->error = std::string("Avahi client failure: ") + avahi_strerror(avahi_client_errno(c));
  }
}

// Watches a CancelSignal's fd in an AvahiSimplePoll, so that a raise wakes the poll at once.
// Destroy it before the poll.
class CancelWatch {
 public:
  CancelWatch(AvahiSimplePoll* poll, const CancelSignal* cancel) : api_(avahi_simple_poll_get(poll)), cancel_(cancel) {
    if (cancel_ != nullptr) watch_ = api_->watch_new(api_, cancel_->fd(), AVAHI_WATCH_IN, on_readable, &woken_);
  }
  ~CancelWatch() {
    if (watch_ != nullptr) api_->watch_free(watch_);
  }
  CancelWatch(const CancelWatch&) = delete;
  CancelWatch& operator=(const CancelWatch&) = delete;

  bool cancelled() const { return woken_ || (cancel_ != nullptr && cancel_->raised()); }

 private:
  // The fd stays readable while the signal is raised: the caller leaves its loop at once.
  static void on_readable(AvahiWatch*, int, AvahiWatchEvent, void* userdata) { *static_cast<bool*>(userdata) = true; }

  const AvahiPoll* api_;
  const CancelSignal* cancel_;
  AvahiWatch* watch_ = nullptr;
  bool woken_ = false;
};

}  // namespace

BrowseResult browse(const BrowseOptions& options, Deadline deadline, const CancelSignal* cancel) {
  const Clock::time_point start = Clock::now();
  BrowseResult result;
  std::unique_ptr<AvahiSimplePoll, PollDeleter> poll(avahi_simple_poll_new());
  if (!poll) {
    result.error = "avahi_simple_poll_new failed";
    return result;
  }
  CancelWatch watch(poll.get(), cancel);
  BrowseState state;
  state.poll = poll.get();
  state.last_answer = start;
  int err = 0;
  std::unique_ptr<AvahiClient, ClientDeleter> client(
      avahi_client_new(avahi_simple_poll_get(poll.get()), static_cast<AvahiClientFlags>(0), on_client, &state, &err));
  if (!client) {
    result.error = std::string("no Avahi daemon: ") + avahi_strerror(err);
    return result;
  }
  std::vector<BrowserTag> tags;
  tags.reserve(options.types.size());
  state.finished.assign(options.types.size(), 0);
  const AvahiProtocol proto = options.ipv6 ? AVAHI_PROTO_UNSPEC : AVAHI_PROTO_INET;
  for (std::size_t i = 0; i < options.types.size(); ++i) {
    tags.push_back(BrowserTag{&state, i, options.ipv6});
    AvahiServiceBrowser* b =
        avahi_service_browser_new(client.get(), AVAHI_IF_UNSPEC, proto, options.types[i].c_str(), nullptr,
                                  static_cast<AvahiLookupFlags>(0), on_browse, &tags.back());
    if (b == nullptr) {
      state.finished[i] = 1;
      result.error = "cannot browse " + options.types[i] + ": " + avahi_strerror(avahi_client_errno(client.get()));
    }
  }
  if (!state.all_finished_at && std::all_of(state.finished.begin(), state.finished.end(), [](int f) { return f != 0; }))
    state.all_finished_at = Clock::now();
  while (true) {
    BrowseProgress progress{start, state.all_finished_at,   state.from_cache, state.pending_resolves,
                            start, state.answered_resolves, state.last_answer};
    for (const PendingResolve& p : state.resolves) {
      if (p.pending()) progress.latest_pending_start = std::max(progress.latest_pending_start, p.start);
    }
    const BrowseVerdict verdict = browse_verdict(progress, options.timings, Clock::now());
    if (verdict.done) {
      result.complete = true;
      result.from_cache = state.from_cache;
      break;
    }
    if (state.client_failed || Clock::now() >= deadline || watch.cancelled()) break;
    // Wait for the next event, the deadline, a cancel, or the time the verdict changes by itself.
    if (avahi_simple_poll_iterate(poll.get(), poll_timeout_ms(std::min(deadline, verdict.wake))) != 0) break;
  }
  for (PendingResolve& p : state.resolves) {
    for (std::optional<ResolvedService>* found : {&p.found, &p.found_ipv4}) {
      if (!*found) continue;
      (*found)->also_types = p.also_types;
      result.services.push_back(std::move(**found));
    }
    if (p.ended) continue;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - p.start).count();
    state.unresolved.push_back(p.name + " (" + p.type + "): no answer in " + std::to_string(ms) + " ms");
  }
  // Freeing the client frees its browsers and resolvers.
  client.reset();
  if (state.client_failed) result.error = state.error;
  result.unresolved = std::move(state.unresolved);
  result.slowest_resolve = std::chrono::duration_cast<std::chrono::milliseconds>(state.slowest_resolve);
  return result;
}

namespace {

struct HostState {
  bool done = false;
  std::optional<HostAddress> found;
  std::string error;
};

void on_host(AvahiHostNameResolver* r, AvahiIfIndex iface, AvahiProtocol, AvahiResolverEvent event, const char*,
             const AvahiAddress* a, AvahiLookupResultFlags, void* userdata) {
  auto* state = static_cast<HostState*>(userdata);
  if (event == AVAHI_RESOLVER_FOUND && a != nullptr) {
    HostAddress h;
    fill_address(a, iface, h.address, h.ipv6, h.zone);
    if (!state->found || (state->found->ipv6 && !h.ipv6)) state->found = std::move(h);
  } else {
    state->error = avahi_strerror(avahi_client_errno(avahi_host_name_resolver_get_client(r)));
  }
  state->done = true;
}

}  // namespace

std::optional<HostAddress> resolve_host_name(const std::string& name, Deadline deadline, const CancelSignal* cancel,
                                             std::string* error) {
  std::unique_ptr<AvahiSimplePoll, PollDeleter> poll(avahi_simple_poll_new());
  if (!poll) return std::nullopt;
  CancelWatch watch(poll.get(), cancel);
  int err = 0;
  std::unique_ptr<AvahiClient, ClientDeleter> client(
      avahi_client_new(avahi_simple_poll_get(poll.get()), static_cast<AvahiClientFlags>(0), nullptr, nullptr, &err));
  if (!client) {
    if (error) *error = std::string("no Avahi daemon: ") + avahi_strerror(err);
    return std::nullopt;
  }
  HostState state;
  // IPv4 first (the address HPLIP would use), then IPv6.
  for (AvahiProtocol aproto : {AVAHI_PROTO_INET, AVAHI_PROTO_INET6}) {
    if (watch.cancelled()) break;
    state.done = false;
    AvahiHostNameResolver* r =
        avahi_host_name_resolver_new(client.get(), AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, name.c_str(), aproto,
                                     static_cast<AvahiLookupFlags>(0), on_host, &state);
    if (r == nullptr) continue;
    while (!state.done && Clock::now() < deadline && !watch.cancelled()) {
      if (avahi_simple_poll_iterate(poll.get(), poll_timeout_ms(deadline)) != 0) break;
    }
    avahi_host_name_resolver_free(r);
    if (state.found) break;
  }
  if (!state.found && error) {
    *error = !state.error.empty() ? state.error : watch.cancelled() ? "cancelled" : "not found in time";
  }
  return state.found;
}

}  // namespace hpaio::mdns
