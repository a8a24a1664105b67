// eSCL documents from a device: capabilities, status and ScanImageInfo decode or throw
// ProtocolError; decoded capabilities also go into a job request, as the backend would.
#include <cstddef>
#include <cstdint>

#include "backend/escl/escl_codec.hpp"
#include "fuzz_input.hpp"
#include "hpaio/xml/xml_tree.hpp"

using namespace hpaio;
using namespace hpaio::backend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  std::uint8_t which = in.take_byte();
  try {
    switch (which % 3) {
      case 0: {
        escl::Capabilities caps = escl::decode_capabilities(in.rest_text());
        for (InputSource s : caps.scanner.sources()) {
          const SourceCapabilities* src = caps.scanner.source(s);
          if (src == nullptr || src->resolutions.empty()) continue;
          ScanRequest req;
          req.source = s;
          req.resolution = src->resolutions.front();
          static_cast<void>(escl::encode_scan_settings(req, caps));
        }
        break;
      }
      case 1: static_cast<void>(escl::decode_status(in.rest_text())); break;
      default: static_cast<void>(escl::decode_image_info(in.rest_text())); break;
    }
  } catch (const ProtocolError&) {
  } catch (const hpaio::xml::ParseError&) {
  }
  return 0;
}
