#include "wsdd/udp_probe.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

namespace hpaio::wsdd {
namespace {

// A UDP socket the Probe goes out on, and its destination.
struct Channel {
  int fd = -1;
  sockaddr_storage to{};
  socklen_t to_len = 0;
  std::string interface;  // for a unicast destination, the interface its zone names, if any
  std::string label;      // for ProbeReport::sent_on
};

class Channels {
 public:
  Channels() = default;
  Channels(const Channels&) = delete;
  Channels& operator=(const Channels&) = delete;
  ~Channels() {
    for (Channel& c : list) ::close(c.fd);
  }
  std::vector<Channel> list;
};

int open_udp(int family) { return ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0); }

template <typename T>
bool set(int fd, int level, int name, const T& value) {
  return ::setsockopt(fd, level, name, &value, sizeof value) == 0;
}

std::optional<Channel> ipv4_multicast(const std::string& ifname, unsigned index, in_addr address, std::uint16_t port) {
  const int fd = open_udp(AF_INET);
  if (fd < 0) return std::nullopt;
  ip_mreqn via{};
  via.imr_ifindex = static_cast<int>(index);
  via.imr_address = address;
  const unsigned char ttl = 1, loop = 1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  if (!set(fd, IPPROTO_IP, IP_MULTICAST_IF, via) || !set(fd, IPPROTO_IP, IP_MULTICAST_TTL, ttl) ||
      !set(fd, IPPROTO_IP, IP_MULTICAST_LOOP, loop) ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  Channel c;
  c.fd = fd;
  auto* to = reinterpret_cast<sockaddr_in*>(&c.to);
  to->sin_family = AF_INET;
  to->sin_port = htons(port);
  ::inet_pton(AF_INET, std::string(multicast_ipv4).c_str(), &to->sin_addr);
  c.to_len = sizeof(sockaddr_in);
  c.interface = ifname;
  c.label = ifname + " (IPv4)";
  return c;
}

std::optional<Channel> ipv6_multicast(const std::string& ifname, unsigned index, std::uint16_t port) {
  const int fd = open_udp(AF_INET6);
  if (fd < 0) return std::nullopt;
  const int on = 1, hops = 1;
  sockaddr_in6 local{};
  local.sin6_family = AF_INET6;
  if (!set(fd, IPPROTO_IPV6, IPV6_V6ONLY, on) || !set(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, index) ||
      !set(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hops) || !set(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, on) ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  Channel c;
  c.fd = fd;
  auto* to = reinterpret_cast<sockaddr_in6*>(&c.to);
  to->sin6_family = AF_INET6;
  to->sin6_port = htons(port);
  ::inet_pton(AF_INET6, std::string(multicast_ipv6).c_str(), &to->sin6_addr);
  to->sin6_scope_id = index;
  c.to_len = sizeof(sockaddr_in6);
  c.interface = ifname;
  c.label = ifname + " (IPv6)";
  return c;
}

// One channel per interface and family, for each interface that is up and multicast-capable.
void add_multicast(Channels& channels, std::uint16_t port) {
  ifaddrs* all = nullptr;
  if (::getifaddrs(&all) != 0) return;
  std::vector<std::pair<unsigned, int>> done;  // (interface index, family)
  for (ifaddrs* a = all; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_name == nullptr) continue;
    if ((a->ifa_flags & IFF_UP) == 0 || (a->ifa_flags & IFF_MULTICAST) == 0) continue;
    const int family = a->ifa_addr->sa_family;
    if (family != AF_INET && family != AF_INET6) continue;
    const unsigned index = ::if_nametoindex(a->ifa_name);
    if (index == 0 || std::find(done.begin(), done.end(), std::pair(index, family)) != done.end()) continue;
    done.emplace_back(index, family);
    std::optional<Channel> c =
        family == AF_INET
            ? ipv4_multicast(a->ifa_name, index, reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr, port)
            : ipv6_multicast(a->ifa_name, index, port);
    if (c) channels.list.push_back(std::move(*c));
  }
  ::freeifaddrs(all);
}

// A channel to one address (a literal; a zone names the interface).
std::optional<Channel> unicast(const std::string& address, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  if (::getaddrinfo(address.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || res == nullptr)
    return std::nullopt;
  Channel c;
  c.fd = open_udp(res->ai_family);
  if (c.fd >= 0) {
    std::memcpy(&c.to, res->ai_addr, res->ai_addrlen);
    c.to_len = static_cast<socklen_t>(res->ai_addrlen);
    c.label = address;
    // A link-local target ("fe80::1%eth0"): its answers' link-local XAddrs are on that interface.
    if (res->ai_family == AF_INET6) {
      const auto* six = reinterpret_cast<const sockaddr_in6*>(res->ai_addr);
      std::array<char, IF_NAMESIZE> name{};
      if (six->sin6_scope_id != 0 && ::if_indextoname(six->sin6_scope_id, name.data()) != nullptr) {
        c.interface = name.data();
      }
    }
  }
  ::freeaddrinfo(res);
  if (c.fd < 0) return std::nullopt;
  return c;
}

std::string numeric_host(const sockaddr_storage& from, socklen_t len) {
  std::array<char, NI_MAXHOST> host{};
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&from), len, host.data(), host.size(), nullptr, 0,
                    NI_NUMERICHOST) != 0) {
    return {};
  }
  return host.data();
}

}  // namespace

ProbeReport probe(const ProbeOptions& options, Deadline deadline, const CancelSignal* cancel,
                  const std::function<bool(ProbeAnswer)>& on_answer) {
  ProbeReport report;
  Channels channels;
  if (options.unicast.empty()) {
    add_multicast(channels, options.port);
  } else {
    for (const std::string& a : options.unicast) {
      if (auto c = unicast(a, options.port)) channels.list.push_back(std::move(*c));
    }
  }
  const std::string datagram = probe_message(options.message_id);
  const auto send_all = [&](bool first) {
    for (const Channel& c : channels.list) {
      const ssize_t n = ::sendto(c.fd, datagram.data(), datagram.size(), MSG_NOSIGNAL,
                                 reinterpret_cast<const sockaddr*>(&c.to), c.to_len);
      if (first && n == static_cast<ssize_t>(datagram.size())) report.sent_on.push_back(c.label);
    }
  };
  send_all(true);
  if (report.sent_on.empty()) {
    report.error = options.unicast.empty() ? "no interface is up and multicast-capable (IFF_MULTICAST)"
                                           : "the Probe could not be sent to any of the addresses";
    return report;
  }
  const Clock::time_point resend_at = Clock::now() + options.repeat;
  bool resent = false;

  std::vector<pollfd> fds;
  for (const Channel& c : channels.list) fds.push_back(pollfd{c.fd, POLLIN, 0});
  if (cancel != nullptr) fds.push_back(pollfd{cancel->fd(), POLLIN, 0});
  std::vector<char> buffer(65536);
  bool go_on = true;
  while (go_on) {
    if (cancel != nullptr && cancel->raised()) break;
    const Clock::time_point now = Clock::now();
    if (now >= deadline) break;
    if (!resent && now >= resend_at) {
      send_all(false);
      resent = true;
    }
    const Deadline wake = resent ? deadline : std::min(deadline, resend_at);
    for (pollfd& p : fds) p.revents = 0;
    const int ready = ::poll(fds.data(), fds.size(), poll_timeout_ms(wake));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    for (std::size_t i = 0; i < channels.list.size(); ++i) {
      if ((fds[i].revents & POLLIN) == 0) continue;
      // Everything waiting on this socket, without blocking.
      for (int k = 0; go_on && k < 64; ++k) {
        if (Clock::now() >= deadline || (cancel != nullptr && cancel->raised())) {
          go_on = false;
          break;
        }
        sockaddr_storage from{};
        socklen_t from_len = sizeof from;
        const ssize_t n = ::recvfrom(channels.list[i].fd, buffer.data(), buffer.size(), MSG_TRUNC,
                                     reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0) break;
        if (static_cast<std::size_t>(n) > buffer.size()) {  // truncated: not a whole message
          ++report.dropped;
          continue;
        }
        std::optional<ProbeMatches> pm =
            parse_probe_matches(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        if (!pm || pm->relates_to != options.message_id) {
          ++report.dropped;
          continue;
        }
        ++report.answers;
        const std::string sender = numeric_host(from, from_len);
        for (ProbeMatch& m : pm->matches) {
          if (go_on) go_on = on_answer(ProbeAnswer{std::move(m), sender, channels.list[i].interface});
        }
      }
    }
  }
  return report;
}

}  // namespace hpaio::wsdd
