#include "backend/network_sources_loader.hpp"

#include "hpaio/network_sources.hpp"

#include <dlfcn.h>

#include <filesystem>

namespace hpaio::backend {
namespace {

std::filesystem::path own_directory() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<const void*>(&load_network_sources), &info) == 0 || info.dli_fname == nullptr) return {};
  return std::filesystem::path(info.dli_fname).parent_path();
}

}  // namespace

std::vector<DiscoverySource> load_network_sources(std::string& error) {
  std::vector<std::filesystem::path> candidates;
  if (std::filesystem::path here = own_directory(); !here.empty()) candidates.push_back(here / network_sources_module);
  candidates.push_back(std::filesystem::path(HPAIO_MODULE_DIR) / network_sources_module);
  error.clear();
  for (const std::filesystem::path& path : candidates) {
    void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (module == nullptr) {
      const char* why = ::dlerror();
      error += (error.empty() ? "" : "; ") + std::string(why ? why : path.string() + ": cannot load");
      continue;
    }
    auto* entry = reinterpret_cast<NetworkSourcesEntry*>(::dlsym(module, network_sources_symbol));
    if (entry == nullptr) {
      error += (error.empty() ? "" : "; ") + path.string() + ": no " + network_sources_symbol;
      continue;
    }
    std::vector<DiscoverySource> sources;
    entry(sources);
    error.clear();
    return sources;
  }
  return {};
}

}  // namespace hpaio::backend
