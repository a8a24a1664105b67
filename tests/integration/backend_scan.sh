#!/bin/bash
# Integration test of our backend, libsane-hpaio.so.1, loaded by SANE's dll through the real
# `scanimage` (LD_LIBRARY_PATH at build/lib, a private SANE_CONFIG_DIR naming only hpaio):
#   - every flatbed-capable hpaio-sim profile, in each mode, at two resolutions and with a
#     sub-area, the image checked by hpaio-pagecheck (size and pattern);
#   - `scanimage -T` (SANE's own conformance test) on each profile;
#   - Location shapes, an unknown model, a model of the other protocol, IPv6 and link-local;
#   - HP firmware behaviours: an LEDM device that also serves eSCL (an LEDM model is opened as
#     LEDM, an unknown one as eSCL), eSCL answering 404 on :80 (and on 8080 with eSCL on :80), the
#     M277dw's 400 for scan:InputSource, XML and pages framed by Content-Length or chunked, and
#     State Stopped ("Device busy", exit 3, at once);
#   - a dead address, a non-HP HTTP server and a model that speaks neither protocol each end
#     quickly with the right status and exit code.
# Every scanimage exit status is compared exactly, and the loader's trace (LD_DEBUG=files) must
# show this build's libsane-hpaio.so.1, not Debian's, in every case.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage
hpaio_use_backend
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"

export SANE_DEBUG_HPAIO=${SANE_DEBUG_HPAIO:-3}

# profile  model-token
profiles=(
    "ledm-adf-duplex HP_OfficeJet_Pro_9010_series"
    "ledm-flatbed HP_ENVY_Photo_6200_series"
    "escl-flatbed HP_LaserJet_MFP_M28-M31"
    "escl-adf-duplex HP_Color_LaserJet_Pro_M478f-9f"
    "escl-legacy HP_ScanJet_Pro_3500_f1"
    "escl-enterprise HP_Color_LaserJet_MFP_E77830"
)

# profile_case PROFILE MODEL : the whole platen in every mode at two resolutions, a sub-area, -T
profile_case() {
    local profile=$1 model=$2
    local dev="hpaio:/net/$model?ip=127.0.0.1&queue=false"
    hpaio_start_sim "$profile" --profile "$profile" --listen 127.0.0.1:8080 --log "$W/$profile.log"

    # The whole platen, as the options say it is.
    local opts
    HPAIO_SCAN_SECONDS=60 HPAIO_SCAN_OUT=$W/$profile-A.out hpaio_scanimage 0 "$profile-A" -d "$dev" -A
    opts=$(<"$W/$profile-A.out")
    local width height resolutions low mid
    width=$(sed -n 's/.*-x 0\.\.\([0-9.]*\)mm.*/\1/p' <<<"$opts" | head -n 1)
    height=$(sed -n 's/.*-y 0\.\.\([0-9.]*\)mm.*/\1/p' <<<"$opts" | head -n 1)
    [[ -n $width && -n $height ]] || { echo "$opts" >&2; hpaio_fail "$profile: no geometry in the options"; }
    resolutions=$(sed -n 's/.*--resolution \([0-9|]*\)dpi.*/\1/p' <<<"$opts" | head -n 1)
    [[ -n $resolutions ]] || { echo "$opts" >&2; hpaio_fail "$profile: no resolution list"; }
    low=$(tr '|' '\n' <<<"$resolutions" | head -n 1)
    mid=$(tr '|' '\n' <<<"$resolutions" | awk -v low="$low" '$1>=150 && $1>low {print; exit}')
    [[ -n $mid ]] || hpaio_fail "$profile: fewer than two resolutions to test"
    hpaio_check_ours
    hpaio_pass "$profile: platen ${width}x${height} mm, resolutions $resolutions (testing $low and $mid)"

    local mode m res
    for mode in Color Gray Lineart; do
        m=$(tr 'A-Z' 'a-z' <<<"$mode")
        for res in $low $mid; do
            hpaio_scanimage 0 "$profile-$m-$res" -d "$dev" --format=pnm --source Flatbed --mode "$mode" --resolution "$res"
            hpaio_check_ours
            hpaio_check_page "$W/$profile-$m-$res.pnm" --resolution "$res" --mode "$m" --page 1 --width-mm "$width" --height-mm "$height"
        done
    done
    hpaio_scanimage 0 "$profile-area" -d "$dev" --format=pnm --source Flatbed --mode Color --resolution "$mid" \
        -l 25 -t 40 -x 90 -y 70
    hpaio_check_page "$W/$profile-area.pnm" --resolution "$mid" --mode color --page 1 --tl-x 25 --tl-y 40 --width-mm 90 --height-mm 70

    # SANE's own conformance test of the backend.
    HPAIO_SCAN_SECONDS=300 HPAIO_SCAN_OUT=$W/$profile-T.out hpaio_scanimage 0 "$profile-T" -d "$dev" -T --source Flatbed \
        --resolution "$low"
    grep -q 'scanimage: scanning image' "$W/$profile-T.err" ||
        { tail -n 30 "$W/$profile-T.err" >&2; hpaio_fail "$profile: scanimage -T scanned nothing"; }
    hpaio_check_ours
    hpaio_pass "$profile: scanimage -T"
}

for entry in "${profiles[@]}"; do
    read -r profile model <<<"$entry"
    hpaio_case "$profile" profile_case "$profile" "$model"
done

# A scan that ended normally is not cancelled on the device afterwards.
normal_end_case() {
    hpaio_start_sim normal-end --profile escl-flatbed --listen 127.0.0.1:8080 --log "$W/normal-end.log"
    hpaio_scanimage 0 normal-end -d 'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false' --format=pnm \
        --resolution 200 -x 50 -y 50
    hpaio_check_ours
    [[ $(hpaio_log_count "$W/normal-end.log" 'r["method"] in ("DELETE", "PUT")') -eq 0 ]] ||
        hpaio_fail "a finished scan was cancelled on the device afterwards"
    hpaio_pass "no cancel request after a scan that ended normally"
}
hpaio_case normal-end normal_end_case

# Every Location shape HP firmware sends: only its path is used, on the device that was opened.
location_case() {
    local shape=$1
    hpaio_start_sim "loc-$shape" --profile escl-adf-duplex --location "$shape" --listen 127.0.0.1:8080 --log "$W/loc-$shape.log"
    hpaio_scanimage 0 "loc-$shape" -d 'hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false' --format=pnm \
        --resolution 75 -x 60 -y 60
    hpaio_check_ours
    hpaio_check_page "$W/loc-$shape.pnm" --resolution 75 --mode color --page 1 --width-mm 60 --height-mm 60
}
for shape in absolute absolute-port80 relative-slash relative bogus-host; do
    hpaio_case "location-$shape" location_case "$shape"
done

# device_case NAME PROFILE MODEL ADDRESS RESOLUTION [DEBUG-TEXT] : hpaio-sim's PROFILE on ADDRESS
# port 8080, opened as hpaio:/net/MODEL?ip=ADDRESS, scans a 40x40 mm colour page at RESOLUTION that
# hpaio-pagecheck accepts; with DEBUG-TEXT, the backend's debug output must have it. ADDRESS is
# 127.0.0.1, ::1 (IPv6 must be on), or link-local: the fe80:: address of hp0, one end of a veth pair
# made inside this private namespace (nothing leaves it), with its zone (%hp0, %25hp0 in the URI).
device_case() {
    local name=$1 profile=$2 model=$3 addr=$4 res=$5 text=${6:-}
    local listen=$addr:8080 ip=$addr
    case $addr in
    ::1)
        ip -6 addr show dev lo | grep -q '::1' ||
            hpaio_fail "this namespace has no ::1 (IPv6 disabled in the kernel?); the IPv6 scan cannot run"
        listen='[::1]:8080'
        ;;
    link-local)
        ip link add hp0 type veth peer name hp1 || hpaio_fail "cannot make a veth pair in the private namespace"
        sysctl -qw net.ipv6.conf.hp0.accept_dad=0 net.ipv6.conf.hp1.accept_dad=0
        ip link set hp0 up && ip link set hp1 up
        local ll=""
        for _ in $(seq 1 50); do
            ll=$(ip -6 addr show dev hp0 scope link | awk '/inet6/ {sub("/.*", "", $2); print $2; exit}')
            [[ -n $ll ]] && break
            sleep 0.1
        done
        [[ -n $ll ]] || hpaio_fail "hp0 got no link-local address"
        listen="[$ll%hp0]:8080" ip="$ll%25hp0"
        ;;
    esac
    hpaio_start_sim "$name" --profile "$profile" --listen "$listen" --log "$W/$name.log"
    hpaio_scanimage 0 "$name" -d "hpaio:/net/$model?ip=$ip&queue=false" --format=pnm --resolution "$res" -x 40 -y 40
    hpaio_check_ours
    [[ -z $text ]] || grep -q "$text" "$W/$name.err" || hpaio_fail "$name: the debug output does not say '$text'"
    hpaio_check_page "$W/$name.pnm" --resolution "$res" --mode color --page 1 --width-mm 40 --height-mm 40
}
# A model models.dat does not know: the device is asked (and the debug output says so).
hpaio_case unknown-model device_case unknown-model escl-flatbed HP_Brand_New_Scanner_X9000 127.0.0.1 200 'not in models.dat'
# An eSCL model in models.dat whose device speaks LEDM: opened as LEDM.
hpaio_case wrong-protocol device_case wrong-protocol ledm-flatbed HP_LaserJet_MFP_M28-M31 127.0.0.1 75 'as LEDM'
# IPv6: the device on ::1, named by an IPv6 literal.
hpaio_case ipv6 device_case ipv6 escl-flatbed HP_LaserJet_MFP_M28-M31 ::1 200
# IPv6 link-local with its zone (ip=fe80::...%25hp0).
hpaio_case link-local device_case link-local escl-flatbed HP_LaserJet_MFP_M28-M31 link-local 200

# HP firmware behaviours (hpaio-sim options), each a scan of a 40x40 mm colour page.
# firmware_case NAME MODEL DEBUG-TEXT SIM-ARGS... : hpaio-sim with SIM-ARGS (which name its
# listeners), opened as hpaio:/net/MODEL?ip=127.0.0.1 at 200 dpi (75 for LEDM models); the page must
# pass hpaio-pagecheck and the backend's debug output must say DEBUG-TEXT
firmware_case() {
    local name=$1 model=$2 text=$3
    shift 3
    local res=200
    [[ $model == HP_OfficeJet_Pro_9010_series || $model == HP_Brand_New_Scanner_X9000 ]] && res=75
    hpaio_start_sim "$name" "$@" --log "$W/$name.log"
    hpaio_scanimage 0 "$name" -d "hpaio:/net/$model?ip=127.0.0.1&queue=false" --format=pnm --resolution "$res" -x 40 -y 40
    hpaio_check_ours
    grep -q -- "$text" "$W/$name.err" || { grep hpaio "$W/$name.err" | tail -5 >&2; hpaio_fail "$name: the debug output does not say '$text'"; }
    hpaio_check_page "$W/$name.pnm" --resolution "$res" --mode color --page 1 --width-mm 40 --height-mm 40
}
# An LEDM device that also serves eSCL: an LEDM model in models.dat is opened as LEDM; a model
# models.dat does not know is opened as eSCL (the DiscoveryTree lists both, and eSCL comes first).
both_ledm_model() {
    firmware_case both-ledm-model HP_OfficeJet_Pro_9010_series 'as LEDM on port 8080' --profile ledm-adf-duplex \
        --both-protocols --listen 127.0.0.1:8080
    hpaio_log_none "$W/both-ledm-model.log" 'r["path"].startswith("/eSCL")' "eSCL request for an LEDM model"
}
hpaio_case both-protocols-ledm-model both_ledm_model
both_unknown_model() {
    firmware_case both-unknown-model HP_Brand_New_Scanner_X9000 'as eSCL on port 8080' --profile ledm-adf-duplex \
        --both-protocols --listen 127.0.0.1:8080
    hpaio_log_has "$W/both-unknown-model.log" 'r["path"]=="/DevMgmt/DiscoveryTree.xml" and r["status"]==200' "the DiscoveryTree asked"
    hpaio_log_none "$W/both-unknown-model.log" 'r["path"].startswith("/Scan/") or r["path"].startswith("/Jobs/")' \
        "LEDM request once eSCL was chosen"
}
hpaio_case both-protocols-unknown-model both_unknown_model
# eSCL on 8080 and 404 on :80: 80 is never asked. The reverse (eSCL on :80, 404 on 8080): the 404
# on 8080 moves the probe on to :80.
escl_404_on_80() {
    firmware_case escl-404-on-80 HP_LaserJet_MFP_M28-M31 'as eSCL on port 8080' --profile escl-flatbed \
        --listen 127.0.0.1:8080 --escl-404-on 127.0.0.1:80
    hpaio_log_none "$W/escl-404-on-80.log" 'r["status"]==404' "request to the 404 listener"
}
hpaio_case escl-404-on-80 escl_404_on_80
escl_404_on_8080() {
    firmware_case escl-404-on-8080 HP_LaserJet_MFP_M28-M31 'as eSCL on port 80' --profile escl-flatbed \
        --listen 127.0.0.1:80 --escl-404-on 127.0.0.1:8080
    hpaio_log_has "$W/escl-404-on-8080.log" 'r["path"]=="/eSCL/ScannerCapabilities" and r["status"]==404' "404 on 8080 first"
}
hpaio_case escl-404-on-8080 escl_404_on_8080
# The M277dw's 400 for scan:InputSource: our ScanSettings carry pwg:InputSource only.
strict_input_source() {
    firmware_case strict-input-source HP_LaserJet_MFP_M28-M31 'as eSCL on port 8080' --profile escl-flatbed \
        --listen 127.0.0.1:8080 --strict-input-source
    hpaio_log_has "$W/strict-input-source.log" 'r["method"]=="POST" and r["status"]==201 and "scan:InputSource" not in r["body"]' \
        "the job created (pwg:InputSource only)"
}
hpaio_case strict-input-source strict_input_source
# Framing chosen apart for XML and pages, on both protocols.
framing_case() {
    local xml img
    for xml in chunked length; do
        for img in chunked length; do
            firmware_case "framing-ledm-$xml-$img" HP_OfficeJet_Pro_9010_series 'as LEDM on port 8080' \
                --profile ledm-adf-duplex --listen 127.0.0.1:8080 --xml-framing "$xml" --image-framing "$img"
            hpaio_stop "framing-ledm-$xml-$img"
            firmware_case "framing-escl-$xml-$img" HP_LaserJet_MFP_M28-M31 'as eSCL on port 8080' \
                --profile escl-flatbed --listen 127.0.0.1:8080 --xml-framing "$xml" --image-framing "$img"
            hpaio_stop "framing-escl-$xml-$img"
        done
    done
}
hpaio_case framing framing_case
# State Stopped (POST ScanJobs 503): "Device busy" at once, not after the 503 retries.
stopped_case() {
    hpaio_start_sim stopped --profile escl-flatbed --listen 127.0.0.1:8080 --stopped --log "$W/stopped.log"
    local start=$SECONDS
    HPAIO_SCAN_SECONDS=60 hpaio_scanimage 3 stopped -d 'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false' \
        --format=pnm --resolution 200 -x 40 -y 40
    hpaio_check_ours
    grep -q 'sane_start: Device busy' "$W/stopped.err" || hpaio_fail "stopped: expected 'Device busy'"
    ((SECONDS - start <= 5)) || hpaio_fail "stopped: took $((SECONDS - start)) s"
    hpaio_pass "stopped: exit 3, 'Device busy' in $((SECONDS - start)) s after $(hpaio_log_count "$W/stopped.log" 'r["method"]=="POST"') POST"
}
hpaio_case stopped stopped_case

# expect_failure NAME STATUS-TEXT MAX-SECONDS DEVICE : scanimage exits 1 with that message, quickly
expect_failure() {
    local name=$1 text=$2 max=$3 dev=$4
    local start=$SECONDS took
    HPAIO_SCAN_SECONDS=60 hpaio_scanimage 1 "$name" -d "$dev" --format=pnm
    took=$((SECONDS - start))
    grep -q "$text" "$W/$name.err" || { cat "$W/$name.err" >&2; hpaio_fail "$name: expected '$text'"; }
    ((took <= max)) || hpaio_fail "$name: took ${took}s (limit ${max}s)"
    hpaio_check_ours
    hpaio_pass "$name: '$text' in ${took}s"
}

# Nothing listens on 127.0.0.2: refused at once on every port.
hpaio_case dead-address expect_failure dead-address "Error during device I/O" 10 \
    'hpaio:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.2&queue=false'

# A web server that is not an HP scanner; and a model models.dat gives another protocol (SOAPHT),
# at an address that speaks neither.
start_www() {
    mkdir -p "$W/www" && echo '<html>hello</html>' >"$W/www/index.html"
    (cd "$W/www" && exec python3 -m http.server 8080 --bind 127.0.0.1) >"$W/www.log" 2>&1 &
    HPAIO_PIDS[www]=$!
    hpaio_wait_port 127.0.0.1 8080 10 || hpaio_fail "python http.server did not start"
}
non_hp_case() {
    start_www
    expect_failure "$1" "Operation not supported" 10 "$2"
}
hpaio_case non-hp-server non_hp_case non-hp-server 'hpaio:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.1&queue=false'
hpaio_case soapht-model non_hp_case soapht-model 'hpaio:/net/HP_LaserJet_MFP_M426fdn?ip=127.0.0.1&queue=false'

hpaio_finish
