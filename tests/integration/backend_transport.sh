#!/bin/bash
# Integration test of our backend, libsane-hpaio.so.1 through real scanimage and dll (private
# SANE_CONFIG_DIR, SANE_DEBUG_HPAIO=5), against hpaio-sim's transport options, all on the
# escl-adf-duplex profile opened as hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false:
#   https-443           an eSCL device reachable only over HTTPS on 443 (--https 127.0.0.1:443, no
#                       plain listener): the backend finds it after 8080 and 80 are refused, every
#                       request came over TLS, and the page is good
#   https-443-adf       the same, an ADF batch of exactly 2 pages ending at the empty feeder (exit 0)
#   redirect-443        --listen 127.0.0.1:8080 --https 127.0.0.1:443 --redirect-https (the M477fdw):
#                       ScannerCapabilities on 8080 is answered 301, and every later request goes
#                       to https://127.0.0.1:443
#   redirect-8443       the same with HTTPS on 8443, a port the backend would never try itself
#   close-each          --close-each-response on 127.0.0.1:8080: 5 scans, each from a fresh
#                       simulator, each exit 0 with a good page
#   https-close-each    the same over HTTPS on 443
#   gzip                --gzip: the scan works (the backend sends no Accept-Encoding, so nothing
#                       is gzipped)
# Every scanimage exit status is compared exactly, and the loader's trace must show this build's
# libsane-hpaio.so.1. A failing scan shows the end of the backend's debug output.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage
hpaio_use_backend
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
[[ -e $HPAIO_BUILD_DIR/lib/libhpaio-tls.so ]] || hpaio_fail "build libhpaio-tls.so (the backend's HTTPS module) first"
export SANE_DEBUG_HPAIO=5

DEV='hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false'

# scan NAME : a 60x60 mm colour page at 75 dpi into $W/NAME.pnm, exit 0, by our backend, checked
scan() {
    HPAIO_SCAN_SECONDS=60 hpaio_scanimage 0 "$1" -d "$DEV" --format=pnm --source Flatbed --mode Color --resolution 75 \
        -x 60 -y 60
    hpaio_check_ours
    hpaio_check_page "$W/$1.pnm" --resolution 75 --mode color --page 1 --width-mm 60 --height-mm 60
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

# debug_says NAME TEXT : the backend's debug output of NAME has TEXT
debug_says() {
    grep -qF -- "$2" "$W/$1.err" || { tail -n 30 "$W/$1.err" >&2; hpaio_fail "$1: the debug output does not say '$2'"; }
    hpaio_pass "$1: backend says '$2'"
}

https_443() {
    hpaio_start_sim https --profile escl-adf-duplex --https 127.0.0.1:443 --log "$W/https.log"
    scan https-443
    debug_says https-443 "as eSCL on port 443 (TLS)"
    every_request "$W/https.log" 'r.get("tls")' "came over TLS"
}
hpaio_case https-443 https_443

https_443_adf() {
    hpaio_start_sim https-adf --profile escl-adf-duplex --pages 2 --https 127.0.0.1:443 --log "$W/https-adf.log"
    HPAIO_SCAN_IN_DIR=1 HPAIO_SCAN_SECONDS=120 hpaio_scanimage 0 https-adf -d "$DEV" --format=pnm --batch=p%d.pnm \
        --source ADF --mode Gray --resolution 100
    hpaio_check_ours
    grep -q 'Document feeder out of documents' "$W/https-adf.err" ||
        { tail -20 "$W/https-adf.err" >&2; hpaio_fail "the batch did not end with 'Document feeder out of documents'"; }
    local n i
    n=$(find "$W/https-adf" -name 'p*.pnm' | wc -l)
    [[ $n -eq 2 ]] || hpaio_fail "ADF batch over HTTPS: $n pages, expected 2"
    for i in 1 2; do
        hpaio_check_page "$W/https-adf/p$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
    done
    every_request "$W/https-adf.log" 'r.get("tls")' "came over TLS"
}
hpaio_case https-443-adf https_443_adf

# redirect_case NAME HTTPS-PORT : plain 8080 redirects to HTTPS on HTTPS-PORT
redirect_case() {
    local name=$1 port=$2
    hpaio_start_sim "$name" --profile escl-adf-duplex --listen 127.0.0.1:8080 --https "127.0.0.1:$port" --redirect-https \
        --log "$W/$name.log"
    scan "$name"
    local location=https://127.0.0.1
    [[ $port == 443 ]] || location+=":$port"
    hpaio_log_has "$W/$name.log" \
        "not r.get('tls') and r['path']=='/eSCL/ScannerCapabilities' and r['status']==301 and r['location']=='$location/eSCL/ScannerCapabilities'" \
        "ScannerCapabilities on 8080 answered 301 to $location/eSCL/ScannerCapabilities"
    local plain
    plain=$(hpaio_log_count "$W/$name.log" 'not r.get("tls")')
    [[ $plain -eq 1 ]] || hpaio_fail "the backend sent $plain requests over plain http (expected only the first, redirected)"
    hpaio_log_has "$W/$name.log" 'r.get("tls") and r["method"]=="POST" and r["status"]==201' "the job was created over TLS"
}
hpaio_case redirect-443 redirect_case redirect-443 443
hpaio_case redirect-8443 redirect_case redirect-8443 8443

# close_each NAME --listen|--https ADDRESS : 5 scans, each from a fresh simulator that closes every
# connection after its response. A request on a connection after "Connection: close" (RFC 9112
# 9.6: the client must not send another) reaches a closed connection or races with its close.
close_each() {
    local name=$1 option=$2 address=$3 i rc failed=()
    for i in 1 2 3 4 5; do
        hpaio_start_sim "$name-$i" --profile escl-adf-duplex --busy 0 "$option" "$address" --close-each-response \
            --log "$W/$name.log"
        hpaio_run_bounded 60 scanimage -d "$DEV" --format=pnm --source Flatbed --mode Color --resolution 75 -x 40 -y 40 \
            >"$W/$name-$i.pnm" 2>"$W/$name-$i.err"
        rc=$?
        hpaio_stop "$name-$i"
        if ((rc != 0)); then
            failed+=("$i")
            printf '%s scan %d: %s; the backend said:\n' "$name" "$i" "$(hpaio_rc_text "$rc")" >&2
            grep -v '^\[hpaio\] *$' "$W/$name-$i.err" | tail -n 8 >&2
        else
            hpaio_check_page "$W/$name-$i.pnm" --resolution 75 --mode color --page 1 --width-mm 40 --height-mm 40
        fi
    done
    hpaio_check_ours
    ((${#failed[@]} == 0)) || hpaio_fail "scans ${failed[*]} of 5 failed: $(grep -h 'Error during device I/O:' \
        "$W/$name-${failed[0]}.err" | head -n 1 | sed 's/^\[hpaio\] //')"
    every_request "$W/$name.log" 'r.get("close")' "answered with Connection: close"
}
hpaio_case close-each close_each close-each --listen 127.0.0.1:8080
hpaio_case https-close-each close_each https-close-each --https 127.0.0.1:443

gzip_case() {
    hpaio_start_sim gzip --profile escl-adf-duplex --listen 127.0.0.1:8080 --gzip --log "$W/gzip.log"
    scan gzip
    local asked
    asked=$(hpaio_log_count "$W/gzip.log" 'any(h[0].lower()=="accept-encoding" for h in r["headers"])')
    ((asked == 0)) || hpaio_fail "the backend sent Accept-Encoding ($asked requests): test what it does with gzip"
    hpaio_log_none "$W/gzip.log" 'r.get("content_encoding")' "gzipped response (the backend sends no Accept-Encoding)"
}
hpaio_case gzip gzip_case

hpaio_finish
