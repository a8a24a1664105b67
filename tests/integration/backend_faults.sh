#!/bin/bash
# The fault matrix: every hpaio-sim --fault against all three protocols (LEDM, eSCL, WS-Scan), through real scanimage and
# our backend, ends with the right SANE status (scanimage's exact exit code) within its deadline,
# and nothing crashes. The loader's trace must show the backend under test, not Debian's.
# With HPAIO_FAULTS_BUILD_DIR set (an AddressSanitizer/UBSan build of the whole tree), the backend
# and hpaio-sim both come from there: the backend is loaded into scanimage with the sanitizer
# runtime preloaded and LeakSanitizer on, the library is checked to be instrumented, and any
# sanitizer report (an error or a leak of ours) fails the case.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

build_dir=${HPAIO_FAULTS_BUILD_DIR:-$HPAIO_BUILD_DIR}
lib_dir=$build_dir/lib
[[ -e $lib_dir/libsane-hpaio.so.1 ]] || hpaio_fail "no libsane-hpaio.so.1 in $lib_dir"
hpaio_sane_config "$W/conf" hpaio
# Short deadlines, so that stalls end in seconds; no hand-over to HPLIP's library (a plugin model we cannot
# open would go there), so that every status is our own.
printf 'connect-timeout 2\nrequest-timeout 3\npage-timeout 8\nhplip off\n' >"$W/conf/hpaio.conf"
export SANE_CONFIG_DIR=$W/conf
export LD_LIBRARY_PATH=$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export SANE_DEBUG_HPAIO=3
hpaio_trace_libs
preload=""
if [[ -n ${HPAIO_FAULTS_BUILD_DIR:-} ]]; then
    # The simulator under test is the sanitized one too.
    [[ -x $build_dir/bin/hpaio-sim ]] || hpaio_fail "no hpaio-sim in $build_dir/bin (build the whole sanitized tree)"
    HPAIO_BIN=$build_dir/bin
    # Instrumented code calls the ASan runtime, a plain build does not: tests/sanitized_instrumented.sh
    # (the backend, its modules, hpaio-sim, our static libraries; untraced, its lines off stdout).
    LD_DEBUG='' "$HPAIO_SOURCE_DIR/tests/sanitized_instrumented.sh" "$build_dir" >"$W/instrumented.out" 2>&1 || {
        cat "$W/instrumented.out" >&2
        hpaio_fail "$build_dir is not instrumented by AddressSanitizer: $(grep -m 1 '^FAIL' "$W/instrumented.out")"
    }
    preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$W/asan
    export LSAN_OPTIONS=suppressions=$HPAIO_SOURCE_DIR/tests/lsan.supp:print_suppressions=0
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$W/ubsan
    hpaio_pass "sanitizer run: backend and simulator from $build_dir, preloading $preload, leak detection on"
fi

# expect PROFILE MODEL FAULT SOURCE WANT-RC WANT MAX-SECONDS [SCANIMAGE ARGS...]
#   WANT-RC: scanimage's exit status (the SANE status; "0|9" allows either)
#   WANT: "ok" (a completed scan is checked against the page pattern), or the text scanimage prints
expect() {
    local profile=$1 model=$2 fault=$3 source=$4 want_rc=$5 want=$6 max=$7
    shift 7
    local name=$profile-$fault dev="hpaio:/net/$model?ip=127.0.0.1&queue=false" port=8080
    [[ $profile == wsd-* ]] && port=3911 # where HP's WS-Scan service answers (the probe plan asks there)
    hpaio_start_sim "$name" --profile "$profile" --listen 127.0.0.1:$port --fault "$fault" --stall-seconds 30 \
        --log "$W/$name.log"
    local start=$SECONDS
    LD_PRELOAD=$preload timeout --kill-after=5 60 scanimage -d "$dev" --source "$source" --mode Gray --resolution 75 \
        --format=pnm "$@" >"$W/$name.pnm" 2>"$W/$name.err"
    local rc=$? took=$((SECONDS - start))
    hpaio_stop "$name"
    if compgen -G "$W/asan*" >/dev/null || compgen -G "$W/ubsan*" >/dev/null; then
        cat "$W"/asan* "$W"/ubsan* >&2 2>/dev/null
        hpaio_fail "$name: sanitizer report"
    fi
    if [[ -n $preload ]] && grep -q 'Sanitizer' "$W/$name.stderr" 2>/dev/null; then
        cat "$W/$name.stderr" >&2
        hpaio_fail "$name: sanitizer report from hpaio-sim"
    fi
    [[ "|$want_rc|" == *"|$rc|"* ]] || tail -20 "$W/$name.err" >&2
    [[ "|$want_rc|" == *"|$rc|"* ]] || hpaio_expect_rc "$name: scanimage" "$rc" "$want_rc"
    hpaio_check_ours "$lib_dir"
    ((took <= max)) || hpaio_fail "$name: took ${took}s (limit ${max}s)"
    if ((rc == 0)); then
        local out
        out=$("$HPAIO_BIN/hpaio-pagecheck" "$W/$name.pnm" --resolution 75 --mode gray --page 1 "${CHECK_ARGS[@]}" 2>&1) ||
            hpaio_fail "$name: the page is wrong: $out"
    else
        grep -q "$want" "$W/$name.err" || { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: expected '$want'"; }
    fi
    hpaio_pass "$name: exit $rc in ${took}s"
}

for entry in "ledm-adf-duplex HP_OfficeJet_Pro_9010_series" "escl-adf-duplex HP_Color_LaserJet_Pro_M478f-9f" \
    "wsd-adf-duplex hp_color_laserjet_mfp_m477fdw" "wsd-flatbed hp_laserjet_pro_mfp_m127fn"; do
    read -r profile model <<<"$entry"
    CHECK_ARGS=(--width-mm 60 --height-mm 40)
    jpeg=()
    [[ $profile == ledm-* ]] && jpeg=(--compression JPEG) # eSCL sends JPEG only: no choice to make
    # WS-Scan: the fault cuts the MTOM answer that carries the image (JPEG there too) in half.
    hpaio_case "$profile-stall-mid-image" expect "$profile" "$model" stall-mid-image Flatbed 9 "Error during device I/O" 15
    hpaio_case "$profile-reset-mid-image" expect "$profile" "$model" reset-mid-image Flatbed 9 "Error during device I/O" 10
    hpaio_case "$profile-truncated-jpeg" expect "$profile" "$model" truncated-jpeg Flatbed 9 "Error during device I/O" 10 "${jpeg[@]}"
    hpaio_case "$profile-malformed-caps" expect "$profile" "$model" malformed-caps Flatbed 1 "Error during device I/O" 10
    hpaio_case "$profile-huge-caps" expect "$profile" "$model" huge-caps Flatbed 1 "Error during device I/O" 15
    hpaio_case "$profile-slow-drip" expect "$profile" "$model" slow-drip Flatbed 0 ok 40 -x 60 -y 40
    hpaio_case "$profile-busy-forever" expect "$profile" "$model" busy-forever Flatbed 3 "Device busy" 15
    hpaio_case "$profile-wrong-content-length" expect "$profile" "$model" wrong-content-length Flatbed 0 ok 15 -x 60 -y 40
    # The device refuses connections after the capabilities: the scan may already have what it needs.
    hpaio_case "$profile-refuse-after-caps" expect "$profile" "$model" refuse-after-caps Flatbed "0|9" "Error during device I/O" 15 -x 60 -y 40
    [[ $profile == wsd-flatbed ]] && continue # no feeder to jam (dib pages: the faults above cut a BMP)
    CHECK_ARGS=(--width-mm 215.9 --height-mm 355.6)
    hpaio_case "$profile-adf-jam" expect "$profile" "$model" adf-jam ADF 6 "Document feeder jammed" 20 --batch="$W/$profile-jam%d.pnm"
done

hpaio_finish
