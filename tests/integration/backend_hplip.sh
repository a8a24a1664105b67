#!/bin/bash
# The names our backend does not serve go to HPLIP's own backend, loaded from where the package
# moves it (hpaio.conf `hplip-library`), through real scanimage and dll:
#   - a USB name and a network name of an SCL model (with nothing of ours answering) reach Debian's
#     HPLIP library: the loader's trace shows that private copy initialised, and our debug log says
#     which backend served the name;
#   - a network name of a model HPLIP scans only with HP's plugin (scan-type 5, SOAPHT), with nothing
#     answering, is asked eSCL, LEDM and then WS-Scan (:3911/scanner, :53048/) before it goes there;
#   - with a stand-in HPLIP library (fake_hplip.c): `scanimage -L` lists its USB device beside ours,
#     and scanning that device returns its page byte for byte, through our backend's handle;
#   - a name our backend serves never loads HPLIP's library; `hplip off` and a missing library
#     leave the name unserved, with a message that says why.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage
deb_hplip=$(hpaio_debian_backend hpaio) || hpaio_fail "Debian's libsane-hpaio is not installed (scripts/setup.sh)"
fake=$HPAIO_BUILD_DIR/lib/libfake-hplip.so
[[ -e $fake ]] || hpaio_fail "build the fake-hplip target first"
hpaio_use_backend
export SANE_DEBUG_HPAIO=3 DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS
mkdir -p "$W/hplip" "$W/fake"
cp "$deb_hplip" "$W/hplip/libsane-hpaio.so.1"
cp "$fake" "$W/fake/libsane-hpaio.so.1"

# conf LINES... : hpaio.conf in our SANE_CONFIG_DIR
conf() { printf '%s\n' "$@" >"$W/conf/hpaio.conf"; }

# initialised FILE : some process traced since the case began initialised FILE
initialised() {
    # grep reads the files itself: "cat | grep -q" fails under pipefail when grep stops early
    grep -qh "calling init: $1\$" "$LD_DEBUG_OUTPUT".* 2>/dev/null
}

usb_case() {
    conf "hplip-library $W/hplip/libsane-hpaio.so.1" "discovery off"
    hpaio_scanimage 1 usb -d 'hpaio:/usb/Officejet_Pro_8600?serial=CN0000000' -A
    initialised "$W/hplip/libsane-hpaio.so.1" || hpaio_fail "HPLIP's library was not loaded for a USB name"
    grep -q "is served by HPLIP's backend" "$W/usb.err" || { tail -20 "$W/usb.err" >&2; hpaio_fail "no word of HPLIP serving the USB name"; }
    hpaio_pass "a USB name went to HPLIP's backend (its private copy was initialised; it found no such device)"
}

scl_case() {
    conf "hplip-library $W/hplip/libsane-hpaio.so.1" "discovery off" "connect-timeout 1"
    # officejet_d_series: scan-type 1 (SCL) in models.dat; nothing listens on 127.0.0.1.
    hpaio_scanimage 1 scl -d 'hpaio:/net/officejet_d_series?ip=127.0.0.1' -A
    grep -q "scan-type SCL" "$W/scl.err" || { tail -20 "$W/scl.err" >&2; hpaio_fail "the model was not read as SCL"; }
    initialised "$W/hplip/libsane-hpaio.so.1" || hpaio_fail "HPLIP's library was not loaded for an SCL model"
    grep -q "is served by HPLIP's backend" "$W/scl.err" || hpaio_fail "no word of HPLIP serving the SCL model"
    hpaio_pass "an SCL model that answers neither LEDM nor eSCL went to HPLIP's backend"
}

plugin_case() {
    conf "hplip-library $W/hplip/libsane-hpaio.so.1" "discovery off" "connect-timeout 1"
    # hp_laserjet_pro_mfp_m127fn: scan-type 5 (SOAPHT) in models.dat; nothing listens on 127.0.0.1.
    hpaio_scanimage 1 plugin -d 'hpaio:/net/hp_laserjet_pro_mfp_m127fn?ip=127.0.0.1' -A
    grep -q "scan-type SOAPHT" "$W/plugin.err" || { tail -20 "$W/plugin.err" >&2; hpaio_fail "the model was not read as SOAPHT"; }
    # Every step asked, and WS-Scan only after eSCL and LEDM (the order of preference).
    local step line preferred=0
    for step in 'eSCL on port 8080' 'LEDM on port 8080' 'WS-Scan on port 3911' 'WS-Scan on port 53048'; do
        line=$(grep -n "$step: " "$W/plugin.err" | head -n 1 | cut -d: -f1)
        [[ -n $line ]] || { tail -20 "$W/plugin.err" >&2; hpaio_fail "the probe did not ask $step"; }
        if [[ $step == WS-Scan* ]]; then
            ((line > preferred)) || hpaio_fail "$step was asked before eSCL or LEDM"
        elif ((line > preferred)); then
            preferred=$line
        fi
    done
    initialised "$W/hplip/libsane-hpaio.so.1" || hpaio_fail "HPLIP's library was not loaded for a plugin model"
    grep -q "is served by HPLIP's backend" "$W/plugin.err" || hpaio_fail "no word of HPLIP serving the plugin model"
    hpaio_pass "a plugin model that answers none of eSCL, LEDM and WS-Scan went to HPLIP's backend"
}

fake_case() {
    conf "hplip-library $W/fake/libsane-hpaio.so.1" "discovery off" \
        "device hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false"
    HPAIO_SCAN_OUT=$W/list.out hpaio_scanimage 0 list -L
    grep -q "hpaio:/usb/Fake_HPLIP_Model?serial=FAKE0001" "$W/list.out" ||
        { cat "$W/list.out" >&2; hpaio_fail "HPLIP's USB device is not in the listing"; }
    grep -q "hpaio:/net/HP_LaserJet_MFP_M28-M31" "$W/list.out" || hpaio_fail "our configured device is not in the listing"
    grep -q 'fake-hplip: get_devices local_only=1' "$W/list.err" || hpaio_fail "HPLIP's backend was not asked for local devices only"
    hpaio_scanimage 0 fake -d 'hpaio:/usb/Fake_HPLIP_Model?serial=FAKE0001' --format=pnm
    # A 16x8 gray page whose bytes are 0..127.
    head -c 40 "$W/fake.pnm" | grep -aq '^16 8$' || { head -c 40 "$W/fake.pnm" >&2; hpaio_fail "the page is not 16x8"; }
    [[ $(tail -c 128 "$W/fake.pnm" | od -An -v -tu1 | tr -s ' \n' ' ') == " $(seq -s ' ' 0 127) " ]] ||
        { tail -c 128 "$W/fake.pnm" | od -An -tu1 | head -3 >&2; hpaio_fail "the page is not the stand-in's"; }
    grep -q 'fake-hplip: start' "$W/fake.err" || hpaio_fail "the scan did not go through HPLIP's sane_start"
    grep -q 'fake-hplip: close' "$W/fake.err" || hpaio_fail "HPLIP's handle was not closed"
    hpaio_pass "HPLIP's USB device listed beside ours and scanned through our backend's handle"
}

ours_case() {
    conf "hplip-library $W/fake/libsane-hpaio.so.1" "discovery off"
    hpaio_start_sim ours --profile escl-flatbed --listen 127.0.0.1:8080 --log "$W/ours.log"
    hpaio_scanimage 0 ours -d 'hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false' -x 20 -y 20 --resolution 75
    grep -q 'fake-hplip' "$W/ours.err" && hpaio_fail "HPLIP's library was loaded for a name of ours"
    initialised "$W/fake/libsane-hpaio.so.1" && hpaio_fail "HPLIP's library was initialised for a name of ours"
    hpaio_check_ours
}

off_case() {
    conf "hplip off" "hplip-library $W/fake/libsane-hpaio.so.1" "discovery off"
    hpaio_scanimage 1 off -d 'hpaio:/usb/Fake_HPLIP_Model?serial=FAKE0001' -A
    grep -q "hplip off" "$W/off.err" || { tail -20 "$W/off.err" >&2; hpaio_fail "no word of why HPLIP was not asked"; }
    grep -q 'fake-hplip' "$W/off.err" && hpaio_fail "HPLIP's library was used although hplip is off"
    conf "hplip-library $W/nowhere/libsane-hpaio.so.1" "discovery off"
    hpaio_scanimage 1 missing -d 'hpaio:/usb/Fake_HPLIP_Model?serial=FAKE0001' -A
    grep -q "HPLIP's backend is not installed at $W/nowhere" "$W/missing.err" ||
        { tail -20 "$W/missing.err" >&2; hpaio_fail "no word of the missing HPLIP library"; }
    hpaio_pass "hplip off and a missing HPLIP library: the name is refused, and the log says why"
}

for c in usb scl plugin fake ours off; do
    hpaio_case "hplip-$c" "${c}_case"
done
hpaio_finish
