#include "models/model_attributes.hpp"

#include <array>
#include <utility>

#include "base/ascii.hpp"

namespace hpaio::models {
namespace {

constexpr std::array<std::pair<ScanType, std::string_view>, 14> scan_type_names{{
    {ScanType::DigitalSender, "DIGITAL_SENDER"},
    {ScanType::NotSupported, "NOT_SUPPORTED"},
    {ScanType::None, "NONE"},
    {ScanType::Scl, "SCL"},
    {ScanType::Pml, "PML"},
    {ScanType::Soap, "SOAP"},
    {ScanType::Marvell, "MARVELL"},
    {ScanType::SoapHt, "SOAPHT"},
    {ScanType::SclDuplex, "SCL_DUPLEX"},
    {ScanType::Ledm, "LEDM"},
    {ScanType::Marvell2, "MARVELL2"},
    {ScanType::Escl, "eSCL"},
    {ScanType::Orblite, "ORBLITE"},
    {ScanType::Unassigned12, "UNASSIGNED_12"},
}};

constexpr std::string_view generic_prefix = "SCAN_TYPE_";

std::optional<ScanType> parse_number(std::string_view s) {
  std::optional<int> n = parse_int(s);
  return n ? std::optional<ScanType>(static_cast<ScanType>(*n)) : std::nullopt;
}

}  // namespace

std::string scan_type_name(ScanType type) {
  for (const auto& [t, name] : scan_type_names) {
    if (t == type) return std::string(name);
  }
  return std::string(generic_prefix) + std::to_string(static_cast<int>(type));
}

std::optional<ScanType> parse_scan_type(std::string_view name) {
  for (const auto& [t, n] : scan_type_names) {
    if (iequals(n, name)) return t;
  }
  if (name.size() > generic_prefix.size() && iequals(name.substr(0, generic_prefix.size()), generic_prefix)) {
    return parse_number(name.substr(generic_prefix.size()));
  }
  return parse_number(name);
}

}  // namespace hpaio::models
