#!/bin/bash
# Our backend against the HP firmware quirks that sim_quirks.sh shows to sane-airscan and HPLIP,
# through the real `scanimage` (LD_LIBRARY_PATH at build/lib, a private SANE_CONFIG_DIR naming only
# hpaio). Every exit status is compared exactly, pages are checked by hpaio-pagecheck, and the
# loader's trace must show this build's libsane-hpaio.so.1.
#   busy-storm          10 answers 503 to NextDocument before the page: retried, the page scans
#   warmup              State Testing and 503 to POST ScanJobs for 3 s after power-on: the backend
#                       waits it out and scans (exit 0)
#   down                State Down: "Error during device I/O" (exit 9) at once, no job created
#   status-lag          State Processing (and 503 to POST) for 3 s after a job: a second scan at once
#                       waits it out and scans (exit 0)
#   cancel-lag          a feeder batch stopped after 1 of 3 sheets: the job is cancelled (DELETE
#                       200); the next scan, at once, meets 503 while the device is cancelling,
#                       retries and scans its page (exit 0)
#   optional-parts      no Content-Location on pages, no TransferRetryCount in JobInfo: a feeder
#                       batch of 2 pages ends at the empty feeder (exit 0)
#   prepare-polls       LEDM: 6 polls answered PreparingScan before ReadyToUpload: scans (exit 0)
#   escl-raw            eSCL raw pages (--escl-raw, --compression None) in Color, Gray and Lineart
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage python3
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
hpaio_use_backend

M28='hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false'
M479='hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false'
OJ9010='hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false'
INCH=(-l 0 -t 0 -x 25.4 -y 25.4)

# scan WANT NAME DEVICE ARGS... : one page into $W/NAME.pnm, exit WANT, by our backend
scan() {
    local want=$1 name=$2 dev=$3
    shift 3
    hpaio_scanimage "$want" "$name" -d "$dev" --format=pnm "$@"
    hpaio_check_ours
}

busy_storm() {
    hpaio_start_sim storm --profile escl-flatbed --busy 10 --listen 127.0.0.1:8080 --log "$W/storm.log"
    scan 0 storm "$M28" --resolution 300 --mode Color "${INCH[@]}"
    hpaio_check_page "$W/storm.pnm" --resolution 300 --mode color --page 1 --width-mm 25.4 --height-mm 25.4
    local n
    n=$(hpaio_log_count "$W/storm.log" 'r["path"].endswith("/NextDocument") and r["status"]==503')
    ((n == 10)) || hpaio_fail "busy-storm: $n answers 503 to NextDocument, expected 10"
    hpaio_pass "busy-storm: 10 answers 503 before the page, all retried"
}
hpaio_case busy-storm busy_storm

warmup() {
    hpaio_start_sim warm --profile escl-flatbed --busy 0 --warmup-ms 3000 --listen 127.0.0.1:8080 --log "$W/warm.log"
    scan 0 warm "$M28" --resolution 300 --mode Gray "${INCH[@]}"
    hpaio_check_page "$W/warm.pnm" --resolution 300 --mode gray --page 1 --width-mm 25.4 --height-mm 25.4
    hpaio_log_has "$W/warm.log" 'r["method"]=="POST" and r["status"]==503' "warmup: a POST met 503 during the warm-up"
    hpaio_log_has "$W/warm.log" 'r["method"]=="POST" and r["status"]==201' "warmup: the job was created after it"
}
hpaio_case warmup warmup

down() {
    hpaio_start_sim down --profile escl-flatbed --down --listen 127.0.0.1:8080 --log "$W/down.log"
    local start=$SECONDS
    HPAIO_SCAN_SECONDS=60 scan 9 down "$M28" --resolution 300 "${INCH[@]}"
    grep -q 'sane_start: Error during device I/O' "$W/down.err" || hpaio_fail "down: expected 'Error during device I/O'"
    ((SECONDS - start <= 5)) || hpaio_fail "down: took $((SECONDS - start)) s"
    hpaio_log_none "$W/down.log" 'r["method"]=="POST" and r["status"]==201' "down: no job was created"
}
hpaio_case down down

status_lag() {
    hpaio_start_sim slag --profile escl-flatbed --busy 0 --status-lag-ms 3000 --listen 127.0.0.1:8080 --log "$W/slag.log"
    local i
    for i in 1 2; do
        scan 0 "slag$i" "$M28" --resolution 300 --mode Gray "${INCH[@]}"
        hpaio_check_page "$W/slag$i.pnm" --resolution 300 --mode gray --page 1 --width-mm 25.4 --height-mm 25.4
    done
    local created
    created=$(hpaio_log_count "$W/slag.log" 'r["method"]=="POST" and r["status"]==201')
    ((created == 2)) || hpaio_fail "status-lag: $created jobs created, expected 2"
    hpaio_log_has "$W/slag.log" 'r["method"]=="POST" and r["status"]==503' \
        "status-lag: the second job's POST met 503 while the device still said Processing"
}
hpaio_case status-lag status_lag

cancel_lag() {
    hpaio_start_sim lag --profile escl-adf-duplex --dnl false --cancel-lag-ms 3000 --status-lag-ms 0 --busy 0 --pages 3 \
        --listen 127.0.0.1:8080 --log "$W/lag.log"
    local i
    for i in 1 2; do
        HPAIO_SCAN_IN_DIR=1 scan 0 "lag$i" "$M479" --batch='p%d.pnm' --batch-count 1 --source ADF --mode Gray \
            --resolution 150 "${INCH[@]}"
        hpaio_check_page "$W/lag$i/p1.pnm" --resolution 150 --mode gray --page 1 --width-mm 25.4 --height-mm 25.4
    done
    hpaio_log_has "$W/lag.log" 'r["method"]=="DELETE" and r["status"]==200' "cancel-lag: the first job was cancelled (200)"
    hpaio_log_has "$W/lag.log" 'r["method"]=="POST" and r["status"]==503' \
        "cancel-lag: the second job's POST met 503 while the device was cancelling"
    local created
    created=$(hpaio_log_count "$W/lag.log" 'r["method"]=="POST" and r["status"]==201')
    ((created == 2)) || hpaio_fail "cancel-lag: $created jobs created, expected 2"
}
hpaio_case cancel-lag cancel_lag

optional_parts() {
    hpaio_start_sim opt --profile escl-adf-duplex --content-location false --transfer-retry-count false --pages 2 \
        --listen 127.0.0.1:8080 --log "$W/opt.log"
    HPAIO_SCAN_IN_DIR=1 scan 0 opt "$M479" --batch='p%d.pnm' --source ADF --mode Color --resolution 150 "${INCH[@]}"
    grep -q 'sane_start: Document feeder out of documents' "$W/opt.err" || hpaio_fail "optional-parts: not ended at the empty feeder"
    local i
    for i in 1 2; do
        hpaio_check_page "$W/opt/p$i.pnm" --resolution 150 --mode color --page "$i" --width-mm 25.4 --height-mm 25.4
    done
    [[ ! -e $W/opt/p3.pnm ]] || hpaio_fail "optional-parts: a third page"
    hpaio_log_none "$W/opt.log" '"content_location" in r' "optional-parts: no page carried Content-Location"
}
hpaio_case optional-parts optional_parts

prepare_polls() {
    hpaio_start_sim polls --profile ledm-adf-duplex --prepare-polls 6 --listen 127.0.0.1:8080 --log "$W/polls.log"
    scan 0 polls "$OJ9010" --source Flatbed --mode Color --resolution 75 "${INCH[@]}"
    hpaio_check_page "$W/polls.pnm" --resolution 75 --mode color --page 1 --width-mm 25.4 --height-mm 25.4
    local polls
    polls=$(hpaio_log_count "$W/polls.log" 'r["method"]=="GET" and r["path"].startswith("/Jobs/JobList/") and "/ScanJob/" not in r["path"]')
    ((polls >= 7)) || hpaio_fail "prepare-polls: $polls job polls, expected at least 7"
    hpaio_pass "prepare-polls: $polls job polls"
}
hpaio_case prepare-polls prepare_polls

escl_raw() {
    hpaio_start_sim raw --profile escl-flatbed --escl-raw --busy 0 --listen 127.0.0.1:8080 --log "$W/raw.log"
    local mode m
    for mode in Color Gray Lineart; do
        m=$(tr 'A-Z' 'a-z' <<<"$mode")
        scan 0 "raw-$m" "$M28" --compression None --mode "$mode" --resolution 300 "${INCH[@]}"
        hpaio_check_page "$W/raw-$m.pnm" --resolution 300 --mode "$m" --page 1 --width-mm 25.4 --height-mm 25.4
    done
    local n
    n=$(hpaio_log_count "$W/raw.log" 'r["method"]=="POST" and r["status"]==201 and "application/octet-stream" in r.get("body","")')
    ((n == 3)) || hpaio_fail "escl-raw: $n raw jobs, expected 3"
}
hpaio_case escl-raw escl_raw

hpaio_finish
