#!/bin/bash
# How real clients react to hpaio-sim's faults and to an empty feeder (--pages 0), one case each.
# scanimage's exit status is compared exactly (the SANE status), and the loader's trace must show
# that Debian's libsane-airscan / libsane-hpaio served (never our build's libsane-hpaio).
#   sane-airscan, ADF batch from escl-adf-duplex:
#     airscan-adf-jam          exit 6, "Document feeder jammed" after exactly one good page
#     airscan-truncated-jpeg   exit 0 and no error reported: the client pads each half JPEG to a
#                              full-size page (3 pages); the top 45% of each is the real page, the
#                              whole fails the pattern check (so the checker catches the damage)
#     airscan-malformed-caps   exit 1, "open of device ... failed", no page, no job posted
#     airscan-busy-forever     exit 3, "Device busy", no page, POST ScanJobs answered 503
#     airscan-empty-feeder     exit 7, "Document feeder out of documents", no page, POST answered 409
#   Debian's hpaio, LEDM, from ledm-adf-duplex:
#     hpaio-empty-feeder       exit 7, "Document feeder out of documents", no page, no job posted
#     hpaio-busy-forever       exit 3, "Device busy", no job posted
#     hpaio-adf-jam            exit 2, exactly one good page, then "Operation was canceled"; the
#                              job was cancelled with PUT and page 2 never fetched
# Needs root (private network namespace); loopback only.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage python3
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
PAGECHECK=$HPAIO_BIN/hpaio-pagecheck
hpaio_use_debian_backends airscan hpaio

hpaio_airscan_conf "$W/conf-airscan" '"Sim" = http://127.0.0.1:8082/eSCL, eSCL'
hpaio_sane_config "$W/conf-hpaio" hpaio
HPDEV='hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false'

# client NAME WANT-RC CLIENT ARGS... : scanimage (CLIENT airscan or hpaio) in $W/NAME/, stderr in
# $W/NAME.err; its exit status must be WANT-RC and the loader's trace must show Debian's CLIENT
# backend; PAGES is how many pages it left
client() {
    local name=$1 want=$2 which=$3
    shift 3
    if [[ $which == airscan ]]; then
        SANE_CONFIG_DIR=$W/conf-airscan HPAIO_SCAN_IN_DIR=1 hpaio_scanimage "$want" "$name" -d "airscan:e0:Sim" "$@"
        hpaio_check_backend airscan "$DEB_AIRSCAN" "sane-airscan"
    else
        SANE_CONFIG_DIR=$W/conf-hpaio HPAIO_SCAN_IN_DIR=1 hpaio_scanimage "$want" "$name" -d "$HPDEV" "$@"
        hpaio_check_backend hpaio "$DEB_HPAIO" "Debian's hpaio"
    fi
    PAGES=$(find "$W/$name" -name '*.pnm' -size +0 | wc -l)
    hpaio_pass "$name: exit $want, served by Debian's $which"
}

# err_has NAME TEXT : scanimage's stderr for NAME has the line fragment TEXT
err_has() {
    grep -qF -- "$2" "$W/$1.err" || { tail -20 "$W/$1.err" >&2; hpaio_fail "$1: scanimage did not report '$2'"; }
}

# pages_are NAME N : exactly N non-empty pages were written
pages_are() {
    [[ $PAGES -eq $2 ]] || { ls -l "$W/$1" >&2; hpaio_fail "$1: $PAGES pages, expected $2"; }
}

# fault_batch FAULT WANT-RC : sane-airscan's ADF batch from escl-adf-duplex with FAULT and 3 sheets
fault_batch() {
    local f=$1 want=$2
    hpaio_start_sim "$f" --profile escl-adf-duplex --dnl false --fault "$f" --pages 3 --listen 127.0.0.1:8082 \
        --log "$W/$f.log"
    client "$f" "$want" airscan --source ADF --mode Gray --resolution 100 --format=pnm --batch='p%d.pnm'
}

airscan_adf_jam() {
    fault_batch adf-jam 6
    err_has adf-jam 'sane_start: Document feeder jammed'
    pages_are adf-jam 1
    hpaio_check_page "$W/adf-jam/p1.pnm" --resolution 100 --mode gray --page 1 --width-mm 215.9 --height-mm 355.6
}
hpaio_case airscan-adf-jam airscan_adf_jam

# crop_top IN OUT FRACTION : the top FRACTION of a binary PGM/PPM (P5/P6, maxval 255); prints the rows kept
crop_top() {
    python3 - "$@" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
fields, pos = [], 0
while len(fields) < 4:
    while data[pos:pos + 1].isspace():
        pos += 1
    if data[pos:pos + 1] == b"#":
        pos = data.index(b"\n", pos)
        continue
    end = pos
    while not data[end:end + 1].isspace():
        end += 1
    fields.append(data[pos:end])
    pos = end
pos += 1
magic, w, h, maxval = fields[0].decode(), int(fields[1]), int(fields[2]), int(fields[3])
assert magic in ("P5", "P6") and maxval == 255, (magic, maxval)
row = w * (3 if magic == "P6" else 1)
keep = int(h * float(sys.argv[3]))
with open(sys.argv[2], "wb") as out:
    out.write(b"%s\n%d %d\n255\n" % (magic.encode(), w, keep))
    out.write(data[pos:pos + keep * row])
print(keep)
PY
}

airscan_truncated_jpeg() {
    fault_batch truncated-jpeg 0
    # sane-airscan reports nothing: three pages "scanned" with SANE_STATUS_EOF, then the empty feeder.
    local i
    for i in 1 2 3; do err_has truncated-jpeg "Scanned page $i. (scanner status = 5)"; done
    err_has truncated-jpeg 'sane_start: Document feeder out of documents'
    err_has truncated-jpeg 'Batch terminated, 3 pages scanned'
    pages_are truncated-jpeg 3
    local out rc rows
    for i in 1 2 3; do
        # The whole page has the right size but not the pattern: its lower part is padding.
        out=$("$PAGECHECK" "$W/truncated-jpeg/p$i.pnm" --resolution 100 --mode gray --page "$i" \
            --width-mm 215.9 --height-mm 355.6 2>&1)
        rc=$?
        hpaio_expect_rc "truncated-jpeg page $i: hpaio-pagecheck on the whole page (must find the damage)" "$rc" 1
        [[ $out == *': pattern: '* ]] || hpaio_fail "truncated-jpeg page $i: expected a pattern mismatch, got: $out"
        # The part that did arrive is the real page.
        rows=$(crop_top "$W/truncated-jpeg/p$i.pnm" "$W/truncated-jpeg/top$i.pnm" 0.45) ||
            hpaio_fail "truncated-jpeg page $i: cannot crop the image"
        hpaio_check_page "$W/truncated-jpeg/top$i.pnm" --resolution 100 --mode gray --page "$i" \
            --width-mm 215.9 --height-mm "$(python3 -c "print($rows * 25.4 / 100)")"
    done
    hpaio_pass "truncated-jpeg: full-size pages, the top 45% right, the rest padding the checker catches: $out"
}
hpaio_case airscan-truncated-jpeg airscan_truncated_jpeg

airscan_malformed_caps() {
    fault_batch malformed-caps 1
    err_has malformed-caps 'open of device airscan:e0:Sim failed: Error during device I/O'
    pages_are malformed-caps 0
    [[ $(hpaio_log_count "$W/malformed-caps.log" 'r["method"]=="POST"') -eq 0 ]] ||
        hpaio_fail "malformed-caps: a job was posted to a device that could not be opened"
}
hpaio_case airscan-malformed-caps airscan_malformed_caps

airscan_busy_forever() {
    fault_batch busy-forever 3
    err_has busy-forever 'sane_start: Device busy'
    pages_are busy-forever 0
    hpaio_log_has "$W/busy-forever.log" 'r["method"]=="POST" and r["path"]=="/eSCL/ScanJobs" and r["status"]==503' \
        "busy-forever: 503 to POST ScanJobs"
}
hpaio_case airscan-busy-forever airscan_busy_forever

# An empty feeder, eSCL (409 to POST ScanJobs, AdfState ScannerAdfEmpty).
airscan_empty_feeder() {
    hpaio_start_sim empty-escl --profile escl-adf-duplex --pages 0 --listen 127.0.0.1:8082 --log "$W/empty-escl.log"
    client empty-escl 7 airscan --source ADF --format=pnm --batch='p%d.pnm'
    err_has empty-escl 'sane_start: Document feeder out of documents'
    pages_are empty-escl 0
    hpaio_log_has "$W/empty-escl.log" 'r["method"]=="POST" and r["path"]=="/eSCL/ScanJobs" and r["status"]==409' \
        "empty feeder (eSCL): 409 to POST ScanJobs"
}
hpaio_case airscan-empty-feeder airscan_empty_feeder

# An empty feeder, LEDM (AdfState Empty): hpaio sees it in the status and posts no job.
hpaio_empty_feeder() {
    hpaio_start_sim empty-ledm --profile ledm-adf-duplex --pages 0 --listen 127.0.0.1:8080 --log "$W/empty-ledm.log"
    client empty-ledm 7 hpaio --source ADF --format=pnm --batch='p%d.pnm'
    err_has empty-ledm 'sane_start: Document feeder out of documents'
    pages_are empty-ledm 0
    [[ $(hpaio_log_count "$W/empty-ledm.log" 'r["method"]=="POST"') -eq 0 ]] ||
        hpaio_fail "empty feeder (LEDM): hpaio should not have posted a job"
    hpaio_pass "empty feeder (LEDM, hpaio): no job posted"
}
hpaio_case hpaio-empty-feeder hpaio_empty_feeder

# busy-forever (LEDM): ScannerState BusyWithScanJob -> "Device busy" before any POST.
hpaio_busy_forever() {
    hpaio_start_sim hp-busy --profile ledm-adf-duplex --fault busy-forever --listen 127.0.0.1:8080 --log "$W/hp-busy.log"
    client hp-busy 3 hpaio --format=pnm -o hp-busy.pnm
    err_has hp-busy 'sane_start: Device busy'
    pages_are hp-busy 0
    [[ $(hpaio_log_count "$W/hp-busy.log" 'r["method"]=="POST"') -eq 0 ]] ||
        hpaio_fail "busy-forever (LEDM): hpaio posted a job to a busy scanner"
    hpaio_log_has "$W/hp-busy.log" 'r["path"]=="/Scan/Status"' "busy-forever (LEDM): hpaio read the scanner's status"
}
hpaio_case hpaio-busy-forever hpaio_busy_forever

# adf-jam (LEDM): page 1 arrives, then the job is CanceledByDevice -> "Operation was canceled".
hpaio_adf_jam() {
    hpaio_start_sim hp-jam --profile ledm-adf-duplex --fault adf-jam --listen 127.0.0.1:8080 --log "$W/hp-jam.log"
    client hp-jam 2 hpaio --source ADF --mode Gray --resolution 75 --format=pnm --batch='p%d.pnm'
    err_has hp-jam 'sane_read: Operation was canceled'
    pages_are hp-jam 1
    hpaio_check_page "$W/hp-jam/p1.pnm" --resolution 75 --mode gray --page 1 --width-mm 215.9 --height-mm 355.6
    hpaio_log_has "$W/hp-jam.log" 'r["method"]=="PUT" and r["path"].startswith("/Jobs/JobList/") and "Canceled" in r.get("body","")' \
        "adf-jam (LEDM): hpaio cancelled the job with PUT"
    [[ $(hpaio_log_count "$W/hp-jam.log" 'r["path"].endswith("/Pages/2")') -eq 0 ]] ||
        hpaio_fail "adf-jam (LEDM): hpaio fetched page 2 of a jammed job"
}
hpaio_case hpaio-adf-jam hpaio_adf_jam

hpaio_finish
