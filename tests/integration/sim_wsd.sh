#!/bin/bash
# Integration test: Debian's sane-airscan scans from hpaio-sim's WS-Scan (WSD) profiles through the
# real `scanimage`, with a static device entry (no discovery): "Sim" = http://127.0.0.1:3911/scanner, WSD.
# Every scanimage must exit 0, the loader's trace must show Debian's libsane-airscan, and the pages
# must carry the simulator's pattern (hpaio-pagecheck).
#   wsd-flatbed-color   wsd-flatbed (dib only): a Color platen page, sent as a 24-bit BMP in an MTOM part
#   wsd-flatbed-gray    wsd-flatbed: a Gray sub-area, an 8-bit BMP with a gray palette
#   wsd-warmup          --warmup-ms 2500: CreateScanJob refused while Calibrating; airscan waits, then scans
#   wsd-adf             wsd-adf-duplex: an ADF batch of exactly 3 pages (jfif, which airscan prefers
#                       to dib), one RetrieveImage per page, ending at ClientErrorNoImagesAvailable with
#                       "Document feeder out of documents" (exit 0)
#   wsd-duplex          wsd-adf-duplex: ADFDuplex, 2 sheets -> exactly 4 images, fronts and backs alternating
#   wsd-empty-feeder    --pages 0: CreateScanJob answers ServerErrorNotAcceptingJobs with ScannerState
#                       Idle; exit 7, "Document feeder out of documents", no page
#   wsd-busy-forever    --fault busy-forever: ServerErrorNotAcceptingJobs, State Processing; exit 3,
#                       "Device busy", no page
#   wsd-adf-jam         --fault adf-jam: the second sheet jams (a Receiver fault, then ScannerState
#                       Stopped, reason MediaJam); exit 6, "Document feeder jammed" after exactly one page
#   wsd-discovery       --ws-discovery: a WS-Discovery Probe multicast to 239.255.255.250:3702 on lo
#                       gets ProbeMatches with XAddrs, a WS-Transfer Get there gets the metadata
#                       whose Hosted scan service is http://127.0.0.1:3911/scanner, and sane-airscan
#                       scans a page from that address. (sane-airscan's own WS-Discovery skips
#                       loopback interfaces and addresses, so the Probe is sent by a small client here.)
#   wsd-port-53048      --listen 127.0.0.1:53048 --wsd-path / (the M140w and M478f-9f): the metadata names
#                       http://127.0.0.1:53048/, and sane-airscan scans a page from there (POSTs to /)
#   wsd-lamp-warming    --warmup-reason LampWarming: the status says LampWarming, CreateScanJob is
#                       refused while the lamp warms; airscan waits, then scans
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
hpaio_use_debian_backends airscan

hpaio_airscan_conf "$W/conf-airscan" '"Sim" = http://127.0.0.1:3911/scanner, WSD'
export SANE_CONFIG_DIR=$W/conf-airscan
DEV='airscan:w0:Sim'

# scan NAME ARGS... : one page into $W/NAME.pnm; exit 0, served by Debian's sane-airscan
scan() {
    hpaio_scanimage 0 "$1" -d "$DEV" --format=pnm "${@:2}"
    hpaio_check_backend airscan "$DEB_AIRSCAN" "$1: sane-airscan"
}

# batch NAME PAGES ARGS... : scanimage --batch into $W/NAME/; exactly PAGES images, then the empty feeder
batch() {
    local name=$1 want=$2
    shift 2
    HPAIO_SCAN_IN_DIR=1 HPAIO_SCAN_SECONDS=120 hpaio_scanimage 0 "$name" -d "$DEV" --format=pnm --batch='p%d.pnm' "$@"
    hpaio_check_backend airscan "$DEB_AIRSCAN" "$name: sane-airscan"
    grep -q 'sane_start: Document feeder out of documents' "$W/$name.err" ||
        { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: the batch did not end with 'Document feeder out of documents'"; }
    local n
    n=$(find "$W/$name" -name 'p*.pnm' | wc -l)
    [[ $n -eq $want && -e $W/$name/p$want.pnm ]] || { ls -l "$W/$name" >&2; hpaio_fail "$name: $n images, expected exactly $want"; }
}

wsd_flatbed_color() {
    hpaio_start_sim wsd-flatbed --profile wsd-flatbed --listen 127.0.0.1:3911 --log "$W/wsd-color.log"
    scan wsd-color --source Flatbed --mode Color --resolution 100
    hpaio_check_page "$W/wsd-color.pnm" --resolution 100 --mode color --page 1 --width-mm 215.9 --height-mm 297.011
    hpaio_log_has "$W/wsd-color.log" \
        'r["path"]=="/scanner" and "CreateScanJob</" in r.get("body","") and "<sca:Format>dib</sca:Format>" in r["body"] and r["status"]==200' \
        "airscan created a dib job"
    hpaio_log_has "$W/wsd-color.log" 'r["path"]=="/scanner" and "RetrieveImage</" in r.get("body","") and r["status"]==200' \
        "airscan retrieved the page"
}
hpaio_case wsd-flatbed-color wsd_flatbed_color

wsd_flatbed_gray() {
    hpaio_start_sim wsd-flatbed --profile wsd-flatbed --listen 127.0.0.1:3911 --log "$W/wsd-gray.log"
    scan wsd-gray --source Flatbed --mode Gray --resolution 150 -l 20 -t 30 -x 100 -y 120
    hpaio_check_page "$W/wsd-gray.pnm" --resolution 150 --mode gray --page 1 --tl-x 20 --tl-y 30 --width-mm 100 --height-mm 120
}
hpaio_case wsd-flatbed-gray wsd_flatbed_gray

# --warmup-ms: ScannerStateReason Calibrating and CreateScanJob refused for 2.5 s; airscan asks the
# status, waits and tries again, and gets its page.
wsd_warmup() {
    hpaio_start_sim wsd-warm --profile wsd-flatbed --listen 127.0.0.1:3911 --warmup-ms 2500 --log "$W/wsd-warm.log"
    scan wsd-warmup --source Flatbed --mode Gray --resolution 100 -l 0 -t 0 -x 50 -y 50
    hpaio_check_page "$W/wsd-warmup.pnm" --resolution 100 --mode gray --page 1 --width-mm 50 --height-mm 50
    hpaio_log_has "$W/wsd-warm.log" 'r["path"]=="/scanner" and "CreateScanJob</" in r.get("body","") and r["status"]==500' \
        "airscan was refused while the scanner calibrated"
}
hpaio_case wsd-warmup wsd_warmup

wsd_adf() {
    hpaio_start_sim wsd-adf --profile wsd-adf-duplex --listen 127.0.0.1:3911 --pages 3 --log "$W/wsd-adf.log"
    batch wsd-adf 3 --source ADF --mode Color --resolution 100
    local i
    for i in 1 2 3; do
        hpaio_check_page "$W/wsd-adf/p$i.pnm" --resolution 100 --mode color --page "$i" --width-mm 215.9 --height-mm 355.6
    done
    hpaio_log_has "$W/wsd-adf.log" '"<sca:InputSource>ADF</sca:InputSource>" in r.get("body","") and "<sca:Format>jfif</sca:Format>" in r["body"]' \
        "airscan created an ADF jfif job"
    [[ $(hpaio_log_count "$W/wsd-adf.log" '"RetrieveImage</" in r.get("body","") and r["status"]==200') -eq 3 ]] ||
        hpaio_fail "expected exactly 3 images retrieved"
    hpaio_log_has "$W/wsd-adf.log" '"RetrieveImage</" in r.get("body","") and r["status"]==400' \
        "the batch ended at a fault (ClientErrorNoImagesAvailable)"
}
hpaio_case wsd-adf wsd_adf

wsd_duplex() {
    hpaio_start_sim wsd-duplex --profile wsd-adf-duplex --listen 127.0.0.1:3911 --pages 2 --log "$W/wsd-duplex.log"
    batch wsd-dup 4 --source 'ADF Duplex' --mode Gray --resolution 100
    local i side
    for i in 1 2 3 4; do
        side=front
        ((i % 2 == 0)) && side=back
        hpaio_check_page "$W/wsd-dup/p$i.pnm" --resolution 100 --mode gray --page $(((i + 1) / 2)) --side "$side" \
            --width-mm 215.9 --height-mm 355.6
    done
    hpaio_log_has "$W/wsd-duplex.log" '"<sca:InputSource>ADFDuplex</sca:InputSource>" in r.get("body","")' \
        "airscan created an ADFDuplex job"
}
hpaio_case wsd-duplex wsd_duplex

# fails NAME WANT-RC MESSAGE PAGES SIM-ARGS... -- SCAN-ARGS... : a batch that ends with exit WANT-RC
# and MESSAGE on stderr after exactly PAGES images
fails() {
    local name=$1 want=$2 msg=$3 pages=$4
    shift 4
    local sim=()
    while [[ $1 != -- ]]; do
        sim+=("$1")
        shift
    done
    shift
    hpaio_start_sim "$name" --profile wsd-adf-duplex --listen 127.0.0.1:3911 "${sim[@]}" --log "$W/$name.log"
    HPAIO_SCAN_IN_DIR=1 hpaio_scanimage "$want" "$name" -d "$DEV" --format=pnm --batch='p%d.pnm' "$@"
    hpaio_check_backend airscan "$DEB_AIRSCAN" "$name: sane-airscan"
    grep -q "$msg" "$W/$name.err" || { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: no '$msg'"; }
    local n
    n=$(find "$W/$name" -name 'p*.pnm' | wc -l)
    [[ $n -eq $pages ]] || hpaio_fail "$name: $n images, expected $pages"
    hpaio_pass "$name: exit $want, '$msg', $pages images"
}

wsd_empty_feeder() {
    fails wsd-empty 7 'Document feeder out of documents' 0 --pages 0 -- --source ADF --mode Gray --resolution 100
    hpaio_log_has "$W/wsd-empty.log" '"CreateScanJob</" in r.get("body","") and r["status"]==500' \
        "CreateScanJob was refused (ServerErrorNotAcceptingJobs)"
}
hpaio_case wsd-empty-feeder wsd_empty_feeder

wsd_busy_forever() {
    fails wsd-busy 3 'Device busy' 0 --fault busy-forever -- --source Flatbed --mode Gray --resolution 100
}
hpaio_case wsd-busy-forever wsd_busy_forever

wsd_adf_jam() {
    fails wsd-jam 6 'Document feeder jammed' 1 --pages 3 --fault adf-jam -- --source ADF --mode Gray --resolution 100
    hpaio_check_page "$W/wsd-jam/p1.pnm" --resolution 100 --mode gray --page 1 --width-mm 215.9 --height-mm 355.6
}
hpaio_case wsd-adf-jam wsd_adf_jam

# wsd_discover : prints the scan service address found by WS-Discovery + WS-Transfer Get on lo
wsd_discover() {
    python3 - <<'PY'
import socket, sys, urllib.request, uuid
import xml.etree.ElementTree as ET
SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
DEVPROF = "http://schemas.xmlsoap.org/ws/2006/02/devprof"
mid = "urn:uuid:%s" % uuid.uuid4()
probe = ('<?xml version="1.0"?><soap:Envelope xmlns:soap="%s" xmlns:wsa="%s" xmlns:wsd="%s" xmlns:wsdp="%s">'
         '<soap:Header><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>'
         '<wsa:MessageID>%s</wsa:MessageID><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>'
         '</soap:Header><soap:Body><wsd:Probe><wsd:Types>wsdp:Device</wsd:Types></wsd:Probe></soap:Body>'
         '</soap:Envelope>') % (SOAP, WSA, WSD, DEVPROF, mid)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
s.settimeout(5)
s.sendto(probe.encode(), ("239.255.255.250", 3702))
reply = ET.fromstring(s.recvfrom(65536)[0])
if reply.find("{%s}Header/{%s}RelatesTo" % (SOAP, WSA)).text != mid:
    sys.exit("ProbeMatches does not relate to the Probe")
xaddrs = reply.find(".//{%s}ProbeMatch/{%s}XAddrs" % (WSD, WSD)).text.split()
get = ('<?xml version="1.0"?><soap:Envelope xmlns:soap="%s" xmlns:wsa="%s"><soap:Header>'
       '<wsa:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</wsa:Action>'
       '<wsa:MessageID>urn:uuid:%s</wsa:MessageID><wsa:To>%s</wsa:To></soap:Header><soap:Body/></soap:Envelope>'
       ) % (SOAP, WSA, uuid.uuid4(), xaddrs[0])
req = urllib.request.Request(xaddrs[0], data=get.encode(), headers={"Content-Type": "application/soap+xml"})
meta = ET.fromstring(urllib.request.urlopen(req, timeout=5).read())
for hosted in meta.iter("{%s}Hosted" % DEVPROF):
    if "ScannerServiceType" in (hosted.findtext("{%s}Types" % DEVPROF) or ""):
        print(hosted.find("{%s}EndpointReference/{%s}Address" % (WSA, WSA)).text)
        sys.exit(0)
sys.exit("the metadata names no scan service")
PY
}

wsd_discovery() {
    ip link set lo multicast on || hpaio_fail "cannot enable multicast on lo"
    hpaio_start_sim wsd-disc --profile wsd-flatbed --listen 127.0.0.1:3911 --ws-discovery --log "$W/wsd-disc.log"
    local url
    url=$(wsd_discover) || hpaio_fail "WS-Discovery: $url"
    [[ $url == http://127.0.0.1:3911/scanner ]] || hpaio_fail "WS-Discovery found $url"
    grep -q 'ws-discovery: .* answered ProbeMatches' "$W/wsd-disc.stderr" || hpaio_fail "hpaio-sim did not answer the Probe"
    hpaio_pass "WS-Discovery + WS-Transfer Get found $url"
    hpaio_airscan_conf "$W/conf-disc" "\"Found\" = $url, WSD"
    SANE_CONFIG_DIR=$W/conf-disc hpaio_scanimage 0 wsd-disc -d 'airscan:w0:Found' --format=pnm --mode Gray --resolution 75
    hpaio_check_backend airscan "$DEB_AIRSCAN" "wsd-disc: sane-airscan"
    hpaio_check_page "$W/wsd-disc.pnm" --resolution 75 --mode gray --page 1 --width-mm 215.9 --height-mm 297.011
}
hpaio_case wsd-discovery wsd_discovery

wsd_port_53048() {
    ip link set lo multicast on || hpaio_fail "cannot enable multicast on lo"
    hpaio_start_sim wsd-53048 --profile wsd-flatbed --listen 127.0.0.1:53048 --wsd-path / --ws-discovery \
        --log "$W/wsd-53048.log"
    local url
    url=$(wsd_discover) || hpaio_fail "WS-Discovery: $url"
    [[ $url == http://127.0.0.1:53048/ ]] || hpaio_fail "WS-Discovery found $url, expected http://127.0.0.1:53048/"
    hpaio_airscan_conf "$W/conf-53048" "\"Found\" = $url, WSD"
    SANE_CONFIG_DIR=$W/conf-53048 hpaio_scanimage 0 wsd-53048 -d 'airscan:w0:Found' --format=pnm --mode Color --resolution 75
    hpaio_check_backend airscan "$DEB_AIRSCAN" "wsd-53048: sane-airscan"
    hpaio_check_page "$W/wsd-53048.pnm" --resolution 75 --mode color --page 1 --width-mm 215.9 --height-mm 297.011
    hpaio_log_has "$W/wsd-53048.log" 'r["path"]=="/" and "RetrieveImage</" in r.get("body","") and r["status"]==200' \
        "airscan retrieved the page from /"
    hpaio_log_none "$W/wsd-53048.log" 'r["path"]=="/scanner"' "request to /scanner"
}
hpaio_case wsd-port-53048 wsd_port_53048

# wsd_status_reasons URL : the ScannerStateReason(s) a GetScannerElements of ScannerStatus answers
wsd_status_reasons() {
    python3 - "$1" <<'PY'
import sys, urllib.request, uuid
import xml.etree.ElementTree as ET
SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
WSCN = "http://schemas.microsoft.com/windows/2006/08/wdp/scan"
body = ('<?xml version="1.0"?><soap:Envelope xmlns:soap="%s" xmlns:wsa="%s" xmlns:wscn="%s"><soap:Header>'
        '<wsa:Action>%s/GetScannerElements</wsa:Action><wsa:MessageID>urn:uuid:%s</wsa:MessageID><wsa:To>%s</wsa:To>'
        '</soap:Header><soap:Body><wscn:GetScannerElementsRequest><wscn:RequestedElements>'
        '<wscn:Name>wscn:ScannerStatus</wscn:Name></wscn:RequestedElements></wscn:GetScannerElementsRequest>'
        '</soap:Body></soap:Envelope>') % (SOAP, WSA, WSCN, WSCN, uuid.uuid4(), sys.argv[1])
req = urllib.request.Request(sys.argv[1], data=body.encode(), headers={"Content-Type": "application/soap+xml"})
doc = ET.fromstring(urllib.request.urlopen(req, timeout=5).read())
print(" ".join(r.text for r in doc.iter("{%s}ScannerStateReason" % WSCN)))
PY
}

# --warmup-reason LampWarming: the status says so (asked by a small client, which also powers the
# device on), and airscan waits for it as for calibrating.
wsd_lamp_warming() {
    hpaio_start_sim wsd-lamp --profile wsd-adf-duplex --listen 127.0.0.1:3911 --warmup-ms 2500 \
        --warmup-reason LampWarming --log "$W/wsd-lamp.log"
    local reasons
    reasons=$(wsd_status_reasons http://127.0.0.1:3911/scanner) || hpaio_fail "GetScannerElements failed"
    [[ $reasons == LampWarming ]] || hpaio_fail "ScannerStateReason while warming: '$reasons', expected LampWarming"
    scan wsd-lamp --source Flatbed --mode Gray --resolution 75
    hpaio_check_page "$W/wsd-lamp.pnm" --resolution 75 --mode gray --page 1 --width-mm 215.9 --height-mm 297.011
    hpaio_log_has "$W/wsd-lamp.log" \
        'r["path"]=="/scanner" and "CreateScanJob</" in r.get("body","") and r["status"]==500' \
        "CreateScanJob refused while the lamp warmed"
    hpaio_log_has "$W/wsd-lamp.log" \
        'r["path"]=="/scanner" and "CreateScanJob</" in r.get("body","") and r["status"]==200' "the job taken after"
}
hpaio_case wsd-lamp-warming wsd_lamp_warming

hpaio_finish
