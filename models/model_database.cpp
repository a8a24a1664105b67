#include "models/model_database.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <mutex>

#include "base/ascii.hpp"
#include "models/models_location.hpp"

namespace hpaio::models {
namespace {

// The keys the typed accessors read; Keys::scanning keeps exactly these and the display names.
namespace key {
constexpr std::string_view scan_type = "scan-type";
constexpr std::string_view scan_src = "scan-src";
constexpr std::string_view io_support = "io-support";
constexpr std::string_view plugin = "plugin";
constexpr std::string_view support_type = "support-type";
constexpr std::string_view fax_type = "fax-type";
constexpr std::string_view typed[] = {scan_type, scan_src, io_support, plugin, support_type, fax_type};
constexpr std::string_view display_prefix = "model";  // model1..modelN
}  // namespace key

bool is_display_name_key(std::string_view k) {
  return k.size() > key::display_prefix.size() && k.substr(0, key::display_prefix.size()) == key::display_prefix;
}

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
        std::string_view name =
            close == std::string_view::npos ? std::string_view{} : trim_blanks(line.substr(1, close - 1));
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
  std::optional<long> n = get_number(key::scan_type);
  if (!n || *n < -1000 || *n > 1000) return ScanType::None;
  return static_cast<ScanType>(static_cast<int>(*n));
}

static std::uint32_t bits_or_zero(std::optional<long> n) {
  return n && *n >= 0 && *n <= 0xffffffffL ? static_cast<std::uint32_t>(*n) : 0;
}

std::uint32_t ModelSection::scan_sources() const { return bits_or_zero(get_number(key::scan_src)); }
std::uint32_t ModelSection::io_support() const { return bits_or_zero(get_number(key::io_support)); }

PluginType ModelSection::plugin() const {
  std::optional<long> n = get_number(key::plugin);
  return n && (*n == 1 || *n == 2) ? static_cast<PluginType>(*n) : PluginType::None;
}

SupportType ModelSection::support_type() const {
  std::optional<long> n = get_number(key::support_type);
  return n && (*n == 1 || *n == 2) ? static_cast<SupportType>(*n) : SupportType::None;
}

bool ModelSection::has_fax() const {
  std::optional<long> n = get_number(key::fax_type);
  return n && *n > 0;
}

std::vector<std::string_view> ModelSection::display_names() const {
  std::vector<std::pair<long, std::string_view>> numbered;
  for (const Attribute& a : attributes_) {
    if (!is_display_name_key(a.key)) continue;
    std::string_view digits = a.key.substr(key::display_prefix.size());
    long n = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc{} && ptr == digits.data() + digits.size() && !a.value.empty())
      numbered.emplace_back(n, a.value);
  }
  std::stable_sort(numbered.begin(), numbered.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string_view> out;
  out.reserve(numbered.size());
  for (const auto& [n, v] : numbered) out.push_back(v);
  return out;
}

namespace {

bool read_by_scanning(std::string_view k) {
  return std::find(std::begin(key::typed), std::end(key::typed), k) != std::end(key::typed) || is_display_name_key(k);
}

}  // namespace

ModelDatabase ModelDatabase::parse(std::string text, std::string origin, Keys keys) {
  ModelDatabase db;
  db.origin_ = std::move(origin);
  db.text_ = std::make_unique<const std::string>(std::move(text));
  db.sections_.reserve(2048);
  std::vector<std::size_t> first_attribute;  // per section, into db.attributes_
  first_attribute.reserve(2048);
  const auto lines_with_values = static_cast<std::size_t>(std::count(db.text_->begin(), db.text_->end(), '='));
  db.attributes_.reserve(keys == Keys::all ? lines_with_values : lines_with_values / 5);

  Parser parser(*db.text_, db.notes_);
  parser.run(
      [&](std::string_view name) {
        db.sections_.emplace_back();
        db.sections_.back().name_ = name;
        first_attribute.push_back(db.attributes_.size());
        db.index_.try_emplace(ascii_lower(name), db.sections_.size() - 1);
      },
      [&](Attribute a) {
        if (keys == Keys::all || read_by_scanning(a.key)) db.attributes_.push_back(a);
      });

  if (db.sections_.empty()) {
    throw ModelsError(db.origin_ + ": no [section] found; is this HPLIP's models.dat?");
  }
  if (keys == Keys::scanning) {
    // Copy what is kept into storage of its own, so the file's text can go.
    std::size_t size = 0;
    for (const ModelSection& s : db.sections_) size += s.name_.size();
    for (const Attribute& a : db.attributes_) size += a.key.size() + a.value.size();
    auto kept = std::make_unique<std::string>();
    kept->reserve(size);  // no reallocation below: the views stay valid
    auto keep = [&kept](std::string_view v) {
      const std::size_t at = kept->size();
      kept->append(v);
      return std::string_view(kept->data() + at, v.size());
    };
    for (ModelSection& s : db.sections_) s.name_ = keep(s.name_);
    for (Attribute& a : db.attributes_) a = Attribute{keep(a.key), keep(a.value)};
    db.text_ = std::move(kept);
    db.attributes_.shrink_to_fit();
  }
  first_attribute.push_back(db.attributes_.size());
  for (std::size_t i = 0; i < db.sections_.size(); ++i) {
    db.sections_[i].attributes_ = std::span<const Attribute>(db.attributes_.data() + first_attribute[i],
                                                             first_attribute[i + 1] - first_attribute[i]);
  }
  db.sections_.shrink_to_fit();
  return db;
}

namespace {

// The text of a models.dat file (throws ModelsError).
std::string read_models_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ModelsError(path.string() + ": cannot open: " + std::strerror(errno));
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ModelsError(path.string() + ": is a directory");
  // One buffer of the file's size when it has one (a pipe or /proc file reads in pieces).
  std::string text;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > 0 && size < (std::uintmax_t{1} << 31)) text.reserve(static_cast<std::size_t>(size));
  char piece[64 * 1024];
  while (in.read(piece, sizeof piece) || in.gcount() > 0) text.append(piece, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw ModelsError(path.string() + ": read error");
  return text;
}

}  // namespace

ModelDatabase ModelDatabase::load(const std::filesystem::path& path, Keys keys) {
  return parse(read_models_file(path), path.string(), keys);
}

std::string_view ModelDatabase::section_text(std::string_view text, std::string_view token) {
  const std::string want = ascii_lower(token);
  for (std::size_t at = 0; at < text.size();) {
    std::size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(at, eol - at);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.size() == want.size() + 2 && line.front() == '[' && line.back() == ']' &&
        ascii_lower(line.substr(1, want.size())) == want) {
      // Up to the next line that opens a section (or the end).
      std::size_t end = eol;
      while (end < text.size()) {
        const std::size_t next = end + 1;
        if (next < text.size() && text[next] == '[') break;
        end = text.find('\n', next);
        if (end == std::string_view::npos) end = text.size();
      }
      return text.substr(at, std::min(end + 1, text.size()) - at);
    }
    // The next line that opens a section.
    at = eol + 1;
    while (at < text.size() && text[at] != '[') {
      const std::size_t n = text.find("\n[", at);
      at = n == std::string_view::npos ? text.size() : n + 1;
    }
  }
  return {};
}

std::optional<ModelDatabase> ModelDatabase::installed_section(std::string_view token) {
  try {
    const std::filesystem::path path = locate_models_dat();
    const std::string text = read_models_file(path);
    const std::string_view section = section_text(text, token);
    if (section.empty()) return std::nullopt;
    return parse(std::string(section), path.string(), Keys::scanning);
  } catch (const ModelsError&) {
    return std::nullopt;
  }
}

const ModelDatabase::Installed& ModelDatabase::installed() {
  // Immutable once built; built on first use, by whichever thread gets here first.
  static const Installed result = [] {
    Installed r;
    std::filesystem::path path = locate_models_dat();
    try {
      r.database = std::make_shared<const ModelDatabase>(load(path, Keys::scanning));
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
