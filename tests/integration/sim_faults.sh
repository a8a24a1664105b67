#!/bin/bash
# How real clients react to hpaio-sim's faults and to an empty feeder (--pages 0):
#   sane-airscan: adf-jam -> "Document feeder jammed" after the first sheet; truncated-jpeg ->
#     pages whose lower half is missing (the page check must fail); malformed-caps -> the device
#     cannot be opened; busy-forever -> "Device busy"; empty feeder -> "Document feeder out of
#     documents".
#   Debian's hpaio: empty feeder -> "Document feeder out of documents" without a POST;
#     busy-forever -> "Device busy"; adf-jam -> one page, then "Operation was canceled".
# Needs root (private network namespace); loopback only.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir
command -v scanimage >/dev/null || hpaio_fail "scanimage is not installed (scripts/setup.sh --peers)"
PAGECHECK=$HPAIO_BIN/hpaio-pagecheck

mkdir -p "$W/conf"
hpaio_sane_config "$W/conf" airscan
printf '[devices]\n"Sim" = http://127.0.0.1:8082/eSCL, eSCL\n[options]\ndiscovery = disable\nws-discovery = off\n' \
    >"$W/conf/airscan.conf"
export SANE_CONFIG_DIR=$W/conf

# run_fault FAULT : ADF batch against escl-adf-duplex with FAULT; output in $W/FAULT.err, pages FAULTn.pnm
run_fault() {
    local f=$1
    hpaio_start_sim "$f" --profile escl-adf-duplex --dnl false --fault "$f" --pages 3 --listen 127.0.0.1:8082 \
        --log "$W/$f.log"
    (cd "$W" && hpaio_run_bounded 120 scanimage -d "airscan:e0:Sim" --source ADF --mode Gray --resolution 100 \
        --format=pnm --batch="$f%d.pnm") >/dev/null 2>"$W/$f.err"
    hpaio_stop "$f"
}

run_fault adf-jam
grep -q 'sane_start: Document feeder jammed' "$W/adf-jam.err" || { cat "$W/adf-jam.err" >&2; hpaio_fail "adf-jam: no jam reported"; }
[[ -e $W/adf-jam1.pnm && ! -e $W/adf-jam2.pnm ]] || hpaio_fail "adf-jam: expected exactly one page before the jam"
"$PAGECHECK" "$W/adf-jam1.pnm" --resolution 100 --mode gray --page 1 >/dev/null || hpaio_fail "adf-jam: page 1 is wrong"
hpaio_pass "adf-jam: one good page, then 'Document feeder jammed'"

run_fault truncated-jpeg
[[ -e $W/truncated-jpeg1.pnm ]] || { cat "$W/truncated-jpeg.err" >&2; hpaio_fail "truncated-jpeg: no page at all"; }
if out=$("$PAGECHECK" "$W/truncated-jpeg1.pnm" --resolution 100 --mode gray --page 1); then
    hpaio_fail "truncated-jpeg: the page check passed on a truncated image: $out"
fi
hpaio_pass "truncated-jpeg: the client padded the page and the checker caught it: $out"

run_fault malformed-caps
grep -q 'open of device airscan:e0:Sim failed' "$W/malformed-caps.err" ||
    { cat "$W/malformed-caps.err" >&2; hpaio_fail "malformed-caps: the device opened anyway"; }
hpaio_pass "malformed-caps: $(tail -n1 "$W/malformed-caps.err")"

run_fault busy-forever
grep -q 'Device busy' "$W/busy-forever.err" || { cat "$W/busy-forever.err" >&2; hpaio_fail "busy-forever: no 'Device busy'"; }
grep -q '"method":"POST".*"status":503' "$W/busy-forever.log" || hpaio_fail "busy-forever: no 503 to POST ScanJobs in the log"
hpaio_pass "busy-forever: 503 to POST ScanJobs, client reports 'Device busy'"

# An empty feeder, eSCL (409 to POST ScanJobs, AdfState ScannerAdfEmpty) and LEDM (AdfState Empty).
hpaio_start_sim empty-escl --profile escl-adf-duplex --pages 0 --listen 127.0.0.1:8082 --log "$W/empty-escl.log"
(cd "$W" && hpaio_run_bounded 120 scanimage -d "airscan:e0:Sim" --source ADF --format=pnm --batch=empty-escl%d.pnm) \
    >/dev/null 2>"$W/empty-escl.err"
if ! grep -q 'sane_start: Document feeder out of documents' "$W/empty-escl.err" || [[ -e $W/empty-escl1.pnm ]]; then
    cat "$W/empty-escl.err" >&2
    hpaio_fail "empty feeder (eSCL): expected no page and 'Document feeder out of documents'"
fi
hpaio_stop empty-escl
hpaio_pass "empty feeder (eSCL, sane-airscan): Document feeder out of documents"

hpaio_sane_config "$W/conf-hpaio" hpaio
hpaio_start_sim empty-ledm --profile ledm-adf-duplex --pages 0 --listen 127.0.0.1:8080 --log "$W/empty-ledm.log"
(cd "$W" && DBUS_FATAL_WARNINGS=0 SANE_CONFIG_DIR=$W/conf-hpaio hpaio_run_bounded 120 scanimage \
    -d 'hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false' --source ADF --format=pnm \
    --batch=empty-ledm%d.pnm) >/dev/null 2>"$W/empty-ledm.err"
if ! grep -q 'sane_start: Document feeder out of documents' "$W/empty-ledm.err" || [[ -e $W/empty-ledm1.pnm ]]; then
    cat "$W/empty-ledm.err" >&2
    hpaio_fail "empty feeder (LEDM): expected no page and 'Document feeder out of documents'"
fi
grep -q '"method":"POST"' "$W/empty-ledm.log" && hpaio_fail "empty feeder (LEDM): hpaio should not have posted a job"
hpaio_stop empty-ledm
hpaio_pass "empty feeder (LEDM, hpaio): Document feeder out of documents, no job posted"

# hpaio (LEDM) with busy-forever: ScannerState BusyWithScanJob -> "Device busy" before any POST.
hpaio_start_sim hp-busy --profile ledm-adf-duplex --fault busy-forever --listen 127.0.0.1:8080 --log "$W/hp-busy.log"
(cd "$W" && DBUS_FATAL_WARNINGS=0 SANE_CONFIG_DIR=$W/conf-hpaio hpaio_run_bounded 120 scanimage \
    -d 'hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false' --format=pnm -o hp-busy.pnm) \
    >/dev/null 2>"$W/hp-busy.err"
grep -q 'sane_start: Device busy' "$W/hp-busy.err" || { cat "$W/hp-busy.err" >&2; hpaio_fail "hpaio busy-forever: no 'Device busy'"; }
hpaio_stop hp-busy
hpaio_pass "busy-forever (LEDM, hpaio): Device busy"

# hpaio (LEDM) with adf-jam: page 1 arrives, then the job is CanceledByDevice -> "Operation was canceled".
hpaio_start_sim hp-jam --profile ledm-adf-duplex --fault adf-jam --listen 127.0.0.1:8080 --log "$W/hp-jam.log"
(cd "$W" && DBUS_FATAL_WARNINGS=0 SANE_CONFIG_DIR=$W/conf-hpaio hpaio_run_bounded 120 scanimage \
    -d 'hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false' --source ADF --mode Gray --resolution 75 \
    --format=pnm --batch=hp-jam%d.pnm) >/dev/null 2>"$W/hp-jam.err"
grep -q 'Operation was canceled' "$W/hp-jam.err" || { cat "$W/hp-jam.err" >&2; hpaio_fail "hpaio adf-jam: no cancel reported"; }
"$PAGECHECK" "$W/hp-jam1.pnm" --resolution 75 --mode gray --page 1 >/dev/null || hpaio_fail "hpaio adf-jam: page 1 is wrong"
hpaio_stop hp-jam
hpaio_pass "adf-jam (LEDM, hpaio): one good page, then 'Operation was canceled'"

echo "PASS: sane-airscan and hpaio react to hpaio-sim's faults and an empty feeder as expected"
