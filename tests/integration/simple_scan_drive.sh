#!/bin/bash
# Drives simple-scan as a user would, on a display of its own: starts Xvfb, starts simple-scan with
# DEVICE, presses Scan (Ctrl+1, one page), waits for the page, saves it as OUT (Ctrl+S, the name
# typed into the save dialog). Exits 0 once OUT exists; 1, saying why, otherwise. Everything it
# starts ends with it. Needs Xvfb, xdotool, dbus-run-session and simple-scan; no root, no network.
#   simple_scan_drive.sh DEVICE OUT.png LOG        (LOG: simple-scan's --debug output)
# package_install.sh runs it inside a Debian root where the package is installed.
set -uo pipefail
dev=$1 out=$2 log=$3
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; sleep 0.3; kill -9 "${pids[@]}" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "simple_scan_drive: $*" >&2; exit 1; }
# wait_for SECONDS WHAT CMD... : until CMD succeeds
wait_for() {
    local seconds=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || fail "$what not within $seconds s"
        sleep 0.2
    done
}

Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.err" &
pids+=($!)
wait_for 10 "Xvfb" test -s "$work/display"
export DISPLAY=:$(head -n 1 "$work/display")
mkdir -p "$work/home" "$work/run"
chmod 700 "$work/run"
HOME=$work/home XDG_RUNTIME_DIR=$work/run GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 \
    dbus-run-session -- simple-scan --debug "$dev" >/dev/null 2>"$log" &
pids+=($!)
win=""
find_window() { win=$(xdotool search --onlyvisible --name 'Document Scanner' 2>/dev/null | head -n 1); [[ -n $win ]]; }
wait_for 30 "simple-scan's window" find_window
wait_for 30 "simple-scan listing devices" grep -q 'sane_get_devices () -> SANE_STATUS_GOOD' "$log"
xdotool windowfocus --sync "$win" 2>/dev/null
xdotool key ctrl+1
wait_for 30 "simple-scan opening the device" grep -q 'sane_open (".*SANE_STATUS_GOOD' "$log"
wait_for 60 "the page (sane_read -> EOF)" grep -q 'sane_read.*SANE_STATUS_EOF' "$log"
sleep 1
# The save dialog is one more visible window of simple-scan's. (Not found by its title, "Save As…":
# on a minimal system, without X's locale data, xdotool cannot read that title.)
windows() { xdotool search --onlyvisible --class simple-scan 2>/dev/null | wc -l; }
before=$(windows)
xdotool key ctrl+s
dialog_open() { (($(windows) > before)); }
wait_for 20 "the save dialog" dialog_open
sleep 0.5
xdotool key ctrl+a
xdotool type --delay 5 "$out"
xdotool key Return
wait_for 30 "the saved file $out" test -s "$out"
sleep 0.5
echo "simple_scan_drive: saved $out"
