#!/bin/bash
# Sharing through saned: a real saned (standalone, dropping to the unprivileged `saned` user, no
# HOME, no D-Bus) loads our backend through dll and exports two simulated devices listed in
# hpaio.conf; clients use the real `net` backend:
#   - `scanimage -L` on the client lists net:127.0.0.1:hpaio:/net/... for both, quickly;
#   - a colour flatbed page and an ADF batch of 3 through saned, images checked;
#   - three clients at once on two devices: each gets a correct image or "Device busy",
#     nothing hangs, nothing crashes;
#   - for comparison (not a failure): the same listing with Debian's HPLIP hpaio in saned.
# Needs root (private network namespace; saned -u). Loopback only.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

command -v saned >/dev/null || hpaio_fail "saned is not installed (scripts/setup.sh --peers)"
id saned >/dev/null 2>&1 || hpaio_fail "there is no 'saned' user (the sane-utils package creates it)"
[[ -e $HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1 ]] || hpaio_fail "build libsane-hpaio.so.1 first"

# The saned user must be able to read our library and the configuration.
lib_dir=$W/lib
mkdir -p "$lib_dir" && cp -L "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" "$HPAIO_BUILD_DIR/lib/libhpaio-network-sources.so" "$lib_dir/"
DEV_A='hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false'
DEV_B='hpaio:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.2&queue=false'
mkdir -p "$W/srv/dll.d" "$W/cli/dll.d" "$W/out"
echo hpaio >"$W/srv/dll.conf"
printf '127.0.0.1\n' >"$W/srv/saned.conf"
cat >"$W/srv/hpaio.conf" <<CONF
# the devices this server shares
device $DEV_A
device $DEV_B
discovery off
CONF
echo net >"$W/cli/dll.conf"
printf 'connect_timeout = 3\n127.0.0.1\n' >"$W/cli/net.conf"
chmod -R a+rX "$W"
chmod 777 "$W/out"

hpaio_start_sim dev-a --profile escl-adf-duplex --listen 127.0.0.1:8080 --pages 3 --dnl false --log "$W/dev-a.log"
hpaio_start_sim dev-b --profile ledm-adf-duplex --listen 127.0.0.2:8080 --pages 3 --log "$W/dev-b.log"

# start_saned NAME LIB_DIR : saned as the saned user, in the foreground, logging to $W/NAME.log
start_saned() {
    local name=$1 libs=$2
    (cd "$W/out" && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SANE_CONFIG_DIR="$W/srv" \
        ${libs:+LD_LIBRARY_PATH=$libs} SANE_DEBUG_HPAIO=3 DBUS_FATAL_WARNINGS=0 \
        saned -l -e -d 3 -b 127.0.0.1 -p 6566 -u saned) >"$W/$name.log" 2>&1 &
    HPAIO_PIDS[$name]=$!
    hpaio_wait_port 127.0.0.1 6566 10 || { cat "$W/$name.log" >&2; hpaio_fail "saned did not start"; }
}

client() { (cd "$W/out" && SANE_CONFIG_DIR=$W/cli hpaio_run_bounded 120 scanimage "$@"); }

start_saned saned "$lib_dir"

# 1. The listing a client sees.
start=$(date +%s%N)
list=$(client -L 2>&1) || { echo "$list" >&2; hpaio_fail "client scanimage -L failed"; }
ms=$((($(date +%s%N) - start) / 1000000))
echo "$list"
for dev in "$DEV_A" "$DEV_B"; do
    grep -qF "net:127.0.0.1:$dev" <<<"$list" || { cat "$W/saned.log" >&2; hpaio_fail "client -L does not list net:127.0.0.1:$dev"; }
done
((ms < 3000)) || hpaio_fail "client scanimage -L took ${ms} ms"
hpaio_pass "client lists both shared devices in ${ms} ms"
grep -q 'hpaio' "$W/saned.log" || hpaio_fail "saned's log does not show our backend"

# 2. A colour flatbed page through saned.
client -d "net:127.0.0.1:$DEV_A" --source Flatbed --mode Color --resolution 100 --format=pnm \
    >"$W/flatbed.pnm" 2>"$W/flatbed.err" || { tail -20 "$W/flatbed.err" "$W/saned.log" >&2; hpaio_fail "flatbed scan through saned failed"; }
hpaio_check_page "$W/flatbed.pnm" --resolution 100 --mode color --page 1 --width-mm 215.9 --height-mm 297.011

# 3. An ADF batch through saned.
mkdir -p "$W/adf" && chmod 777 "$W/adf"
(cd "$W/adf" && SANE_CONFIG_DIR=$W/cli hpaio_run_bounded 180 scanimage -d "net:127.0.0.1:$DEV_B" --source ADF --mode Gray \
    --resolution 100 --format=pnm --batch=p%d.pnm) >/dev/null 2>"$W/adf.err"
grep -q 'Document feeder out of documents' "$W/adf.err" || { tail -20 "$W/adf.err" >&2; hpaio_fail "ADF batch through saned did not end with 'Document feeder out of documents'"; }
[[ $(ls "$W/adf" | wc -l) -eq 3 ]] || hpaio_fail "ADF batch through saned: $(ls "$W/adf" | wc -l) pages, expected 3"
for i in 1 2 3; do
    hpaio_check_page "$W/adf/p$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
done

# 4. Three clients at once, two on the same device.
pids=()
for i in 1 2 3; do
    dev=$DEV_A
    ((i == 3)) && dev=$DEV_B
    (cd "$W/out" && SANE_CONFIG_DIR=$W/cli timeout --kill-after=5 120 scanimage -d "net:127.0.0.1:$dev" --source Flatbed \
        --mode Gray --resolution 150 --format=pnm >"$W/c$i.pnm" 2>"$W/c$i.err"; echo $? >"$W/c$i.rc") &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
good=0
for i in 1 2 3; do
    rc=$(cat "$W/c$i.rc")
    ((rc < 124)) || { tail "$W/c$i.err" >&2; hpaio_fail "client $i hung or crashed (exit $rc)"; }
    if [[ $rc -eq 0 ]]; then
        height=297.011
        ((i == 3)) && height=299.212  # the 9010-class platen is 3534/300 inch long
        hpaio_check_page "$W/c$i.pnm" --resolution 150 --mode gray --page 1 --width-mm 215.9 --height-mm "$height"
        good=$((good + 1))
    else
        grep -q 'Device busy' "$W/c$i.err" || { tail "$W/c$i.err" >&2; hpaio_fail "client $i failed, and not with 'Device busy'"; }
        hpaio_pass "client $i: Device busy (its device was scanning for another client)"
    fi
done
((good >= 2)) || hpaio_fail "only $good of 3 concurrent clients got an image (at least one per device expected)"
hpaio_stop saned

# 5. For comparison: Debian's HPLIP hpaio in the same saned shows nothing to clients.
if ls /usr/lib/*/sane/libsane-hpaio.so.1 >/dev/null 2>&1; then
    start_saned saned-hplip ""
    hplip_list=$(client -L 2>&1)
    hplip_count=$(grep -c 'net:127.0.0.1:hpaio' <<<"$hplip_list" || true)
    echo "comparison: with Debian's HPLIP hpaio in saned, the client lists $hplip_count hpaio device(s) (ours: 2)"
    hpaio_stop saned-hplip
fi

echo "PASS: saned shares our backend's network devices; clients list, scan flatbed and ADF, and share devices"
