#include "models/model_resolver.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "base/ascii.hpp"

namespace hpaio::models {
namespace {

constexpr bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

constexpr std::array<std::string_view, 5> key_stop_words{"hp", "hewlett", "packard", "series", "mfp"};

// Rule 2's token: lowercase, runs of white space or '/' as one '_', no '_' at either end.
std::string token_of(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool pending = false;
  for (char c : name) {
    if (is_ascii_blank(c) || c == '/' || c == '_') {
      pending = true;
      continue;
    }
    if (pending && !out.empty()) out.push_back('_');
    pending = false;
    out.push_back(ascii_lower(c));
  }
  return out;
}

std::vector<std::string> token_variants(std::string_view name) {
  std::string t = token_of(name);
  if (t.empty()) return {};
  std::string bare = t.starts_with("hp_") ? t.substr(3) : t;
  std::vector<std::string> out;
  for (const std::string& base : {t, t.starts_with("hp_") ? bare : "hp_" + t}) {
    out.push_back(base);
    if (base.ends_with("_series")) {
      out.push_back(base.substr(0, base.size() - 7));
    } else {
      out.push_back(base + "_series");
    }
  }
  return out;
}

// "HP LaserJet Pro MFP M127fn/M128fn" -> "HP LaserJet Pro MFP M127fn", "HP LaserJet Pro MFP M128fn".
std::vector<std::string> slash_alternatives(std::string_view name) {
  std::vector<std::string> out;
  std::size_t slash = name.find('/');
  if (slash == std::string_view::npos) return out;
  std::string_view first = name.substr(0, slash);
  std::size_t word_start = first.find_last_of(" _");
  std::string_view stem = word_start == std::string_view::npos ? std::string_view{} : first.substr(0, word_start + 1);
  out.emplace_back(first);
  std::string_view rest = name.substr(slash + 1);
  while (!rest.empty()) {
    std::size_t next = rest.find('/');
    std::string_view alt = trim_blanks(rest.substr(0, next));
    if (!alt.empty()) out.push_back(std::string(stem) + std::string(alt));
    if (next == std::string_view::npos) break;
    rest.remove_prefix(next + 1);
  }
  return out;
}

struct ModelNumber {
  std::string letters;
  long number = 0;
  std::string suffix;
};

// "m28w" -> {m, 28, w}; nullopt unless letters, digits, letters.
std::optional<ModelNumber> parse_model_number(std::string_view s) {
  ModelNumber m;
  std::size_t i = 0;
  while (i < s.size() && is_letter(s[i])) m.letters.push_back(ascii_lower(s[i++]));
  std::size_t digits = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == digits || i - digits > 9) return std::nullopt;
  std::from_chars(s.data() + digits, s.data() + i, m.number);
  while (i < s.size() && is_letter(s[i])) m.suffix.push_back(ascii_lower(s[i++]));
  if (i != s.size()) return std::nullopt;
  return m;
}

}  // namespace

std::string model_key(std::string_view name) {
  std::string key;
  std::size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && !is_alnum(name[i])) ++i;
    std::size_t start = i;
    while (i < name.size() && is_alnum(name[i])) ++i;
    if (i == start) break;
    std::string word = ascii_lower(name.substr(start, i - start));
    if (std::find(key_stop_words.begin(), key_stop_words.end(), word) == key_stop_words.end()) key += word;
  }
  return key;
}

const ModelResolver::FuzzyIndex& ModelResolver::fuzzy() const {
  std::call_once(fuzzy_once_, [this] {
    auto index = std::make_unique<FuzzyIndex>();
    for (const ModelSection& s : db_.sections()) {
      index->by_key.try_emplace(model_key(s.name()), &s);
      for (std::string_view display : s.display_names()) index->by_display_key.try_emplace(model_key(display), &s);

      std::size_t last = s.name().find_last_of('_');
      if (last == std::string_view::npos) continue;
      std::string_view tail = s.name().substr(last + 1);
      std::size_t dash = tail.find('-');
      if (dash == std::string_view::npos) continue;
      std::optional<ModelNumber> low = parse_model_number(tail.substr(0, dash));
      std::optional<ModelNumber> high = parse_model_number(tail.substr(dash + 1));
      if (!low || !high || low->number > high->number) continue;
      if (!high->letters.empty() && high->letters != low->letters) continue;
      index->ranges.push_back(Range{model_key(s.name().substr(0, last)), low->letters, low->number, high->number, &s});
    }
    fuzzy_ = std::move(index);
  });
  return *fuzzy_;
}
const ModelSection* ModelResolver::in_range(const FuzzyIndex& index, const std::string& key) const {
  for (const Range& r : index.ranges) {
    if (!key.starts_with(r.prefix)) continue;
    std::optional<ModelNumber> m = parse_model_number(std::string_view(key).substr(r.prefix.size()));
    if (m && m->letters == r.letters && m->number >= r.low && m->number <= r.high) return r.section;
  }
  return nullptr;
}

Resolution ModelResolver::resolve_exact(std::string_view name) const {
  if (const ModelSection* s = db_.find(name)) return {s, "exact"};
  for (const std::string& t : token_variants(name)) {
    if (const ModelSection* s = db_.find(t)) return {s, "token"};
  }
  return {};
}

Resolution ModelResolver::resolve_fuzzy(std::string_view name) const {
  std::string key = model_key(name);
  if (key.empty()) return {};
  const FuzzyIndex& index = fuzzy();
  if (auto it = index.by_key.find(key); it != index.by_key.end()) return {it->second, "key"};
  if (auto it = index.by_display_key.find(key); it != index.by_display_key.end()) return {it->second, "display-name"};
  if (const ModelSection* s = in_range(index, key)) return {s, "range"};
  // Rule 7: cut the letters after the last digit and look the rest up.
  std::size_t last_digit = key.find_last_of("0123456789");
  if (last_digit != std::string::npos && last_digit + 1 < key.size()) {
    std::string stem = key.substr(0, last_digit + 1);
    if (auto it = index.by_key.find(stem); it != index.by_key.end()) return {it->second, "variant"};
    if (auto it = index.by_display_key.find(stem); it != index.by_display_key.end()) return {it->second, "variant"};
  }
  return {};
}

Resolution ModelResolver::resolve(std::string_view reported) const {
  std::string_view name = trim_blanks(reported);
  if (name.empty() || name.size() > max_name_length) return {};
  if (Resolution r = resolve_exact(name)) return r;
  std::vector<std::string> alternatives = slash_alternatives(name);
  for (const std::string& alt : alternatives) {
    if (Resolution r = resolve_exact(alt)) return {r.section, "alternative"};
  }
  if (Resolution r = resolve_fuzzy(name)) return r;
  for (const std::string& alt : alternatives) {
    if (Resolution r = resolve_fuzzy(alt)) return {r.section, "alternative"};
  }
  return {};
}

}  // namespace hpaio::models
