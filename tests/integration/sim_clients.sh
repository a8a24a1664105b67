#!/bin/bash
# Integration test: two scanning clients we did not write scan from hpaio-sim through the real
# `scanimage`, and the images that come out have the requested size and the expected pattern.
#   1. Debian's HPLIP hpaio (libsane-hpaio), LEDM, from profile ledm-adf-duplex on 127.0.0.1:8080:
#      flatbed Color and Gray (full page, a sub-area, JPEG transfer), an ADF batch of 3 pages
#      that ends with "Document feeder out of documents", a duplex batch, and ADF JPEGs with DNL.
#   2. sane-airscan (static device, no discovery), eSCL, from escl-flatbed (flatbed page),
#      escl-adf-duplex (ADF batch, ADF duplex batch) and escl-enterprise (Host: localhost rule).
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

command -v scanimage >/dev/null || hpaio_fail "scanimage is not installed (scripts/setup.sh --peers)"
[[ -e /usr/lib/x86_64-linux-gnu/sane/libsane-hpaio.so.1 || -n $(find /usr/lib -name 'libsane-hpaio.so*' -print -quit 2>/dev/null) ]] ||
    hpaio_fail "libsane-hpaio is not installed (scripts/setup.sh --peers)"
[[ -n $(find /usr/lib -name 'libsane-airscan.so*' -print -quit 2>/dev/null) ]] ||
    hpaio_fail "sane-airscan is not installed (scripts/setup.sh --peers)"
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"

export DBUS_FATAL_WARNINGS=0  # hpaio sends D-Bus events; there is no system bus in here
unset DBUS_SYSTEM_BUS_ADDRESS


# scan NAME DEVICE ARGS... : one scanimage run with a deadline; output in $W/NAME.*
scan() {
    local name=$1 dev=$2
    shift 2
    hpaio_run_bounded 120 scanimage -d "$dev" --format=pnm "$@" >"$W/$name.pnm" 2>"$W/$name.err"
    local rc=$?
    [[ $rc -eq 0 ]] || { cat "$W/$name.err" >&2; hpaio_fail "scanimage $name exited with $rc"; }
}


############################################################################################
# 1. Debian's hpaio (HPLIP 3.22) -> ledm-adf-duplex on 127.0.0.1:8080 (hpaio hard-codes 8080)
hpaio_sane_config "$W/conf-hpaio" hpaio
export SANE_CONFIG_DIR=$W/conf-hpaio
HPDEV='hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false'
hpaio_start_sim ledm --profile ledm-adf-duplex --listen 127.0.0.1:8080 --pages 3 --log "$W/ledm.log"

# Full page, Color, Raw transfer (hpaio's default compression is None).
scan hp-color "$HPDEV" --source Flatbed --mode Color --resolution 100
hpaio_check_page "$W/hp-color.pnm" --resolution 100 --mode color --page 1 --width-mm 215.9 --height-mm 299.212

# A sub-area in Gray: offsets must land on the same spot of the sheet.
scan hp-gray-area "$HPDEV" --source Flatbed --mode Gray --resolution 150 -l 20 -t 30 -x 100 -y 120
hpaio_check_page "$W/hp-gray-area.pnm" --resolution 150 --mode gray --page 1 --tl-x 20 --tl-y 30 --width-mm 100 --height-mm 120

# Gray through the JPEG path.
scan hp-gray-jpeg "$HPDEV" --source Flatbed --mode Gray --resolution 75 --compression JPEG
hpaio_check_page "$W/hp-gray-jpeg.pnm" --resolution 75 --mode gray --page 1 --width-mm 215.9 --height-mm 299.212

hpaio_log_has "$W/ledm.log" 'r["method"]=="GET" and r["stray_lines"]>=1 and r["path"]=="/Scan/ScanCaps"' \
    "hpaio's GETs carry the stray '0' header line"
hpaio_log_has "$W/ledm.log" 'r["target"].startswith("http://") and r["path"].startswith("/Jobs/JobList/")' \
    "hpaio polls the job with an absolute-form target"
hpaio_log_has "$W/ledm.log" 'r["method"]=="POST" and "<Format>Jpeg</Format>" in r.get("body","") and r["body"].endswith("\r\n0\r\n\r\n")' \
    "hpaio's JPEG POST body ends with the \\r\\n0\\r\\n\\r\\n trailer"
hpaio_log_has "$W/ledm.log" 'r["method"]=="PUT" and "Canceled" in r.get("body","") and r["status"]==200' \
    "hpaio cancels with PUT JobState=Canceled after a flatbed page"

# ADF batch: 3 sheets, then "Document feeder out of documents".
(cd "$W" && hpaio_run_bounded 180 scanimage -d "$HPDEV" --source ADF --mode Gray --resolution 75 \
    --format=pnm --batch=hp-adf%d.pnm) >"$W/hp-adf.out" 2>"$W/hp-adf.err"
rc=$?
grep -q 'Document feeder out of documents' "$W/hp-adf.err" ||
    { cat "$W/hp-adf.err" >&2; hpaio_fail "hpaio ADF batch did not end with 'Document feeder out of documents' (rc=$rc)"; }
[[ -e $W/hp-adf3.pnm && ! -e $W/hp-adf4.pnm ]] || { ls "$W" >&2; hpaio_fail "hpaio ADF batch: expected exactly 3 pages"; }
for i in 1 2 3; do
    hpaio_check_page "$W/hp-adf$i.pnm" --resolution 75 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
done
hpaio_log_has "$W/ledm.log" 'r["method"]=="POST" and "<InputSource>Adf</InputSource>" in r.get("body","")' \
    "hpaio posted an ADF job"
hpaio_stop ledm

# Duplex batch: 2 sheets -> 4 images, front/back alternating (Letter height fits the duplexer).
hpaio_start_sim ledm-duplex --profile ledm-adf-duplex --listen 127.0.0.1:8080 --pages 2 --log "$W/ledm-duplex.log"
(cd "$W" && hpaio_run_bounded 180 scanimage -d "$HPDEV" --source Duplex --mode Gray --resolution 100 -y 279.4 \
    --format=pnm --batch=hp-dup%d.pnm) >"$W/hp-dup.out" 2>"$W/hp-dup.err"
grep -q 'Document feeder out of documents' "$W/hp-dup.err" ||
    { cat "$W/hp-dup.err" >&2; hpaio_fail "hpaio duplex batch did not end with 'Document feeder out of documents'"; }
[[ -e $W/hp-dup4.pnm && ! -e $W/hp-dup5.pnm ]] || { ls "$W" >&2; hpaio_fail "hpaio duplex batch: expected exactly 4 images"; }
for i in 1 2 3 4; do
    side=front
    ((i % 2 == 0)) && side=back
    hpaio_check_page "$W/hp-dup$i.pnm" --resolution 100 --mode gray --page $(((i + 1) / 2)) --side "$side" --width-mm 215.9 --height-mm 279.4
done
hpaio_log_has "$W/ledm-duplex.log" 'r["method"]=="POST" and "<AdfOption>Duplex</AdfOption>" in r.get("body","")' \
    "hpaio posted a duplex job"
hpaio_stop ledm-duplex

# ADF JPEGs in HP's 0xFFFF-height + DNL form: HPLIP's own JPEG decoder understands DNL, so this
# checks that the simulator's DNL pages are well-formed.
hpaio_start_sim ledm-dnl --profile ledm-adf-duplex --dnl true --listen 127.0.0.1:8080 --pages 2 --log "$W/ledm-dnl.log"
(cd "$W" && hpaio_run_bounded 180 scanimage -d "$HPDEV" --source ADF --mode Color --compression JPEG --resolution 100 \
    --format=pnm --batch=hp-dnl%d.pnm) >"$W/hp-dnl.out" 2>"$W/hp-dnl.err"
[[ -e $W/hp-dnl2.pnm && ! -e $W/hp-dnl3.pnm ]] || { cat "$W/hp-dnl.err" >&2; hpaio_fail "hpaio DNL batch: expected exactly 2 pages"; }
for i in 1 2; do
    hpaio_check_page "$W/hp-dnl$i.pnm" --resolution 100 --mode color --page "$i" --width-mm 215.9 --height-mm 355.6
done
hpaio_stop ledm-dnl

# The flatbed-only LEDM profile (an ENVY Photo 6200 section in models.dat).
hpaio_start_sim ledm-flatbed --profile ledm-flatbed --listen 127.0.0.1:8080 --log "$W/ledm-flatbed.log"
scan hp-envy 'hpaio:/net/envy_photo_6200_series?ip=127.0.0.1&queue=false' --mode Color --resolution 75 --compression JPEG
hpaio_check_page "$W/hp-envy.pnm" --resolution 75 --mode color --page 1 --width-mm 215.9 --height-mm 297.011
hpaio_log_has "$W/ledm-flatbed.log" 'r["path"]=="/Scan/ScanCaps" and r["status"]==200' "hpaio read the ENVY profile's ScanCaps"
hpaio_stop ledm-flatbed

############################################################################################
# 2. sane-airscan -> escl-flatbed (127.0.0.1:8081), escl-adf-duplex (8082, 8083), escl-enterprise (8084)
mkdir -p "$W/conf-airscan"
hpaio_sane_config "$W/conf-airscan" airscan
cat >"$W/conf-airscan/airscan.conf" <<CONF
[devices]
# device names are airscan:e<index in this list>:<name>
"Sim Flatbed" = http://127.0.0.1:8081/eSCL, eSCL
"Sim Feeder" = http://127.0.0.1:8082/eSCL, eSCL
"Sim Duplexer" = http://127.0.0.1:8083/eSCL, eSCL
"Sim Enterprise" = http://127.0.0.1:8084/eSCL, eSCL

[options]
discovery = disable
ws-discovery = off

[debug]
enable = false
CONF
export SANE_CONFIG_DIR=$W/conf-airscan

hpaio_start_sim escl-flatbed --profile escl-flatbed --listen 127.0.0.1:8081 --log "$W/escl-flatbed.log"
scan as-color "airscan:e0:Sim Flatbed" --source Flatbed --mode Color --resolution 200
hpaio_check_page "$W/as-color.pnm" --resolution 200 --mode color --page 1 --width-mm 215.9 --height-mm 297.011
scan as-gray-area "airscan:e0:Sim Flatbed" --source Flatbed --mode Gray --resolution 300 -l 50 -t 60 -x 80 -y 90
hpaio_check_page "$W/as-gray-area.pnm" --resolution 300 --mode gray --page 1 --tl-x 50 --tl-y 60 --width-mm 80 --height-mm 90
hpaio_log_has "$W/escl-flatbed.log" 'r["path"].endswith("/NextDocument") and r["status"]==503' \
    "escl-flatbed answered 503 before the page and airscan retried"
hpaio_log_has "$W/escl-flatbed.log" 'r["path"].endswith("/NextDocument") and r["status"]==404' \
    "escl-flatbed answered 404 after the platen page"
hpaio_stop escl-flatbed

# ADF simplex batch of 3 sheets. sane-airscan's libjpeg-turbo rejects HP's 0xFFFF-height DNL
# JPEGs ("Maximum supported image dimension is 65500 pixels"), so DNL is off for this client.
hpaio_start_sim escl-adf --profile escl-adf-duplex --dnl false --listen 127.0.0.1:8082 --pages 3 --log "$W/escl-adf.log"
(cd "$W" && hpaio_run_bounded 180 scanimage -d "airscan:e1:Sim Feeder" --source ADF --mode Color --resolution 100 \
    --format=pnm --batch=as-adf%d.pnm) >"$W/as-adf.out" 2>"$W/as-adf.err"
grep -q 'Document feeder out of documents' "$W/as-adf.err" ||
    { cat "$W/as-adf.err" >&2; hpaio_fail "airscan ADF batch did not end with 'Document feeder out of documents'"; }
[[ -e $W/as-adf3.pnm && ! -e $W/as-adf4.pnm ]] || { ls "$W" >&2; hpaio_fail "airscan ADF batch: expected exactly 3 pages"; }
for i in 1 2 3; do
    hpaio_check_page "$W/as-adf$i.pnm" --resolution 100 --mode color --page "$i" --width-mm 215.9 --height-mm 355.6
done
hpaio_log_has "$W/escl-adf.log" 'r["method"]=="POST" and "<pwg:InputSource>Feeder</pwg:InputSource>" in r.get("body","") and r["location"].endswith("/")' \
    "airscan posted a Feeder job and got a relative Location with a trailing slash"
hpaio_stop escl-adf

# ADF duplex batch: 3 sheets -> 6 images, fronts and backs alternating.
hpaio_start_sim escl-duplex --profile escl-adf-duplex --dnl false --listen 127.0.0.1:8083 --pages 3 --log "$W/escl-duplex.log"
(cd "$W" && hpaio_run_bounded 180 scanimage -d "airscan:e2:Sim Duplexer" --source "ADF Duplex" --mode Gray \
    --resolution 150 --format=pnm --batch=as-dup%d.pnm) >"$W/as-dup.out" 2>"$W/as-dup.err"
grep -q 'Document feeder out of documents' "$W/as-dup.err" ||
    { cat "$W/as-dup.err" >&2; hpaio_fail "airscan duplex batch did not end with 'Document feeder out of documents'"; }
[[ -e $W/as-dup6.pnm && ! -e $W/as-dup7.pnm ]] || { ls "$W" >&2; hpaio_fail "airscan duplex batch: expected exactly 6 images"; }
for i in 1 2 3 4 5 6; do
    side=front
    ((i % 2 == 0)) && side=back
    hpaio_check_page "$W/as-dup$i.pnm" --resolution 150 --mode gray --page $(((i + 1) / 2)) --side "$side" --width-mm 215.9 --height-mm 297.011
done
hpaio_stop escl-duplex

# Enterprise (Server: HP_Compact_Server): jobs only with Host: localhost, which sane-airscan sends
# on POST for such devices; Location names localhost:80, which the client must not follow.
hpaio_start_sim escl-ent --profile escl-enterprise --listen 127.0.0.1:8084 --log "$W/escl-ent.log"
scan as-ent "airscan:e3:Sim Enterprise" --source Flatbed --mode Gray --resolution 150
hpaio_check_page "$W/as-ent.pnm" --resolution 150 --mode gray --page 1 --width-mm 215.9 --height-mm 297.011
hpaio_log_has "$W/escl-ent.log" 'r["method"]=="POST" and r["status"]==201 and ["Host","localhost"] in r["headers"]' \
    "airscan sent Host: localhost to the HP_Compact_Server profile and got its job"
hpaio_stop escl-ent

echo "PASS: hpaio (LEDM) and sane-airscan (eSCL) scanned from hpaio-sim; all pages match"
