// From the model names devices really report to a models.dat section.
//
// HPLIP itself only compares the URI's model token with section names, case-insensitively. Devices
// report names in several shapes (IEEE-1284 `MDL:`, mDNS `ty=`, tokens with or without `hp_` or
// `_series`, `MFP`, spaces or slashes), and sections often cover a range of models
// (`hp_laserjet_mfp_m28-m31`). The resolver tries, in this order, and the first hit wins:
//   1. exact: the name as given (HPLIP's own lookup);
//   2. token: lowercased, runs of white space and '/' as '_', with and without `hp_` and `_series`;
//   3. alternatives: "M127fn/M128fn" tried as "M127fn", then "M128fn", with rules 1-2 here and
//      with rules 4-7 after they failed on the whole name;
//   4. key: letters and digits only, without the words HP, Hewlett, Packard, series and MFP;
//   5. display name: the same key compared with the sections' model1..N names;
//   6. range: a section named ..._m28-m31 takes M28w, M29, M30cw and M31w;
//   7. variant: a section ending in a model number takes that number with letters after it
//      (..._m479 takes M479fdw).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/model_database.hpp"

namespace hpaio::models {

struct Resolution {
  const ModelSection* section = nullptr;
  std::string_view rule;  // "exact", "token", "alternative", "key", "display-name", "range", "variant"
  explicit operator bool() const { return section != nullptr; }
};

class ModelResolver {
 public:
  // `db` must outlive the resolver. resolve() may be called from several threads.
  explicit ModelResolver(const ModelDatabase& db) : db_(db) {}

  // Names longer than this are not model names and resolve to nothing.
  static constexpr std::size_t max_name_length = 256;

  Resolution resolve(std::string_view reported) const;

 private:
  struct Range {
    std::string prefix;   // key of the name before the range
    std::string letters;  // "m" in m28-m31
    long low = 0;
    long high = 0;
    const ModelSection* section = nullptr;
  };

  Resolution resolve_exact(std::string_view name) const;  // rules 1 and 2
  Resolution resolve_fuzzy(std::string_view name) const;  // rules 4 to 7
  // Rules 4 to 7 need indices over every section (about 1 ms to build); most names resolve by
  // rule 1 or 2, so they are built at the first name that needs them.
  struct FuzzyIndex {
    std::unordered_map<std::string, const ModelSection*> by_key;
    std::unordered_map<std::string, const ModelSection*> by_display_key;
    std::vector<Range> ranges;
  };
  const FuzzyIndex& fuzzy() const;
  const ModelSection* in_range(const FuzzyIndex& index, const std::string& key) const;

  const ModelDatabase& db_;
  mutable std::once_flag fuzzy_once_;
  mutable std::unique_ptr<const FuzzyIndex> fuzzy_;
};

// The matching key of rule 4: "HP Color LaserJet MFP M283fdw" -> "colorlaserjetm283fdw".
std::string model_key(std::string_view name);

}  // namespace hpaio::models
