#!/bin/bash
# hpaio-sim's command line, one case each; every exit status is compared exactly, under a deadline
# (a simulator that wrongly accepts its arguments starts serving, and the deadline fails it):
#   help                  --help exits 0 and documents every profile, every fault and the main options
#   list-profiles         --list-profiles exits 0 and lists exactly the eight profiles, in order, each described
#   unknown-profile       --profile nope exits 2 with one line naming it on stderr, nothing on stdout
#   unknown-fault         --fault nope: the same
#   ipv6-without-brackets --listen ::1:80: the same
#   no-profile            no arguments: exit 2, "--profile is required"
#   unknown-option        --bogus: exit 2, "unrecognised option"
#   escl-raw-on-ledm      --escl-raw with an LEDM profile: exit 2, "--escl-raw needs an eSCL profile"
#   both-protocols-on-escl, stopped-on-ledm, bad-framing, bad-escl-404-on: the firmware options'
#                         usage errors, exit 2 with one line naming the option
#   bad-uuid, wsd-path-on-escl, wsd-path-device, wsd-path-xml, bad-warmup-reason, warmup-reason-alone:
#                         the WS-Scan device options' usage errors, exit 2 with one line naming the option
#   caps-on-wsd, mdns-on-wsd  --caps and --mdns with a WS-Scan profile: exit 2, "not available with a
#                         WS-Scan profile"; ws-discovery-on-escl: --ws-discovery needs a WS-Scan profile
#   snmpd-conf            --snmpd-conf exits 0 and writes a loopback agentaddress and HP's device-ID
#                         override for the profile
#   help-transport        --help documents --https, --tls-cert, --tls-key, --redirect-https,
#                         --close-each-response and --gzip
#   redirect-without-https, tls-cert-without-key, tls-cert-without-https, bad-https,
#   unreadable-tls-cert   each exits 2 with one line naming the problem
# Opens no sockets when it passes, so it needs neither root nor a namespace.
source "$(dirname "$0")/lib.sh"
hpaio_workdir
SIM=$HPAIO_BIN/hpaio-sim
[[ -x $SIM ]] || hpaio_fail "build hpaio-sim first"


profiles=(ledm-adf-duplex ledm-flatbed escl-flatbed escl-adf-duplex escl-legacy escl-enterprise wsd-flatbed
    wsd-adf-duplex)
faults=(stall-mid-image reset-mid-image truncated-jpeg malformed-caps huge-caps slow-drip busy-forever adf-jam
    wrong-content-length refuse-after-caps)

help_case() {
    hpaio_expect 0 3 "$SIM" --help >"$W/help.out" 2>"$W/help.err"
    local p f o
    for p in "${profiles[@]}"; do grep -qx "  $p" "$W/help.out" || hpaio_fail "--help does not document profile $p"; done
    for f in "${faults[@]}"; do grep -qx "  $f" "$W/help.out" || hpaio_fail "--help does not document fault $f"; done
    for o in --profile --listen --pages --fault --log --caps --escl-raw --mdns --snmpd-conf --both-protocols \
        --escl-404-on --job-expiry-ms --stopped --strict-input-source --rotate-back --xml-framing --image-framing \
        --refill-feeder --ws-discovery; do
        grep -q -- "$o" "$W/help.out" || hpaio_fail "--help does not mention $o"
    done
    hpaio_pass "--help documents ${#profiles[@]} profiles, ${#faults[@]} faults and the options"
}
hpaio_case help help_case

list_profiles_case() {
    hpaio_expect 0 3 "$SIM" --list-profiles >"$W/list.out" 2>"$W/list.err"
    local got want
    got=$(cut -f1 "$W/list.out" | tr '\n' ' ')
    want="${profiles[*]} "
    [[ $got == "$want" ]] || hpaio_fail "--list-profiles: expected [$want], got [$got]"
    [[ -z $(awk -F'\t' 'NF != 2 || $2 == ""' "$W/list.out") ]] || hpaio_fail "--list-profiles: a line without a description"
    hpaio_pass "--list-profiles: $got"
}
hpaio_case list-profiles list_profiles_case

# usage_error NAME TEXT ARGS... : hpaio-sim ARGS exits 2 with one line on stderr containing TEXT
# and nothing on stdout
usage_error() {
    local name=$1 text=$2
    shift 2
    hpaio_expect 2 3 "$SIM" "$@" >"$W/$name.out" 2>"$W/$name.err"
    [[ ! -s $W/$name.out ]] || hpaio_fail "$name: output on stdout: $(head -n 3 "$W/$name.out")"
    [[ $(wc -l <"$W/$name.err") -eq 1 ]] || hpaio_fail "$name: expected one line on stderr, got: $(cat "$W/$name.err")"
    grep -qF -- "$text" "$W/$name.err" || hpaio_fail "$name: expected '$text' on stderr, got: $(cat "$W/$name.err")"
    hpaio_pass "$name: exit 2, $(cat "$W/$name.err")"
}
hpaio_case unknown-profile usage_error unknown-profile "unknown profile nope" --profile nope
hpaio_case unknown-fault usage_error unknown-fault "unknown fault nope" --profile escl-flatbed --fault nope
hpaio_case ipv6-without-brackets usage_error ipv6-without-brackets "bad --listen ::1:80" --profile escl-flatbed --listen ::1:80
hpaio_case no-profile usage_error no-profile "--profile is required"
hpaio_case unknown-option usage_error unknown-option "unrecognised option '--bogus'" --profile escl-flatbed --bogus
hpaio_case escl-raw-on-ledm usage_error escl-raw-on-ledm "--escl-raw needs an eSCL profile" --profile ledm-flatbed --escl-raw
hpaio_case both-protocols-on-escl usage_error both-protocols-on-escl "--both-protocols needs an LEDM profile" \
    --profile escl-flatbed --both-protocols
hpaio_case stopped-on-ledm usage_error stopped-on-ledm "--stopped needs eSCL" --profile ledm-flatbed --stopped
hpaio_case bad-framing usage_error bad-framing "--image-framing must be chunked or length, not gzip" \
    --profile escl-flatbed --image-framing gzip
hpaio_case bad-escl-404-on usage_error bad-escl-404-on "bad --escl-404-on 80" --profile escl-flatbed --escl-404-on 80
hpaio_case caps-on-wsd usage_error caps-on-wsd "--caps is not available with a WS-Scan profile" \
    --profile wsd-flatbed --caps /dev/null
hpaio_case ws-discovery-on-escl usage_error ws-discovery-on-escl "--ws-discovery needs a WS-Scan profile" \
    --profile escl-flatbed --ws-discovery
hpaio_case mdns-on-wsd usage_error mdns-on-wsd "--mdns is not available with a WS-Scan profile" --profile wsd-adf-duplex --mdns
hpaio_case bad-uuid usage_error bad-uuid "bad --uuid 5a1e-not-a-uuid" --profile wsd-flatbed --uuid 5a1e-not-a-uuid
hpaio_case wsd-path-on-escl usage_error wsd-path-on-escl "--wsd-path needs a WS-Scan profile" \
    --profile escl-flatbed --wsd-path /
hpaio_case wsd-path-device usage_error wsd-path-device "bad --wsd-path /device" --profile wsd-flatbed --wsd-path /device
hpaio_case wsd-path-xml usage_error wsd-path-xml "bad --wsd-path /a&b" --profile wsd-flatbed --wsd-path '/a&b'
hpaio_case bad-warmup-reason usage_error bad-warmup-reason "--warmup-reason must be Calibrating or LampWarming, not Sleeping" \
    --profile wsd-flatbed --warmup-ms 100 --warmup-reason Sleeping
hpaio_case warmup-reason-alone usage_error warmup-reason-alone "--warmup-reason needs --warmup-ms" \
    --profile wsd-flatbed --warmup-reason LampWarming

snmpd_conf_case() {
    hpaio_expect 0 3 "$SIM" --profile escl-adf-duplex --snmpd-conf "$W/snmpd.conf" --snmp-port 16200 2>"$W/snmpd-conf.err"
    grep -qx 'agentaddress udp:127.0.0.1:16200' "$W/snmpd.conf" || hpaio_fail "snmpd.conf: no loopback agentaddress"
    grep -q '^override .1.3.6.1.4.1.11.2.3.9.1.1.7.0 octet_str "MFG:HP;MDL:HP Color LaserJet Pro M478f-9f;' "$W/snmpd.conf" ||
        hpaio_fail "snmpd.conf: no HP device-ID override"
}
hpaio_case snmpd-conf snmpd_conf_case

help_transport_case() {
    hpaio_expect 0 3 "$SIM" --help >"$W/help-transport.out" 2>"$W/help-transport.err"
    local o
    for o in --https --tls-cert --tls-key --redirect-https --close-each-response --gzip; do
        grep -q -- "  $o" "$W/help-transport.out" || hpaio_fail "--help does not document $o"
    done
}
hpaio_case help-transport help_transport_case
hpaio_case redirect-without-https usage_error redirect-without-https "--redirect-https needs --https" \
    --profile escl-flatbed --redirect-https
hpaio_case tls-cert-without-key usage_error tls-cert-without-key "--tls-cert and --tls-key go together" \
    --profile escl-flatbed --https 127.0.0.1:0 --tls-cert "$W/none.pem"
hpaio_case tls-cert-without-https usage_error tls-cert-without-https "--tls-cert needs --https" \
    --profile escl-flatbed --tls-cert "$W/none.pem" --tls-key "$W/none.pem"
hpaio_case bad-https usage_error bad-https "bad --https 127.0.0.1" --profile escl-flatbed --https 127.0.0.1
hpaio_case unreadable-tls-cert usage_error unreadable-tls-cert "cannot read --tls-cert $W/none.pem" \
    --profile escl-flatbed --https 127.0.0.1:0 --tls-cert "$W/none.pem" --tls-key "$W/none.pem"

hpaio_finish
