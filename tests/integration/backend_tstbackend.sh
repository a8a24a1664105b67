#!/bin/bash
# sane-backends' own backend tester, tstbackend (built from Debian's source by
# scripts/tstbackend.sh), against our backend loaded through SANE's dll (a private SANE_CONFIG_DIR
# whose dll.conf names only hpaio), on one hpaio-sim profile:
#   backend_tstbackend.sh PROFILE MODEL LEVEL
# LEVEL is tstbackend's -l: 0 init/exit and open/close, 1 also every option (each value, out of
# range too, in recursion), 2 also scans in every mode, resolution and source, 3 the longest tests.
# The device is given with -d, as tstbackend lists local devices only. Passes when tstbackend ends
# by itself with "warnings: 0  error: 0", the loader shows this build's backend served it, and, from
# level 2, the simulator delivered pages.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

profile=${1:?profile} model=${2:?model} level=${3:?level}
tool=$("$HPAIO_SOURCE_DIR/scripts/tstbackend.sh" --path)
[[ -x $tool ]] || hpaio_fail "tstbackend is not built: run scripts/tstbackend.sh (scripts/test.sh does)"
hpaio_use_backend
[[ -x $HPAIO_BIN/hpaio-sim ]] || hpaio_fail "build hpaio-sim first"

tstbackend_case() {
    local dev="hpaio:/net/$model?ip=127.0.0.1&queue=false" out=$W/tstbackend.out rc
    hpaio_start_sim sim --profile "$profile" --listen 127.0.0.1:8080 --log "$W/sim.log"
    hpaio_run_bounded "${HPAIO_TSTBACKEND_SECONDS:-900}" "$tool" -l "$level" -d "$dev" >"$out" 2>"$W/tstbackend.err"
    rc=$?
    # The summary, and every warning and error with the test it belongs to.
    grep -E '^(warning|ERROR|FATAL|tstbackend BUG)|TEST:' "$out" | uniq -c | head -n 40 >&2
    local summary
    summary=$(grep -E '^warnings: [0-9]+  error: [0-9]+  checks: [0-9]+$' "$out" | tail -n 1)
    echo "tstbackend -l $level on $profile: ${summary:-no summary}" >&2
    hpaio_expect_rc "tstbackend -l $level" "$rc" 0
    [[ -n $summary ]] || { tail -n 20 "$out" "$W/tstbackend.err" >&2; hpaio_fail "tstbackend printed no summary"; }
    local checks=${summary##*checks: }
    [[ $summary == "warnings: 0  error: 0  checks: $checks" ]] || hpaio_fail "tstbackend: $summary"
    ((checks > 0)) || hpaio_fail "tstbackend made no checks"
    hpaio_check_ours
    if ((level >= 2)); then
        local pages
        pages=$(grep -cE '"path":"[^"]*(/NextDocument|/Pages/[0-9]+)".*"status":200' "$W/sim.log" || true)
        ((pages > 0)) || hpaio_fail "tstbackend -l $level scanned no page from the simulator"
        hpaio_pass "$profile: the simulator delivered $pages pages"
    fi
}

hpaio_case "tstbackend-l$level-$profile" tstbackend_case
hpaio_finish
