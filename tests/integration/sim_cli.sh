#!/bin/bash
# hpaio-sim's command line: --help documents every profile and fault, --list-profiles,
# --snmpd-conf, and usage errors. Opens no sockets, so it needs neither root nor a namespace.
set -uo pipefail
: "${HPAIO_BUILD_DIR:?}"
SIM=$HPAIO_BUILD_DIR/bin/hpaio-sim
fail() { echo "FAIL: $*" >&2; exit 1; }

help=$("$SIM" --help) || fail "--help exited with $?"
profiles=(ledm-adf-duplex ledm-flatbed escl-flatbed escl-adf-duplex escl-legacy escl-enterprise)
faults=(stall-mid-image reset-mid-image truncated-jpeg malformed-caps huge-caps slow-drip busy-forever adf-jam
    wrong-content-length refuse-after-caps)
for p in "${profiles[@]}"; do grep -q "^  $p\$" <<<"$help" || fail "--help does not document profile $p"; done
for f in "${faults[@]}"; do grep -q "^  $f\$" <<<"$help" || fail "--help does not document fault $f"; done
for o in --profile --listen --pages --fault --log --caps --mdns --snmpd-conf; do
    grep -q -- "$o" <<<"$help" || fail "--help does not mention $o"
done

list=$("$SIM" --list-profiles) || fail "--list-profiles exited with $?"
[[ $(wc -l <<<"$list") -eq ${#profiles[@]} ]] || fail "--list-profiles: expected ${#profiles[@]} lines: $list"

"$SIM" --profile nope >/dev/null 2>&1
[[ $? -eq 2 ]] || fail "an unknown profile must exit 2"
"$SIM" --profile escl-flatbed --fault nope >/dev/null 2>&1
[[ $? -eq 2 ]] || fail "an unknown fault must exit 2"
"$SIM" --profile escl-flatbed --listen ::1:80 >/dev/null 2>&1
[[ $? -eq 2 ]] || fail "an IPv6 address without brackets must exit 2"
"$SIM" >/dev/null 2>&1
[[ $? -eq 2 ]] || fail "no --profile must exit 2"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$SIM" --profile escl-adf-duplex --snmpd-conf "$W/snmpd.conf" --snmp-port 16200 2>/dev/null || fail "--snmpd-conf failed"
grep -q '^agentaddress udp:127.0.0.1:16200$' "$W/snmpd.conf" || fail "snmpd.conf: no loopback agentaddress"
grep -q '^override .1.3.6.1.4.1.11.2.3.9.1.1.7.0 octet_str "MFG:HP;MDL:HP Color LaserJet Pro M478f-9f;' "$W/snmpd.conf" ||
    fail "snmpd.conf: no HP device-ID override"
echo "PASS: hpaio-sim command line"
