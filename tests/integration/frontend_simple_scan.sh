#!/bin/bash
# simple-scan (Debian's, GNOME's "Document Scanner") under Xvfb, scanning from hpaio-sim through our
# backend (dll, a private SANE_CONFIG_DIR naming only hpaio), started as a user would with the
# device name: simple-scan 'hpaio:/net/<model>?ip=127.0.0.1&queue=false'. For an eSCL and an LEDM
# profile: press Scan (Ctrl+1, "single page"), wait for the page, save it (Ctrl+S, a .png name
# typed into the save dialog), and check the saved image's size and pattern with hpaio-pagecheck;
# then a short sheet through a duplex feeder (both sides, each as long as the sheet).
# The screenshots after the scan and after saving stay in the build tree as test artifacts:
# $HPAIO_BUILD_DIR/artifacts/simple-scan-<profile>-{scanned,saved}.png.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools Xvfb xdotool simple-scan dbus-run-session
PY=/usr/bin/python3
"$PY" -c 'from PIL import ImageGrab' 2>/dev/null || hpaio_fail "python3-pil is not installed (scripts/setup.sh --peers)"
hpaio_use_backend
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
artifacts=$HPAIO_BUILD_DIR/artifacts
mkdir -p "$artifacts"

# A display of our own: Xvfb picks a free number (-displayfd), so parallel runs never share one.
start_xvfb() {
    Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$W/display" 2>"$W/xvfb.err" &
    HPAIO_PIDS[xvfb]=$!
    local _
    for _ in $(seq 1 100); do [[ -s $W/display ]] && break; sleep 0.1; done
    [[ -s $W/display ]] || { cat "$W/xvfb.err" >&2; hpaio_fail "Xvfb did not start"; }
    export DISPLAY=:$(head -n 1 "$W/display")
}

screenshot() {
    "$PY" -c "import sys; from PIL import ImageGrab; ImageGrab.grab(xdisplay='$DISPLAY').save(sys.argv[1])" "$1" ||
        hpaio_fail "no screenshot of $DISPLAY"
}

# wait_for SECONDS WHAT CMD... : until CMD succeeds, or fail naming WHAT
wait_for() {
    local seconds=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || hpaio_fail "$what not within $seconds s"
        sleep 0.2
    done
}

# simple_scan_case PROFILE MODEL DPI HEIGHT-MM [feeder] : with "feeder", one 100 mm sheet in the duplex
# feeder, scanned with "All pages from feeder" (Ctrl+F; simple-scan picks both sides): two pages,
# each as long as the sheet (SANE lines = -1; simple-scan keeps one row less than it received).
simple_scan_case() {
    local profile=$1 model=$2 dpi=$3 height=$4 feeder=${5:-}
    local dev="hpaio:/net/$model?ip=127.0.0.1&queue=false" log=$W/$profile-simple-scan.err
    local sim_args=() key=ctrl+1
    [[ -n $feeder ]] && sim_args=(--pages 1 --sheet-length-mm "$height" --busy 0) key=ctrl+f
    hpaio_start_sim "$profile" --profile "$profile" --listen 127.0.0.1:8080 --log "$W/$profile.log" "${sim_args[@]}"
    start_xvfb
    # A fresh home: simple-scan's defaults, no saved state; settings in memory; no accessibility bus.
    mkdir -p "$W/$profile-home" "$W/$profile-run" "$W/$profile-out"
    chmod 700 "$W/$profile-run"
    HOME=$W/$profile-home XDG_RUNTIME_DIR=$W/$profile-run GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 \
        dbus-run-session -- simple-scan --debug "$dev" >"$W/$profile-simple-scan.out" 2>"$log" &
    HPAIO_PIDS[simple-scan]=$!
    local win=""
    find_window() { win=$(xdotool search --onlyvisible --name 'Document Scanner' 2>/dev/null | head -n 1); [[ -n $win ]]; }
    wait_for 30 "simple-scan's window" find_window
    # Ready once it has listed the devices; it opens the device when asked to scan.
    wait_for 30 "simple-scan listing devices" grep -q 'sane_get_devices () -> SANE_STATUS_GOOD' "$log"
    xdotool windowfocus --sync "$win" 2>/dev/null
    xdotool key "$key"
    wait_for 30 "simple-scan opening the device" grep -q 'sane_open ("hpaio:/net/.*SANE_STATUS_GOOD' "$log"
    if [[ -n $feeder ]]; then
        wait_for 60 "the end of the feeder (sane_start -> NO_DOCS)" grep -q 'sane_start.*SANE_STATUS_NO_DOCS' "$log"
        grep -q 'lines=-1' "$log" || hpaio_fail "simple-scan was not told lines = -1 for a feeder page"
    else
        wait_for 60 "the page (sane_read -> EOF)" grep -q 'sane_read.*SANE_STATUS_EOF' "$log"
    fi
    grep -q 'sane_start.*SANE_STATUS_GOOD' "$log" || hpaio_fail "simple-scan: sane_start failed: $(grep -m1 sane_start "$log")"
    sleep 1  # the page is drawn
    screenshot "$artifacts/simple-scan-$profile-scanned.png"
    xdotool key ctrl+s
    wait_for 20 "the save dialog" xdotool search --onlyvisible --name 'Save As' >/dev/null
    local out=$W/$profile-out/scan.png
    xdotool key ctrl+a
    xdotool type --delay 5 "$out"
    xdotool key Return
    # Several pages saved as images are scan-1.png, scan-2.png, ...
    [[ -n $feeder ]] && out=${out%.png}-2.png
    wait_for 30 "the saved file $out" test -s "$out"
    sleep 0.5  # written in full
    screenshot "$artifacts/simple-scan-$profile-saved.png"
    hpaio_check_ours
    # simple-scan's defaults: the whole platen, in colour, at the resolution it picks (asked of it below).
    local res
    res=$(sed -n 's/.*sane_control_option ([0-9]*, SANE_ACTION_SET_VALUE, resolution=\([0-9]*\)).*/\1/p' "$log" | tail -n 1)
    [[ $res == "$dpi" ]] || hpaio_fail "simple-scan asked for ${res:-no} resolution, expected $dpi"
    if [[ -n $feeder ]]; then
        hpaio_check_page "${out%-2.png}-1.png" --resolution "$dpi" --mode color --page 1 --width-mm 215.9 --height-mm "$height"
        hpaio_check_page "$out" --resolution "$dpi" --mode color --page 1 --side back --width-mm 215.9 --height-mm "$height"
    else
        hpaio_check_page "$out" --resolution "$dpi" --mode color --page 1 --width-mm 215.9 --height-mm "$height"
    fi
    hpaio_pass "$profile: simple-scan scanned and saved ${dpi} dpi pages; screenshots in $artifacts"
}

hpaio_case escl-flatbed simple_scan_case escl-flatbed HP_LaserJet_MFP_M28-M31 300 297.01
hpaio_case ledm-flatbed simple_scan_case ledm-flatbed HP_ENVY_Photo_6200_series 300 297.01
hpaio_case escl-adf-duplex simple_scan_case escl-adf-duplex HP_Color_LaserJet_Pro_M478f-9f 300 100 feeder

hpaio_finish
