#include "base/module_loader.hpp"

#include <dlfcn.h>
#include <link.h>

#include <filesystem>
#include <system_error>
#include <vector>

namespace hpaio {
namespace {

std::filesystem::path own_directory() {
  Dl_info info{};
  link_map* map = nullptr;
  if (::dladdr1(reinterpret_cast<const void*>(&module_symbol), &info, reinterpret_cast<void**>(&map),
                RTLD_DL_LINKMAP) != 0 &&
      map != nullptr && map->l_name != nullptr && map->l_name[0] != '\0') {
    return std::filesystem::path(map->l_name).parent_path();  // a shared library: its own path
  }
  // The main program (dladdr would give argv[0], which its caller chose): the executable itself.
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : self.parent_path();
}

}  // namespace

void* module_symbol(const char* file, const char* symbol, std::string& error) {
  std::vector<std::filesystem::path> dirs;
  if (std::filesystem::path here = own_directory(); !here.empty()) {
    dirs.push_back(here);
    dirs.push_back(here.parent_path() / "lib");
  }
  dirs.push_back(HPAIO_MODULE_DIR);
  error.clear();
  for (const std::filesystem::path& dir : dirs) {
    const std::filesystem::path path = dir / file;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (module == nullptr) {
      const char* why = ::dlerror();
      error += (error.empty() ? "" : "; ") + std::string(why ? why : path.string() + ": cannot load");
      continue;
    }
    if (void* address = ::dlsym(module, symbol)) {
      error.clear();
      return address;
    }
    error += (error.empty() ? "" : "; ") + path.string() + ": no " + symbol;
  }
  if (error.empty()) {
    error = std::string(file) + " is in none of";
    for (const std::filesystem::path& dir : dirs) error += " " + dir.string();
  }
  return nullptr;
}

}  // namespace hpaio
