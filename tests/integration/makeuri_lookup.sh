#!/bin/bash
# Integration test of hpaio-makeuri:
#   - against a real snmpd answering HP's device-ID OID (unprivileged, 127.0.0.1:16161 and
#     [::1]:16161): HPLIP's three lines, bare URIs with -c/-s/-f, JetDirect port 2, IPv6, --json;
#   - against hpaio-sim with SNMP off (eSCL on 127.0.0.2, LEDM on [::1]): the HTTP descriptions;
#     a fax URI asked of a device without fax: exit status 1;
#   - a host name found over mDNS (zc=) and a device only mDNS knows, through a private avahi;
#   - an address where nothing answers: exit status 1 and a message, within --timeout;
#   - usage errors (no address, bad port, timeout or SNMP port, -c with -s, unknown option):
#     exit status 2, a message, nothing on stdout; --help: exit status 0 and the usage.
# Every exit status is compared exactly (makeuri_cli.cpp: 0 found, 1 no HP device answered or it
# lacks the URI asked for, 2 usage), and every output exactly or by its lines.
# Needs root (private network namespaces via unshare); loopback only.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools snmpd snmpget avahi-daemon avahi-publish setpriv
MAKEURI=$HPAIO_BIN/hpaio-makeuri
[[ -x $MAKEURI ]] || hpaio_fail "build hpaio-makeuri first"
export DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS HPAIO_SNMP_PORT

now_ms() { local us=${EPOCHREALTIME//[!0-9]/}; echo $((us / 1000)); }
# contains NAME STRING... : every STRING is in $W/NAME.out
contains() {
    local name=$1 s
    shift
    for s in "$@"; do
        grep -qF -- "$s" "$W/$name.out" || { cat "$W/$name.out" "$W/$name.err" >&2; hpaio_fail "$name: no '$s' in the output"; }
    done
}
# run NAME EXPECTED_RC MAX_MS ARGS... : hpaio-makeuri; stdout in $W/NAME.out, stderr in $W/NAME.err;
# its exit status must be EXPECTED_RC, within MAX_MS; the time in ELAPSED (ms)
run() {
    local name=$1 want=$2 max=$3
    shift 3
    local start rc
    start=$(now_ms)
    hpaio_run_bounded 60 "$MAKEURI" "$@" >"$W/$name.out" 2>"$W/$name.err"
    rc=$?
    ELAPSED=$(($(now_ms) - start))
    ((rc == want)) || cat "$W/$name.out" "$W/$name.err" >&2
    hpaio_expect_rc "$name: hpaio-makeuri $*" "$rc" "$want"
    ((ELAPSED <= max)) || hpaio_fail "$name: took $ELAPSED ms (at most $max)"
}
# expect NAME TEXT : $W/NAME.out is exactly TEXT
expect() {
    local got
    got=$(cat "$W/$1.out")
    [[ $got == "$2" ]] || { printf 'got:\n%s\nexpected:\n%s\n' "$got" "$2" >&2; hpaio_fail "$1: unexpected output"; }
}
# errors NAME MESSAGE : nothing on stdout, MESSAGE on stderr
errors() {
    [[ ! -s $W/$1.out ]] || { cat "$W/$1.out" >&2; hpaio_fail "$1: printed something on stdout"; }
    grep -qF -- "$2" "$W/$1.err" || { cat "$W/$1.err" >&2; hpaio_fail "$1: no '$2' on stderr"; }
}

############################################################################################
# 1. A real snmpd with the simulator's device ID (OfficeJet Pro 9010: LEDM, fax).
mkdir -p "$W/snmp/persist"
chmod 777 "$W/snmp/persist"
"$HPAIO_BIN/hpaio-sim" --profile ledm-adf-duplex --snmpd-conf "$W/snmp/snmpd.conf" --snmp-port 16161 \
    --snmp-persist-dir "$W/snmp/persist" 2>"$W/snmpd-conf.err"
hpaio_expect_rc "hpaio-sim --snmpd-conf" $? 0
# Also IPv6 and the JetDirect port 2 community.
sed -i 's|^agentaddress .*|agentaddress udp:127.0.0.1:16161,udp6:[::1]:16161|' "$W/snmp/snmpd.conf"
printf 'rocommunity6 public ::1\nrocommunity public.2 127.0.0.1\n' >>"$W/snmp/snmpd.conf"
chmod 644 "$W/snmp/snmpd.conf"
hpaio_start_snmpd snmpd "$W/snmp/snmpd.conf" 16161

U=HP_OfficeJet_Pro_9010_series
# The port as an option (HPAIO_SNMP_PORT unset).
snmp_case() {
    run snmp 0 2000 --snmp-port 16161 127.0.0.1
    expect snmp "CUPS URI: hp:/net/$U?ip=127.0.0.1
SANE URI: hpaio:/net/$U?ip=127.0.0.1
HP Fax URI: hpfax:/net/$U?ip=127.0.0.1"
    hpaio_pass "SNMP: HPLIP's three lines in $ELAPSED ms"
}
hpaio_case snmp-three-lines snmp_case
# snmp_env_case NAME WANT ARGS... : the port from HPAIO_SNMP_PORT; the output is exactly WANT
snmp_env_case() {
    local name=$1 want=$2
    shift 2
    export HPAIO_SNMP_PORT=16161
    run "$name" 0 2000 "$@"
    expect "$name" "$want"
}
hpaio_case snmp-cups snmp_env_case cups "hp:/net/$U?ip=127.0.0.1" -c 127.0.0.1
hpaio_case snmp-sane snmp_env_case sane "hpaio:/net/$U?ip=127.0.0.1" -s 127.0.0.1
hpaio_case snmp-fax snmp_env_case fax "hpfax:/net/$U?ip=127.0.0.1" -f 127.0.0.1
hpaio_case snmp-jetdirect-port2 snmp_env_case port2 "hp:/net/$U?ip=127.0.0.1&port=2" -c -p 2 127.0.0.1
hpaio_case snmp-ipv6 snmp_env_case v6 "hpaio:/net/$U?ip=::1" -s ::1
snmp_json_case() {
    export HPAIO_SNMP_PORT=16161
    run json 0 2000 --json 127.0.0.1
    contains json '"source": "snmp"' '"device_id": "MFG:HP;MDL:HP OfficeJet Pro 9010 series;' \
        "\"sane_uri\": \"hpaio:/net/$U?ip=127.0.0.1\"" "\"fax_uri\": \"hpfax:/net/$U?ip=127.0.0.1\""
}
hpaio_case snmp-json snmp_json_case
hpaio_stop snmpd

############################################################################################
# 2. SNMP off: the device's own HTTP descriptions (eSCL on 127.0.0.2, LEDM on [::1]).
http_escl_case() {
    hpaio_start_sim m28 --profile escl-flatbed --listen 127.0.0.2:8080 --log "$W/m28.log"
    run http_escl 0 3500 --timeout 3 127.0.0.2
    expect http_escl "CUPS URI: hp:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.2
SANE URI: hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.2"
    hpaio_pass "SNMP off, eSCL ScannerCapabilities: $ELAPSED ms"
}
hpaio_case http-escl http_escl_case
# The same device has no fax: asked for its fax URI, exit status 1 and why.
http_no_fax_case() {
    hpaio_start_sim m28-fax --profile escl-flatbed --listen 127.0.0.2:8080 --log "$W/m28-fax.log"
    run http_no_fax 1 3500 --timeout 3 -f 127.0.0.2
    errors http_no_fax "hpaio-makeuri: Device does not support fax."
    hpaio_pass "no fax URI: $(cat "$W/http_no_fax.err")"
}
hpaio_case http-escl-no-fax http_no_fax_case
http_ledm_case() {
    hpaio_start_sim envy --profile ledm-flatbed --listen "[::1]:8080" --log "$W/envy.log"
    run http_ledm 0 3500 --timeout 3 --json ::1
    contains http_ledm '"source": "http", ' '"protocol": "LEDM"' '"sane_uri": "hpaio:/net/HP_ENVY_Photo_6200_series?ip=::1"'
    hpaio_pass "SNMP off, LEDM ScanCaps over IPv6: $ELAPSED ms"
}
hpaio_case http-ledm-ipv6 http_ledm_case

############################################################################################
# 3. mDNS: a host name (zc=) and a device that only mDNS describes.
hpaio_start_avahi "$W/avahi"
hpaio_start_sim m28b --profile escl-flatbed --listen 127.0.0.6:8080 --log "$W/m28b.log"
avahi-publish -a -R hpm28.local 127.0.0.6 >"$W/pub1.log" 2>&1 &
HPAIO_PIDS["pub1"]=$!
avahi-publish -a -R hpquiet.local 127.0.0.7 >"$W/pub2.log" 2>&1 &
HPAIO_PIDS["pub2"]=$!
avahi-publish -s -H hpquiet.local "HP OfficeJet Pro 8730 [QQ]" _uscan._tcp 8080 txtvers=1 rs=eSCL \
    "ty=HP OfficeJet Pro 8730" mfg=HP >"$W/pub3.log" 2>&1 &
HPAIO_PIDS["pub3"]=$!
deadline=$((SECONDS + 15))
until grep -q Established "$W/pub1.log" && grep -q Established "$W/pub2.log" && grep -q Established "$W/pub3.log"; do
    ((SECONDS < deadline)) || hpaio_fail "avahi-publish did not establish its records"
    sleep 0.1
done
zc_case() {
    run zc 0 4000 --timeout 3 hpm28
    expect zc "CUPS URI: hp:/net/HP_LaserJet_MFP_M28-M31?zc=hpm28
SANE URI: hpaio:/net/HP_LaserJet_MFP_M28-M31?zc=hpm28"
    hpaio_pass "host name over mDNS: zc=hpm28 in $ELAPSED ms"
}
hpaio_case mdns-host-name zc_case
mdns_only_case() {
    run mdns_only 0 4000 --timeout 3 --json 127.0.0.7
    contains mdns_only '"source": "mdns"' '"token": "HP_OfficeJet_Pro_8730"' \
        '"sane_uri": "hpaio:/net/HP_OfficeJet_Pro_8730?ip=127.0.0.7"'
    hpaio_pass "SNMP and HTTP silent, the mDNS TXT record: $ELAPSED ms"
}
hpaio_case mdns-only mdns_only_case

############################################################################################
# 4. Nothing answers: exit status 1, a clear message, within the timeout.
# dead_case NAME TIMEOUT MAX_MS
dead_case() {
    run "$1" 1 "$3" --timeout "$2" 127.0.0.9
    errors "$1" 'no HP device answers at 127.0.0.9'
    hpaio_pass "nothing at 127.0.0.9, --timeout $2: exit 1 in $ELAPSED ms: $(cat "$W/$1.err")"
}
hpaio_case nothing-answers dead_case dead 2 2500
hpaio_case nothing-answers-timeout-1 dead_case dead_fast 1 1500

# 5. Usage errors: exit status 2, the reason on stderr, nothing on stdout, at once.
# usage_case NAME MESSAGE ARGS...
usage_case() {
    local name=$1 message=$2
    shift 2
    run "$name" 2 1000 "$@"
    errors "$name" "$message"
}
hpaio_case usage-no-address usage_case usage 'an ADDRESS or HOSTNAME is required'
hpaio_case usage-bad-port usage_case badport 'the JetDirect port must be 1, 2 or 3, got 7' -p 7 127.0.0.1
hpaio_case usage-exclusive-modes usage_case exclusive '-c, -s, -f and --json exclude each other' -c -s 127.0.0.1
hpaio_case usage-bad-timeout usage_case badtimeout '--timeout must be more than 0' --timeout 0 127.0.0.1
hpaio_case usage-bad-snmp-port usage_case badsnmpport '--snmp-port must be 1..65535' --snmp-port 70000 127.0.0.1
hpaio_case usage-unknown-option usage_case unknown "unrecognised option '--bogus'" --bogus 127.0.0.1
help_case() {
    run help 0 1000 --help
    grep -q '^Usage: hpaio-makeuri ' "$W/help.out" || { cat "$W/help.out" >&2; hpaio_fail "help: no usage on stdout"; }
    grep -q '^Exit status: 0 found, 1 no HP device answered' "$W/help.out" || hpaio_fail "help: no exit statuses"
}
hpaio_case help help_case

hpaio_finish
