// The XML tree every device document goes through: any bytes either parse or throw ParseError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hpaio/xml/xml_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view doc(reinterpret_cast<const char*>(data), size);
  try {
    hpaio::xml::Element root = hpaio::xml::parse(doc);
    static_cast<void>(root);
  } catch (const hpaio::xml::ParseError&) {
  }
  std::string error;
  static_cast<void>(hpaio::xml::try_parse(doc, &error));
  return 0;
}
