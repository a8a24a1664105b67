#!/bin/bash
# Integration test of our backend, libsane-hpaio.so.1, loaded by SANE's dll through the real
# `scanimage` (LD_LIBRARY_PATH at build/lib, a private SANE_CONFIG_DIR naming only hpaio):
#   - every flatbed-capable hpaio-sim profile, in each mode, at two resolutions and with a
#     sub-area, the image checked by hpaio-pagecheck (size and pattern);
#   - `scanimage -T` (SANE's own conformance test) on each profile;
#   - Location shapes, an unknown model, a model of the other protocol, IPv6 and link-local;
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

# scan NAME DEVICE ARGS... : one scanimage run with a deadline that must exit 0; output in $W/NAME.pnm
scan() {
    local name=$1 dev=$2
    shift 2
    hpaio_run_bounded 120 scanimage -d "$dev" --format=pnm "$@" >"$W/$name.pnm" 2>"$W/$name.err"
    local rc=$?
    ((rc == 0)) || tail -n 30 "$W/$name.err" >&2
    hpaio_expect_rc "scanimage $name ($dev $*)" "$rc" 0
}

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
    opts=$(hpaio_run_bounded 60 scanimage -d "$dev" -A 2>&1)
    local rc=$?
    ((rc == 0)) || echo "$opts" >&2
    hpaio_expect_rc "$profile: scanimage -A" "$rc" 0
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
            scan "$profile-$m-$res" "$dev" --source Flatbed --mode "$mode" --resolution "$res"
            hpaio_check_ours
            hpaio_check_page "$W/$profile-$m-$res.pnm" --resolution "$res" --mode "$m" --page 1 --width-mm "$width" --height-mm "$height"
        done
    done
    scan "$profile-area" "$dev" --source Flatbed --mode Color --resolution "$mid" -l 25 -t 40 -x 90 -y 70
    hpaio_check_page "$W/$profile-area.pnm" --resolution "$mid" --mode color --page 1 --tl-x 25 --tl-y 40 --width-mm 90 --height-mm 70

    # SANE's own conformance test of the backend.
    hpaio_run_bounded 300 scanimage -d "$dev" -T --source Flatbed --resolution "$low" >"$W/$profile-T.out" 2>&1
    rc=$?
    ((rc == 0)) || tail -n 30 "$W/$profile-T.out" >&2
    hpaio_expect_rc "$profile: scanimage -T" "$rc" 0
    grep -q 'scanimage: scanning image' "$W/$profile-T.out" ||
        { tail -n 30 "$W/$profile-T.out" >&2; hpaio_fail "$profile: scanimage -T scanned nothing"; }
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
    scan normal-end 'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false' --resolution 200 -x 50 -y 50
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
    scan "loc-$shape" 'hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false' --resolution 75 -x 60 -y 60
    hpaio_check_ours
    hpaio_check_page "$W/loc-$shape.pnm" --resolution 75 --mode color --page 1 --width-mm 60 --height-mm 60
}
for shape in absolute absolute-port80 relative-slash relative bogus-host; do
    hpaio_case "location-$shape" location_case "$shape"
done

# A model models.dat does not know, and one it gives the other protocol: the device is asked.
unknown_model_case() {
    hpaio_start_sim unknown-model --profile escl-flatbed --listen 127.0.0.1:8080 --log "$W/unknown-model.log"
    scan unknown-model 'hpaio:/net/HP_Brand_New_Scanner_X9000?ip=127.0.0.1&queue=false' --resolution 200 -x 40 -y 40
    hpaio_check_ours
    grep -q 'not in models.dat' "$W/unknown-model.err" || hpaio_fail "unknown model: no debug line saying so"
    hpaio_check_page "$W/unknown-model.pnm" --resolution 200 --mode color --page 1 --width-mm 40 --height-mm 40
}
hpaio_case unknown-model unknown_model_case
wrong_protocol_case() {
    hpaio_start_sim wrong-protocol --profile ledm-flatbed --listen 127.0.0.1:8080 --log "$W/wrong-protocol.log"
    scan wrong-protocol 'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false' --resolution 75 -x 40 -y 40
    hpaio_check_ours
    grep -q 'as LEDM' "$W/wrong-protocol.err" || hpaio_fail "an eSCL model that speaks LEDM was not opened as LEDM"
    hpaio_check_page "$W/wrong-protocol.pnm" --resolution 75 --mode color --page 1 --width-mm 40 --height-mm 40
}
hpaio_case wrong-protocol wrong_protocol_case

# IPv6: the device on ::1, named by an IPv6 literal.
ipv6_case() {
    ip -6 addr show dev lo | grep -q '::1' ||
        hpaio_fail "this namespace has no ::1 (IPv6 disabled in the kernel?); the IPv6 scan cannot run"
    hpaio_start_sim ipv6 --profile escl-flatbed --listen '[::1]:8080' --log "$W/ipv6.log"
    scan ipv6 'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=::1&queue=false' --resolution 200 -x 40 -y 40
    hpaio_check_ours
    hpaio_check_page "$W/ipv6.pnm" --resolution 200 --mode color --page 1 --width-mm 40 --height-mm 40
}
hpaio_case ipv6 ipv6_case

# IPv6 link-local with its zone (ip=fe80::...%25hp0): a veth pair inside this private namespace
# gives the address; nothing leaves the namespace.
link_local_case() {
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
    hpaio_start_sim link-local --profile escl-flatbed --listen "[$ll%hp0]:8080" --log "$W/link-local.log"
    scan link-local "hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=$ll%25hp0&queue=false" --resolution 200 -x 40 -y 40
    hpaio_check_ours
    hpaio_check_page "$W/link-local.pnm" --resolution 200 --mode color --page 1 --width-mm 40 --height-mm 40
}
hpaio_case link-local link_local_case

# expect_failure NAME STATUS-TEXT MAX-SECONDS DEVICE : scanimage exits 1 with that message, quickly
expect_failure() {
    local name=$1 text=$2 max=$3 dev=$4
    local start=$SECONDS
    hpaio_run_bounded 60 scanimage -d "$dev" --format=pnm >"$W/$name.pnm" 2>"$W/$name.err"
    local rc=$? took=$((SECONDS - start))
    ((rc == 1)) || cat "$W/$name.err" >&2
    hpaio_expect_rc "$name: scanimage" "$rc" 1
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
