// HPLIP's models.dat as the backend loads it: any text parses (bad lines are skipped, never fatal),
// and the resolver answers for a name taken from the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "models/model_database.hpp"
#include "models/model_resolver.hpp"

using namespace hpaio::models;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  std::uint8_t flags = in.take_byte();
  std::string text(in.rest_text());
  try {
    ModelDatabase db = ModelDatabase::parse(text, "fuzz", (flags & 1) ? Keys::all : Keys::scanning);
    ModelResolver resolver(db);
    // A name to look up: the first line of the input, as a device might report it.
    std::string name = text.substr(0, std::min<std::size_t>(text.find('\n'), 200));
    static_cast<void>(resolver.resolve(name));
    static_cast<void>(resolver.resolve("HP LaserJet MFP M28w"));
  } catch (const ModelsError&) {
  }
  return 0;
}
