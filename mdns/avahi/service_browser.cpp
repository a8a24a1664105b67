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
#include <memory>

namespace hpaio::mdns {
namespace {

struct PollDeleter {
  void operator()(AvahiSimplePoll* p) const { avahi_simple_poll_free(p); }
};
struct ClientDeleter {
  void operator()(AvahiClient* c) const { avahi_client_free(c); }
};

struct BrowseState {
  AvahiSimplePoll* poll = nullptr;
  std::vector<int> finished;  // per browser: 1 once CACHE_EXHAUSTED, ALL_FOR_NOW or FAILURE
  bool from_cache = false;    // some browser got a NEW before it finished: the daemon's cache answered
  int pending_resolves = 0;
  bool client_failed = false;
  std::string error;
  std::vector<ResolvedService> services;
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

void on_resolved(AvahiServiceResolver* r, AvahiIfIndex iface, AvahiProtocol, AvahiResolverEvent event, const char* name,
                 const char* type, const char*, const char* host_name, const AvahiAddress* a, uint16_t port,
                 AvahiStringList* txt, AvahiLookupResultFlags, void* userdata) {
  auto* state = static_cast<BrowseState*>(userdata);
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
    state->services.push_back(std::move(s));
  }
  avahi_service_resolver_free(r);
  --state->pending_resolves;
}

void on_browse(AvahiServiceBrowser* b, AvahiIfIndex iface, AvahiProtocol protocol, AvahiBrowserEvent event,
               const char* name, const char* type, const char* domain, AvahiLookupResultFlags, void* userdata) {
  auto* tag = static_cast<BrowserTag*>(userdata);
  BrowseState* state = tag->state;
  switch (event) {
    case AVAHI_BROWSER_NEW: {
      if (protocol == AVAHI_PROTO_INET6 && !tag->ipv6) break;
      AvahiClient* c = avahi_service_browser_get_client(b);
      if (avahi_service_resolver_new(c, iface, protocol, name, type, domain, protocol, static_cast<AvahiLookupFlags>(0),
                                     on_resolved, state) != nullptr) {
        ++state->pending_resolves;
      }
      if (state->finished[tag->index] == 0) state->from_cache = true;
      break;
    }
    case AVAHI_BROWSER_REMOVE: break;
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    case AVAHI_BROWSER_ALL_FOR_NOW:
    case AVAHI_BROWSER_FAILURE: state->finished[tag->index] = 1; break;
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
  int err = 0;
  std::unique_ptr<AvahiClient, ClientDeleter> client(
      avahi_client_new(avahi_simple_poll_get(poll.get()), static_cast<AvahiClientFlags>(0), on_client, &state, &err));
  if (!client) {
    result.error = std::string("no Avahi daemon: ") + avahi_strerror(err);
    return result;
  }
  std::vector<BrowserTag> tags;
  tags.reserve(options.types.size());
  std::vector<AvahiServiceBrowser*> browsers;
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
    } else {
      browsers.push_back(b);
    }
  }
  while (true) {
    const bool all_finished = std::all_of(state.finished.begin(), state.finished.end(), [](int f) { return f != 0; });
    const bool answered = all_finished && state.pending_resolves == 0;
    const auto now = Clock::now();
    if (answered && (state.from_cache || now - start >= options.settle)) {
      result.complete = true;
      result.from_cache = state.from_cache;
      break;
    }
    if (state.client_failed || now >= deadline || watch.cancelled()) break;
    // Wait for the next event, the deadline, a cancel, or (when only that is left) the settle time.
    const Deadline wake = answered ? std::min(deadline, start + options.settle) : deadline;
    if (avahi_simple_poll_iterate(poll.get(), poll_timeout_ms(wake)) != 0) break;
  }
  // Freeing the client frees its browsers and resolvers.
  client.reset();
  if (state.client_failed) result.error = state.error;
  result.services = std::move(state.services);
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
