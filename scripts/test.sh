#!/usr/bin/env bash
# Builds hpaio and runs every test (unit and integration). This is what CI runs.
# Also builds the whole tree with AddressSanitizer and UBSan (build-asan/): its unit tests run with
# LeakSanitizer on, and the fault matrix runs its backend and simulator (label "sanitized").
# Then the fuzz targets run briefly (build-fuzz/). Extra arguments go to ctest (and skip the fuzzing),
# e.g. -L unit (labels: unit, integration, sanitized, peers, slow),
# -LE slow, or -R backend_ to run some tests only. Tests labelled "long" (tstbackend's level 3)
# run only when an argument names them, e.g. scripts/test.sh -L long.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HPAIO_BUILD_DIR:-$root/build}
asan=${HPAIO_ASAN_BUILD_DIR:-$root/build-asan}
"$root/scripts/setup.sh" --peers
# sane-backends' tstbackend, from Debian's source, and a fresh Debian 12 root for the package test
# (both cached after the first run)
"$root/scripts/tstbackend.sh" >/dev/null
"$root/scripts/debian-root.sh" >/dev/null
HPAIO_BUILD_DIR=$asan "$root/scripts/build.sh" -DHPAIO_SANITIZE="address;undefined"
HPAIO_BUILD_DIR=$build "$root/scripts/build.sh" -DHPAIO_SANITIZED_BUILD_DIR="$asan"
only_named=()
[[ " $* " == *long* ]] || only_named=(-LE long)
(cd "$build" && ctest --output-on-failure -j "$(nproc)" "${only_named[@]}" "$@")
# Every fuzz target (clang, ASan, UBSan; build-fuzz/) runs its seeds, then fuzzes for a few seconds
# with a fixed seed; scripts/fuzz.sh SECONDS runs them longer. Skipped when ctest got arguments.
if (($# == 0)); then
    HPAIO_FUZZ_SEED=1 HPAIO_FUZZ_JOBS=$(nproc) "$root/scripts/fuzz.sh" 10
fi
