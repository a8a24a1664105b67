#!/usr/bin/env bash
# Configures and builds into build/ (executables in build/bin, libraries in build/lib).
# Extra arguments go to cmake's configure step, e.g. -DHPAIO_SANITIZE="address;undefined".
#   HPAIO_BUILD_DIR  another build directory
#   HPAIO_TARGET     build only this target
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HPAIO_BUILD_DIR:-$root/build}
werror=OFF
if [[ -n "${CI:-}" ]]; then werror=ON; fi
cmake -S "$root" -B "$build" -DHPAIO_WERROR=$werror "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" ${HPAIO_TARGET:+--target "$HPAIO_TARGET"}
