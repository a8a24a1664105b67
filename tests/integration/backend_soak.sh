#!/bin/bash
# Days of use: one python-sane process (Debian's python3-sane, run by Debian's /usr/bin/python3)
# loads our backend through dll and opens, scans and closes devices HPAIO_SOAK_CYCLES times (100
# by default; bench/run.sh --only soak runs 500) after 20 warm-up cycles, across an eSCL
# (escl-adf-duplex) and an LEDM (ledm-adf-duplex) simulator, flatbed and feeder (refilled, so it
# never runs out), with scans, cancels in the middle of a page and cancels right after sane_start
# (tests/integration/soak_cycles.py has the pattern). Then:
#   - resident memory (VmRSS) grew by at most 1 MB from the end of the warm-up to the end;
#   - open file descriptors and threads are back where they were after sane_init, before any
#     device was opened;
#   - every cycle made exactly one job on its device, every cancel reached the device (eSCL DELETE,
#     LEDM PUT Canceled), both devices are idle at the end with no job left in progress, and the
#     last page of each kind matches the simulator's pattern (hpaio-pagecheck).
# With HPAIO_SOAK_BUILD_DIR set (the AddressSanitizer/UBSan build, tests/CMakeLists.txt), the
# backend comes from there, python runs with the sanitizer runtimes preloaded, PYTHONMALLOC=malloc
# (so that LeakSanitizer sees every object's memory and what it points to) and leak detection on:
# after sane_exit the helper runs LeakSanitizer's check, which must find no leak, and no
# sanitizer may report anything. Resident memory is not judged there (ASan's quarantine holds
# freed memory on purpose); descriptors and threads are.
# HPAIO_FIGURES=FILE: the figures are also appended to FILE (bench/run.sh --only soak).
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

PY=/usr/bin/python3
[[ -x $PY ]] || hpaio_fail "Debian's python3 is not installed (scripts/setup.sh --peers)"
"$PY" -c 'import sane, PIL' 2>/dev/null || hpaio_fail "python3-sane is not installed (scripts/setup.sh --peers)"
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
CYCLES=${HPAIO_SOAK_CYCLES:-100}
WARMUP=${HPAIO_SOAK_WARMUP:-20}
RSS_LIMIT_KIB=1024

lib_dir=$HPAIO_BUILD_DIR/lib
sanitized=${HPAIO_SOAK_BUILD_DIR:+1}
if ((sanitized)); then
    lib_dir=$HPAIO_SOAK_BUILD_DIR/lib
    [[ -e $lib_dir/libsane-hpaio.so.1 ]] || hpaio_fail "no libsane-hpaio.so.1 in $lib_dir"
    # Instrumented code calls the ASan runtime; a plain build does not.
    nm -D "$lib_dir/libsane-hpaio.so.1" 2>/dev/null | grep ' U __asan_' >/dev/null ||
        hpaio_fail "$lib_dir/libsane-hpaio.so.1 is not built with AddressSanitizer"
fi
hpaio_sane_config "$W/conf" hpaio
export SANE_CONFIG_DIR=$W/conf
export LD_LIBRARY_PATH=$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
hpaio_trace_libs

ESCL='hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false'
LEDM='hpaio:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.2&queue=false'

# figure NAME : a value from the helper's "figures" line
figure() { sed -n "s/^figures .*\b$1=\([0-9.-]*\).*/\1/p" "$W/soak.out"; }

# job_states URL : every job state and the scanner state a device reports, one a line
device_states() {
    "$PY" - "$1" <<'PY'
import re, sys, urllib.request
body = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
for tag in ("pwg:State", "ScannerState", "pwg:JobState", "j:JobState"):
    for v in re.findall(r"<%s>([^<]*)</%s>" % (tag, tag), body):
        print(tag, v)
PY
}

soak_case() {
    # Ready at once: no 503 before pages, idle as soon as a job ends, no 503 after a cancel, no
    # LEDM PreparingScan polls; the feeder refilled to 2 sheets whenever it runs out.
    hpaio_start_sim escl --profile escl-adf-duplex --listen 127.0.0.1:8080 --pages 2 --refill-feeder \
        --busy 0 --status-lag-ms 0 --cancel-lag-ms 0 --log "$W/escl.log"
    hpaio_start_sim ledm --profile ledm-adf-duplex --listen 127.0.0.2:8080 --pages 2 --refill-feeder \
        --prepare-polls 0 --log "$W/ledm.log"
    mkdir -p "$W/pages"
    local env=() lsan=()
    if ((sanitized)); then
        env=(LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)" PYTHONMALLOC=malloc
            "ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:log_path=$W/asan"
            "LSAN_OPTIONS=suppressions=$HPAIO_SOURCE_DIR/tests/lsan.supp:print_suppressions=0"
            "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$W/ubsan")
        lsan=(--lsan)
    fi
    env "${env[@]}" timeout --kill-after=5 600 "$PY" "$HPAIO_SOURCE_DIR/tests/integration/soak_cycles.py" \
        --cycles "$CYCLES" --warmup "$WARMUP" --every 25 --escl "$ESCL" --ledm "$LEDM" --out "$W/pages" "${lsan[@]}" \
        >"$W/soak.out" 2>"$W/soak.err"
    local rc=$?
    cat "$W/soak.out"
    # For bench/run.sh: the figures, one "soak KEY VALUE" line each (tab-separated), and the samples.
    if [[ -n ${HPAIO_FIGURES:-} ]]; then
        {
            grep '^figures ' "$W/soak.out" | tr ' ' '\n' | sed -n 's/^\([a-z_]*\)=\(.*\)$/soak\t\1\t\2/p'
            grep '^sample cycle=' "$W/soak.out" | sed 's/^sample cycle=\([0-9]*\) rss_kib=\([0-9]*\) .*/soak\tsample\t\1 \2/'
            printf 'soak\texit\t%s\n' "$rc"
        } >>"$HPAIO_FIGURES"
    fi
    if ((sanitized)) && { compgen -G "$W/asan*" || compgen -G "$W/ubsan*"; } >/dev/null; then
        cat "$W"/asan* "$W"/ubsan* 2>/dev/null | head -n 80 >&2
        hpaio_fail "sanitizer report (exit $rc): $(cat "$W"/asan* "$W"/ubsan* 2>/dev/null |
            grep -m 1 -E 'SUMMARY|ERROR|runtime error'); first frames: $(cat "$W"/asan* "$W"/ubsan* 2>/dev/null |
            grep -m 3 -E '^ +#[1-3] ' | sed 's/^ *//; s/ 0x[0-9a-f]* in / /' | tr '\n' ' ')"
    fi
    ((rc == 0)) || tail -n 30 "$W/soak.err" >&2
    hpaio_expect_rc "python-sane soak" "$rc" 0
    hpaio_check_ours "$lib_dir"

    local growth fds_init fds_end threads_init threads_end
    growth=$(figure rss_growth_kib) fds_init=$(figure fds_init) fds_end=$(figure fds_end)
    threads_init=$(figure threads_init) threads_end=$(figure threads_end)
    [[ -n $growth && -n $fds_end && -n $threads_end ]] || hpaio_fail "no figures from the soak"
    ((fds_end == fds_init)) || hpaio_fail "open file descriptors: $fds_init before the first open, $fds_end after $((CYCLES + WARMUP)) cycles"
    ((threads_end == threads_init)) || hpaio_fail "threads: $threads_init before the first open, $threads_end after $((CYCLES + WARMUP)) cycles"
    hpaio_pass "descriptors $fds_init -> $fds_end, threads $threads_init -> $threads_end after $((CYCLES + WARMUP)) cycles"
    if ((sanitized)); then
        grep -qx 'lsan leaks=0' "$W/soak.out" || hpaio_fail "LeakSanitizer: $(grep '^lsan' "$W/soak.out")"
        hpaio_pass "LeakSanitizer found no leak after sane_exit"
    else
        ((growth <= RSS_LIMIT_KIB)) ||
            hpaio_fail "resident memory grew by $growth KiB over $CYCLES cycles (limit $RSS_LIMIT_KIB KiB): $(grep '^sample' "$W/soak.out" | tr '\n' ' ')"
        hpaio_pass "resident memory grew by $growth KiB over $CYCLES cycles (limit $RSS_LIMIT_KIB KiB)"
    fi

    # The devices' side: one job per cycle, every cancel sent, nothing left running.
    local total=$((CYCLES + WARMUP)) escl_cycles ledm_cycles
    escl_cycles=$(((total + 1) / 2)) ledm_cycles=$((total / 2))
    [[ $(hpaio_log_count "$W/escl.log" 'r["method"]=="POST" and r["path"]=="/eSCL/ScanJobs" and r["status"]==201') == "$escl_cycles" ]] ||
        hpaio_fail "eSCL device: expected $escl_cycles jobs, one a cycle"
    [[ $(hpaio_log_count "$W/ledm.log" 'r["method"]=="POST" and r["path"]=="/Scan/Jobs" and r["status"]==201') == "$ledm_cycles" ]] ||
        hpaio_fail "LEDM device: expected $ledm_cycles jobs, one a cycle"
    hpaio_log_has "$W/escl.log" 'r["method"]=="DELETE" and r["path"].startswith("/eSCL/ScanJobs/")' "eSCL jobs cancelled with DELETE"
    hpaio_log_has "$W/ledm.log" 'r["method"]=="PUT" and "Canceled" in r.get("body","")' "LEDM jobs cancelled with PUT"
    local states
    states=$(device_states http://127.0.0.1:8080/eSCL/ScannerStatus; device_states http://127.0.0.2:8080/Scan/Status) ||
        hpaio_fail "cannot read the devices' status"
    grep -qx 'pwg:State Idle' <<<"$states" || hpaio_fail "the eSCL device is not idle: $(head -n 1 <<<"$states")"
    grep -qx 'ScannerState Idle' <<<"$states" || hpaio_fail "the LEDM device is not idle"
    ! grep -E 'JobState (Pending|Processing)' <<<"$states" || hpaio_fail "a job was left in progress on the eSCL device"
    hpaio_pass "$escl_cycles eSCL and $ledm_cycles LEDM jobs, cancels sent, both devices idle"
    local f mode
    for f in "$W"/pages/*.pnm; do
        mode=gray
        [[ $f == *-Color.pnm ]] && mode=color
        hpaio_check_page "$f" --resolution 75 --mode "$mode" --page 1 --width-mm 25.4 --height-mm 25.4
    done
    [[ $(find "$W/pages" -name '*.pnm' | wc -l) -eq 6 ]] || hpaio_fail "expected a page of each of the 6 scan kinds"
}
hpaio_case "soak-$CYCLES${sanitized:+-sanitized}" soak_case

hpaio_finish
