#!/bin/bash
# Integration test of hpaio-sim's optional peers:
#   1. --snmpd-conf: the real snmpd answers HP's device-ID OID for the profile, and Debian's hpaio,
#      whose URI has no queue=false so it checks the device ID over SNMP first, then scans.
#   2. --mdns: hpaio-sim publishes itself through a private avahi-daemon; avahi-browse sees
#      _uscan._tcp with HP's TXT keys (lowercase uuid), and sane-airscan finds it by mDNS and scans.
# Needs root (private network namespaces via unshare); loopback only.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage snmpd snmpget avahi-browse setpriv
PAGECHECK=$HPAIO_BIN/hpaio-pagecheck
export DBUS_FATAL_WARNINGS=0
unset DBUS_SYSTEM_BUS_ADDRESS

############################################################################################
# 1. snmpd with hpaio-sim's configuration, then hpaio with its SNMP device-ID check.
mkdir -p "$W/snmp/persist" "$W/snmp-client" "$W/snmpconf"
chmod 777 "$W/snmp/persist"
"$HPAIO_BIN/hpaio-sim" --profile ledm-adf-duplex --snmpd-conf "$W/snmp/snmpd.conf" --snmp-port 16161 \
    --snmp-persist-dir "$W/snmp/persist" 2>/dev/null || hpaio_fail "hpaio-sim --snmpd-conf failed"
chmod 644 "$W/snmp/snmpd.conf"
hpaio_start_snmpd snmpd "$W/snmp/snmpd.conf" 16161
id=$(SNMP_PERSISTENT_DIR=$W/snmp-client snmpget -v1 -c public -Oqv 127.0.0.1:16161 1.3.6.1.4.1.11.2.3.9.1.1.7.0)
[[ $id == *'MDL:HP OfficeJet Pro 9010 series;'* ]] || hpaio_fail "snmpget: unexpected device ID: $id"
hpaio_pass "snmpd answers the HP device-ID OID: $id"

# hpaio sends its SNMP to port 161; net-snmp's client config redirects it to 16161.
printf 'defaultPort 16161\n' >"$W/snmpconf/snmp.conf"
hpaio_sane_config "$W/conf-hpaio" hpaio
hpaio_start_sim ledm --profile ledm-adf-duplex --listen 127.0.0.1:8080 --log "$W/ledm.log"
SANE_CONFIG_DIR=$W/conf-hpaio SNMPCONFPATH=$W/snmpconf SNMP_PERSISTENT_DIR=$W/snmp-client \
    hpaio_run_bounded 120 scanimage -d 'hpaio:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.1' --mode Gray \
    --resolution 75 --format=pnm >"$W/snmp-scan.pnm" 2>"$W/snmp-scan.err" ||
    { cat "$W/snmp-scan.err" >&2; hpaio_fail "hpaio scan with the SNMP device-ID check failed"; }
out=$("$PAGECHECK" "$W/snmp-scan.pnm" --resolution 75 --mode gray --page 1 --width-mm 215.9) || hpaio_fail "$out"
hpaio_pass "hpaio checked the device ID over SNMP and scanned: $out"
hpaio_stop ledm
hpaio_stop snmpd

############################################################################################
# 2. --mdns through a private avahi-daemon, found by avahi-browse and by sane-airscan.
hpaio_start_avahi "$W/avahi"
hpaio_start_sim escl --profile escl-flatbed --listen 127.0.0.1:8081 --mdns --log "$W/escl.log"
browse=""
deadline=$((SECONDS + 15))
while ((SECONDS < deadline)); do
    browse=$(hpaio_run_bounded 10 avahi-browse -rpt _uscan._tcp 2>/dev/null | grep '^=' || true)
    [[ -n $browse ]] && break
    sleep 0.2
done
[[ -n $browse ]] || hpaio_fail "avahi-browse did not see hpaio-sim's _uscan._tcp"
[[ $browse == *'"uuid=5a1e0c3b-0028-4e1d-8a55-00163e0028c3"'* && $browse == *'"rs=eSCL"'* &&
    $browse == *'"ty=HP LaserJet MFP M28-M31"'* && $browse == *';127.0.0.1;8081;'* ]] ||
    hpaio_fail "unexpected _uscan._tcp record: $browse"
hpaio_pass "avahi-browse: $browse"
scanner=$(hpaio_run_bounded 10 avahi-browse -rpt _scanner._tcp 2>/dev/null | grep '^=' || true)
[[ $scanner == *'"ty=HP LaserJet MFP M28-M31"'* ]] || hpaio_fail "no _scanner._tcp record: $scanner"
hpaio_pass "avahi-browse: _scanner._tcp published too"

mkdir -p "$W/conf-airscan"
hpaio_sane_config "$W/conf-airscan" airscan
printf '[options]\ndiscovery = enable\nws-discovery = off\n[debug]\nenable = false\n' >"$W/conf-airscan/airscan.conf"
list=$(SANE_CONFIG_DIR=$W/conf-airscan hpaio_run_bounded 60 scanimage -L 2>&1)
dev=$(sed -n "s/^device \`\(airscan:[^']*\)' is a eSCL .*/\1/p" <<<"$list" | head -n1)
[[ -n $dev ]] || hpaio_fail "sane-airscan did not discover hpaio-sim by mDNS: $list"
hpaio_pass "sane-airscan discovered $dev"
SANE_CONFIG_DIR=$W/conf-airscan hpaio_run_bounded 120 scanimage -d "$dev" --mode Color --resolution 200 \
    --format=pnm >"$W/mdns-scan.pnm" 2>"$W/mdns-scan.err" ||
    { cat "$W/mdns-scan.err" >&2; hpaio_fail "sane-airscan scan through mDNS failed"; }
out=$("$PAGECHECK" "$W/mdns-scan.pnm" --resolution 200 --mode color --page 1 --width-mm 215.9) || hpaio_fail "$out"
hpaio_pass "sane-airscan scanned through mDNS: $out"

echo "PASS: snmpd and avahi peers work with hpaio-sim"
