#!/bin/bash
# The fault matrix: every hpaio-sim --fault against both protocols, through real scanimage and
# our backend, ends with the right SANE status within its deadline, and nothing crashes.
# With HPAIO_FAULTS_BUILD_DIR set (an AddressSanitizer/UBSan build), the backend from there is
# loaded into scanimage with the sanitizer runtime preloaded, and any sanitizer report fails.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

lib_dir=${HPAIO_FAULTS_BUILD_DIR:-$HPAIO_BUILD_DIR}/lib
[[ -e $lib_dir/libsane-hpaio.so.1 ]] || hpaio_fail "no libsane-hpaio.so.1 in $lib_dir"
hpaio_sane_config "$W/conf" hpaio
# Short deadlines, so that stalls end in seconds.
printf 'connect-timeout 2\nrequest-timeout 3\npage-timeout 8\n' >"$W/conf/hpaio.conf"
export SANE_CONFIG_DIR=$W/conf
export LD_LIBRARY_PATH=$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export SANE_DEBUG_HPAIO=3
preload=""
if [[ -n ${HPAIO_FAULTS_BUILD_DIR:-} ]]; then
    preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$W/asan
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$W/ubsan
    hpaio_pass "sanitizer run: backend from $lib_dir, preloading $preload"
fi

# expect PROFILE MODEL FAULT SOURCE WANT MAX-SECONDS [SCANIMAGE ARGS...]
#   WANT: "ok" (a scan that completes, checked against the page pattern), "ok-or-io" (either), or
#   the text scanimage prints for the status.
expect() {
    local profile=$1 model=$2 fault=$3 source=$4 want=$5 max=$6
    shift 6
    local name=$profile-$fault dev="hpaio:/net/$model?ip=127.0.0.1&queue=false"
    hpaio_start_sim "$name" --profile "$profile" --listen 127.0.0.1:8080 --fault "$fault" --stall-seconds 30 \
        --log "$W/$name.log"
    local start=$SECONDS
    LD_PRELOAD=$preload timeout --kill-after=5 60 scanimage -d "$dev" --source "$source" --mode Gray --resolution 75 \
        --format=pnm "$@" >"$W/$name.pnm" 2>"$W/$name.err"
    local rc=$? took=$((SECONDS - start))
    hpaio_stop "$name"
    ((rc < 124)) || { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: scanimage died or hung (exit $rc)"; }
    if ls "$W"/asan* "$W"/ubsan* >/dev/null 2>&1; then
        cat "$W"/asan* "$W"/ubsan* >&2
        hpaio_fail "$name: sanitizer report"
    fi
    ((took <= max)) || hpaio_fail "$name: took ${took}s (limit ${max}s)"
    case $want in
    ok | ok-or-io)
        if [[ $rc -eq 0 ]]; then
            local out
            out=$("$HPAIO_BIN/hpaio-pagecheck" "$W/$name.pnm" --resolution 75 --mode gray --page 1 "${CHECK_ARGS[@]}" 2>&1) ||
                hpaio_fail "$name: the page is wrong: $out"
        elif [[ $want == ok || $(grep -c 'Error during device I/O' "$W/$name.err") -eq 0 ]]; then
            tail -20 "$W/$name.err" >&2
            hpaio_fail "$name: expected a good page${want#ok}, scanimage exited $rc"
        fi
        hpaio_pass "$name: exit $rc in ${took}s"
        ;;
    *)
        [[ $rc -ne 0 ]] || hpaio_fail "$name: scanimage succeeded; expected '$want'"
        grep -q "$want" "$W/$name.err" || { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: expected '$want'"; }
        hpaio_pass "$name: '$want' in ${took}s"
        ;;
    esac
}

for entry in "ledm-adf-duplex HP_OfficeJet_Pro_9010_series" "escl-adf-duplex HP_Color_LaserJet_Pro_M478f-9f"; do
    read -r profile model <<<"$entry"
    CHECK_ARGS=(--width-mm 60 --height-mm 40)
    expect "$profile" "$model" stall-mid-image Flatbed "Error during device I/O" 15
    expect "$profile" "$model" reset-mid-image Flatbed "Error during device I/O" 10
    jpeg=()
    [[ $profile == ledm-* ]] && jpeg=(--compression JPEG)  # eSCL sends JPEG only: no choice to make
    expect "$profile" "$model" truncated-jpeg Flatbed "Error during device I/O" 10 "${jpeg[@]}"
    expect "$profile" "$model" malformed-caps Flatbed "Error during device I/O" 10
    expect "$profile" "$model" huge-caps Flatbed "Error during device I/O" 15
    expect "$profile" "$model" slow-drip Flatbed ok 40 -x 60 -y 40
    expect "$profile" "$model" busy-forever Flatbed "Device busy" 15
    expect "$profile" "$model" wrong-content-length Flatbed ok 15 -x 60 -y 40
    expect "$profile" "$model" refuse-after-caps Flatbed ok-or-io 15 -x 60 -y 40
    CHECK_ARGS=(--width-mm 215.9 --height-mm 355.6)
    expect "$profile" "$model" adf-jam ADF "Document feeder jammed" 20 --batch="$W/$profile-jam%d.pnm"
done

echo "PASS: every fault ends with the right status within its deadline, no crash"
