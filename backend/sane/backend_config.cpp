#include "backend/sane/backend_config.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/ascii.hpp"

namespace hpaio::backend {
namespace {

constexpr const char* default_config_dir = "/etc/sane.d";

bool parse_seconds(std::string_view v, std::chrono::milliseconds& out) {
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc{} || ptr != v.data() + v.size() || !(seconds > 0) || seconds > 3600) return false;
  out = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  return true;
}

}  // namespace

BackendConfig BackendConfig::parse(std::string_view text) {
  BackendConfig c;
  std::size_t line_no = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = trim_blanks(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    std::size_t space = line.find_first_of(" \t=");
    std::string_view key = line.substr(0, space);
    std::string_view value = space == std::string_view::npos ? std::string_view{} : trim_blanks(line.substr(space + 1));
    if (!value.empty() && value.front() == '=') value = trim_blanks(value.substr(1));
    bool ok = true;
    if (key == "connect-timeout") {
      ok = parse_seconds(value, c.connect_timeout);
    } else if (key == "request-timeout") {
      ok = parse_seconds(value, c.request_timeout);
    } else if (key == "page-timeout") {
      ok = parse_seconds(value, c.page_timeout);
    } else if (key == "listing-timeout") {
      std::chrono::milliseconds t{};
      ok = parse_seconds(value, t) && t <= std::chrono::milliseconds(60000);
      if (ok) c.listing_timeout = t;
    } else if (key == "listing-cache") {
      ok = value == "0" || parse_seconds(value, c.listing_cache);
      if (value == "0") c.listing_cache = std::chrono::milliseconds(0);
    } else if (key == "device") {
      ok = !value.empty();
      if (ok) c.devices.emplace_back(value);
    } else if (key == "hplip") {
      ok = value == "on" || value == "off";
      if (ok) c.hplip = value == "on";
    } else if (key == "hplip-library") {
      ok = !value.empty() && value.front() == '/';
      if (ok) c.hplip_library = value;
    } else if (key == "discovery") {
      ok = value == "on" || value == "off";
      if (ok) c.discovery = value == "on";
    } else if (key == "ws-discovery") {
      ok = value == "on" || value == "off";
      if (ok) c.ws_discovery = value == "on";
    } else {
      ok = false;
    }
    if (!ok)
      c.warnings.push_back("hpaio.conf line " + std::to_string(line_no) + " not understood: " + std::string(line));
  }
  return c;
}

std::vector<std::filesystem::path> sane_config_dirs() {
  std::vector<std::filesystem::path> dirs;
  const char* env = std::getenv("SANE_CONFIG_DIR");
  if (!env || !*env) return {default_config_dir};
  std::string_view v(env);
  bool append_default = v.back() == ':';
  while (!v.empty()) {
    std::size_t colon = v.find(':');
    std::string_view dir = v.substr(0, colon);
    if (!dir.empty()) dirs.emplace_back(std::string(dir));
    if (colon == std::string_view::npos) break;
    v.remove_prefix(colon + 1);
  }
  if (append_default) dirs.emplace_back(default_config_dir);
  return dirs;
}

BackendConfig BackendConfig::load() {
  for (const std::filesystem::path& dir : sane_config_dirs()) {
    std::ifstream in(dir / "hpaio.conf");
    if (!in) continue;
    std::ostringstream s;
    s << in.rdbuf();
    return parse(s.str());
  }
  return BackendConfig{};
}

}  // namespace hpaio::backend
