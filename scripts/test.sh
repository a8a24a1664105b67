#!/usr/bin/env bash
# Builds hpaio and runs every test (unit and integration). This is what CI runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh" --peers
"$root/scripts/build.sh"
build=${HPAIO_BUILD_DIR:-$root/build}
cd "$build"
ctest --output-on-failure -j "$(nproc)" "$@"
