// JSON string literals for the machine-readable outputs (hpaio-makeuri --json, hpaio-sim's log).
#pragma once

#include <string>
#include <string_view>

namespace hpaio {

// `s` escaped for the inside of a JSON string: quotes, backslashes and control characters escaped;
// valid UTF-8 kept as it is; any other byte written as \u00XX, so the result is always valid JSON.
std::string json_escape(std::string_view s);
// `s` as a JSON string literal, quotes included.
inline std::string json_string(std::string_view s) { return '"' + json_escape(s) + '"'; }

}  // namespace hpaio
