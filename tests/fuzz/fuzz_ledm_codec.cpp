// LEDM documents from a device: ScanCaps, ScanStatus, Job and DiscoveryTree decode or throw
// ProtocolError.
#include <cstddef>
#include <cstdint>

#include "backend/ledm/ledm_codec.hpp"
#include "fuzz_input.hpp"
#include "hpaio/xml/xml_tree.hpp"

using namespace hpaio;
using namespace hpaio::backend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  std::uint8_t which = in.take_byte();
  try {
    switch (which % 4) {
      case 0: static_cast<void>(ledm::decode_capabilities(in.rest_text())); break;
      case 1: static_cast<void>(ledm::decode_status(in.rest_text())); break;
      case 2: static_cast<void>(ledm::decode_job(in.rest_text())); break;
      default: static_cast<void>(ledm::decode_discovery_tree(in.rest_text())); break;
    }
  } catch (const ProtocolError&) {
  } catch (const hpaio::xml::ParseError&) {
  }
  return 0;
}
