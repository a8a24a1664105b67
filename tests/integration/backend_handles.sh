#!/bin/bash
# Several handles in one process: our library, loaded with dlopen as dll loads it, scans from an
# LEDM and an eSCL simulator at the same time, reading both pages in turns (blocking), then again
# with non-blocking reads driven by poll() on sane_get_select_fd; every page must be exact and
# match the pattern. sane_cancel from another thread ends a blocked sane_read and cancels the job.
# Every harness run must exit 0, and the loader's trace must show this build's library.
# Needs root (private network namespace via unshare -n).
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir
export SANE_CONFIG_DIR=$W # no hpaio.conf: defaults
hpaio_trace_libs
LIB=$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1
LEDM_DEV='hpaio:/net/HP_ENVY_Photo_6200_series?ip=127.0.0.1&queue=false'
ESCL_DEV='hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.2&queue=false'

# harness NAME ARGS... : hpaio-sane-harness on our library, exit 0 within 120 s
harness() {
    local name=$1
    shift
    hpaio_run_bounded 120 "$HPAIO_BIN/hpaio-sane-harness" "$LIB" "$@" >"$W/$name.out" 2>"$W/$name.err"
    local rc=$?
    ((rc == 0)) || cat "$W/$name.out" "$W/$name.err" >&2
    hpaio_expect_rc "harness $name" "$rc" 0
    cat "$W/$name.out"
    hpaio_check_ours
}

# two_handles_case MODE COLOUR : LEDM and eSCL pages read in turns in one process
two_handles_case() {
    local mode=$1 colour=$2 c
    c=$(tr 'A-Z' 'a-z' <<<"$colour")
    hpaio_start_sim ledm --profile ledm-flatbed --listen 127.0.0.1:8080 --log "$W/ledm-$mode.log"
    hpaio_start_sim escl --profile escl-flatbed --listen 127.0.0.2:8080 --log "$W/escl-$mode.log"
    harness "$mode" "$mode" "$colour" 200 "$LEDM_DEV" "$W/ledm-$mode.pnm" "$ESCL_DEV" "$W/escl-$mode.pnm"
    local f
    for f in ledm escl; do
        hpaio_check_page "$W/$f-$mode.pnm" --resolution 200 --mode "$c" --page 1 --width-mm 215.9 --height-mm 297.011
    done
}
hpaio_case interleave-blocking two_handles_case interleave Gray
# The same with non-blocking reads: sane_set_io_mode + sane_get_select_fd + poll().
hpaio_case select-nonblocking two_handles_case select Color

# sane_cancel from another thread while sane_read is blocked on a page that trickles in.
cancel_case() {
    hpaio_start_sim drip --profile escl-flatbed --listen 127.0.0.2:8080 --fault slow-drip --log "$W/drip.log"
    harness cancel cancel-from-thread Color 600 "$ESCL_DEV"
    hpaio_log_has "$W/drip.log" 'r["method"]=="DELETE" and r["path"].startswith("/eSCL/ScanJobs/")' "the job was deleted on the device"
}
hpaio_case cancel-from-thread cancel_case

hpaio_finish
