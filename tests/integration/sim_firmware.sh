#!/bin/bash
# How two clients we did not write, Debian's HPLIP hpaio (LEDM) and sane-airscan (eSCL), cope
# with hpaio-sim's HP firmware behaviours, through the real `scanimage`. Every scanimage exit
# status is compared exactly, pages are checked by hpaio-pagecheck, and the loader's trace must
# show that Debian's libsane-hpaio / libsane-airscan served (never our build's libsane-hpaio).
#   LEDM and eSCL on one device (ledm-adf-duplex --both-protocols):
#     hpaio-both-protocols    HPLIP scans a flatbed page over LEDM (exit 0) and asks nothing of eSCL
#     airscan-both-protocols  sane-airscan scans 2 feeder pages over eSCL from the same kind of
#                             device (exit 0, ends at the empty feeder) and asks nothing of LEDM
#   eSCL answering 404 on port 80 (escl-flatbed on 8087, --escl-404-on 127.0.0.1:80):
#     airscan-escl-404-on-80  sane-airscan pointed at :80 cannot open the device (exit 1, "Error
#                             during device I/O"); pointed at 8087 it scans (exit 0)
#   Jobs forgotten at once when they end (--job-expiry-ms 1):
#     airscan-job-expiry      platen: the NextDocument after the page and the DELETE answer 410, the
#                             scan still ends well (exit 0); feeder: 2 pages, then 410 where 404
#                             was, and the batch ends at the empty feeder (exit 0)
#     hpaio-job-expiry        HPLIP's PUT JobState=Canceled after a flatbed page answers 404: exit 0
#                             all the same; an ADF batch of 2 pages ends at the empty feeder (exit 0)
#   airscan-stopped           State Stopped, POST ScanJobs 503: sane-airscan retries the POST
#                             (10 more) and gives up with "Device busy" (exit 3)
#   airscan-strict-input-source  the M277dw's 400 for scan:InputSource: sane-airscan sends only
#                             pwg:InputSource, so its job is created (exit 0)
#   Back sides rotated 180 degrees (--rotate-back), one duplex sheet:
#     airscan-rotated-back    exit 0, the front upright and the back still turned (sane-airscan does
#     hpaio-rotated-back      not turn back sides; nor does HPLIP, exit 0)
#   Framing of XML and pages chosen apart (--xml-framing, --image-framing):
#     airscan-framing         every combination scans (exit 0)
#     hpaio-framing           HPLIP with pages framed by Content-Length overflows its chunk-size
#                             buffer ("stack smashing detected", SIGABRT, exit 134); with XML framed
#                             so (one line, no CRLF at its end) sane_open times out (exit 1, ~12 s);
#                             both as hplip-hpaio.md 4.3 records
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage python3
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
hpaio_use_debian_backends hpaio airscan

hpaio_sane_config "$W/conf-hpaio" hpaio
HPDEV='hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false'
# airscan:e0:Sim Port80, airscan:e1:Sim Firmware
hpaio_airscan_conf "$W/conf-airscan" '"Sim Port80" = http://127.0.0.1:80/eSCL, eSCL' \
    '"Sim Firmware" = http://127.0.0.1:8087/eSCL, eSCL'
ASDEV="airscan:e1:Sim Firmware"

# served_by NAME DEVICE : the loader's trace shows Debian's hpaio or sane-airscan (by DEVICE) ran
served_by() {
    if [[ $2 == hpaio:* ]]; then
        hpaio_check_backend hpaio "$DEB_HPAIO" "$1: Debian's hpaio"
    else
        hpaio_check_backend airscan "$DEB_AIRSCAN" "$1: sane-airscan"
    fi
}

# scan WANT-RC NAME DEVICE ARGS... : one page into $W/NAME.pnm (stderr $W/NAME.err), exit WANT-RC
scan() {
    local want=$1 name=$2 dev=$3
    shift 3
    hpaio_scanimage "$want" "$name" -d "$dev" --format=pnm "$@"
    served_by "$name" "$dev"
    hpaio_pass "$name: exit $want"
}

# batch NAME PAGES DEVICE ARGS... : scanimage --batch into $W/NAME/; it must end at the empty
# feeder with exit 0 after exactly PAGES images
batch() {
    local name=$1 want=$2 dev=$3
    shift 3
    HPAIO_SCAN_IN_DIR=1 HPAIO_SCAN_SECONDS=120 hpaio_scanimage 0 "$name" -d "$dev" --format=pnm --batch='p%d.pnm' "$@"
    served_by "$name" "$dev"
    grep -q 'sane_start: Document feeder out of documents' "$W/$name.err" ||
        { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: the batch did not end with 'Document feeder out of documents'"; }
    local n
    n=$(find "$W/$name" -name 'p*.pnm' | wc -l)
    [[ $n -eq $want ]] || { ls -l "$W/$name" >&2; hpaio_fail "$name: $n images, expected exactly $want"; }
    hpaio_pass "$name: exit 0, $want images, then the empty feeder"
}

############################################################################################
# LEDM and eSCL on one device.
hpaio_both_protocols() {
    hpaio_start_sim both --profile ledm-adf-duplex --both-protocols --listen 127.0.0.1:8080 --log "$W/both-hp.log"
    SANE_CONFIG_DIR=$W/conf-hpaio scan 0 hp-both "$HPDEV" --source Flatbed --mode Color --resolution 100 -x 60 -y 40
    hpaio_check_page "$W/hp-both.pnm" --resolution 100 --mode color --page 1 --width-mm 60 --height-mm 40
    hpaio_log_has "$W/both-hp.log" 'r["method"]=="POST" and r["path"]=="/Scan/Jobs" and r["status"]==201' "HPLIP's LEDM job"
    hpaio_log_none "$W/both-hp.log" 'r["path"].startswith("/eSCL")' "eSCL request from HPLIP"
}
hpaio_case hpaio-both-protocols hpaio_both_protocols

airscan_both_protocols() {
    hpaio_start_sim both --profile ledm-adf-duplex --both-protocols --listen 127.0.0.1:8087 --pages 2 \
        --log "$W/both-as.log"
    SANE_CONFIG_DIR=$W/conf-airscan batch as-both 2 "$ASDEV" --source ADF --mode Gray --resolution 100
    local i
    for i in 1 2; do
        hpaio_check_page "$W/as-both/p$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
    done
    hpaio_log_has "$W/both-as.log" 'r["method"]=="POST" and r["path"]=="/eSCL/ScanJobs" and r["status"]==201' \
        "sane-airscan's eSCL feeder job on the LEDM device"
    hpaio_log_none "$W/both-as.log" 'r["path"].startswith("/Scan/") or r["path"].startswith("/Jobs/")' \
        "LEDM request from sane-airscan"
}
hpaio_case airscan-both-protocols airscan_both_protocols

############################################################################################
# eSCL on 8087, 404 on :80.
airscan_escl_404() {
    hpaio_start_sim p80 --profile escl-flatbed --listen 127.0.0.1:8087 --escl-404-on 127.0.0.1:80 --log "$W/p80.log"
    SANE_CONFIG_DIR=$W/conf-airscan scan 1 as-p80 "airscan:e0:Sim Port80" --resolution 200 -x 50 -y 50
    grep -q 'open of device airscan:e0:Sim Port80 failed: Error during device I/O' "$W/as-p80.err" ||
        { tail -5 "$W/as-p80.err" >&2; hpaio_fail "as-p80: not the open failure expected"; }
    hpaio_log_has "$W/p80.log" 'r["path"]=="/eSCL/ScannerCapabilities" and r["status"]==404' "404 on :80"
    SANE_CONFIG_DIR=$W/conf-airscan scan 0 as-p8087 "$ASDEV" --resolution 200 -x 50 -y 50
    hpaio_check_page "$W/as-p8087.pnm" --resolution 200 --mode color --page 1 --width-mm 50 --height-mm 50
}
hpaio_case airscan-escl-404-on-80 airscan_escl_404

############################################################################################
# Jobs forgotten as soon as they end.
airscan_job_expiry() {
    hpaio_start_sim exp --profile escl-adf-duplex --dnl false --job-expiry-ms 1 --listen 127.0.0.1:8087 --pages 2 \
        --log "$W/exp-as.log"
    SANE_CONFIG_DIR=$W/conf-airscan scan 0 as-exp "$ASDEV" --source Flatbed --resolution 100 -x 50 -y 50
    hpaio_check_page "$W/as-exp.pnm" --resolution 100 --mode color --page 1 --width-mm 50 --height-mm 50
    hpaio_log_has "$W/exp-as.log" 'r["path"].endswith("/NextDocument") and r["status"]==410' "NextDocument 410 after the platen page"
    hpaio_log_has "$W/exp-as.log" 'r["method"]=="DELETE" and r["status"]==410' "DELETE 410"
    SANE_CONFIG_DIR=$W/conf-airscan batch as-exp-adf 2 "$ASDEV" --source ADF --mode Gray --resolution 100 -x 60 -y 60
    [[ $(hpaio_log_count "$W/exp-as.log" 'r["path"].endswith("/NextDocument") and r["status"]==410') -eq 2 ]] ||
        hpaio_fail "the feeder batch did not end on NextDocument 410"
}
hpaio_case airscan-job-expiry airscan_job_expiry

hpaio_job_expiry() {
    hpaio_start_sim exp --profile ledm-adf-duplex --job-expiry-ms 1 --listen 127.0.0.1:8080 --pages 2 --log "$W/exp-hp.log"
    SANE_CONFIG_DIR=$W/conf-hpaio scan 0 hp-exp "$HPDEV" --source Flatbed --mode Gray --resolution 100 -x 50 -y 50
    hpaio_check_page "$W/hp-exp.pnm" --resolution 100 --mode gray --page 1 --width-mm 50 --height-mm 50
    hpaio_log_has "$W/exp-hp.log" 'r["method"]=="PUT" and r["status"]==404' "HPLIP's PUT cancel answered 404"
    SANE_CONFIG_DIR=$W/conf-hpaio batch hp-exp-adf 2 "$HPDEV" --source ADF --mode Gray --resolution 100 -x 60 -y 60
}
hpaio_case hpaio-job-expiry hpaio_job_expiry

############################################################################################
airscan_stopped() {
    hpaio_start_sim stopped --profile escl-flatbed --stopped --listen 127.0.0.1:8087 --log "$W/stopped.log"
    SANE_CONFIG_DIR=$W/conf-airscan scan 3 as-stopped "$ASDEV" --resolution 200 -x 50 -y 50
    grep -q 'sane_start: Device busy' "$W/as-stopped.err" || hpaio_fail "as-stopped: no 'Device busy'"
    hpaio_log_has "$W/stopped.log" 'r["method"]=="POST" and r["status"]==503' "POST ScanJobs 503 while Stopped"
    hpaio_pass "sane-airscan posted $(hpaio_log_count "$W/stopped.log" 'r["method"]=="POST"') times"
}
hpaio_case airscan-stopped airscan_stopped

airscan_strict_input_source() {
    hpaio_start_sim strict --profile escl-adf-duplex --strict-input-source --listen 127.0.0.1:8087 --log "$W/strict.log"
    SANE_CONFIG_DIR=$W/conf-airscan scan 0 as-strict "$ASDEV" --resolution 100 -x 50 -y 50
    hpaio_check_page "$W/as-strict.pnm" --resolution 100 --mode color --page 1 --width-mm 50 --height-mm 50
    hpaio_log_has "$W/strict.log" 'r["method"]=="POST" and r["status"]==201 and "<pwg:InputSource>" in r["body"] and "scan:InputSource" not in r["body"]' \
        "sane-airscan's job (pwg:InputSource only) created"
}
hpaio_case airscan-strict-input-source airscan_strict_input_source

############################################################################################
# One duplex sheet whose back side the device turns 180 degrees.
rotated_back() {
    local name=$1 profile=$2 port=$3 dev=$4 conf=$5 source=$6
    hpaio_start_sim "$name" --profile "$profile" --dnl false --rotate-back --listen "127.0.0.1:$port" --pages 1 \
        --log "$W/$name.log"
    SANE_CONFIG_DIR=$conf batch "$name" 2 "$dev" --source "$source" --mode Gray --resolution 100 -y 279.4
    hpaio_check_page "$W/$name/p1.pnm" --resolution 100 --mode gray --page 1 --width-mm 215.9 --height-mm 279.4
    hpaio_check_page "$W/$name/p2.pnm" --resolution 100 --mode gray --page 1 --side back --rotated \
        --width-mm 215.9 --height-mm 279.4
}
hpaio_case airscan-rotated-back rotated_back as-rot escl-adf-duplex 8087 "$ASDEV" "$W/conf-airscan" "ADF Duplex"
hpaio_case hpaio-rotated-back rotated_back hp-rot ledm-adf-duplex 8080 "$HPDEV" "$W/conf-hpaio" Duplex

############################################################################################
# Framing chosen for XML and pages apart.
airscan_framing() {
    local xml img
    for xml in chunked length; do
        for img in chunked length; do
            hpaio_start_sim frame --profile escl-flatbed --xml-framing "$xml" --image-framing "$img" \
                --listen 127.0.0.1:8087 --log "$W/frame-$xml-$img.log"
            SANE_CONFIG_DIR=$W/conf-airscan scan 0 "as-frame-$xml-$img" "$ASDEV" --resolution 200 -x 50 -y 50
            hpaio_check_page "$W/as-frame-$xml-$img.pnm" --resolution 200 --mode color --page 1 --width-mm 50 --height-mm 50
            hpaio_stop frame
        done
    done
}
hpaio_case airscan-framing airscan_framing

hpaio_framing() {
    hpaio_start_sim frame --profile ledm-adf-duplex --image-framing length --listen 127.0.0.1:8080 --log "$W/frame-img.log"
    SANE_CONFIG_DIR=$W/conf-hpaio scan 134 hp-frame-img "$HPDEV" --resolution 100 -x 50 -y 50
    grep -q 'stack smashing detected' "$W/hp-frame-img.err" || hpaio_fail "hp-frame-img: not the overflow expected"
    hpaio_stop frame
    hpaio_start_sim frame --profile ledm-adf-duplex --xml-framing length --listen 127.0.0.1:8080 --log "$W/frame-xml.log"
    local start=$SECONDS
    SANE_CONFIG_DIR=$W/conf-hpaio scan 1 hp-frame-xml "$HPDEV" --resolution 100 -x 50 -y 50
    grep -q 'open of device .* failed: Error during device I/O' "$W/hp-frame-xml.err" ||
        hpaio_fail "hp-frame-xml: not the open failure expected"
    hpaio_pass "hp-frame-xml: sane_open failed after $((SECONDS - start)) s"
}
hpaio_case hpaio-framing hpaio_framing

hpaio_finish
