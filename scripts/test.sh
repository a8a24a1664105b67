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
if [[ $(id -u) -eq 0 ]]; then
    "$root/scripts/tstbackend.sh" >/dev/null
    "$root/scripts/debian-root.sh" >/dev/null
else
    echo "test: not root: tstbackend and the Debian root are not prepared; the tests that need them (root too) fail and say so" >&2
fi
# Line tables are all the test runs need of debug information (sanitizer reports name files and
# lines); full -g doubles the compile time of the Boost.Beast code, which CI pays on 2 cores. The
# sanitized tree is built at -O1, as the sanitizers recommend.
lines_only=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")
HPAIO_BUILD_DIR=$asan "$root/scripts/build.sh" -DHPAIO_SANITIZE="address;undefined" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
HPAIO_BUILD_DIR=$build "$root/scripts/build.sh" -DHPAIO_SANITIZED_BUILD_DIR="$asan" "${lines_only[@]}"
only_named=()
[[ " $* " == *long* ]] || only_named=(-LE long)
(cd "$build" && ctest --output-on-failure -j "$(nproc)" "${only_named[@]}" "$@")
# Every fuzz target (clang, ASan, UBSan; build-fuzz/) runs its seeds, then fuzzes for a few seconds
# with a fixed seed; scripts/fuzz.sh SECONDS runs them longer. Skipped when ctest got arguments.
if (($# == 0)); then
    HPAIO_FUZZ_SEED=1 HPAIO_FUZZ_JOBS=$(nproc) "$root/scripts/fuzz.sh" 10
fi
