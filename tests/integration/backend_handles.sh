#!/bin/bash
# Several handles in one process: our library, loaded with dlopen as dll loads it, scans from an
# LEDM and an eSCL simulator at the same time, reading both pages in turns (blocking), then again
# with non-blocking reads driven by poll() on sane_get_select_fd; every page must be exact and
# match the pattern. Needs root (private network namespace via unshare -n).
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir
export SANE_CONFIG_DIR=$W  # no hpaio.conf: defaults

hpaio_start_sim ledm --profile ledm-flatbed --listen 127.0.0.1:8080 --log "$W/ledm.log"
hpaio_start_sim escl --profile escl-flatbed --listen 127.0.0.2:8080 --log "$W/escl.log"
hpaio_run_bounded 120 "$HPAIO_BIN/hpaio-sane-harness" "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" interleave Gray 200 \
    'hpaio:/net/HP_ENVY_Photo_6200_series?ip=127.0.0.1&queue=false' "$W/ledm.pnm" \
    'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.2&queue=false' "$W/escl.pnm" \
    >"$W/harness.out" 2>"$W/harness.err" || { cat "$W/harness.out" "$W/harness.err" >&2; hpaio_fail "harness failed"; }
cat "$W/harness.out"
for f in ledm escl; do
    hpaio_check_page "$W/$f.pnm" --resolution 200 --mode gray --page 1 --width-mm 215.9 --height-mm 297.011
done

# The same with non-blocking reads: sane_set_io_mode + sane_get_select_fd + poll().
hpaio_run_bounded 120 "$HPAIO_BIN/hpaio-sane-harness" "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" select Color 200 \
    'hpaio:/net/HP_ENVY_Photo_6200_series?ip=127.0.0.1&queue=false' "$W/ledm-nb.pnm" \
    'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.2&queue=false' "$W/escl-nb.pnm" \
    >"$W/harness-nb.out" 2>"$W/harness-nb.err" || { cat "$W/harness-nb.out" "$W/harness-nb.err" >&2; hpaio_fail "select harness failed"; }
cat "$W/harness-nb.out"
for f in ledm-nb escl-nb; do
    hpaio_check_page "$W/$f.pnm" --resolution 200 --mode color --page 1 --width-mm 215.9 --height-mm 297.011
done
hpaio_pass "two handles to two devices in one process scanned at the same time, blocking and non-blocking"

# sane_cancel from another thread while sane_read is blocked on a page that trickles in.
hpaio_stop escl
hpaio_start_sim drip --profile escl-flatbed --listen 127.0.0.2:8080 --fault slow-drip --log "$W/drip.log"
hpaio_run_bounded 60 "$HPAIO_BIN/hpaio-sane-harness" "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" cancel-from-thread Color 600 \
    'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.2&queue=false' >"$W/cancel.out" 2>"$W/cancel.err" ||
    { cat "$W/cancel.out" "$W/cancel.err" >&2; hpaio_fail "cancel from another thread"; }
cat "$W/cancel.out"
hpaio_log_has "$W/drip.log" 'r["method"]=="DELETE" and r["path"].startswith("/eSCL/ScanJobs/")' "the job was deleted on the device"
echo "PASS: sane_cancel from another thread ends a blocked sane_read at once and cancels the job"
