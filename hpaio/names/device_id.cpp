#include "hpaio/names/device_id.hpp"

#include <algorithm>

#include "base/ascii.hpp"

namespace hpaio {
namespace {

constexpr bool is_blank_or_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;
}

std::string_view trim(std::string_view s) { return trim_if(s, is_blank_or_control); }

constexpr bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// "HP" as a whole word at the start: "HP", "HP Inc.", "hp-inc", but not "HPRT".
bool starts_with_hp_word(std::string_view s) { return istarts_with(s, "HP") && (s.size() == 2 || !is_alnum(s[2])); }

}  // namespace

DeviceId DeviceId::parse(std::string_view text) {
  DeviceId id;
  id.text_ = text;
  while (!text.empty()) {
    const std::size_t semicolon = text.find(';');
    const std::string_view segment = text.substr(0, semicolon);
    text = semicolon == std::string_view::npos ? std::string_view() : text.substr(semicolon + 1);

    const std::size_t colon = segment.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = trim(segment.substr(0, colon));
    if (key.empty()) continue;
    id.fields_.push_back(DeviceIdField{std::string(key), std::string(trim(segment.substr(colon + 1)))});
  }
  return id;
}

std::optional<std::string_view> DeviceId::get(std::string_view key) const {
  const auto it =
      std::find_if(fields_.begin(), fields_.end(), [&](const DeviceIdField& f) { return iequals(f.key, key); });
  if (it == fields_.end()) return std::nullopt;
  return std::string_view(it->value);
}

std::optional<std::string_view> DeviceId::first_of(std::initializer_list<std::string_view> keys) const {
  for (const std::string_view key : keys) {
    if (auto value = get(key)) return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> DeviceId::manufacturer() const { return first_of({"MFG", "MANUFACTURER"}); }
std::optional<std::string_view> DeviceId::model() const { return first_of({"MDL", "MODEL"}); }
std::optional<std::string_view> DeviceId::command_set() const { return first_of({"CMD", "COMMAND SET"}); }
std::optional<std::string_view> DeviceId::device_class() const { return first_of({"CLS", "CLASS"}); }
std::optional<std::string_view> DeviceId::description() const { return first_of({"DES", "DESCRIPTION"}); }
std::optional<std::string_view> DeviceId::serial_number() const { return first_of({"SN", "SERN", "SERIALNUMBER"}); }

std::vector<std::string_view> DeviceId::commands() const {
  std::vector<std::string_view> out;
  std::string_view rest = command_set().value_or("");
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    if (const std::string_view command = trim(rest.substr(0, comma)); !command.empty()) out.push_back(command);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return out;
}

bool DeviceId::is_hp() const {
  if (const auto mfg = manufacturer()) {
    return istarts_with(*mfg, "Hewlett-Packard") || istarts_with(*mfg, "Hewlett Packard") ||
           istarts_with(*mfg, "Apollo") || starts_with_hp_word(*mfg);
  }
  const auto mdl = model();
  return mdl && istarts_with(*mdl, "HP ");
}

std::string DeviceId::model_token() const {
  const auto mdl = model();
  if (!mdl) throw DeviceIdError("device ID '" + text_ + "': no MDL or MODEL field");
  std::string token = device_id_model_token(*mdl);
  if (token.empty())
    throw DeviceIdError("device ID '" + text_ + "': the model '" + std::string(*mdl) + "' gives an empty token");
  return token;
}

std::string device_id_model_token(std::string_view mdl) {
  mdl = mdl.substr(0, mdl.find_first_of(std::string_view(";\0", 2)));
  while (!mdl.empty() && mdl.front() == ' ') mdl.remove_prefix(1);
  std::string token;
  bool in_run = false;
  for (const char c : mdl) {
    if (c == ' ' || c == '/') {
      if (!in_run) token += '_';
      in_run = true;
    } else {
      token += c;
      in_run = false;
    }
  }
  while (!token.empty() && token.back() == '_') token.pop_back();
  return token;
}

std::optional<std::string> avahi_model_token(std::string_view ty, std::string_view mfg) {
  if (ty.starts_with("HP")) {
    ty.remove_prefix(std::min<std::size_t>(3, ty.size()));
  } else if (!mfg.starts_with("HP")) {
    return std::nullopt;
  }
  if (ty.empty()) return std::nullopt;
  std::string token(ty);
  for (char& c : token) c = is_ascii_blank(c) ? '_' : ascii_lower(c);
  return token;
}

}  // namespace hpaio
