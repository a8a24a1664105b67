#include "backend/scan/job_location.hpp"

#include "base/ascii.hpp"

namespace hpaio::backend {

std::optional<std::string> job_path_from_location(std::string_view location) {
  std::string_view v = trim_blanks(location);
  std::size_t scheme = v.find("://");
  if (scheme != std::string_view::npos && v.find('/') > scheme) {
    // Absolute URL: skip scheme and authority (which may be a broken IPv6 literal).
    std::size_t path = v.find('/', scheme + 3);
    if (path == std::string_view::npos) return std::nullopt;
    v.remove_prefix(path);
  }
  std::size_t end = v.find_first_of("?#");
  if (end != std::string_view::npos) v = v.substr(0, end);
  while (v.size() > 1 && v.back() == '/') v.remove_suffix(1);
  if (v.empty() || v.front() != '/' || v == "/") return std::nullopt;
  for (char c : v) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return std::nullopt;
  }
  return std::string(v);
}

}  // namespace hpaio::backend
