#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan, UBSan) in build-fuzz/ and runs each for SECONDS
# (default 60), one after the other, starting from its seed corpus in tests/fuzz/corpus/<target>/.
# New inputs go to build-fuzz/corpus/<target>/ (the repository's seeds are not changed); a crash
# leaves its input in build-fuzz/crashes/ and makes the script fail. Prints one line per target with
# its executions, and "N passed, M failed".
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 600 fuzz-xml-tree
#   HPAIO_FUZZ_BUILD_DIR  another build directory;  HPAIO_FUZZ_JOBS  targets run at once (1);
#   HPAIO_FUZZ_SEED       libFuzzer's random seed (default: a new one each run)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HPAIO_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-60}
shift || true
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2; }
"$root/scripts/setup.sh" --fuzz

# -O1 with line tables: what libFuzzer's documentation uses, and half the compile time of -O2 -g.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DHPAIO_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" >/dev/null
targets=("$@")
if ((${#targets[@]} == 0)); then
    mapfile -t targets < <(sed -n 's/^hpaio_fuzz_target(\(fuzz-[a-z-]*\) .*/\1/p' "$root/tests/fuzz/CMakeLists.txt")
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

mkdir -p "$build/crashes"
passed=0 failed=0
run_one() {
    local t=$1 corpus=$build/corpus/$1 log=$build/fuzz-$1.log
    mkdir -p "$corpus"
    # -timeout: an input that takes more than 10 s is a hang; -rss_limit_mb: a leak or a blow-up.
    "$build/bin/$t" "$corpus" "$root/tests/fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 ${HPAIO_FUZZ_SEED:+-seed="$HPAIO_FUZZ_SEED"} -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" >"$log" 2>&1
}
summary() {
    local t=$1 rc=$2 log=$build/fuzz-$1.log execs
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if ((rc == 0)); then
        passed=$((passed + 1))
        printf 'ok   %s: %s executions in %s s\n' "$t" "${execs:-?}" "$seconds"
    else
        failed=$((failed + 1))
        printf 'FAIL %s (exit %d): %s\n' "$t" "$rc" "$(grep -m1 -E 'ERROR|SUMMARY|deadly signal|Test unit written' "$log" || tail -n 1 "$log")"
    fi
}
jobs=${HPAIO_FUZZ_JOBS:-1}
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
    pids=()
    for t in "${targets[@]:i:jobs}"; do
        run_one "$t" &
        pids+=("$!:$t")
    done
    for p in "${pids[@]}"; do
        rc=0
        wait "${p%%:*}" || rc=$?
        summary "${p#*:}" "$rc"
    done
done
echo "$passed passed, $failed failed"
((failed == 0))
