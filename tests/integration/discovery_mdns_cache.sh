#!/bin/bash
# Integration test of how the mDNS browse ends, through real `scanimage -L` and our backend, with
# two avahi-daemons on one loopback as on a LAN: a "device" daemon through which two simulated
# devices publish (hpaio-sim --mdns --mdns-host, each under its own host name and address), and a
# "host" daemon that the clients ask (a fresh one in each case).
#   - cold (host daemon fresh, its cache empty): both devices are listed, once each, and the
#     listing waits for the network: the browse cannot end before its fixed cold wait (`settle`
#     in mdns/avahi/browse_end.hpp, 400 ms), so it takes at least settle/2 longer than a listing
#     that does not browse at all (no system bus: the browse returns at once), and it ends by
#     itself, before the listing's deadline (listing-timeout 3 here, far beyond that wait);
#   - warm (after avahi-browse -r of _uscan._tcp and _scanner._tcp): both devices are listed, once
#     each, and the browse ends from Avahi's cache: the median of several warm listings is less
#     than settle/2 longer than the median of as many listings that do not browse, run in turns
#     with them (so that both see the same load).
# The verdicts are measured wall-clock times; the margins are half the browse's own fixed wait, so
# a busy machine (which only makes listings slower, both kinds alike) does not change them. Our
# debug log's note on how the browse ended is reported, not judged. Every scanimage must exit 0,
# and the loader's trace must show this build's libsane-hpaio.so.1 in every listing.
# Needs root (private network namespace via unshare); loopback only.
# shellcheck disable=SC2154  # AVAHI_BUS_device and AVAHI_BUS_host are set by hpaio_start_avahi_on_lo
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage avahi-daemon avahi-browse avahi-resolve dbus-daemon
hpaio_use_backend
export DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS
export CUPS_SERVER=$W/no-cupsd.sock # no print queues: mDNS only
# A listing deadline far beyond the cold wait, so a slow machine still lists both devices and a
# browse that ends by itself is told apart from one the deadline ended.
LISTING_TIMEOUT_MS=3000
printf 'listing-timeout %s\n' "$((LISTING_TIMEOUT_MS / 1000))" >"$W/conf/hpaio.conf"
NO_BUS=unix:path=$W/no-such-bus.sock
WARM_RUNS=5

# The browse's fixed wait on a cold cache, from the source (BrowseTimings::settle).
SETTLE_MS=$(sed -n 's/.*std::chrono::milliseconds settle{\([0-9]*\)}.*/\1/p' "$HPAIO_SOURCE_DIR/mdns/avahi/browse_end.hpp")
[[ $SETTLE_MS =~ ^[0-9]+$ ]] || hpaio_fail "cannot read BrowseTimings::settle from mdns/avahi/browse_end.hpp"
MARGIN_MS=$((SETTLE_MS / 2))

ESCL='/net/color_laserjet_pro_m478f-9f?ip=127.0.0.2&queue=false'
LEDM_IP='ip=127.0.0.3&queue=false'

############################################################################################
# Peers: the device daemon and the two simulators behind it.
hpaio_start_avahi_on_lo device hpaio-sim-device yes
DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_device hpaio_start_sim escl --profile escl-adf-duplex \
    --listen 127.0.0.2:8080 --mdns --mdns-host hpaio-sim-escl --log "$W/escl.log"
DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_device hpaio_start_sim ledm --profile ledm-adf-duplex \
    --listen 127.0.0.3:8080 --mdns --mdns-host hpaio-sim-ledm --log "$W/ledm.log"
# Both published (probing and announcing take about 1 s): resolved through the device daemon.
deadline=$((SECONDS + 15))
seen=0 rc=0
while ((SECONDS < deadline)); do
    DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_device hpaio_run_bounded 10 avahi-browse -rpt _scanner._tcp >"$W/published.out" 2>&1
    rc=$?
    seen=$(grep -c '^=.*;hpaio-sim-\(escl\|ledm\)\.local;127\.0\.0\.[23];8080;' "$W/published.out")
    ((rc == 0 && seen >= 2)) && break
    sleep 0.2
done
hpaio_expect_rc "avahi-browse on the device daemon" "$rc" 0
((seen >= 2)) || hpaio_fail "the device daemon does not publish both simulators under their own host names"
hpaio_pass "two simulators published as hpaio-sim-escl.local (127.0.0.2) and hpaio-sim-ledm.local (127.0.0.3)"
# The device daemon announces new services unasked, about 1, 2 and 4 s after they are published
# (seen on the wire here, none later); a host daemon that heard one would not start cold.
sleep 4

# median N... / minimum N...
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
minimum() { printf '%s\n' "$@" | sort -n | head -n 1; }

# list NAME BUS : scanimage -L through BUS with our debug log, exit 0 within 60 s, our library;
# $W/NAME.out and .err, its wall-clock time in ELAPSED (ms)
list() {
    local name=$1 bus=$2 start rc
    start=$(hpaio_now_ms)
    DBUS_SYSTEM_BUS_ADDRESS=$bus SANE_DEBUG_HPAIO=5 hpaio_run_bounded 60 scanimage -L >"$W/$name.out" 2>"$W/$name.err"
    rc=$?
    ELAPSED=$(($(hpaio_now_ms) - start))
    ((rc == 0)) || cat "$W/$name.err" >&2
    hpaio_expect_rc "$name: scanimage -L" "$rc" 0
    hpaio_check_ours
}
# both NAME : both simulators listed, once each, and nothing else
both() {
    grep -qF "device \`hpaio:$ESCL' is a Hewlett-Packard " "$W/$1.out" ||
        { cat "$W/$1.out" "$W/$1.err" >&2; hpaio_fail "$1: hpaio:$ESCL is not listed"; }
    grep -q "^device \`hpaio:/net/[^?]*?$LEDM_IP' is a Hewlett-Packard " "$W/$1.out" ||
        { cat "$W/$1.out" "$W/$1.err" >&2; hpaio_fail "$1: the LEDM simulator at 127.0.0.3 is not listed"; }
    local n
    n=$(grep -c '^device `hpaio:' "$W/$1.out")
    [[ $n -eq 2 ]] || { cat "$W/$1.out" >&2; hpaio_fail "$1: $n devices listed, expected 2"; }
    grep -q 'mDNS: 2 HP device(s)' "$W/$1.err" || { cat "$W/$1.err" >&2; hpaio_fail "$1: no 'mDNS: 2 HP device(s)' in the log"; }
}
# base NAME : a listing that does not browse (no system bus: the browse returns at once); nothing listed
base() {
    list "$1" "$NO_BUS"
    local n
    n=$(grep -c '^device `hpaio:' "$W/$1.out")
    [[ $n -eq 0 ]] || { cat "$W/$1.out" >&2; hpaio_fail "$1: $n devices listed without a system bus, expected none"; }
    grep -q 'mDNS: no Avahi daemon' "$W/$1.err" || { cat "$W/$1.err" >&2; hpaio_fail "$1: no 'mDNS: no Avahi daemon' in the log"; }
}
# how_it_ended NAME : our debug log's note (information only)
how_it_ended() {
    if grep -qF "the browse ended when Avahi's cache had answered" "$W/$1.err"; then
        echo "the debug log says the browse ended from Avahi's cache"
    else
        echo "the debug log does not say the browse ended from Avahi's cache"
    fi
}
# host_daemon : a fresh host daemon (empty cache) that behaves like a long-running one. Right after
# its start, a daemon's first queries often go unanswered until it asks again 1 s later (seen in 3
# of 10 cold listings here, against none of 30 once it had run a second more), which a listing
# does not wait for. So: it must resolve the device daemon's own host name (which warms nothing
# we browse), then run one more second.
host_daemon() {
    hpaio_start_avahi_on_lo host hpaio-test-host no
    local deadline=$((SECONDS + 15)) rc
    while true; do
        DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host hpaio_run_bounded 5 avahi-resolve -4 -n hpaio-sim-device.local >/dev/null 2>&1
        rc=$?
        ((rc == 0)) && break
        ((SECONDS < deadline)) || hpaio_fail "the host daemon does not resolve hpaio-sim-device.local: $(hpaio_rc_text "$rc")"
        sleep 0.1
    done
    sleep 1
}

############################################################################################
# 1. A cold host daemon: the listing waits for the network.
cold_case() {
    host_daemon
    local i b=()
    for i in 1 2 3; do
        base "cold-base$i"
        b+=("$ELAPSED")
    done
    list cold "$AVAHI_BUS_host"
    local cold=$ELAPSED base_min
    both cold
    base_min=$(minimum "${b[@]}")
    hpaio_pass "cold: both listed in $cold ms; without browsing ${b[*]} ms (least $base_min); $(how_it_ended cold)"
    ((cold - base_min >= MARGIN_MS)) ||
        hpaio_fail "the listing took $cold ms, only $((cold - base_min)) ms more than without browsing (${b[*]} ms): it did not wait for the network (the cold wait is $SETTLE_MS ms; at least $MARGIN_MS ms more expected)"
    ((cold - base_min < LISTING_TIMEOUT_MS - MARGIN_MS)) ||
        hpaio_fail "the listing took $cold ms ($((cold - base_min)) ms more than without browsing): the browse did not end by itself before the $LISTING_TIMEOUT_MS ms deadline"
}
hpaio_case cold cold_case

# 2. A warm host daemon: the listing ends from the cache, well before the cold wait.
warm_case() {
    host_daemon
    local t rc
    for t in _uscan._tcp _scanner._tcp; do
        DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host hpaio_run_bounded 10 avahi-browse -rt "$t" >"$W/warm-up$t.out" 2>&1
        rc=$?
        hpaio_expect_rc "warm-up: avahi-browse -rt $t" "$rc" 0
    done
    local i b=() w=()
    for i in $(seq 1 "$WARM_RUNS"); do
        base "warm-base$i"
        b+=("$ELAPSED")
        list "warm$i" "$AVAHI_BUS_host"
        w+=("$ELAPSED")
        both "warm$i"
    done
    local wm bm
    wm=$(median "${w[@]}")
    bm=$(median "${b[@]}")
    hpaio_pass "warm: both listed in ${w[*]} ms (median $wm); without browsing ${b[*]} ms (median $bm); $(how_it_ended warm1)"
    ((wm - bm < MARGIN_MS)) ||
        hpaio_fail "listings took a median $wm ms (${w[*]}), $((wm - bm)) ms more than without browsing (median $bm: ${b[*]}): the browse did not end from Avahi's cache (at most $MARGIN_MS ms more expected; the cold wait is $SETTLE_MS ms)"
}
hpaio_case warm warm_case

hpaio_finish
