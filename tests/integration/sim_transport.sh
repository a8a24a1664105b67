#!/bin/bash
# Integration test of hpaio-sim's transport options with a client we did not write: Debian's
# sane-airscan scans through the real `scanimage` (static devices, no discovery, unless said), and
# each image has the requested size and the simulator's pattern. Every scanimage must exit with
# exactly the status given, and the loader's trace must show that sane-airscan served it.
#   airscan-https          escl-flatbed on --https 127.0.0.1:8443 alone (no plain listener), the
#                          airscan.conf URL https://127.0.0.1:8443/eSCL: airscan takes the
#                          self-signed certificate; every request came over TLS
#   airscan-https-adf      escl-adf-duplex over HTTPS, an ADF batch of exactly 2 pages ending at the
#                          empty feeder (exit 0)
#   airscan-redirect       --listen 127.0.0.1:8080 --https 127.0.0.1:8443 --redirect-https, the URL
#                          http://127.0.0.1:8080/eSCL: airscan follows the 301 from
#                          ScannerCapabilities and sends everything after it over TLS
#   airscan-close-each     --close-each-response, an ADF batch of exactly 3 pages: one request per
#                          connection, each answered with Connection: close
#   airscan-https-close-each  the same over HTTPS (a TLS handshake per request)
#   airscan-gzip           --gzip: the scan works; sane-airscan sends no Accept-Encoding, so nothing
#                          is gzipped (the gzip path itself is unit-tested: sim_transport_test)
#   Setup: a private avahi-daemon and hpaio-sim --mdns --https 127.0.0.1:8443 (escl-flatbed, HTTPS only)
#   mdns-uscans-record     avahi-browse (exit 0) sees _uscans._tcp on 127.0.0.1:8443 with the TXT
#                          keys of _uscan._tcp (lowercase uuid, rs=eSCL, ty), and no _uscan._tcp
#   airscan-mdns-uscans    sane-airscan with discovery finds it through _uscans._tcp and scans a
#                          good page over TLS
# Needs root (private network namespaces via unshare); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage avahi-browse
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
hpaio_use_debian_backends airscan

# airscan:e0:Sim TLS (https on 8443), airscan:e1:Sim Plain (http on 8080)
hpaio_airscan_conf "$W/conf-airscan" '"Sim TLS" = https://127.0.0.1:8443/eSCL, eSCL' \
    '"Sim Plain" = http://127.0.0.1:8080/eSCL, eSCL'
export SANE_CONFIG_DIR=$W/conf-airscan
TLS_DEV='airscan:e0:Sim TLS'
PLAIN_DEV='airscan:e1:Sim Plain'

# scan NAME DEVICE ARGS... : one page into $W/NAME.pnm; exit 0, served by sane-airscan
scan() {
    hpaio_scanimage 0 "$1" -d "$2" --format=pnm "${@:3}"
    hpaio_check_backend airscan "$DEB_AIRSCAN" "$1: sane-airscan"
    hpaio_pass "$1: exit 0, served by $DEB_AIRSCAN"
}

# batch NAME PAGES DEVICE ARGS... : scanimage --batch into $W/NAME/; it ends at the empty feeder
# (exit 0) after exactly PAGES images, which hpaio-pagecheck accepts as ADF pages 1..PAGES
batch() {
    local name=$1 want=$2 dev=$3 i n
    shift 3
    HPAIO_SCAN_IN_DIR=1 HPAIO_SCAN_SECONDS=120 hpaio_scanimage 0 "$name" -d "$dev" --format=pnm --batch='p%d.pnm' \
        --source ADF --mode Gray --resolution 75 "$@"
    hpaio_check_backend airscan "$DEB_AIRSCAN" "$name: sane-airscan"
    grep -q 'sane_start: Document feeder out of documents' "$W/$name.err" ||
        { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: the batch did not end with 'Document feeder out of documents'"; }
    n=$(find "$W/$name" -name 'p*.pnm' | wc -l)
    [[ $n -eq $want && -e $W/$name/p$want.pnm ]] || { ls -l "$W/$name" >&2; hpaio_fail "$name: $n images, expected exactly $want"; }
    for i in $(seq 1 "$want"); do
        hpaio_check_page "$W/$name/p$i.pnm" --resolution 75 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
    done
}

# every_request LOG EXPR WHAT : every request r in the simulator's log satisfies EXPR (and there is one)
every_request() {
    local all bad
    all=$(hpaio_log_count "$1" 'True')
    bad=$(hpaio_log_count "$1" "not ($2)")
    ((all > 0)) || hpaio_fail "request log: no requests"
    ((bad == 0)) || hpaio_fail "request log: $bad of $all requests are not $3"
    hpaio_pass "request log: all $all requests $3"
}

airscan_https() {
    hpaio_start_sim tls --profile escl-flatbed --https 127.0.0.1:8443 --log "$W/tls.log"
    scan as-tls "$TLS_DEV" --source Flatbed --mode Color --resolution 200
    hpaio_check_page "$W/as-tls.pnm" --resolution 200 --mode color --page 1 --width-mm 215.9 --height-mm 297.011
    every_request "$W/tls.log" 'r.get("tls")' "came over TLS"
    hpaio_log_has "$W/tls.log" 'r["method"]=="POST" and r["status"]==201' "a job was created over TLS"
    grep -q '"event":"tls","detail":"TLSv1' "$W/tls.log" || hpaio_fail "no TLS handshake in the request log"
    hpaio_pass "handshake: $(grep -m1 -o '"event":"tls","detail":"[^"]*"' "$W/tls.log")"
}
hpaio_case airscan-https airscan_https

airscan_https_adf() {
    hpaio_start_sim tls-adf --profile escl-adf-duplex --dnl false --pages 2 --https 127.0.0.1:8443 --log "$W/tls-adf.log"
    batch as-tls-adf 2 "$TLS_DEV"
    every_request "$W/tls-adf.log" 'r.get("tls")' "came over TLS"
}
hpaio_case airscan-https-adf airscan_https_adf

airscan_redirect() {
    hpaio_start_sim redirect --profile escl-flatbed --listen 127.0.0.1:8080 --https 127.0.0.1:8443 --redirect-https \
        --log "$W/redirect.log"
    scan as-redirect "$PLAIN_DEV" --source Flatbed --mode Gray --resolution 200 -x 100 -y 100
    hpaio_check_page "$W/as-redirect.pnm" --resolution 200 --mode gray --page 1 --width-mm 100 --height-mm 100
    hpaio_log_has "$W/redirect.log" \
        'not r.get("tls") and r["path"]=="/eSCL/ScannerCapabilities" and r["status"]==301 and r["location"]=="https://127.0.0.1:8443/eSCL/ScannerCapabilities"' \
        "ScannerCapabilities over http answered 301 to https://127.0.0.1:8443/eSCL/ScannerCapabilities"
    local plain
    plain=$(hpaio_log_count "$W/redirect.log" 'not r.get("tls")')
    [[ $plain -eq 1 ]] || hpaio_fail "airscan sent $plain requests over plain http (expected only the first, redirected)"
    hpaio_log_has "$W/redirect.log" 'r.get("tls") and r["method"]=="POST" and r["status"]==201' \
        "after the redirect the job was created over TLS"
    hpaio_pass "airscan rebased every request after the 301 on https://127.0.0.1:8443"
}
hpaio_case airscan-redirect airscan_redirect

# close_each NAME --listen|--https ADDRESS DEVICE : an ADF batch of 3 from a simulator on ADDRESS
# that closes every connection after its response; one request per connection
close_each() {
    local name=$1 option=$2 address=$3 dev=$4 conns reqs
    hpaio_start_sim "$name" --profile escl-adf-duplex --dnl false --pages 3 "$option" "$address" --close-each-response \
        --log "$W/$name.log"
    batch "as-$name" 3 "$dev"
    every_request "$W/$name.log" 'r.get("close")' "answered with Connection: close"
    reqs=$(hpaio_log_count "$W/$name.log" 'True')
    conns=$(python3 -c 'import json,sys; print(len({r["conn"] for r in map(json.loads, open(sys.argv[1])) if "method" in r}))' \
        "$W/$name.log")
    [[ $conns -eq $reqs ]] || hpaio_fail "$reqs requests on $conns connections: a closed connection was reused"
    hpaio_pass "$reqs requests on $reqs connections"
}
hpaio_case airscan-close-each close_each close-each --listen 127.0.0.1:8080 "$PLAIN_DEV"
hpaio_case airscan-https-close-each close_each tls-close-each --https 127.0.0.1:8443 "$TLS_DEV"

airscan_gzip() {
    hpaio_start_sim gzip --profile escl-flatbed --listen 127.0.0.1:8080 --gzip --log "$W/gzip.log"
    scan as-gzip "$PLAIN_DEV" --source Flatbed --mode Color --resolution 200
    hpaio_check_page "$W/as-gzip.pnm" --resolution 200 --mode color --page 1 --width-mm 215.9 --height-mm 297.011
    local asked
    asked=$(hpaio_log_count "$W/gzip.log" 'any(h[0].lower()=="accept-encoding" and "gzip" in h[1].lower() for h in r["headers"])')
    if ((asked == 0)); then
        hpaio_log_none "$W/gzip.log" 'r.get("content_encoding")' "gzipped response (airscan sends no Accept-Encoding)"
    else
        hpaio_log_has "$W/gzip.log" 'r.get("content_encoding")=="gzip"' "gzipped XML for airscan's Accept-Encoding"
    fi
}
hpaio_case airscan-gzip airscan_gzip

############################################################################################
# --mdns with an HTTPS listener: _uscans._tcp through a private avahi-daemon.
hpaio_start_avahi "$W/avahi"
hpaio_start_sim mdns --profile escl-flatbed --https 127.0.0.1:8443 --mdns --log "$W/mdns.log"

# browse TYPE : REC is avahi-browse's resolved records of TYPE, polled for up to 15 s
browse() {
    local out rc deadline=$((SECONDS + 15))
    while :; do
        out=$(hpaio_run_bounded 10 avahi-browse -rpt "$1" 2>"$W/browse.err")
        rc=$?
        ((rc == 0)) || cat "$W/browse.err" >&2
        hpaio_expect_rc "avahi-browse $1" "$rc" 0
        REC=$(grep '^=' <<<"$out")
        [[ -n $REC ]] && return 0
        ((SECONDS < deadline)) || hpaio_fail "avahi-browse did not see hpaio-sim's $1 within 15 s"
        sleep 0.2
    done
}

mdns_uscans_record() {
    browse _uscans._tcp
    [[ $REC == *'"uuid=5a1e0c3b-0028-4e1d-8a55-00163e0028c3"'* && $REC == *'"rs=eSCL"'* &&
        $REC == *'"ty=HP LaserJet MFP M28-M31"'* && $REC == *';127.0.0.1;8443;'* ]] ||
        hpaio_fail "unexpected _uscans._tcp record: $REC"
    hpaio_pass "avahi-browse: $REC"
    local out
    out=$(hpaio_run_bounded 10 avahi-browse -rpt _uscan._tcp 2>/dev/null | grep '^=')
    [[ -z $out ]] || hpaio_fail "_uscan._tcp published without a plain listener: $out"
}
hpaio_case mdns-uscans-record mdns_uscans_record

airscan_mdns_uscans() {
    hpaio_airscan_conf "$W/conf-mdns" # no devices: discovery on
    local dev
    SANE_CONFIG_DIR=$W/conf-mdns HPAIO_SCAN_SECONDS=60 HPAIO_SCAN_OUT=$W/mdns-list.out hpaio_scanimage 0 mdns-list -L
    dev=$(sed -n "s/^device \`\(airscan:[^']*\)' is a eSCL .*/\1/p" "$W/mdns-list.out" | head -n1)
    [[ -n $dev ]] || hpaio_fail "sane-airscan did not discover hpaio-sim by _uscans._tcp: $(cat "$W/mdns-list.out")"
    hpaio_pass "sane-airscan discovered $dev"
    SANE_CONFIG_DIR=$W/conf-mdns scan mdns-scan "$dev" --mode Gray --resolution 200
    hpaio_check_page "$W/mdns-scan.pnm" --resolution 200 --mode gray --page 1 --width-mm 215.9 --height-mm 297.011
    every_request "$W/mdns.log" 'r.get("tls")' "came over TLS"
}
hpaio_case airscan-mdns-uscans airscan_mdns_uscans

hpaio_finish
