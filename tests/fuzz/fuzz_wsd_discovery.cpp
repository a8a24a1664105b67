// What WS-Discovery brings in from the network: a datagram read as ProbeMatches (its XAddrs
// split), or a WS-Transfer GetResponse read as a device's metadata. Either decodes or is refused;
// nothing else may happen.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "wsdd/device_metadata.hpp"
#include "wsdd/probe_message.hpp"

using namespace hpaio;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  const std::uint8_t which = in.take_byte();
  std::string error;
  switch (which % 3) {
    case 0:
      if (const auto pm = wsdd::parse_probe_matches(in.rest_text(), &error)) {
        for (const wsdd::ProbeMatch& m : pm->matches) {
          for (const wsdd::XAddr& x : m.xaddrs) static_cast<void>(wsdd::parse_xaddr(x.url));
        }
      }
      break;
    case 1: static_cast<void>(wsdd::parse_device_metadata(in.rest_text(), &error)); break;
    default: static_cast<void>(wsdd::parse_xaddr(in.rest_text())); break;
  }
  return 0;
}
