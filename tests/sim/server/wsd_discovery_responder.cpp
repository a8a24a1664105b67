#include "tests/sim/server/wsd_discovery_responder.hpp"

#include <ifaddrs.h>
#include <net/if.h>

#include <array>
#include <boost/asio/ip/multicast.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "tests/sim/core/wsd_discovery.hpp"

namespace hpsim {

namespace asio = boost::asio;
using asio::ip::udp;

struct WsdDiscoveryResponder::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Profile p, std::string a) : socket(io), profile(std::move(p)), authority(std::move(a)) {}

  void receive() {
    socket.async_receive_from(asio::buffer(buffer), sender, [self = shared_from_this()](auto ec, std::size_t n) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) self->answer(std::string_view(self->buffer.data(), n));
      self->receive();
    });
  }

  void answer(std::string_view datagram) {
    const auto reply = wsd_probe_matches(datagram, profile, authority, ++messages);
    std::cerr << "hpaio-sim: ws-discovery: " << datagram.size() << " bytes from " << sender.address().to_string() << ":"
              << sender.port() << (reply ? ", answered ProbeMatches" : ", not a Probe for this device") << std::endl;
    if (!reply) return;
    boost::system::error_code ec;
    socket.send_to(asio::buffer(*reply), sender, 0, ec);
  }

  udp::socket socket;
  Profile profile;
  std::string authority;
  udp::endpoint sender;
  std::array<char, 65536> buffer{};
  unsigned messages = 0;
};

namespace {

// The index of the interface that has `address` (0 when none has).
unsigned interface_index(const asio::ip::address_v6& address) {
  ifaddrs* all = nullptr;
  if (::getifaddrs(&all) != 0) return 0;
  unsigned index = 0;
  for (ifaddrs* a = all; a != nullptr && index == 0; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET6) continue;
    asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &reinterpret_cast<const sockaddr_in6*>(a->ifa_addr)->sin6_addr, bytes.size());
    if (asio::ip::address_v6(bytes) == address) index = ::if_nametoindex(a->ifa_name);
  }
  ::freeifaddrs(all);
  return index;
}

}  // namespace

WsdDiscoveryResponder::WsdDiscoveryResponder(asio::io_context& io, Profile profile, std::string authority,
                                             const std::string& interface_address, unsigned short port)
    : impl_(std::make_shared<Impl>(io, std::move(profile), std::move(authority))) {
  auto& s = impl_->socket;
  const auto address = asio::ip::make_address(interface_address);
  if (address.is_v6()) {
    const unsigned index = interface_index(address.to_v6());
    if (index == 0) throw std::runtime_error("no interface has the address " + interface_address);
    s.open(udp::v6());
    s.set_option(asio::ip::v6_only(true));
    s.set_option(asio::socket_base::reuse_address(true));
    s.bind(udp::endpoint(asio::ip::address_v6::any(), port));
    s.set_option(asio::ip::multicast::join_group(asio::ip::make_address_v6(kWsdMulticastV6), index));
    s.set_option(asio::ip::multicast::outbound_interface(index));
  } else {
    s.open(udp::v4());
    s.set_option(asio::socket_base::reuse_address(true));
    s.bind(udp::endpoint(asio::ip::address_v4::any(), port));
    const auto group = asio::ip::make_address_v4(kWsdMulticastV4);
    s.set_option(asio::ip::multicast::join_group(group, address.to_v4()));
    s.set_option(asio::ip::multicast::outbound_interface(address.to_v4()));
  }
  impl_->receive();
}

WsdDiscoveryResponder::~WsdDiscoveryResponder() {
  boost::system::error_code ec;
  impl_->socket.close(ec);
}

unsigned short WsdDiscoveryResponder::port() const { return impl_->socket.local_endpoint().port(); }

}  // namespace hpsim
