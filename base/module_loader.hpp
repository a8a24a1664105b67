// Parts of the backend that link heavy libraries live in modules loaded on first use, so a process
// that only scans over HTTP never maps them: libhpaio-network-sources.so (libcups, Avahi; the
// device listing) and libhpaio-tls.so (OpenSSL; HTTPS). A module is looked for in the directory of
// the code asking (the backend library, or a program), then in ../lib beside it (a build tree's
// bin/ and lib/), then in HPAIO_MODULE_DIR (where `cmake --install` puts them). A loaded module
// stays loaded for the life of the process: its code may still be running on a detached thread.
#pragma once

#include <string>

namespace hpaio {

// The address of `symbol` in module `file`; null, with `error` saying why, when it cannot be loaded.
// Thread-safe; loading an already loaded module is cheap.
void* module_symbol(const char* file, const char* symbol, std::string& error);

template <typename Function>
Function* module_function(const char* file, const char* symbol, std::string& error) {
  return reinterpret_cast<Function*>(module_symbol(file, symbol, error));
}

}  // namespace hpaio
