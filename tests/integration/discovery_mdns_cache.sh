#!/bin/bash
# Integration test of how the mDNS browse ends, through real `scanimage -L` and our backend, with
# two avahi-daemons on one loopback as on a LAN: a "device" daemon through which two simulated
# devices publish (hpaio-sim --mdns --mdns-host, each under its own host name and address), and a
# "host" daemon that the clients ask.
#   - cold (host daemon fresh, its cache empty): both devices are listed; the browse waits for
#     the network and does not end from the cache;
#   - warm (after avahi-browse -r of _uscan._tcp and _scanner._tcp): both devices are listed; the
#     browse ends from Avahi's cache.
# Our debug log says how the browse ended. No timing assertions: bench/run.sh measures the
# listing times.
# Needs root (private network namespace via unshare); loopback only.
# shellcheck disable=SC2154  # AVAHI_BUS_device and AVAHI_BUS_host are set by hpaio_start_avahi_on_lo
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage avahi-daemon avahi-browse avahi-resolve dbus-daemon
hpaio_use_backend
export DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS
export CUPS_SERVER=$W/no-cupsd.sock  # no print queues: mDNS only

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
seen=0
while ((SECONDS < deadline)); do
    seen=$(DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_device hpaio_run_bounded 10 avahi-browse -rpt _scanner._tcp 2>/dev/null |
        grep -c '^=.*;hpaio-sim-\(escl\|ledm\)\.local;127\.0\.0\.[23];8080;' || true)
    ((seen >= 2)) && break
    sleep 0.2
done
((seen >= 2)) || hpaio_fail "the device daemon does not publish both simulators under their own host names"
hpaio_pass "two simulators published as hpaio-sim-escl.local (127.0.0.2) and hpaio-sim-ledm.local (127.0.0.3)"
# The device daemon announces new services unasked, about 1, 2 and 4 s after they are published
# (seen on the wire here, none later); a host daemon that heard one would not start cold.
sleep 4

# list NAME cold|warm : scanimage -L through the host daemon, with our debug log; both devices,
# once each; the browse ended from Avahi's cache when warm, not when cold
list() {
    DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host SANE_DEBUG_HPAIO=5 hpaio_run_bounded 60 scanimage -L \
        >"$W/$1.out" 2>"$W/$1.err" || { cat "$W/$1.err" >&2; hpaio_fail "$1: scanimage -L failed"; }
    grep -qF "device \`hpaio:$ESCL' is a Hewlett-Packard " "$W/$1.out" ||
        { cat "$W/$1.out" "$W/$1.err" >&2; hpaio_fail "$1: hpaio:$ESCL is not listed"; }
    grep -q "^device \`hpaio:/net/[^?]*?$LEDM_IP' is a Hewlett-Packard " "$W/$1.out" ||
        { cat "$W/$1.out" "$W/$1.err" >&2; hpaio_fail "$1: the LEDM simulator at 127.0.0.3 is not listed"; }
    local n
    n=$(grep -c '^device `hpaio:' "$W/$1.out")
    [[ $n -eq 2 ]] || { cat "$W/$1.out" >&2; hpaio_fail "$1: $n devices listed, expected 2"; }
    grep -q 'mDNS: 2 HP device(s)' "$W/$1.err" || { cat "$W/$1.err" >&2; hpaio_fail "$1: no 'mDNS: 2 HP device(s)' in the log"; }
    local why="the browse ended when Avahi's cache had answered"
    if [[ $2 == warm ]]; then
        grep -qF "$why" "$W/$1.err" || { cat "$W/$1.err" >&2; hpaio_fail "$1: the browse did not end from the cache"; }
    elif grep -qF "$why" "$W/$1.err"; then
        cat "$W/$1.err" >&2
        hpaio_fail "$1: the browse ended from the cache of a fresh daemon"
    fi
}
# host_daemon : a fresh host daemon (empty cache) that behaves like a long-running one. Right after
# its start, a daemon's first queries often go unanswered until it asks again 1 s later (seen in 3
# of 10 cold listings here, against none of 30 once it had run a second more), which a listing
# does not wait for. So: it must resolve the device daemon's own host name (which warms nothing
# we browse), then run one more second.
host_daemon() {
    hpaio_start_avahi_on_lo host hpaio-test-host no
    local deadline=$((SECONDS + 15))
    until DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host hpaio_run_bounded 5 avahi-resolve -4 -n hpaio-sim-device.local \
        >/dev/null 2>&1; do
        ((SECONDS < deadline)) || hpaio_fail "the host daemon does not resolve hpaio-sim-device.local"
        sleep 0.1
    done
    sleep 1
}
warm_up() {
    DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host hpaio_run_bounded 10 avahi-browse -rt _uscan._tcp >/dev/null 2>&1
    DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host hpaio_run_bounded 10 avahi-browse -rt _scanner._tcp >/dev/null 2>&1
}

############################################################################################
# 1. scanimage -L on a cold host daemon, then on the same daemon warmed by avahi-browse.
host_daemon
list cold cold
hpaio_pass "cold cache: scanimage -L lists both simulators; the browse waited for the network"
warm_up
list warm warm
hpaio_pass "warm cache: scanimage -L lists both simulators; the browse ended from Avahi's cache"
hpaio_stop_avahi_on_lo host

echo "PASS: the mDNS browse lists both devices on a cold cache and ends from a warm one"
