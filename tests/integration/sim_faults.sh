#!/bin/bash
# How a real client (sane-airscan through scanimage) reacts to hpaio-sim's faults:
# adf-jam -> "Document feeder jammed" after the first sheet; truncated-jpeg -> pages whose
# lower half is missing (the page check must fail); malformed-caps -> the device cannot be
# opened; busy-forever -> "Device busy". Needs root (private network namespace); loopback only.
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

echo "PASS: sane-airscan reacts to hpaio-sim's faults as expected"
