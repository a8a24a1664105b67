// A DNS-SD TXT record: "key=value" strings, keys compared case-insensitively (HP sends "uuid" where
// others send "UUID"; "usb_MFG" and "usb_mfg" are the same key). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpaio::mdns {

class TxtRecord {
 public:
  TxtRecord() = default;
  // Each string is one TXT entry: "key=value", or "key" alone (a boolean attribute, empty value).
  // Entries without a key are skipped; a repeated key keeps its first value (RFC 6763 §6.4).
  static TxtRecord parse(const std::vector<std::string>& entries);
  void add(std::string key, std::string value);

  // The value of `key`, compared case-insensitively; nullopt when absent.
  std::optional<std::string_view> get(std::string_view key) const;
  // The value of the first present key, skipping empty values.
  std::optional<std::string_view> first_of(std::initializer_list<std::string_view> keys) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace hpaio::mdns
