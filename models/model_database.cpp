#include "models/model_database.hpp"

#include "models/ascii.hpp"
#include "models/models_location.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

namespace hpaio::models {
namespace {

// Notes kept per parse; a file of junk must not grow memory with its size.
constexpr std::size_t max_notes = 100;


class Parser {
 public:
  Parser(std::string_view text, std::vector<ParseNote>& notes) : text_(text), notes_(notes) {}

  // Calls add_section(name) for each header and add_attribute(Attribute) for each key=value line
  // inside a section.
  template <typename AddSection, typename AddAttribute>
  void run(AddSection add_section, AddAttribute add_attribute) {
    std::size_t pos = 0;
    std::size_t line_no = 0;
    bool in_section = false;
    while (pos < text_.size()) {
      std::size_t end = text_.find('\n', pos);
      if (end == std::string_view::npos) end = text_.size();
      std::string_view raw = text_.substr(pos, end - pos);
      pos = end + 1;
      ++line_no;

      // HPLIP's C parser skips lines that start with a space; '#' and (Python) ';' are comments.
      if (raw.empty() || raw.front() == ' ' || raw.front() == '#' || raw.front() == ';') continue;
      std::string_view line = trim_blanks(raw);
      if (line.empty()) continue;

      if (line.front() == '[') {
        std::size_t close = line.find(']');
        std::string_view name = close == std::string_view::npos ? std::string_view{} : trim_blanks(line.substr(1, close - 1));
        if (close == std::string_view::npos || name.empty()) {
          note(line_no, close == std::string_view::npos ? "section header without ']'; its keys are ignored"
                                                          : "empty section name; its keys are ignored");
          in_section = false;
          continue;
        }
        add_section(name);
        in_section = true;
        continue;
      }
      if (line.front() == '%') {
        note(line_no, "'%' include directives are not supported; line ignored");
        continue;
      }
      std::size_t eq = line.find('=');
      if (eq == std::string_view::npos) {
        note(line_no, "line is neither a section header nor key=value; ignored");
        continue;
      }
      std::string_view key = trim_blanks(line.substr(0, eq));
      if (key.empty()) {
        note(line_no, "key=value line with an empty key; ignored");
        continue;
      }
      if (!in_section) {
        // Keys before the first header, or after a broken one, belong to no section.
        continue;
      }
      add_attribute(Attribute{key, trim_blanks(line.substr(eq + 1))});
    }
  }

 private:
  void note(std::size_t line, const char* message) {
    if (notes_.size() < max_notes) notes_.push_back(ParseNote{line, message});
  }

  std::string_view text_;
  std::vector<ParseNote>& notes_;
};

}  // namespace

std::optional<std::string_view> ModelSection::get(std::string_view key) const {
  for (const Attribute& a : attributes_) {
    if (a.key == key) return a.value;
  }
  return std::nullopt;
}

std::optional<long> ModelSection::get_number(std::string_view key) const {
  std::optional<std::string_view> v = get(key);
  if (!v) return std::nullopt;
  long n = 0;
  const char* first = v->data();
  const char* last = first + v->size();
  auto [ptr, ec] = std::from_chars(first, last, n);
  if (ec != std::errc{} || ptr != last) return std::nullopt;
  return n;
}

ScanType ModelSection::scan_type() const {
  std::optional<long> n = get_number("scan-type");
  if (!n || *n < -1000 || *n > 1000) return ScanType::None;
  return static_cast<ScanType>(static_cast<int>(*n));
}

static std::uint32_t bits_or_zero(std::optional<long> n) {
  return n && *n >= 0 && *n <= 0xffffffffL ? static_cast<std::uint32_t>(*n) : 0;
}

std::uint32_t ModelSection::scan_sources() const { return bits_or_zero(get_number("scan-src")); }
std::uint32_t ModelSection::io_support() const { return bits_or_zero(get_number("io-support")); }

PluginType ModelSection::plugin() const {
  std::optional<long> n = get_number("plugin");
  return n && (*n == 1 || *n == 2) ? static_cast<PluginType>(*n) : PluginType::None;
}

SupportType ModelSection::support_type() const {
  std::optional<long> n = get_number("support-type");
  return n && (*n == 1 || *n == 2) ? static_cast<SupportType>(*n) : SupportType::None;
}

bool ModelSection::has_fax() const {
  std::optional<long> n = get_number("fax-type");
  return n && *n > 0;
}

std::vector<std::string_view> ModelSection::display_names() const {
  std::vector<std::pair<long, std::string_view>> numbered;
  for (const Attribute& a : attributes_) {
    if (a.key.size() <= 5 || a.key.substr(0, 5) != "model") continue;
    std::string_view digits = a.key.substr(5);
    long n = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc{} && ptr == digits.data() + digits.size() && !a.value.empty()) numbered.emplace_back(n, a.value);
  }
  std::stable_sort(numbered.begin(), numbered.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string_view> out;
  out.reserve(numbered.size());
  for (const auto& [n, v] : numbered) out.push_back(v);
  return out;
}

ModelDatabase ModelDatabase::parse(std::string text, std::string origin) {
  ModelDatabase db;
  db.origin_ = std::move(origin);
  db.text_ = std::make_unique<const std::string>(std::move(text));
  db.sections_.reserve(2048);

  Parser parser(*db.text_, db.notes_);
  parser.run(
      [&db](std::string_view name) {
        db.sections_.emplace_back();
        db.sections_.back().name_ = name;
        db.sections_.back().attributes_.reserve(48);
        db.index_.try_emplace(ascii_lower(name), db.sections_.size() - 1);
      },
      [&db](Attribute a) { db.sections_.back().attributes_.push_back(a); });

  if (db.sections_.empty()) {
    throw ModelsError(db.origin_ + ": no [section] found; is this HPLIP's models.dat?");
  }
  return db;
}

ModelDatabase ModelDatabase::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ModelsError(path.string() + ": cannot open: " + std::strerror(errno));
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ModelsError(path.string() + ": is a directory");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw ModelsError(path.string() + ": read error");
  return parse(std::move(buf).str(), path.string());
}

const ModelDatabase::Installed& ModelDatabase::installed() {
  // Immutable once built; built on first use, by whichever thread gets here first.
  static const Installed result = [] {
    Installed r;
    std::filesystem::path path = locate_models_dat();
    try {
      r.database = std::make_shared<const ModelDatabase>(load(path));
    } catch (const ModelsError& e) {
      r.error = e.what();
    }
    return r;
  }();
  return result;
}

const ModelSection* ModelDatabase::find(std::string_view token) const {
  auto it = index_.find(ascii_lower(token));
  return it == index_.end() ? nullptr : &sections_[it->second];
}

}  // namespace hpaio::models
