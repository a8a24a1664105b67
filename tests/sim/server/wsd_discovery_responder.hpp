// --ws-discovery: answers WS-Discovery Probes on UDP 3702 (the multicast group 239.255.255.250, or
// ff02::c for an IPv6 interface address, joined on one interface, and unicast) with ProbeMatches sent back to the
// prober (core/wsd_discovery.*). Each datagram received is one line on stderr.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <string>

#include "tests/sim/core/profiles.hpp"

namespace hpsim {

class WsdDiscoveryResponder {
 public:
  // Joins the group on the interface that has `interface_address` (127.0.0.1 or ::1 for lo);
  // `authority` is the HTTP listener's "ADDR:PORT" the XAddrs name. Throws on socket errors.
  WsdDiscoveryResponder(boost::asio::io_context& io, Profile profile, std::string authority,
                        const std::string& interface_address, unsigned short port);
  ~WsdDiscoveryResponder();
  WsdDiscoveryResponder(const WsdDiscoveryResponder&) = delete;
  WsdDiscoveryResponder& operator=(const WsdDiscoveryResponder&) = delete;

  unsigned short port() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace hpsim
