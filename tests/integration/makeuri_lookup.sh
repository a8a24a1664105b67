#!/bin/bash
# Integration test of hpaio-makeuri:
#   - against a real snmpd answering HP's device-ID OID (unprivileged, 127.0.0.1:16161 and
#     [::1]:16161): HPLIP's three lines, bare URIs with -c/-s/-f, JetDirect port 2, IPv6, --json;
#   - against hpaio-sim with SNMP off (eSCL on 127.0.0.2, LEDM on [::1]): the HTTP descriptions;
#   - a host name found over mDNS (zc=) and a device only mDNS knows, through a private avahi;
#   - an address where nothing answers: exit status 1 and a message, within --timeout.
# Needs root (private network namespaces via unshare); loopback only.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools snmpd snmpget avahi-daemon avahi-publish setpriv
MAKEURI=$HPAIO_BIN/hpaio-makeuri
[[ -x $MAKEURI ]] || hpaio_fail "build hpaio-makeuri first"
export DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS HPAIO_SNMP_PORT

now_ms() { date +%s%3N; }
# contains NAME STRING... : every STRING is in $W/NAME.out
contains() {
    local name=$1 s
    shift
    for s in "$@"; do
        grep -qF -- "$s" "$W/$name.out" || { cat "$W/$name.out" "$W/$name.err" >&2; hpaio_fail "$name: no '$s' in the output"; }
    done
}
# run NAME EXPECTED_RC MAX_MS ARGS... : hpaio-makeuri; stdout in $W/NAME.out, stderr in $W/NAME.err
run() {
    local name=$1 want=$2 max=$3
    shift 3
    local start rc
    start=$(now_ms)
    timeout --kill-after=5 60 "$MAKEURI" "$@" >"$W/$name.out" 2>"$W/$name.err"
    rc=$?
    ELAPSED=$(($(now_ms) - start))
    [[ $rc -eq $want ]] || { cat "$W/$name.out" "$W/$name.err" >&2; hpaio_fail "$name: exit status $rc, expected $want"; }
    ((ELAPSED <= max)) || hpaio_fail "$name: took $ELAPSED ms (at most $max)"
}
expect() {
    local got
    got=$(cat "$W/$1.out")
    [[ $got == "$2" ]] || { printf 'got:\n%s\nexpected:\n%s\n' "$got" "$2" >&2; hpaio_fail "$1: unexpected output"; }
}

############################################################################################
# 1. A real snmpd with the simulator's device ID (OfficeJet Pro 9010: LEDM, fax).
mkdir -p "$W/snmp/persist"
chmod 777 "$W/snmp/persist"
"$HPAIO_BIN/hpaio-sim" --profile ledm-adf-duplex --snmpd-conf "$W/snmp/snmpd.conf" --snmp-port 16161 \
    --snmp-persist-dir "$W/snmp/persist" 2>/dev/null || hpaio_fail "hpaio-sim --snmpd-conf failed"
# Also IPv6 and the JetDirect port 2 community.
sed -i 's|^agentaddress .*|agentaddress udp:127.0.0.1:16161,udp6:[::1]:16161|' "$W/snmp/snmpd.conf"
printf 'rocommunity6 public ::1\nrocommunity public.2 127.0.0.1\n' >>"$W/snmp/snmpd.conf"
chmod 644 "$W/snmp/snmpd.conf"
hpaio_start_snmpd snmpd "$W/snmp/snmpd.conf" 16161

U=HP_OfficeJet_Pro_9010_series
run snmp 0 2000 --snmp-port 16161 127.0.0.1
expect snmp "CUPS URI: hp:/net/$U?ip=127.0.0.1
SANE URI: hpaio:/net/$U?ip=127.0.0.1
HP Fax URI: hpfax:/net/$U?ip=127.0.0.1"
hpaio_pass "SNMP: HPLIP's three lines in $ELAPSED ms"
export HPAIO_SNMP_PORT=16161
run cups 0 2000 -c 127.0.0.1
expect cups "hp:/net/$U?ip=127.0.0.1"
run sane 0 2000 -s 127.0.0.1
expect sane "hpaio:/net/$U?ip=127.0.0.1"
run fax 0 2000 -f 127.0.0.1
expect fax "hpfax:/net/$U?ip=127.0.0.1"
run port2 0 2000 -c -p 2 127.0.0.1
expect port2 "hp:/net/$U?ip=127.0.0.1&port=2"
run v6 0 2000 -s ::1
expect v6 "hpaio:/net/$U?ip=::1"
run json 0 2000 --json 127.0.0.1
contains json '"source": "snmp"' '"device_id": "MFG:HP;MDL:HP OfficeJet Pro 9010 series;' \
    "\"sane_uri\": \"hpaio:/net/$U?ip=127.0.0.1\"" "\"fax_uri\": \"hpfax:/net/$U?ip=127.0.0.1\""
hpaio_pass "SNMP: -c, -s, -f, -p 2, IPv6 and --json"
hpaio_stop snmpd

############################################################################################
# 2. SNMP off: the device's own HTTP descriptions (eSCL on 127.0.0.2, LEDM on [::1]).
hpaio_start_sim m28 --profile escl-flatbed --listen 127.0.0.2:8080 --log "$W/m28.log"
run http_escl 0 3500 --timeout 3 127.0.0.2
expect http_escl "CUPS URI: hp:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.2
SANE URI: hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.2"
hpaio_pass "SNMP off, eSCL ScannerCapabilities: $ELAPSED ms"
hpaio_start_sim envy --profile ledm-flatbed --listen "[::1]:8080" --log "$W/envy.log"
run http_ledm 0 3500 --timeout 3 --json ::1
contains http_ledm '"source": "http", ' '"protocol": "LEDM"' '"sane_uri": "hpaio:/net/HP_ENVY_Photo_6200_series?ip=::1"'
hpaio_pass "SNMP off, LEDM ScanCaps over IPv6: $ELAPSED ms"

############################################################################################
# 3. mDNS: a host name (zc=) and a device that only mDNS describes.
hpaio_start_avahi "$W/avahi"
hpaio_start_sim m28b --profile escl-flatbed --listen 127.0.0.6:8080 --log "$W/m28b.log"
avahi-publish -a -R hpm28.local 127.0.0.6 >"$W/pub1.log" 2>&1 &
HPAIO_PIDS[pub1]=$!
avahi-publish -a -R hpquiet.local 127.0.0.7 >"$W/pub2.log" 2>&1 &
HPAIO_PIDS[pub2]=$!
avahi-publish -s -H hpquiet.local "HP OfficeJet Pro 8730 [QQ]" _uscan._tcp 8080 txtvers=1 rs=eSCL \
    "ty=HP OfficeJet Pro 8730" mfg=HP >"$W/pub3.log" 2>&1 &
HPAIO_PIDS[pub3]=$!
deadline=$((SECONDS + 15))
until grep -q Established "$W/pub1.log" && grep -q Established "$W/pub2.log" && grep -q Established "$W/pub3.log"; do
    ((SECONDS < deadline)) || hpaio_fail "avahi-publish did not establish its records"
    sleep 0.1
done
run zc 0 4000 --timeout 3 hpm28
expect zc "CUPS URI: hp:/net/HP_LaserJet_MFP_M28-M31?zc=hpm28
SANE URI: hpaio:/net/HP_LaserJet_MFP_M28-M31?zc=hpm28"
hpaio_pass "host name over mDNS: zc=hpm28 in $ELAPSED ms"
run mdns_only 0 4000 --timeout 3 --json 127.0.0.7
contains mdns_only '"source": "mdns"' '"token": "HP_OfficeJet_Pro_8730"' \
    '"sane_uri": "hpaio:/net/HP_OfficeJet_Pro_8730?ip=127.0.0.7"'
hpaio_pass "SNMP and HTTP silent, the mDNS TXT record: $ELAPSED ms"

############################################################################################
# 4. Nothing answers: exit status 1, a clear message, within the timeout.
run dead 1 2500 --timeout 2 127.0.0.9
grep -q 'no HP device answers at 127.0.0.9' "$W/dead.err" || { cat "$W/dead.err" >&2; hpaio_fail "dead: no clear message"; }
[[ ! -s $W/dead.out ]] || hpaio_fail "dead: printed something on stdout"
hpaio_pass "nothing at 127.0.0.9: exit 1 in $ELAPSED ms: $(cat "$W/dead.err")"
run dead_fast 1 1500 --timeout 1 127.0.0.9
hpaio_pass "--timeout 1: exit 1 in $ELAPSED ms"
run usage 2 1000
run badport 2 1000 -p 7 127.0.0.1

echo "PASS: hpaio-makeuri finds URIs over SNMP, HTTP and mDNS, and fails in time"
