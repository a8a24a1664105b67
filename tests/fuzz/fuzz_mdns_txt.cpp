// mDNS TXT records as Avahi hands them over (entries of up to 255 bytes, here split at NUL bytes):
// the record and the HP model it names.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "mdns/records/hp_service.hpp"
#include "mdns/records/txt_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  std::uint8_t flags = in.take_byte();
  std::vector<std::string> entries(1);
  for (char c : in.rest_text()) {
    if (c == '\0' || entries.back().size() == 255) entries.emplace_back();
    if (c != '\0') entries.back().push_back(c);
  }
  hpaio::mdns::TxtRecord txt = hpaio::mdns::TxtRecord::parse(entries);
  static_cast<void>(txt.get("ty"));
  static_cast<void>(hpaio::mdns::hp_model(txt));
  static const char* const types[] = {"_uscan._tcp", "_uscans._tcp", "_ipp._tcp", "_scanner._tcp"};
  static_cast<void>(hpaio::mdns::service_speaks_escl(types[flags % 4]));
  if (!entries.empty()) static_cast<void>(hpaio::mdns::mdns_style_token(entries.front()));
  return 0;
}
