#!/bin/bash
# Integration test of discovery at scale, through real `scanimage -L` and our backend: one
# avahi-daemon on lo publishes a fleet of 100 simulated HP devices (mdns_fleet.sh: eSCL and LEDM
# mixed, each its own host name found through two service types; 50 with only an IPv4 address on
# 127.0.0.x, 50 with only an IPv6 address, fd00::x, added to lo in here) and 5 services whose host
# never resolves (devices switched off while their announcements are still cached).
#   - every device is listed exactly once, under HPLIP's name with its one address (ip=127.0.0.x or
#     ip=fd00::x), and nothing else is listed;
#   - the services that do not resolve do not hold the listing to its deadline: listing-timeout is
#     10 s here, and the listing must end by itself (our debug log does not say the deadline ended
#     the browse) in less than half of it, the browse having left each of them out (not waited for
#     the daemon's own 5 s resolver timeout). (How fast it is belongs to bench/run.sh --only
#     discovery, not to this test: CI machines are loaded.)
# The same twice: the first listing after the daemon has published the fleet, and another one
# right after it (listing-cache 0: it browses again). Every scanimage must exit 0, and the loader's
# trace must show this build's libsane-hpaio.so.1 in every listing.
# Needs root (private network namespace via unshare); loopback only.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mdns_fleet.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage avahi-daemon dbus-daemon
hpaio_use_backend
export DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS
export CUPS_SERVER=$W/no-cupsd.sock # no print queues: mDNS only
LISTING_TIMEOUT_MS=10000
printf 'listing-timeout %s\nlisting-cache 0\n' "$((LISTING_TIMEOUT_MS / 1000))" >"$W/conf/hpaio.conf"

N4=50 N6=50 GHOSTS=5
hpaio_mdns_fleet "$W/fleet" "$N4" "$N6" "$GHOSTS"
hpaio_mdns_fleet_addresses "$N4" "$N6"
hpaio_start_avahi_on_lo fleet hpaio-fleet no "$W/fleet"
hpaio_avahi_wait_established fleet "$(hpaio_mdns_fleet_groups "$W/fleet")" 30
hpaio_pass "avahi-daemon publishes $((N4 + N6)) devices and $GHOSTS services without an address"
# shellcheck disable=SC2154  # AVAHI_BUS_fleet is set by hpaio_start_avahi_on_lo (printf -v)
export DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_fleet

# listing NAME : scanimage -L, every device once with its address, ended by itself well before
# the listing deadline, the services without an address named
listing() {
    local name=$1 start rc elapsed
    start=$(hpaio_now_ms)
    SANE_DEBUG_HPAIO=3 hpaio_run_bounded 60 scanimage -L >"$W/$name.out" 2>"$W/$name.err"
    rc=$?
    elapsed=$(($(hpaio_now_ms) - start))
    ((rc == 0)) || tail -n 20 "$W/$name.err" >&2
    hpaio_expect_rc "$name: scanimage -L" "$rc" 0
    hpaio_check_ours

    sed -n "s/^device \`\\(hpaio:[^']*\\)' is a .*/\\1/p" "$W/$name.out" | sort >"$W/$name.listed"
    sort "$W/fleet/expected" >"$W/expected.sorted"
    local twice missing extra
    twice=$(uniq -d "$W/$name.listed")
    missing=$(comm -13 <(sort -u "$W/$name.listed") "$W/expected.sorted")
    extra=$(comm -23 <(sort -u "$W/$name.listed") "$W/expected.sorted")
    [[ -z $twice ]] || hpaio_fail "$name: listed more than once: $(head -n 3 <<<"$twice" | tr '\n' ' ')"
    [[ -z $missing ]] ||
        hpaio_fail "$name: $(wc -l <<<"$missing") of $((N4 + N6)) devices not listed, e.g. $(head -n 3 <<<"$missing" | tr '\n' ' ')($(grep -m 3 'mDNS' "$W/$name.err" | tr '\n' ' '))"
    [[ -z $extra ]] || hpaio_fail "$name: listed but not in the fleet: $(head -n 3 <<<"$extra" | tr '\n' ' ')"
    hpaio_pass "$name: all $((N4 + N6)) devices listed once each ($(grep -c 'ip=fd00::' "$W/$name.listed") of them as ip=fd00::x) in $elapsed ms"

    if grep -q 'browse not complete by the deadline' "$W/$name.err"; then
        hpaio_fail "$name: the listing deadline ended the browse ($elapsed ms; listing-timeout $((LISTING_TIMEOUT_MS / 1000)) s)"
    fi
    ((elapsed < LISTING_TIMEOUT_MS / 2)) ||
        hpaio_fail "$name: the listing took $elapsed ms, not well before its $LISTING_TIMEOUT_MS ms deadline: the services without an address held it"
    # Left behind by the browse itself ("no answer in N ms"), not ended by the daemon's own resolver
    # timeout (5 s, "Timeout reached"): the services without an address did not hold the browse.
    local g
    for ((g = 1; g <= GHOSTS; g++)); do
        grep -q "not resolved, left out: .*\[GHOST$g\] ([^)]*): no answer in [0-9]* ms" "$W/$name.err" ||
            { grep 'mDNS' "$W/$name.err" >&2; hpaio_fail "$name: our debug log does not name [GHOST$g] as left out by the browse"; }
    done
    hpaio_pass "$name: the browse ended by itself, leaving out the $GHOSTS services without an address"
}

hpaio_case first_listing listing first
hpaio_case next_listing listing next

hpaio_finish
