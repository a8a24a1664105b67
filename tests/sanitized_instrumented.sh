#!/bin/bash
# sanitized_instrumented.sh BUILD-DIR UNIT-TEST... : the sanitized build really is instrumented.
# Every object file of our static libraries calls the AddressSanitizer runtime (an object that
# does not was built without -fsanitize), and so do the backend, its modules, hpaio-sim and each
# unit-test executable named. Prints one line per artefact and "N passed, M failed".
set -uo pipefail
build=${1:?usage: sanitized_instrumented.sh BUILD-DIR UNIT-TEST...}
shift
passed=0 failed=0
verdict() { # verdict OK? WHAT
    if (($1)); then passed=$((passed + 1)); echo "ok   $2"; else failed=$((failed + 1)); echo "FAIL $2"; fi
}
# (grep reads all of nm's output: with pipefail, grep -q would stop early and nm die of SIGPIPE)
calls_asan() { nm "$@" 2>/dev/null | grep ' U __asan_' >/dev/null; }

shopt -s nullglob
archives=("$build"/lib/libhpaio_*.a)
shopt -u nullglob
((${#archives[@]} > 0)) || verdict 0 "no static libraries in $build/lib"
for a in "${archives[@]}"; do
    # nm -A prints "archive:object: symbol"; list objects, then those that call the runtime.
    all=$(nm -A "$a" 2>/dev/null | awk -F: '{print $2}' | sort -u)
    instrumented=$(nm -A "$a" 2>/dev/null | grep ' U __asan_' | awk -F: '{print $2}' | sort -u)
    missing=$(comm -23 <(echo "$all") <(echo "$instrumented") | tr '\n' ' ')
    if [[ -z ${missing// /} ]]; then
        verdict 1 "$(basename "$a"): $(wc -l <<<"$all") objects, all instrumented"
    else
        verdict 0 "$(basename "$a"): not instrumented: $missing"
    fi
done
for f in lib/libsane-hpaio.so.1 lib/libhpaio-network-sources.so lib/libhpaio-tls.so bin/hpaio-sim bin/hpaio-makeuri "${@/#/bin/}"; do
    if [[ ! -e $build/$f ]]; then verdict 0 "$f: missing from $build"; continue; fi
    if [[ $f == lib/* ]]; then calls_asan -D "$build/$f"; else calls_asan "$build/$f"; fi
    verdict $((! $?)) "$f: calls the AddressSanitizer runtime"
done
echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
