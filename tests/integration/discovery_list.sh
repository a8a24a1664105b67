#!/bin/bash
# Integration test of device discovery through real `scanimage -L` and our backend:
#   - hpaio.conf devices are always listed, even when nothing answers there;
#   - every CUPS queue with an hp:/net/ device URI, from a private cupsd (CUPS_SERVER), except
#     models without a scan protocol we speak; usb, ipp and duplicate queues are not listed twice;
#   - HP devices published through a private avahi-daemon (hpaio-sim --mdns, and avahi-publish
#     with another host name and address), with HPLIP's names (&queue=false);
#   - one entry per device when a CUPS queue and mDNS name the same device (zc= host name);
#   - the listing ends within listing-timeout + margin when avahi is warm, without a D-Bus
#     system bus, with cupsd or avahi-daemon frozen (SIGSTOP), as an unprivileged user without
#     HOME (how saned runs it); `discovery off` lists configured devices only;
#   - a discovered name opens and scans.
# Needs root (private network namespaces via unshare); loopback only.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cups_peer.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage cupsd lpadmin avahi-daemon avahi-publish avahi-browse setpriv
hpaio_use_backend
export DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS
cat >"$W/conf/hpaio.conf" <<CONF
# configured: listed even though nothing answers at 127.0.0.9
device hpaio:/net/HP_Color_LaserJet_MFP_E77830?ip=127.0.0.9
listing-timeout 1.5
CONF
chmod -R a+rX "$W/conf"
LIMIT_MS=3000  # listing-timeout 1.5 s + margin for process start and dll

now_ms() { date +%s%3N; }
# list NAME [ENV...] : scanimage -L with a deadline; output in $W/NAME.out, time in $ELAPSED (ms)
list() {
    local name=$1
    shift
    local start
    start=$(now_ms)
    env "$@" SANE_DEBUG_HPAIO=3 timeout --kill-after=5 60 scanimage -L >"$W/$name.out" 2>"$W/$name.err"
    local rc=$?
    ELAPSED=$(($(now_ms) - start))
    [[ $rc -eq 0 ]] || { cat "$W/$name.err" >&2; hpaio_fail "$name: scanimage -L exited with $rc"; }
    ((ELAPSED < LIMIT_MS)) || { cat "$W/$name.err" >&2; hpaio_fail "$name: scanimage -L took $ELAPSED ms (limit $LIMIT_MS)"; }
}
# has NAME DEVICE [MODEL] : DEVICE listed with vendor Hewlett-Packard, type all-in-one and a readable
# model (MODEL when given; a models.dat display name otherwise, which depends on the installed file)
has() {
    local line
    line=$(grep -F "device \`hpaio:$2' is a Hewlett-Packard " "$W/$1.out") || {
        cat "$W/$1.out" "$W/$1.err" >&2; hpaio_fail "$1: hpaio:$2 is not listed"; }
    [[ $line == *" all-in-one" && $line != *"Packard "*_*" all-in-one" ]] || hpaio_fail "$1: unreadable model in: $line"
    [[ -z ${3:-} || $line == *"Hewlett-Packard $3 all-in-one" ]] || hpaio_fail "$1: expected model '$3' in: $line"
}
count() {
    local n
    n=$(grep -c "^device \`hpaio:" "$W/$1.out")
    [[ $n -eq $2 ]] || { cat "$W/$1.out" "$W/$1.err" >&2; hpaio_fail "$1: $n hpaio devices listed, expected $2"; }
}

CONFIGURED='/net/HP_Color_LaserJet_MFP_E77830?ip=127.0.0.9'
QUEUE='/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.3'
SIM_MDNS='/net/color_laserjet_pro_m478f-9f?ip=127.0.0.1&queue=false'
M28_QUEUE='/net/HP_LaserJet_MFP_M28-M31?zc=hpm28'

############################################################################################
# Peers: cupsd with queues, avahi-daemon with two HP devices, simulators behind them.
hpaio_start_cupsd "$W/cups" 16631
hpaio_cups_queue oj9010 'hp:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.3'
hpaio_cups_queue oj9010_again 'hp:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.3'
hpaio_cups_queue deskjet 'hp:/net/Deskjet_1000_J110_series?ip=127.0.0.4'   # scan-type 0: not listed
hpaio_cups_queue usbq 'hp:/usb/Officejet_Pro_8600?serial=CN123'            # USB: not ours
hpaio_cups_queue ippq 'ipp://127.0.0.5/ipp/print'
hpaio_cups_queue m28 "hp:$M28_QUEUE"                                       # the mDNS device below
hpaio_pass "cupsd on $CUPS_SERVER with $(lpstat -h "$CUPS_SERVER" -v | wc -l) queues"

hpaio_start_avahi "$W/avahi"
hpaio_start_sim oj --profile ledm-adf-duplex --listen 127.0.0.3:8080 --log "$W/oj.log"
hpaio_start_sim m478 --profile escl-adf-duplex --listen 127.0.0.1:8080 --mdns --log "$W/m478.log"
avahi-publish -a -R hpm28.local 127.0.0.2 >"$W/pub-a.log" 2>&1 &
HPAIO_PIDS[pub_a]=$!
avahi-publish -s -H hpm28.local "HP LaserJet MFP M28w [C03]" _uscan._tcp 8080 txtvers=1 rs=eSCL \
    "ty=HP LaserJet MFP M28-M31" mfg=HP uuid=5a1e0c3b-0028-4e1d-8a55-00163e0028c4 >"$W/pub-s.log" 2>&1 &
HPAIO_PIDS[pub_s]=$!
deadline=$((SECONDS + 15))
while ((SECONDS < deadline)); do
    seen=$(hpaio_run_bounded 10 avahi-browse -rpt _uscan._tcp 2>/dev/null | grep -c '^=' || true)
    ((seen >= 2)) && break
    sleep 0.2
done
((seen >= 2)) || hpaio_fail "avahi-browse did not see both _uscan._tcp services"
hpaio_pass "avahi publishes hpaio-sim and an avahi-publish device"

############################################################################################
# 1. Everything, cold then warm.
check_all() {
    has "$1" "$CONFIGURED"
    has "$1" "$QUEUE"
    has "$1" "$SIM_MDNS" "HP Color LaserJet Pro M478f-9f"
    has "$1" "$M28_QUEUE" "HP LaserJet MFP M28-M31"
    count "$1" 4
}
list cold
check_all cold
cold=$ELAPSED
list warm
check_all warm
hpaio_pass "scanimage -L lists hpaio.conf, CUPS and mDNS devices, once each: cold $cold ms, warm $ELAPSED ms"
grep -q 'not listed: /net/Deskjet_1000_J110_series' "$W/warm.err" || hpaio_fail "no debug line for the Deskjet queue"

# 2. No D-Bus system bus: no mDNS devices, a debug line, no abort, quick.
list nobus DBUS_SYSTEM_BUS_ADDRESS="unix:path=$W/no-such-bus.sock"
has nobus "$CONFIGURED"
has nobus "$QUEUE"
count nobus 3
grep -q 'mDNS: no Avahi daemon' "$W/nobus.err" || hpaio_fail "nobus: no debug message about Avahi"
hpaio_pass "without a system bus: configured and CUPS devices in $ELAPSED ms"

# 3. discovery off: configured devices only, no network wait.
mkdir -p "$W/conf-off/dll.d"
cp "$W/conf/dll.conf" "$W/conf-off/"
printf 'device hpaio:%s\ndiscovery off\n' "$CONFIGURED" >"$W/conf-off/hpaio.conf"
list off SANE_CONFIG_DIR="$W/conf-off"
count off 1
has off "$CONFIGURED"
hpaio_pass "discovery off: configured device only, $ELAPSED ms"

# 3b. The network sources are a module loaded by the listing: without it, the configured devices
# are still listed and the debug output says why nothing else is; scanning never loads it.
mkdir -p "$W/lib-alone"
cp -L "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" "$W/lib-alone/"
list nomodule LD_LIBRARY_PATH="$W/lib-alone"
count nomodule 1
has nomodule "$CONFIGURED"
grep -q 'no network discovery (only hpaio.conf devices are listed): .*libhpaio-network-sources.so' "$W/nomodule.err" ||
    { cat "$W/nomodule.err" >&2; hpaio_fail "nomodule: no debug line naming the missing module"; }
LD_DEBUG=files scanimage -d "hpaio:$SIM_MDNS" -A >/dev/null 2>"$W/open-only.err" ||
    { tail "$W/open-only.err" >&2; hpaio_fail "scanimage -A on hpaio:$SIM_MDNS failed"; }
grep -q 'file=.*libsane-hpaio.so.1 ' "$W/open-only.err" || hpaio_fail "LD_DEBUG shows no libsane-hpaio load"
if grep -E 'file=.*(libhpaio-network-sources|libcups|libavahi|libdbus|libhpaio-tls|libssl)' "$W/open-only.err" >&2; then
    hpaio_fail "opening a device loaded the listing's libraries"
fi
hpaio_pass "without the network-sources module: configured device only; opening a device never loads it"

# 4. A frozen cupsd (accepts, never answers) and a frozen avahi-daemon: the deadline holds.
kill -STOP "${HPAIO_PIDS[cupsd]}"
list cups_frozen
kill -CONT "${HPAIO_PIDS[cupsd]}"
has cups_frozen "$SIM_MDNS" "HP Color LaserJet Pro M478f-9f"
has cups_frozen "$CONFIGURED"
hpaio_pass "frozen cupsd: listing in $ELAPSED ms with the mDNS devices"
kill -STOP "${HPAIO_PIDS[avahi]}"
list avahi_frozen
kill -CONT "${HPAIO_PIDS[avahi]}"
has avahi_frozen "$QUEUE"
hpaio_pass "frozen avahi-daemon: listing in $ELAPSED ms with the CUPS devices"

# 5. As saned runs it: unprivileged, no HOME, no session; with and without a system bus. The
# backend and its modules are copied where nobody can read them (the build tree may not be).
mkdir -p "$W/lib-nobody"
cp -L "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" "$HPAIO_BUILD_DIR/lib/libhpaio-network-sources.so" \
    "$HPAIO_BUILD_DIR/lib/libhpaio-tls.so" "$W/lib-nobody/"
chmod -R a+rX "$W/lib-nobody"
for bus in "$DBUS_SYSTEM_BUS_ADDRESS" "unix:path=$W/no-such-bus.sock"; do
    start=$(now_ms)
    setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin \
        LD_LIBRARY_PATH="$W/lib-nobody" SANE_CONFIG_DIR="$SANE_CONFIG_DIR" CUPS_SERVER="$CUPS_SERVER" \
        DBUS_SYSTEM_BUS_ADDRESS="$bus" timeout 60 scanimage -L >"$W/nobody.out" 2>"$W/nobody.err" ||
        { cat "$W/nobody.err" >&2; hpaio_fail "scanimage -L as nobody failed"; }
    ELAPSED=$(($(now_ms) - start))
    ((ELAPSED < LIMIT_MS)) || hpaio_fail "scanimage -L as nobody took $ELAPSED ms"
    has nobody "$CONFIGURED"
    has nobody "$QUEUE"
    hpaio_pass "as nobody without HOME ($bus): $(grep -c '^device' "$W/nobody.out") devices in $ELAPSED ms"
done

# 6. A discovered name opens and scans.
hpaio_run_bounded 120 scanimage -d "hpaio:$SIM_MDNS" --mode Gray --resolution 75 --format=pnm \
    >"$W/scan.pnm" 2>"$W/scan.err" || { tail -20 "$W/scan.err" >&2; hpaio_fail "scan through the mDNS name failed"; }
[[ -s $W/scan.pnm ]] || hpaio_fail "empty scan through the mDNS name"
hpaio_pass "scanned through hpaio:$SIM_MDNS"

echo "PASS: discovery lists configured, CUPS and mDNS devices within the deadline"
