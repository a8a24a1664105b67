// Typed views of the models.dat keys that matter for scanning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hpaio::models {

// models.dat `scan-type`. The values are HPLIP's (hpmud.h HPMUD_SCANTYPE plus base/codes.py's
// negative ones). Values outside this list are kept as they are; scan_type_name() names them.
enum class ScanType : int {
  DigitalSender = -2,
  NotSupported = -1,
  None = 0,
  Scl = 1,
  Pml = 2,
  Soap = 3,
  Marvell = 4,
  SoapHt = 5,
  SclDuplex = 6,
  Ledm = 7,
  Marvell2 = 8,
  Escl = 9,
  Orblite = 10,
  // HPLIP names no value 12 although models.dat uses it (one Color LaserJet Flow section);
  // HPLIP's hpaio rejects it as unsupported.
  Unassigned12 = 12,
};

// "LEDM", "eSCL", "SOAPHT", ... for the values above; "SCAN_TYPE_<n>" for any other value.
std::string scan_type_name(ScanType type);
// The inverse of scan_type_name, case-insensitive; also accepts the plain number.
std::optional<ScanType> parse_scan_type(std::string_view name);
// True for the protocols this project speaks over the network.
constexpr bool is_network_scan_protocol(ScanType t) { return t == ScanType::Ledm || t == ScanType::Escl; }

// `scan-src` bits.
namespace scan_source {
inline constexpr std::uint32_t flatbed = 0x1;
inline constexpr std::uint32_t adf = 0x2;  // HPLIP's Python calls it "scroll-fed"
inline constexpr std::uint32_t camera = 0x4;
}  // namespace scan_source

// `io-support` bits.
namespace io_support {
inline constexpr std::uint32_t parallel = 0x1;
inline constexpr std::uint32_t usb = 0x2;
inline constexpr std::uint32_t network = 0x4;
inline constexpr std::uint32_t wireless = 0x8;
// Called "bluetooth" by HPLIP; on Enterprise LaserJet Flow MFPs it does not mean that.
inline constexpr std::uint32_t bit4 = 0x10;
}  // namespace io_support

// `plugin`
enum class PluginType : int { None = 0, Required = 1, Optional = 2 };
// `support-type`
enum class SupportType : int { None = 0, HpijsOnly = 1, Hplip = 2 };

}  // namespace hpaio::models
