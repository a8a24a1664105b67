#!/bin/bash
# Integration test of device discovery through real `scanimage -L` and our backend:
#   - hpaio.conf devices are always listed, even when nothing answers there;
#   - hpaio.conf `ws-discovery off` leaves the WS-Discovery source out (the last case);
#   - every CUPS queue with an hp:/net/ device URI, from a private cupsd (CUPS_SERVER), except
#     models without a scan protocol we speak; usb, ipp and duplicate queues are not listed twice;
#   - HP devices published through a private avahi-daemon (hpaio-sim --mdns, and avahi-publish
#     with another host name and address), with HPLIP's names (&queue=false);
#   - one entry per device when a CUPS queue and mDNS name the same device (zc= host name);
#   - the listing ends within listing-timeout + margin when avahi is warm, without a D-Bus
#     system bus, with cupsd or avahi-daemon frozen (SIGSTOP), as an unprivileged user without
#     HOME (how saned runs it); `discovery off` lists configured devices only;
#   - without the network-sources module only configured devices are listed, and opening a
#     device never loads the listing's libraries (libcups, Avahi, D-Bus, OpenSSL, our modules);
#   - a discovered name opens and scans (the page matches hpaio-sim's pattern);
#   - WS-Discovery (multicast on lo switched on for these cases only): hpaio-makeuri finds a device
#     that answers neither SNMP nor mDNS by a Probe to its address and a WS-Transfer Get (IPv4 and
#     ::1); WS-Scan simulators are listed once each with model and address, beside every other
#     source, found by the Probe multicast to 239.255.255.250 and to ff02::c on lo (one answers
#     IPv6 only, at ::1, and one at fe80::2 on lo only, whose listed name then scans), while another
#     one at the mDNS device's address merges into that entry and a responder answers every Probe
#     with garbage and with a device whose Get fails.
# Every scanimage must exit 0 (compared exactly), and the loader's trace must show this build's
# libsane-hpaio.so.1 (or the copy the case runs) after each one.
# Needs root (private network namespaces via unshare); loopback only.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cups_peer.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage cupsd lpadmin lpstat avahi-daemon avahi-publish avahi-browse setpriv
hpaio_use_backend
export DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS
cat >"$W/conf/hpaio.conf" <<CONF
# configured: listed even though nothing answers at 127.0.0.9
device hpaio:/net/HP_Color_LaserJet_MFP_E77830?ip=127.0.0.9
listing-timeout 1.5
CONF
chmod -R a+rX "$W/conf"
LIMIT_MS=3000 # listing-timeout 1.5 s + margin for process start and dll

# list NAME [ENV...] : scanimage -L with a deadline, exit 0 within LIMIT_MS; output in $W/NAME.out,
# time in $ELAPSED (ms); our library served (the copy in LD_LIBRARY_PATH when ENV sets it)
list() {
    local name=$1 a libdir=""
    shift
    for a in "$@"; do [[ $a == LD_LIBRARY_PATH=* ]] && libdir=${a#LD_LIBRARY_PATH=}; done
    local start rc
    start=$(hpaio_now_ms)
    env "$@" SANE_DEBUG_HPAIO=3 timeout --kill-after=5 60 scanimage -L >"$W/$name.out" 2>"$W/$name.err"
    rc=$?
    ELAPSED=$(($(hpaio_now_ms) - start))
    ((rc == 0)) || cat "$W/$name.err" >&2
    hpaio_expect_rc "$name: scanimage -L" "$rc" 0
    ((ELAPSED < LIMIT_MS)) || { cat "$W/$name.err" >&2; hpaio_fail "$name: scanimage -L took $ELAPSED ms (limit $LIMIT_MS)"; }
    hpaio_check_ours ${libdir:+"$libdir"}
}
# has NAME DEVICE [MODEL] : DEVICE listed with vendor Hewlett-Packard, type all-in-one and a readable
# model (MODEL when given; a models.dat display name otherwise, which depends on the installed file)
has() {
    local line
    line=$(grep -F "device \`hpaio:$2' is a Hewlett-Packard " "$W/$1.out") || {
        cat "$W/$1.out" "$W/$1.err" >&2
        hpaio_fail "$1: hpaio:$2 is not listed"
    }
    [[ $line == *" all-in-one" && $line != *"Packard "*_*" all-in-one" ]] || hpaio_fail "$1: unreadable model in: $line"
    [[ -z ${3:-} || $line == *"Hewlett-Packard $3 all-in-one" ]] || hpaio_fail "$1: expected model '$3' in: $line"
}
count() {
    local n
    n=$(grep -c "^device \`hpaio:" "$W/$1.out")
    [[ $n -eq $2 ]] || { cat "$W/$1.out" "$W/$1.err" >&2; hpaio_fail "$1: $n hpaio devices listed, expected $2"; }
}
# frozen PROCESS CMD... : CMD (in a subshell) while the helper-started PROCESS is stopped (SIGSTOP);
# PROCESS continues whatever CMD does, then the case fails if CMD failed
frozen() {
    local pid=${HPAIO_PIDS[$1]}
    shift
    kill -STOP "$pid"
    ("$@")
    local rc=$?
    kill -CONT "$pid"
    ((rc == 0)) || exit "$rc"
}

CONFIGURED='/net/HP_Color_LaserJet_MFP_E77830?ip=127.0.0.9'
QUEUE='/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.3'
SIM_MDNS='/net/color_laserjet_pro_m478f-9f?ip=127.0.0.1&queue=false'
M28_QUEUE='/net/HP_LaserJet_MFP_M28-M31?zc=hpm28'
NO_BUS=unix:path=$W/no-such-bus.sock

############################################################################################
# Peers: cupsd with queues, avahi-daemon with two HP devices, simulators behind them.
hpaio_start_cupsd "$W/cups" 16631
hpaio_cups_queue oj9010 'hp:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.3'
hpaio_cups_queue oj9010_again 'hp:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.3'
hpaio_cups_queue deskjet 'hp:/net/Deskjet_1000_J110_series?ip=127.0.0.4' # scan-type 0: not listed
hpaio_cups_queue usbq 'hp:/usb/Officejet_Pro_8600?serial=CN123'          # USB: not ours
hpaio_cups_queue ippq 'ipp://127.0.0.5/ipp/print'
hpaio_cups_queue m28 "hp:$M28_QUEUE" # the mDNS device below
hpaio_run_bounded 30 lpstat -h "$CUPS_SERVER" -v >"$W/lpstat.out" 2>&1
hpaio_expect_rc "lpstat -v" $? 0
[[ $(grep -c '^device for ' "$W/lpstat.out") -eq 6 ]] || { cat "$W/lpstat.out" >&2; hpaio_fail "cupsd does not have the 6 queues"; }
hpaio_pass "cupsd on $CUPS_SERVER with 6 queues"

hpaio_start_avahi "$W/avahi"
hpaio_start_sim oj --profile ledm-adf-duplex --listen 127.0.0.3:8080 --log "$W/oj.log"
hpaio_start_sim m478 --profile escl-adf-duplex --listen 127.0.0.1:8080 --mdns --log "$W/m478.log"
avahi-publish -a -R hpm28.local 127.0.0.2 >"$W/pub-a.log" 2>&1 &
HPAIO_PIDS["pub_a"]=$!
avahi-publish -s -H hpm28.local "HP LaserJet MFP M28w [C03]" _uscan._tcp 8080 txtvers=1 rs=eSCL \
    "ty=HP LaserJet MFP M28-M31" mfg=HP uuid=5a1e0c3b-0028-4e1d-8a55-00163e0028c4 >"$W/pub-s.log" 2>&1 &
HPAIO_PIDS["pub_s"]=$!
deadline=$((SECONDS + 15))
seen=0 rc=0
while ((SECONDS < deadline)); do
    hpaio_run_bounded 10 avahi-browse -rpt _uscan._tcp >"$W/published.out" 2>/dev/null
    rc=$?
    seen=$(grep -c '^=' "$W/published.out")
    ((rc == 0 && seen >= 2)) && break
    sleep 0.2
done
hpaio_expect_rc "avahi-browse -rpt _uscan._tcp" "$rc" 0
((seen >= 2)) || hpaio_fail "avahi-browse did not see both _uscan._tcp services"
hpaio_pass "avahi publishes hpaio-sim and an avahi-publish device"

############################################################################################
# 1. Everything, twice (the second listing with avahi's cache warm from the first).
check_all() {
    has "$1" "$CONFIGURED"
    has "$1" "$QUEUE"
    has "$1" "$SIM_MDNS" "HP Color LaserJet Pro M478f-9f"
    has "$1" "$M28_QUEUE" "HP LaserJet MFP M28-M31"
    count "$1" 4
}
all_sources_case() {
    list cold
    check_all cold
    local cold=$ELAPSED
    list warm
    check_all warm
    hpaio_pass "scanimage -L lists hpaio.conf, CUPS and mDNS devices, once each: cold $cold ms, warm $ELAPSED ms"
    grep -q 'not listed: /net/Deskjet_1000_J110_series' "$W/warm.err" || hpaio_fail "no debug line for the Deskjet queue"
}
hpaio_case all-sources all_sources_case

# 2. No D-Bus system bus: no mDNS devices, a debug line, no abort, quick.
no_bus_case() {
    list nobus DBUS_SYSTEM_BUS_ADDRESS="$NO_BUS"
    has nobus "$CONFIGURED"
    has nobus "$QUEUE"
    count nobus 3
    grep -q 'mDNS: no Avahi daemon' "$W/nobus.err" || hpaio_fail "nobus: no debug message about Avahi"
    hpaio_pass "without a system bus: configured and CUPS devices in $ELAPSED ms"
}
hpaio_case no-system-bus no_bus_case

# 3. discovery off: configured devices only, no network wait.
discovery_off_case() {
    mkdir -p "$W/conf-off/dll.d"
    cp "$W/conf/dll.conf" "$W/conf-off/"
    printf 'device hpaio:%s\ndiscovery off\n' "$CONFIGURED" >"$W/conf-off/hpaio.conf"
    list off SANE_CONFIG_DIR="$W/conf-off"
    count off 1
    has off "$CONFIGURED"
    hpaio_pass "discovery off: configured device only, $ELAPSED ms"
}
hpaio_case discovery-off discovery_off_case

# 4. The network sources are a module loaded by the listing: without it, the configured devices
# are still listed and the debug output says why nothing else is.
no_module_case() {
    mkdir -p "$W/lib-alone"
    cp -L "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" "$W/lib-alone/"
    list nomodule LD_LIBRARY_PATH="$W/lib-alone"
    count nomodule 1
    has nomodule "$CONFIGURED"
    grep -q 'no network discovery (only hpaio.conf devices are listed): .*libhpaio-network-sources.so' "$W/nomodule.err" ||
        { cat "$W/nomodule.err" >&2; hpaio_fail "nomodule: no debug line naming the missing module"; }
    hpaio_pass "without the network-sources module: configured device only"
}
hpaio_case no-network-module no_module_case

# 5. Opening a device never loads the listing's libraries: the loader's trace of scanimage -A (in
# a trace of its own, then checked as every other) names none of them.
open_only_case() {
    mkdir -p "$W/ld/open-only"
    export LD_DEBUG_OUTPUT=$W/ld/open-only/trace
    HPAIO_SCAN_SECONDS=60 HPAIO_SCAN_OUT=/dev/null hpaio_scanimage 0 open-only -d "hpaio:$SIM_MDNS" -A
    local traces=("$LD_DEBUG_OUTPUT".[0-9]*)
    grep -q 'file=.*libsane-hpaio.so.1 ' "${traces[@]}" || hpaio_fail "LD_DEBUG shows no libsane-hpaio load"
    if grep -hE 'file=.*(libhpaio-network-sources|libcups|libavahi|libdbus|libhpaio-tls|libssl)' "${traces[@]}" >&2; then
        hpaio_fail "opening a device loaded the listing's libraries"
    fi
    hpaio_check_ours
    hpaio_pass "opening a device loads none of the listing's libraries"
}
hpaio_case open-loads-no-listing-libs open_only_case

# 6. A frozen cupsd (accepts, never answers) and a frozen avahi-daemon: the deadline holds.
cups_frozen() {
    list cups_frozen
    has cups_frozen "$SIM_MDNS" "HP Color LaserJet Pro M478f-9f"
    has cups_frozen "$CONFIGURED"
    hpaio_pass "frozen cupsd: listing in $ELAPSED ms with the mDNS devices"
}
hpaio_case cupsd-frozen frozen cupsd cups_frozen
avahi_frozen() {
    list avahi_frozen
    has avahi_frozen "$QUEUE"
    hpaio_pass "frozen avahi-daemon: listing in $ELAPSED ms with the CUPS devices"
}
hpaio_case avahi-frozen frozen avahi avahi_frozen

# 7. As saned runs it: unprivileged, no HOME, no session; with and without a system bus. The
# backend and its modules are copied where nobody can read them (the build tree may not be).
mkdir -p "$W/lib-nobody"
cp -L "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" "$HPAIO_BUILD_DIR/lib/libhpaio-network-sources.so" \
    "$HPAIO_BUILD_DIR/lib/libhpaio-tls.so" "$W/lib-nobody/" || hpaio_fail "cannot copy the libraries for nobody"
chmod -R a+rX "$W/lib-nobody"
# nobody_case NAME BUS
nobody_case() {
    local name=$1 bus=$2 start rc
    chmod 1777 "${LD_DEBUG_OUTPUT%/*}" # nobody writes its loader trace there
    start=$(hpaio_now_ms)
    setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin \
        LD_LIBRARY_PATH="$W/lib-nobody" SANE_CONFIG_DIR="$SANE_CONFIG_DIR" CUPS_SERVER="$CUPS_SERVER" \
        DBUS_SYSTEM_BUS_ADDRESS="$bus" LD_DEBUG=files LD_DEBUG_OUTPUT="$LD_DEBUG_OUTPUT" \
        timeout --kill-after=5 60 scanimage -L >"$W/$name.out" 2>"$W/$name.err"
    rc=$?
    ELAPSED=$(($(hpaio_now_ms) - start))
    ((rc == 0)) || cat "$W/$name.err" >&2
    hpaio_expect_rc "scanimage -L as nobody" "$rc" 0
    ((ELAPSED < LIMIT_MS)) || hpaio_fail "scanimage -L as nobody took $ELAPSED ms (limit $LIMIT_MS)"
    hpaio_check_ours "$W/lib-nobody"
    has "$name" "$CONFIGURED"
    has "$name" "$QUEUE"
    hpaio_pass "as nobody without HOME ($bus): $(grep -c '^device' "$W/$name.out") devices in $ELAPSED ms"
}
hpaio_case nobody-with-bus nobody_case nobody-bus "$DBUS_SYSTEM_BUS_ADDRESS"
hpaio_case nobody-without-bus nobody_case nobody-nobus "$NO_BUS"

# 8. A discovered name opens and scans.
scan_case() {
    hpaio_scanimage 0 scan -d "hpaio:$SIM_MDNS" --mode Gray --resolution 75 --format=pnm
    hpaio_check_ours
    [[ -s $W/scan.pnm ]] || hpaio_fail "empty scan through the mDNS name"
    hpaio_check_page "$W/scan.pnm" --resolution 75 --mode gray --page 1
    hpaio_pass "scanned through hpaio:$SIM_MDNS"
}
hpaio_case scan-discovered-name scan_case

# 9. WS-Discovery. Only now is lo multicast-capable: the cases above sent no Probe.
WSD_ONLY='/net/laserjet_pro_mfp_m127fn?ip=127.0.0.6&queue=false'
WSD_V6='/net/laserjet_mfp_m234sdw?ip=::1&queue=false'
ip link set lo multicast on || hpaio_fail "cannot enable multicast on lo"
# IPv6 multicast through lo needs a route, and the kernel turns every route through lo into a reject
# route unless its type is local: ff00::/8 is made local on lo (in this namespace only), so that a
# datagram to ff02::c is delivered to the sockets that joined the group there.
ip -6 route add local ff00::/8 dev lo table local || hpaio_fail "cannot route IPv6 multicast through lo"
hpaio_start_sim wsd-m127 --profile wsd-flatbed --listen 127.0.0.6:3911 --ws-discovery
# The same profile as wsd-m477 below, so another UUID: two devices, not one at two addresses.
hpaio_start_sim wsd-v6 --profile wsd-adf-duplex --listen '[::1]:3911' --ws-discovery ::1 \
    --uuid 5a1e0c3b-0234-4e1d-8a55-00163e0234b9

# makeuri ADDRESS WANT : hpaio-makeuri -s ADDRESS prints WANT (SNMP and mDNS have nothing there)
makeuri() {
    local out rc
    out=$(hpaio_run_bounded 30 "$HPAIO_BIN/hpaio-makeuri" -s "$1" 2>"$W/makeuri.err")
    rc=$?
    hpaio_expect_rc "hpaio-makeuri -s $1" "$rc" 0
    [[ $out == "$2" ]] || { cat "$W/makeuri.err" >&2; hpaio_fail "hpaio-makeuri -s $1 printed '$out', expected '$2'"; }
}
wsd_makeuri_case() {
    makeuri 127.0.0.6 'hpaio:/net/HP_LaserJet_Pro_MFP_M127fn?ip=127.0.0.6'
    makeuri ::1 'hpaio:/net/HP_LaserJet_MFP_M234sdw?ip=::1'
    grep -q 'ws-discovery: .* from 127.0.0.1:.*answered ProbeMatches' "$W/wsd-m127.stderr" || hpaio_fail "no Probe reached 127.0.0.6"
    grep -q 'ws-discovery: .* from ::1:.*answered ProbeMatches' "$W/wsd-v6.stderr" || hpaio_fail "no Probe reached ::1"
    hpaio_pass "hpaio-makeuri finds WS-Discovery-only devices at 127.0.0.6 and ::1"
}
hpaio_case wsd-makeuri wsd_makeuri_case

# A responder beside the devices: every Probe gets garbage, a ProbeMatches for another Probe, and a
# device whose XAddr refuses the Get.
python3 - "$W/garbage.log" >/dev/null 2>&1 <<'PY' &
import os, re, socket, sys
log = open(sys.argv[1], "w", buffering=1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 3702))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("239.255.255.250") + socket.inet_aton("127.0.0.1"))
print("listening", file=log)
def matches(relates, xaddrs):
    return ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
            'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:RelatesTo>%s</a:RelatesTo></s:Header><s:Body>'
            '<d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:0bad0bad-0000-4000-8000-000000000000</a:Address>'
            '</a:EndpointReference><d:XAddrs>%s</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>' % (relates, xaddrs)).encode()
while True:
    probe, peer = s.recvfrom(65536)
    m = re.search(rb"MessageID>([^<]*)<", probe)
    mid = m.group(1).decode() if m else ""
    for g in [b"\x00\xff" * 10, b"<" * 5000, os.urandom(60000), b"<a>" * 200 + b"</a>" * 200, matches(mid, "http://127.0.0.1:3911/")[:300],
              matches("urn:uuid:someone-else", "http://127.0.0.1:3911/device"), matches(mid, "http://[zz http://127.0.0.7:9/")]:
        s.sendto(g, peer)
    print("answered", mid, "from", peer, file=log)
PY
HPAIO_PIDS[garbage]=$!
# The listing's Probe must find it listening (python3 starts slowly on a busy machine).
for _ in $(seq 1 100); do grep -q '^listening' "$W/garbage.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening' "$W/garbage.log" 2>/dev/null || hpaio_fail "the garbage responder did not start"
hpaio_start_sim wsd-m477 --profile wsd-adf-duplex --listen 127.0.0.1:3911 --ws-discovery
# From here on (a unicast Probe to ::1 would reach only one of the responders bound to port 3702),
# a device at a link-local address only (fe80::2 on lo), as HP devices answer over IPv6: its XAddrs
# name [fe80::2] without a zone, which the listing takes from the interface the answer came on.
WSD_LL='/net/laserjet_pro_mfp_m127fn?ip=fe80::2%25lo&queue=false'
ip -6 addr add fe80::2/64 dev lo || hpaio_fail "cannot add fe80::2 to lo"
hpaio_start_sim wsd-ll --profile wsd-flatbed --listen '[fe80::2%lo]:3911' --ws-discovery fe80::2 \
    --uuid 5a1e0c3b-0127-4e1d-8a55-00163e0127a9 --log "$W/wsd-ll.log"
wsd_list_case() {
    local v6_before v6_after
    v6_before=$(grep -c 'answered ProbeMatches' "$W/wsd-v6.stderr")
    list wsd
    has wsd "$CONFIGURED"
    has wsd "$QUEUE"
    has wsd "$SIM_MDNS" "HP Color LaserJet Pro M478f-9f"
    has wsd "$M28_QUEUE" "HP LaserJet MFP M28-M31"
    has wsd "$WSD_ONLY" "HP LaserJet Pro MFP M127fn"
    has wsd "$WSD_V6" "HP LaserJet MFP M234sdw"
    has wsd "$WSD_LL" "HP LaserJet Pro MFP M127fn"
    count wsd 7
    grep 'WS-Discovery: .*Probe sent on' "$W/wsd.err" | grep -F 'lo (IPv4)' | grep -qF 'lo (IPv6)' ||
        { cat "$W/wsd.err" >&2; hpaio_fail "the Probe did not go out on lo over both IPv4 and IPv6"; }
    v6_after=$(grep -c 'answered ProbeMatches' "$W/wsd-v6.stderr")
    ((v6_after > v6_before)) || hpaio_fail "the IPv6-only simulator got no Probe through ff02::c"
    grep -qF '/net/laserjet_mfp_m234sdw?ip=127.0.0.1&queue=false (WS-Discovery) is /net/color_laserjet_pro_m478f-9f' "$W/wsd.err" ||
        { cat "$W/wsd.err" >&2; hpaio_fail "the WS-Scan device at the mDNS device's address was not merged into its entry"; }
    grep -q 'answered urn:uuid:' "$W/garbage.log" || hpaio_fail "the garbage responder got no Probe"
    grep -q 'WS-Discovery: .*datagram(s) that were no answer to the Probe' "$W/wsd.err" || hpaio_fail "no garbage was dropped"
    grep -q 'urn:uuid:0bad0bad-0000-4000-8000-000000000000: http://127.0.0.7:9/: ' "$W/wsd.err" ||
        hpaio_fail "the device whose Get fails is not in the debug output"
    hpaio_pass "WS-Discovery (IPv4 and IPv6) beside hpaio.conf, CUPS and mDNS, garbage answers dropped: 7 devices once each in $ELAPSED ms"
}
hpaio_case wsd-list wsd_list_case

# The link-local name the listing gave scans: the probe finds WS-Scan at [fe80::2%lo]:3911/scanner.
wsd_ll_scan_case() {
    hpaio_scanimage 0 wsd-ll-scan -d "hpaio:$WSD_LL" --mode Gray --resolution 75 -x 50 -y 50 --format=pnm
    hpaio_check_ours
    hpaio_check_page "$W/wsd-ll-scan.pnm" --resolution 75 --mode gray --page 1 --width-mm 50 --height-mm 50
    hpaio_log_has "$W/wsd-ll.log" '"RetrieveImageRequest" in r.get("body","") and r["status"]==200' "the page came from fe80::2"
}
hpaio_case wsd-link-local-scan wsd_ll_scan_case

# hpaio.conf `ws-discovery off`: the same network, without the Probe: the WS-Scan-only M127fn is
# gone, the others are still there, and no WS-Discovery source ran.
wsd_off_case() {
    mkdir -p "$W/conf-wsoff/dll.d"
    cp "$W/conf/dll.conf" "$W/conf-wsoff/"
    { cat "$W/conf/hpaio.conf"; echo 'ws-discovery off'; } >"$W/conf-wsoff/hpaio.conf"
    list wsoff SANE_CONFIG_DIR="$W/conf-wsoff"
    count wsoff 4
    has wsoff "$SIM_MDNS" "HP Color LaserJet Pro M478f-9f"
    ! grep -q 'WS-Discovery' "$W/wsoff.err" || { cat "$W/wsoff.err" >&2; hpaio_fail "ws-discovery off: the WS-Discovery source still ran"; }
    ! grep -qF "$WSD_ONLY" "$W/wsoff.out" || hpaio_fail "ws-discovery off: the WS-Scan-only device is still listed"
    hpaio_pass "ws-discovery off: 4 devices, no Probe, $ELAPSED ms"
}
hpaio_case wsd-off wsd_off_case

hpaio_finish
