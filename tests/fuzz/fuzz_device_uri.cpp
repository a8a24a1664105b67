// Device names as frontends, hpaio.conf and CUPS queues give them: parse or throw UriError; a
// parsed name prints back exactly and has an identity.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hpaio/names/device_uri.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    hpaio::DeviceUri uri = hpaio::DeviceUri::parse(text);
    if (uri.to_string() != text) std::abort();  // documented: parsing then to_string() gives back the input
    static_cast<void>(uri.identity());
  } catch (const hpaio::UriError&) {
  }
  return 0;
}
