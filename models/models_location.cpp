#include "models/models_location.hpp"

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "base/ascii.hpp"

namespace hpaio::models {
namespace {

constexpr const char* default_hplip_conf = "/etc/hp/hplip.conf";
constexpr const char* default_hplip_home = "/usr/share/hplip";

}  // namespace

std::filesystem::path hplip_home_from_conf(const std::filesystem::path& conf) {
  std::ifstream in(conf);
  std::string line;
  bool in_dirs = false;
  while (std::getline(in, line)) {
    std::string_view l = trim_blanks(line);
    if (l.empty() || l.front() == '#') continue;
    if (l.front() == '[') {
      in_dirs = l == "[dirs]";
      continue;
    }
    if (!in_dirs) continue;
    std::size_t eq = l.find('=');
    if (eq != std::string_view::npos && trim_blanks(l.substr(0, eq)) == "home") {
      return std::filesystem::path(std::string(trim_blanks(l.substr(eq + 1))));
    }
  }
  return {};
}

std::filesystem::path locate_models_dat() {
  if (const char* file = std::getenv(models_dat_env); file && *file) return file;
  const char* conf = std::getenv(hplip_conf_env);
  std::filesystem::path home = hplip_home_from_conf(conf && *conf ? conf : default_hplip_conf);
  if (home.empty()) home = default_hplip_home;
  return home / "data" / "models" / "models.dat";
}

}  // namespace hpaio::models
