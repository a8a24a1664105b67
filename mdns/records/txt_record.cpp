#include "mdns/records/txt_record.hpp"

#include <algorithm>

#include "base/ascii.hpp"

namespace hpaio::mdns {

TxtRecord TxtRecord::parse(const std::vector<std::string>& entries) {
  TxtRecord t;
  for (const std::string& e : entries) {
    const std::size_t eq = e.find('=');
    std::string key = e.substr(0, eq);
    if (key.empty()) continue;
    t.add(std::move(key), eq == std::string::npos ? std::string() : e.substr(eq + 1));
  }
  return t;
}

void TxtRecord::add(std::string key, std::string value) {
  if (key.empty() || get(key)) return;
  entries_.emplace_back(std::move(key), std::move(value));
}

std::optional<std::string_view> TxtRecord::get(std::string_view key) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return iequals(e.first, key); });
  if (it == entries_.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::optional<std::string_view> TxtRecord::first_of(std::initializer_list<std::string_view> keys) const {
  for (std::string_view k : keys) {
    if (auto v = get(k); v && !trim_blanks(*v).empty()) return trim_blanks(*v);
  }
  return std::nullopt;
}

}  // namespace hpaio::mdns
