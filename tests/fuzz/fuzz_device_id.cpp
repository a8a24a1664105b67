// IEEE-1284 device IDs from SNMP and USB: parse or throw DeviceIdError; the model token, if any.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hpaio/names/device_id.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    hpaio::DeviceId id = hpaio::DeviceId::parse(text);
    static_cast<void>(id.manufacturer());
    static_cast<void>(id.command_set());
    if (auto mdl = id.model()) static_cast<void>(hpaio::device_id_model_token(*mdl));
    static_cast<void>(id.model_token());
  } catch (const hpaio::DeviceIdError&) {
  }
  if (auto t = hpaio::avahi_model_token(text, "HP")) static_cast<void>(t);
  return 0;
}
