// What a DNS-SD service tells about an HP device: is it HP, its model token and readable name,
// and whether the service type itself says the device speaks eSCL. Pure.
//
// TXT keys read (case-insensitively): ty, mfg, usb_MFG, usb_MDL, product, mdl.
//  * HP: mfg or usb_MFG names HP (DeviceId::is_hp rules: "HP", "HP Inc.", "Hewlett-Packard"...),
//    or, with neither, the model name starts with "HP ".
//  * The readable name: ty, else usb_MDL, else product without its parentheses, else mdl.
//  * The token is HPLIP 3.22's (avahi_model_token(ty, mfg), reference §1.3(c)) whenever HPLIP
//    would list the device, so names stay the same as HPLIP's: "ty=HP OfficeJet Pro 9010 series"
//    gives "officejet_pro_9010_series". When HPLIP would skip the device (no ty, or a ty without
//    "HP" and an mfg that is not exactly "HP..." although another key says HP), the same rule is
//    applied to the readable name: an "HP " prefix (any case) dropped, lowercased, white space as '_'.
//    Characters a URI model token cannot hold ('?', '&', '#', '%', controls) become '_'.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "mdns/records/resolved_service.hpp"
#include "mdns/records/txt_record.hpp"

namespace hpaio::mdns {

// The service types browsed for HP devices: scanners first, then HP's printer services.
inline constexpr std::array<std::string_view, 7> browsed_service_types{
    "_uscan._tcp", "_uscans._tcp", "_scanner._tcp", "_ipp._tcp", "_ipps._tcp", "_pdl-datastream._tcp", "_printer._tcp"};

// _uscan._tcp and _uscans._tcp are eSCL by definition.
bool service_speaks_escl(std::string_view service_type);
// A resolved service whose instance was found under one of those types (`type` or `also_types`).
bool speaks_escl(const ResolvedService& service);

struct HpModel {
  std::string token;  // the URI model token, "officejet_pro_9010_series"
  std::string name;   // readable, "HP OfficeJet Pro 9010 series"
};

// nullopt when the TXT record is not an HP device's or names no model.
std::optional<HpModel> hp_model(const TxtRecord& txt);

// The model of a device that names itself as the TXT keys ty and mfg would (WS-Discovery
// metadata's ModelName and Manufacturer), by the same rules; `manufacturer` may be empty.
std::optional<HpModel> hp_model_named(std::string_view model_name, std::string_view manufacturer);

// A URI model token from any make-and-model string by HPLIP's rule (c) without its HP test:
// "HP LaserJet MFP M28-M31" -> "laserjet_mfp_m28-m31". Empty when nothing is left.
std::string mdns_style_token(std::string_view make_and_model);

}  // namespace hpaio::mdns
