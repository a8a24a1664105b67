#!/bin/bash
# Sharing through saned: a real saned (standalone, dropping to the unprivileged `saned` user, no
# HOME, no D-Bus) loads our backend through dll and exports two simulated devices listed in
# hpaio.conf; clients use the real `net` backend:
#   - `scanimage -L` on the client lists net:127.0.0.1:hpaio:/net/... for both, quickly;
#   - a colour flatbed page and an ADF batch of 3 through saned, images checked;
#   - three clients at once on two devices: each gets a correct image (exit 0) or "Device busy"
#     (exit 3), every device serves at least one of them, nothing hangs, nothing crashes;
#   - a client killed with SIGKILL in the middle of a page: the job is cancelled on the device,
#     saned goes on serving, and the next scan of that device works;
#   - for comparison: the same listing with Debian's HPLIP hpaio in saned (counted, not judged).
# dll's debug log in saned names the backend file it loads: every connection that used a device
# must have loaded our copy of libsane-hpaio.so.1 and no other.
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
DEV_C='hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.3&queue=false'
mkdir -p "$W/srv/dll.d" "$W/cli/dll.d" "$W/out"
echo hpaio >"$W/srv/dll.conf"
printf '127.0.0.1\n' >"$W/srv/saned.conf"
cat >"$W/srv/hpaio.conf" <<CONF
# the devices this server shares
device $DEV_A
device $DEV_B
device $DEV_C
discovery off
CONF
echo net >"$W/cli/dll.conf"
printf 'connect_timeout = 3\n127.0.0.1\n' >"$W/cli/net.conf"
chmod -R a+rX "$W"
chmod 777 "$W/out"

hpaio_start_sim dev-a --profile escl-adf-duplex --listen 127.0.0.1:8080 --pages 3 --dnl false --log "$W/dev-a.log"
hpaio_start_sim dev-b --profile ledm-adf-duplex --listen 127.0.0.2:8080 --pages 3 --log "$W/dev-b.log"
# A device whose page trickles in, for the client that is killed mid-page.
hpaio_start_sim dev-c --profile escl-flatbed --listen 127.0.0.3:8080 --fault slow-drip --log "$W/dev-c.log"

# start_saned NAME LIB_DIR : saned as the saned user, in the foreground, logging to $W/NAME.log,
# with dll's debug log on: dll names each backend file it dlopen()s before the backend runs, so
# the log says which libsane-hpaio served every connection. (saned closes inherited descriptors,
# so the loader's own trace, LD_DEBUG, cannot follow its connections.)
start_saned() {
    local name=$1 libs=$2
    (cd "$W/out" && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SANE_CONFIG_DIR="$W/srv" \
        ${libs:+LD_LIBRARY_PATH=$libs} SANE_DEBUG_HPAIO=3 SANE_DEBUG_DLL=3 DBUS_FATAL_WARNINGS=0 \
        saned -l -e -d 3 -b 127.0.0.1 -p 6566 -u saned) >"$W/$name.log" 2>&1 &
    HPAIO_PIDS[$name]=$!
    hpaio_wait_port 127.0.0.1 6566 10 || { cat "$W/$name.log" >&2; hpaio_fail "saned did not start"; }
}

# served_by_ours WHAT : since the last call, saned's dll loaded our copy of libsane-hpaio.so.1 again,
# and it never loaded any other libsane-hpaio (the count so far is kept in $W/.served, as cases
# run in subshells)
served_by_ours() {
    local n others before
    before=$(cat "$W/.served" 2>/dev/null || echo 0)
    n=$(grep -c "dlopen()ing \`$lib_dir/libsane-hpaio.so.1'" "$W/saned.log")
    others=$(grep "dlopen()ing .*libsane-hpaio" "$W/saned.log" | grep -v "\`$lib_dir/libsane-hpaio.so.1'" || true)
    [[ -z $others ]] || hpaio_fail "$1: saned loaded another backend: $others"
    ! grep -q 'dlopen() failed' "$W/saned.log" || hpaio_fail "$1: dll failed to load a backend: $(grep 'dlopen() failed' "$W/saned.log")"
    ((n > before)) || hpaio_fail "$1: saned did not load our libsane-hpaio.so.1 for it ($n loads in all)"
    echo "$n" >"$W/.served"
}

client() { (cd "$W/out" && SANE_CONFIG_DIR=$W/cli hpaio_run_bounded 120 scanimage "$@"); }

start_saned saned "$lib_dir"

# 1. The listing a client sees.
list_case() {
    local start list ms rc dev
    start=$(date +%s%N)
    list=$(client -L 2>&1)
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    ((rc == 0)) || echo "$list" >&2
    hpaio_expect_rc "client scanimage -L" "$rc" 0
    echo "$list"
    for dev in "$DEV_A" "$DEV_B" "$DEV_C"; do
        grep -qF "net:127.0.0.1:$dev" <<<"$list" || { cat "$W/saned.log" >&2; hpaio_fail "client -L does not list net:127.0.0.1:$dev"; }
    done
    ((ms < 3000)) || hpaio_fail "client scanimage -L took ${ms} ms"
    served_by_ours "the listing"
    hpaio_pass "client lists the three shared devices in ${ms} ms"
}
hpaio_case list list_case

# 2. A colour flatbed page through saned.
flatbed_case() {
    client -d "net:127.0.0.1:$DEV_A" --source Flatbed --mode Color --resolution 100 --format=pnm \
        >"$W/flatbed.pnm" 2>"$W/flatbed.err"
    local rc=$?
    ((rc == 0)) || tail -20 "$W/flatbed.err" "$W/saned.log" >&2
    hpaio_expect_rc "flatbed scan through saned" "$rc" 0
    served_by_ours "the flatbed scan"
    hpaio_check_page "$W/flatbed.pnm" --resolution 100 --mode color --page 1 --width-mm 215.9 --height-mm 297.011
}
hpaio_case flatbed flatbed_case

# 3. An ADF batch through saned: three pages, then the empty feeder (exit 0).
adf_case() {
    mkdir -p "$W/adf" && chmod 777 "$W/adf"
    SANE_CONFIG_DIR=$W/cli HPAIO_SCAN_IN_DIR=1 HPAIO_SCAN_SECONDS=180 hpaio_scanimage 0 adf -d "net:127.0.0.1:$DEV_B" \
        --source ADF --mode Gray --resolution 100 --format=pnm --batch=p%d.pnm
    local i
    grep -q 'Document feeder out of documents' "$W/adf.err" || { tail -20 "$W/adf.err" >&2; hpaio_fail "ADF batch through saned did not end with 'Document feeder out of documents'"; }
    [[ $(find "$W/adf" -name 'p*.pnm' | wc -l) -eq 3 ]] || hpaio_fail "ADF batch through saned: $(ls "$W/adf" | wc -l) pages, expected 3"
    served_by_ours "the ADF batch"
    for i in 1 2 3; do
        hpaio_check_page "$W/adf/p$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
    done
}
hpaio_case adf adf_case

# 4. Three clients at once, two on the same device: each one gets its image (exit 0) or
# "Device busy" (exit 3), and each device serves at least one of them.
concurrent_case() {
    local pids=() i dev p rc
    for i in 1 2 3; do
        dev=$DEV_A
        ((i == 3)) && dev=$DEV_B
        (cd "$W/out" && SANE_CONFIG_DIR=$W/cli timeout --kill-after=5 120 scanimage -d "net:127.0.0.1:$dev" --source Flatbed \
            --mode Gray --resolution 150 --format=pnm >"$W/c$i.pnm" 2>"$W/c$i.err"; echo $? >"$W/c$i.rc") &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    local images_a=0 images_b=0 height
    for i in 1 2 3; do
        rc=$(cat "$W/c$i.rc")
        if ((rc == 0)); then
            height=297.011
            ((i == 3)) && height=299.212 # the 9010-class platen is 3534/300 inch long
            hpaio_check_page "$W/c$i.pnm" --resolution 150 --mode gray --page 1 --width-mm 215.9 --height-mm "$height"
            if ((i == 3)); then images_b=$((images_b + 1)); else images_a=$((images_a + 1)); fi
        else
            ((rc == 3)) || tail "$W/c$i.err" >&2
            hpaio_expect_rc "client $i" "$rc" 3
            grep -q 'Device busy' "$W/c$i.err" || { tail "$W/c$i.err" >&2; hpaio_fail "client $i exited 3 without 'Device busy'"; }
            hpaio_pass "client $i: Device busy (its device was scanning for another client)"
        fi
    done
    ((images_a >= 1)) || hpaio_fail "device A gave no image to either of its two clients"
    ((images_b == 1)) || hpaio_fail "device B's only client got no image"
    served_by_ours "the concurrent clients"
    hpaio_pass "concurrent clients: $images_a image(s) from device A, $images_b from device B"
}
hpaio_case concurrent concurrent_case

# 5. A client killed with SIGKILL in the middle of a page: saned cancels the job on the device
# and goes on serving; the next scan of the same device works.
killed_client_case() {
    local before
    before=$(hpaio_log_count "$W/dev-c.log" 'r["method"]=="DELETE"')
    (cd "$W/out" && SANE_CONFIG_DIR=$W/cli exec scanimage -d "net:127.0.0.1:$DEV_C" --mode Color --resolution 300 \
        --format=pnm >"$W/killed.pnm" 2>"$W/killed.err") &
    local victim=$!
    # The page has started when the device has been asked for it and has sent some of it.
    local n=0
    for _ in $(seq 1 100); do
        n=$(hpaio_log_count "$W/dev-c.log" 'r["method"]=="GET" and r["path"].endswith("/NextDocument")')
        ((n > 0)) && break
        sleep 0.1
    done
    ((n > 0)) || { kill -9 "$victim"; hpaio_fail "the client's page never started"; }
    sleep 1
    kill -0 "$victim" 2>/dev/null || hpaio_fail "the client ended before it could be killed mid-page"
    kill -9 "$victim"
    wait "$victim"
    hpaio_expect_rc "the killed client" $? 137
    # saned notices the dead client and cancels the job: a DELETE of the job within 20 s.
    local after=$before killed_at
    killed_at=$(hpaio_now_ms)
    for _ in $(seq 1 200); do
        after=$(hpaio_log_count "$W/dev-c.log" 'r["method"]=="DELETE" and r["path"].startswith("/eSCL/ScanJobs/")')
        ((after > before)) && break
        sleep 0.1
    done
    ((after > before)) || { tail -30 "$W/saned.log" >&2; hpaio_fail "the killed client's job was not cancelled on the device within 20 s"; }
    hpaio_pass "the killed client's job was cancelled on the device $(($(hpaio_now_ms) - killed_at)) ms after the kill"
    kill -0 "${HPAIO_PIDS[saned]}" 2>/dev/null || hpaio_fail "saned died with its client"
    # saned still serves: a listing and a scan of the same device (a small area: it still trickles).
    local list rc
    list=$(client -L 2>&1)
    rc=$?
    hpaio_expect_rc "scanimage -L after the killed client" "$rc" 0
    grep -qF "net:127.0.0.1:$DEV_C" <<<"$list" || { echo "$list" >&2; hpaio_fail "saned no longer lists the device"; }
    client -d "net:127.0.0.1:$DEV_C" --mode Gray --resolution 200 -x 40 -y 30 --format=pnm >"$W/after-kill.pnm" 2>"$W/after-kill.err"
    rc=$?
    ((rc == 0)) || tail -20 "$W/after-kill.err" "$W/saned.log" >&2
    hpaio_expect_rc "the scan after the killed client" "$rc" 0
    served_by_ours "the killed client and the next scan"
    hpaio_check_page "$W/after-kill.pnm" --resolution 200 --mode gray --page 1 --width-mm 40 --height-mm 30
}
hpaio_case killed-client killed_client_case
hpaio_stop saned

# 6. For comparison: Debian's HPLIP hpaio in the same saned (counted and reported, not judged).
hplip_case() {
    ls /usr/lib/*/sane/libsane-hpaio.so.1 >/dev/null 2>&1 || hpaio_fail "Debian's libsane-hpaio is not installed (scripts/setup.sh)"
    start_saned saned-hplip ""
    local list rc count
    list=$(client -L 2>&1)
    rc=$?
    hpaio_expect_rc "client scanimage -L with HPLIP in saned" "$rc" 0
    count=$(grep -c 'net:127.0.0.1:hpaio' <<<"$list" || true)
    echo "comparison: with Debian's HPLIP hpaio in saned, the client lists $count hpaio device(s) (ours: 3)"
}
hpaio_case hplip-comparison hplip_case

hpaio_finish
