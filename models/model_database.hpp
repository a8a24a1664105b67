// HPLIP's models.dat: the sections, their attributes, and lookup by model token.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/model_attributes.hpp"

namespace hpaio::models {

// A models.dat that cannot be read or holds no section.
class ModelsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Attribute {
  std::string_view key;
  std::string_view value;
};

// One `[name]` section. Views point into the ModelDatabase that owns the section.
class ModelSection {
 public:
  std::string_view name() const { return name_; }
  // Every key=value line, in file order (a repeated key keeps each line).
  std::span<const Attribute> attributes() const { return attributes_; }
  // The first value of `key` (exact, case-sensitive as HPLIP), if present.
  std::optional<std::string_view> get(std::string_view key) const;

  // Typed keys. A missing or non-numeric value reads as HPLIP's default for the key.
  ScanType scan_type() const;          // default None
  std::uint32_t scan_sources() const;  // scan-src bits, default 0
  std::uint32_t io_support() const;    // io-support bits, default 0
  PluginType plugin() const;           // default None
  SupportType support_type() const;    // default None
  bool has_fax() const;                // fax-type > 0
  // model1..modelN display names, ordered by N.
  std::vector<std::string_view> display_names() const;

 private:
  friend class ModelDatabase;
  std::optional<long> get_number(std::string_view key) const;
  std::string_view name_;
  std::span<const Attribute> attributes_;  // into the database's attribute list
};

// A line of the file that was not understood; the parse goes on past it.
struct ParseNote {
  std::size_t line = 0;
  std::string message;
};

// Which key=value lines a database keeps.
enum class Keys {
  all,       // every line (hpaio-models prints them)
  scanning,  // only what the typed accessors and display_names() read: about 1/6 of the file,
             // copied out of the text, which is then freed (the backend's resident size)
};

class ModelDatabase {
 public:
  // Parses file contents. Throws ModelsError when no section is found; `origin` names the
  // source in messages.
  static ModelDatabase parse(std::string text, std::string origin = "models.dat", Keys keys = Keys::all);
  // Reads and parses a file. Throws ModelsError (with the path and the reason) on failure.
  static ModelDatabase load(const std::filesystem::path& path, Keys keys = Keys::all);

  // The installed database (see models_location.hpp) with Keys::scanning, read once per process on
  // first use. Never throws: on failure `database` is null and `error` says why.
  struct Installed {
    std::shared_ptr<const ModelDatabase> database;
    std::string error;
  };
  static const Installed& installed();

  // The one section named `token` (compared case-insensitively; the first of duplicated names),
  // read from the installed database's file and parsed alone: what opening a device by its exact
  // models.dat name needs, without parsing the file's thousands of other sections. nullopt when
  // there is no such section or the file cannot be read.
  static std::optional<ModelDatabase> installed_section(std::string_view token);
  // The text of that section in a models.dat text: its [name] line up to the next line that opens a
  // section; empty when there is none.
  static std::string_view section_text(std::string_view text, std::string_view token);

  ModelDatabase(ModelDatabase&&) noexcept = default;
  ModelDatabase& operator=(ModelDatabase&&) noexcept = default;
  ModelDatabase(const ModelDatabase&) = delete;
  ModelDatabase& operator=(const ModelDatabase&) = delete;

  // The section named `token`, compared case-insensitively; the first of duplicated names wins.
  const ModelSection* find(std::string_view token) const;

  std::span<const ModelSection> sections() const { return sections_; }
  std::size_t unique_names() const { return index_.size(); }
  std::span<const ParseNote> notes() const { return notes_; }
  const std::string& origin() const { return origin_; }

 private:
  ModelDatabase() = default;
  std::string origin_;
  std::unique_ptr<const std::string> text_;  // owns what every view points into
  std::vector<Attribute> attributes_;        // every section's, in file order
  std::vector<ModelSection> sections_;
  std::unordered_map<std::string, std::size_t> index_;  // lowercased name -> first section
  std::vector<ParseNote> notes_;
};

}  // namespace hpaio::models
