#include "tests/sim/server/wsd_discovery_responder.hpp"

#include <array>
#include <boost/asio/ip/multicast.hpp>
#include <iostream>

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

WsdDiscoveryResponder::WsdDiscoveryResponder(asio::io_context& io, Profile profile, std::string authority,
                                             const std::string& interface_address, unsigned short port)
    : impl_(std::make_shared<Impl>(io, std::move(profile), std::move(authority))) {
  auto& s = impl_->socket;
  s.open(udp::v4());
  s.set_option(asio::socket_base::reuse_address(true));
  s.bind(udp::endpoint(asio::ip::address_v4::any(), port));
  const auto group = asio::ip::make_address_v4(kWsdMulticastV4);
  const auto iface = asio::ip::make_address_v4(interface_address);
  s.set_option(asio::ip::multicast::join_group(group, iface));
  s.set_option(asio::ip::multicast::outbound_interface(iface));
  impl_->receive();
}

WsdDiscoveryResponder::~WsdDiscoveryResponder() {
  boost::system::error_code ec;
  impl_->socket.close(ec);
}

unsigned short WsdDiscoveryResponder::port() const { return impl_->socket.local_endpoint().port(); }

}  // namespace hpsim
