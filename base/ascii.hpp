// ASCII-only text helpers (models.dat, URIs, device IDs and HTTP are ASCII; no locale involved).
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

namespace hpaio {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

constexpr bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

constexpr bool is_ascii_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// `s` without the leading and trailing characters for which `junk(c)` holds.
template <typename Junk>
constexpr std::string_view trim_if(std::string_view s, Junk junk) {
  while (!s.empty() && junk(s.front())) s.remove_prefix(1);
  while (!s.empty() && junk(s.back())) s.remove_suffix(1);
  return s;
}

constexpr std::string_view trim_blanks(std::string_view s) { return trim_if(s, is_ascii_blank); }

// A whole decimal number (an optional '+' or '-' sign, then digits) that fits an int.
inline std::optional<int> parse_int(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace hpaio
