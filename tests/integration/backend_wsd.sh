#!/bin/bash
# Our backend scans hpaio-sim's WS-Scan (WSD) profiles through the real `scanimage`, by the names
# HPLIP gives models it scans only with HP's plugin (models.dat scan-type 5, SOAPHT): the probe asks
# eSCL and LEDM first (nothing answers), then WS-Scan at :3911/scanner. No HPLIP plugin anywhere.
# Every exit status is compared exactly, pages are checked by hpaio-pagecheck, and the loader's
# trace must show this build's libsane-hpaio.so.1.
#   m127fn-color        wsd-flatbed (dib only) as hp_laserjet_pro_mfp_m127fn: a Color page (24-bit BMP)
#   m127fn-gray-area    a Gray sub-area (8-bit gray BMP)
#   m127fn-warmup       calibrating for 2.5 s after the first request: the backend waits, the page comes
#   m127fn-53048        the service at :53048/ (the M140w and M478f-9f), nothing on 3911: the probe's last
#                       step finds it, and the page comes from POSTs to /
#   m477-lamp-warming   ScannerStateReason LampWarming for 2 s: the backend waits for it too
#   m127fn-options      what the device lists is what is offered: Flatbed only, no compression to choose
#   m127fn-cancel       SIGINT mid-page (slow-drip): exit 2 within 5 s, CancelJob sent, the next scan works;
#   m477-adf-cancel     the same in the middle of a feeder page
#   m477-adf            wsd-adf-duplex as hp_color_laserjet_mfp_m477fdw: an ADF batch of exactly 3
#                       pages (jfif), ending with "Document feeder out of documents" (exit 0)
#   m477-duplex         2 sheets, Duplex: exactly 4 images, fronts and backs
#   m477-empty          no sheet (CreateScanJob refused while the scanner is Idle): exit 7, "Document
#                       feeder out of documents"
#   m477-busy           --fault busy-forever: exit 3, "Device busy"
#   m477-jam            --fault adf-jam: one page, then exit 6, "Document feeder jammed"
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage python3
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
hpaio_use_backend

M127='hpaio:/net/hp_laserjet_pro_mfp_m127fn?ip=127.0.0.1&queue=false'
M477='hpaio:/net/hp_color_laserjet_mfp_m477fdw?ip=127.0.0.1&queue=false'

# scan WANT NAME DEVICE ARGS... : one page into $W/NAME.pnm, exit WANT, by our backend
scan() {
    local want=$1 name=$2 dev=$3
    shift 3
    HPAIO_SCAN_SECONDS=60 hpaio_scanimage "$want" "$name" -d "$dev" --format=pnm "$@"
    hpaio_check_ours
}

# batch NAME PAGES DEVICE ARGS... : scanimage --batch into $W/NAME/, exactly PAGES images, exit 0
# at the empty feeder
batch() {
    local name=$1 want=$2 dev=$3
    shift 3
    HPAIO_SCAN_IN_DIR=1 HPAIO_SCAN_SECONDS=120 hpaio_scanimage 0 "$name" -d "$dev" --format=pnm --batch='p%d.pnm' "$@"
    hpaio_check_ours
    grep -q 'sane_start: Document feeder out of documents' "$W/$name.err" ||
        { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: the batch did not end with 'Document feeder out of documents'"; }
    local n
    n=$(find "$W/$name" -name 'p*.pnm' | wc -l)
    [[ $n -eq $want && -e $W/$name/p$want.pnm ]] || { ls -l "$W/$name" >&2; hpaio_fail "$name: $n images, expected exactly $want"; }
}

m127fn_color() {
    hpaio_start_sim flat --profile wsd-flatbed --listen 127.0.0.1:3911 --log "$W/flat.log"
    SANE_DEBUG_HPAIO=3 scan 0 m127fn-color "$M127" --mode Color --resolution 300 -l 0 -t 0 -x 60 -y 60
    grep -q 'as WS-Scan on port 3911' "$W/m127fn-color.err" || hpaio_fail "m127fn-color: not opened as WS-Scan on 3911"
    hpaio_check_page "$W/m127fn-color.pnm" --resolution 300 --mode color --page 1 --width-mm 60 --height-mm 60
    hpaio_log_has "$W/flat.log" 'r["method"]=="POST" and "CreateScanJob" in r.get("body","") and ">dib<" in r["body"]' \
        "m127fn-color: the job asked for dib"
}
hpaio_case m127fn-color m127fn_color

m127fn_gray_area() {
    hpaio_start_sim flat --profile wsd-flatbed --listen 127.0.0.1:3911 --log "$W/flat-gray.log"
    scan 0 m127fn-gray-area "$M127" --mode Gray --resolution 200 -l 30 -t 40 -x 70 -y 50
    hpaio_check_page "$W/m127fn-gray-area.pnm" --resolution 200 --mode gray --page 1 --tl-x 30 --tl-y 40 \
        --width-mm 70 --height-mm 50
}
hpaio_case m127fn-gray-area m127fn_gray_area

# The scanner calibrates for 2.5 s after its first request (ScannerStateReason Calibrating,
# CreateScanJob refused): the backend waits for it, as long as the device says it is warming up.
m127fn_warmup() {
    hpaio_start_sim warm --profile wsd-flatbed --listen 127.0.0.1:3911 --warmup-ms 2500 --log "$W/warm.log"
    SANE_DEBUG_HPAIO=3 scan 0 m127fn-warmup "$M127" --mode Gray --resolution 100 -l 0 -t 0 -x 50 -y 50
    grep -q 'WS-Scan status: Processing (Calibrating)' "$W/m127fn-warmup.err" ||
        hpaio_fail "m127fn-warmup: the backend did not read the Calibrating the device reported"
    hpaio_check_page "$W/m127fn-warmup.pnm" --resolution 100 --mode gray --page 1 --width-mm 50 --height-mm 50
    hpaio_log_has "$W/warm.log" 'r["method"]=="POST" and "CreateScanJobRequest" in r.get("body","") and r["status"]==500' \
        "m127fn-warmup: CreateScanJob refused while calibrating"
}
hpaio_case m127fn-warmup m127fn_warmup

m127fn_53048() {
    hpaio_start_sim s53048 --profile wsd-flatbed --listen 127.0.0.1:53048 --wsd-path / --log "$W/s53048.log"
    SANE_DEBUG_HPAIO=3 scan 0 m127fn-53048 "$M127" --mode Color --resolution 150 -l 10 -t 10 -x 60 -y 40
    grep -q 'as WS-Scan on port 53048' "$W/m127fn-53048.err" || hpaio_fail "m127fn-53048: not opened as WS-Scan on 53048"
    hpaio_check_page "$W/m127fn-53048.pnm" --resolution 150 --mode color --page 1 --tl-x 10 --tl-y 10 --width-mm 60 \
        --height-mm 40
    hpaio_log_has "$W/s53048.log" 'r["path"]=="/" and "RetrieveImageRequest" in r.get("body","") and r["status"]==200' \
        "m127fn-53048: the page came from /"
}
hpaio_case m127fn-53048 m127fn_53048

m477_lamp_warming() {
    hpaio_start_sim lamp --profile wsd-adf-duplex --listen 127.0.0.1:3911 --warmup-ms 2000 --warmup-reason LampWarming \
        --log "$W/lamp.log"
    SANE_DEBUG_HPAIO=3 scan 0 m477-lamp-warming "$M477" --source Flatbed --mode Gray --resolution 100 -l 0 -t 0 -x 50 -y 50
    grep -q 'WS-Scan status: Processing (LampWarming)' "$W/m477-lamp-warming.err" ||
        hpaio_fail "m477-lamp-warming: the backend did not read the LampWarming the device reported"
    hpaio_check_page "$W/m477-lamp-warming.pnm" --resolution 100 --mode gray --page 1 --width-mm 50 --height-mm 50
    hpaio_log_has "$W/lamp.log" 'r["method"]=="POST" and "CreateScanJobRequest" in r.get("body","") and r["status"]==500' \
        "m477-lamp-warming: CreateScanJob refused while the lamp warmed"
}
hpaio_case m477-lamp-warming m477_lamp_warming

m127fn_options() {
    hpaio_start_sim flat --profile wsd-flatbed --listen 127.0.0.1:3911 --log "$W/flat-opts.log"
    HPAIO_SCAN_OUT=$W/m127fn-options.out scan 0 m127fn-options "$M127" -A
    grep -q -- '--compression None \[inactive\]' "$W/m127fn-options.out" ||
        hpaio_fail "m127fn-options: a dib-only device offers a compression: $(grep -A1 -- --compression "$W/m127fn-options.out")"
    grep -q -- '--source Flatbed \[Flatbed\]' "$W/m127fn-options.out" ||
        hpaio_fail "m127fn-options: sources: $(grep -- --source "$W/m127fn-options.out")"
    hpaio_pass "m127fn-options: Flatbed only, no compression to choose (dib only)"
}
hpaio_case m127fn-options m127fn_options

m477_adf() {
    hpaio_start_sim adf --profile wsd-adf-duplex --listen 127.0.0.1:3911 --pages 3 --log "$W/adf.log"
    batch m477-adf 3 "$M477" --source ADF --mode Color --resolution 150 -l 0 -t 0 -x 100 -y 100
    local i
    for i in 1 2 3; do
        hpaio_check_page "$W/m477-adf/p$i.pnm" --resolution 150 --mode color --page "$i" --width-mm 100 --height-mm 100
    done
}
hpaio_case m477-adf m477_adf

m477_duplex() {
    hpaio_start_sim dup --profile wsd-adf-duplex --listen 127.0.0.1:3911 --pages 2 --log "$W/dup.log"
    batch m477-duplex 4 "$M477" --source Duplex --mode Gray --resolution 100 -l 0 -t 0 -x 100 -y 100
    local i side
    for i in 1 2 3 4; do
        side=front
        ((i % 2 == 0)) && side=back
        hpaio_check_page "$W/m477-duplex/p$i.pnm" --resolution 100 --mode gray --page $(((i + 1) / 2)) --side "$side" \
            --width-mm 100 --height-mm 100
    done
}
hpaio_case m477-duplex m477_duplex

m477_fault() {
    local name=$1 want=$2 message=$3 pages=$4
    shift 4
    hpaio_start_sim "$name" --profile wsd-adf-duplex --listen 127.0.0.1:3911 "$@" --log "$W/$name.log"
    HPAIO_SCAN_IN_DIR=1 HPAIO_SCAN_SECONDS=120 hpaio_scanimage "$want" "$name" -d "$M477" --format=pnm --batch='p%d.pnm' \
        --source ADF --mode Gray --resolution 100 -l 0 -t 0 -x 50 -y 50
    hpaio_check_ours
    grep -q "sane_start: $message" "$W/$name.err" || { tail -5 "$W/$name.err" >&2; hpaio_fail "$name: not '$message'"; }
    local n
    n=$(find "$W/$name" -name 'p*.pnm' | wc -l)
    ((n == pages)) || hpaio_fail "$name: $n pages, expected $pages"
}
# SIGINT in the middle of a page that comes slowly (--fault slow-drip): scanimage ends promptly with
# SANE_STATUS_CANCELLED, the simulator is sent CancelJob for the job, and the next scan works.
# cancel_case NAME PROFILE DEVICE SOURCE
cancel_case() {
    local name=$1 profile=$2 dev=$3 source=$4
    hpaio_start_sim cancel --profile "$profile" --listen 127.0.0.1:3911 --fault slow-drip --pages 3 --log "$W/cancel.log"
    hpaio_sigint_mid_page "$name" -d "$dev" --source "$source" --mode Color --resolution 300 --format=pnm
    hpaio_check_ours
    hpaio_log_has "$W/cancel.log" 'r["method"]=="POST" and "CancelJobRequest" in r.get("body","")' "$name: CancelJob sent"
    hpaio_stop cancel
    hpaio_start_sim after --profile "$profile" --listen 127.0.0.1:3911 --log "$W/after-cancel.log"
    scan 0 "$name-after" "$dev" --mode Gray --resolution 100 -l 0 -t 0 -x 50 -y 50
    hpaio_check_page "$W/$name-after.pnm" --resolution 100 --mode gray --page 1 --width-mm 50 --height-mm 50
    hpaio_stop after
}
hpaio_case m127fn-cancel cancel_case m127fn-cancel wsd-flatbed "$M127" Flatbed
hpaio_case m477-adf-cancel cancel_case m477-adf-cancel wsd-adf-duplex "$M477" ADF

hpaio_case m477-empty m477_fault m477-empty 7 "Document feeder out of documents" 0 --pages 0
hpaio_case m477-busy m477_fault m477-busy 3 "Device busy" 0 --pages 3 --fault busy-forever
hpaio_case m477-jam m477_fault m477-jam 6 "Document feeder jammed" 1 --pages 3 --fault adf-jam

hpaio_finish
