#include "mdns/records/hp_service.hpp"

#include "base/ascii.hpp"
#include "hpaio/names/device_id.hpp"

namespace hpaio::mdns {
namespace {

// Characters that would end or break the model token of a URI.
std::string uri_safe(std::string token) {
  for (char& c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '?' || c == '&' || c == '#' || c == '%') c = '_';
  }
  return token;
}

bool names_hp(std::string_view manufacturer) {
  return DeviceId::parse("MFG:" + std::string(manufacturer) + ";").is_hp();
}

}  // namespace

bool service_speaks_escl(std::string_view service_type) {
  return service_type.starts_with("_uscan._tcp") || service_type.starts_with("_uscans._tcp");
}

bool speaks_escl(const ResolvedService& service) {
  if (service_speaks_escl(service.type)) return true;
  for (const std::string& t : service.also_types) {
    if (service_speaks_escl(t)) return true;
  }
  return false;
}

std::string mdns_style_token(std::string_view make_and_model) {
  make_and_model = trim_blanks(make_and_model);
  if (istarts_with(make_and_model, "HP ")) make_and_model.remove_prefix(3);
  std::string token(trim_blanks(make_and_model));
  for (char& c : token) c = is_ascii_blank(c) ? '_' : ascii_lower(c);
  return uri_safe(std::move(token));
}

std::optional<HpModel> hp_model(const TxtRecord& txt) {
  std::string name;
  if (auto ty = txt.first_of({"ty"})) {
    name = *ty;
  } else if (auto usb_mdl = txt.first_of({"usb_MDL"})) {
    name = *usb_mdl;
  } else if (auto product = txt.first_of({"product"})) {
    std::string_view p = *product;
    if (p.starts_with('(') && p.ends_with(')')) p = trim_blanks(p.substr(1, p.size() - 2));
    name = p;
  } else if (auto mdl = txt.first_of({"mdl"})) {
    name = *mdl;
  }
  if (name.empty()) return std::nullopt;

  const auto mfg = txt.first_of({"mfg"});
  const auto usb_mfg = txt.first_of({"usb_MFG"});
  bool hp = false;
  if (mfg || usb_mfg) {
    hp = (mfg && names_hp(*mfg)) || (usb_mfg && names_hp(*usb_mfg));
  } else {
    hp = istarts_with(name, "HP ");
  }
  if (!hp) return std::nullopt;

  HpModel m;
  m.name = name;
  // HPLIP's own rule first, so a device HPLIP lists keeps HPLIP's name.
  if (auto ty = txt.get("ty")) {
    if (auto token = avahi_model_token(*ty, mfg.value_or(""))) m.token = uri_safe(std::move(*token));
  }
  if (m.token.empty()) m.token = mdns_style_token(name);
  if (m.token.empty()) return std::nullopt;
  return m;
}

std::optional<HpModel> hp_model_named(std::string_view model_name, std::string_view manufacturer) {
  TxtRecord txt;
  txt.add("ty", std::string(model_name));
  if (!manufacturer.empty()) txt.add("mfg", std::string(manufacturer));
  return hp_model(txt);
}

}  // namespace hpaio::mdns
