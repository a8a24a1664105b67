#!/usr/bin/env bash
# Builds hpaio and runs every test (unit and integration). This is what CI runs.
# Also builds the backend with AddressSanitizer and UBSan (build-asan/) for the fault matrix.
# Extra arguments go to ctest (e.g. -R backend_ to run some tests only).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HPAIO_BUILD_DIR:-$root/build}
asan=${HPAIO_ASAN_BUILD_DIR:-$root/build-asan}
"$root/scripts/setup.sh" --peers
HPAIO_BUILD_DIR=$asan HPAIO_TARGET=sane-hpaio "$root/scripts/build.sh" -DHPAIO_SANITIZE="address;undefined"
HPAIO_BUILD_DIR=$build "$root/scripts/build.sh" -DHPAIO_SANITIZED_BUILD_DIR="$asan"
cd "$build"
ctest --output-on-failure -j "$(nproc)" "$@"
