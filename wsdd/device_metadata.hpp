// A device's metadata as the Devices Profile for Web Services (2006/02) gives it in the answer to a
// WS-Transfer Get on one of its XAddrs: its model (ThisModel), its identity (ThisDevice) and the
// services it hosts, among them the WS-Scan service (types wscn:ScannerServiceType). Pure: the
// request goes out through the caller's HTTP client. Read by namespace URI, SOAP 1.2 or 1.1 alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpaio::wsdd {

inline constexpr std::string_view action_transfer_get = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get";

struct DeviceMetadata {
  std::string manufacturer;   // ThisModel/Manufacturer, "HP"
  std::string model_name;     // ThisModel/ModelName, "HP LaserJet Pro MFP M127fn"
  std::string friendly_name;  // ThisDevice/FriendlyName
  std::string serial_number;  // ThisDevice/SerialNumber
  // The addresses of the hosted WS-Scan services, "http://192.0.2.10:3911/scanner", in document order.
  std::vector<std::string> scan_services;
};

// The metadata in a GetResponse. nullopt (with `error`) when `document` is not XML, not a SOAP
// envelope, or holds neither a model nor a hosted service. Of repeated localized texts (xml:lang),
// the first is taken.
std::optional<DeviceMetadata> parse_device_metadata(std::string_view document, std::string* error = nullptr);

}  // namespace hpaio::wsdd
