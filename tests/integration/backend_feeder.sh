#!/bin/bash
# Integration test of our backend's document feeder, duplex and cancel, through real scanimage
# (dll, private SANE_CONFIG_DIR) from each ADF-capable hpaio-sim profile:
#   - an ADF batch of 3 pages and a duplex batch of 2 sheets, page order and front/back checked;
#   - sheets shorter than the window: each page as long as its sheet (SANE lines = -1 unless the
#     page's first bytes give its height);
#   - an empty feeder ("Document feeder out of documents" at once) and a jam ("jammed");
#   - SIGINT in the middle of a page: scanimage ends promptly, the simulator sees the job
#     cancelled (eSCL DELETE, LEDM PUT JobState=Canceled), and the next scan works;
#   - HP firmware behaviours: duplex back sides the device turns 180 degrees (passed on as they
#     come), jobs forgotten as soon as they end (eSCL 410, LEDM 404 after the last page), and LEDM
#     feeder JPEGs with HP's DNL height.
# scanimage's exit status is compared exactly (it exits with the SANE status: 0 for a batch that
# ended at the empty feeder after a page, 7 no documents, 6 jammed, 2 cancelled), and the loader's
# trace must show this build's libsane-hpaio.so.1 in every case.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

hpaio_require_tools scanimage
hpaio_use_backend
export SANE_DEBUG_HPAIO=${SANE_DEBUG_HPAIO:-3}

# batch NAME WANT-RC DEVICE ARGS... : scanimage --batch in $W/NAME/, stderr in $W/NAME.err; its
# exit status must be WANT-RC; BATCH_PAGES is how many pages it wrote
batch() {
    local name=$1 want=$2 dev=$3
    shift 3
    HPAIO_SCAN_IN_DIR=1 HPAIO_SCAN_SECONDS=180 hpaio_scanimage "$want" "$name" -d "$dev" --format=pnm --batch=p%d.pnm "$@"
    BATCH_PAGES=$(find "$W/$name" -name 'p*.pnm' | wc -l)
    [[ -z $(find "$W/$name" -name '*.part') ]] || hpaio_fail "$name: a page was left half written"
    hpaio_check_ours
}

profiles=(
    "ledm-adf-duplex HP_OfficeJet_Pro_9010_series"
    "escl-adf-duplex HP_Color_LaserJet_Pro_M478f-9f"
    "escl-enterprise HP_Color_LaserJet_MFP_E77830"
)

# ADF: 3 sheets, then the end of the batch.
adf_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-adf" --profile "$profile" --listen 127.0.0.1:8080 --pages 3 --log "$W/$profile-adf.log"
    batch "$profile-adf" 0 "$dev" --source ADF --mode Gray --resolution 100
    grep -q 'Document feeder out of documents' "$W/$profile-adf.err" ||
        { tail -20 "$W/$profile-adf.err" >&2; hpaio_fail "$profile ADF batch did not end with 'Document feeder out of documents'"; }
    [[ $BATCH_PAGES -eq 3 ]] || hpaio_fail "$profile ADF batch: $BATCH_PAGES pages, expected 3"
    local i
    for i in 1 2 3; do
        hpaio_check_page "$W/$profile-adf/p$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
    done
}

# Duplex: 2 sheets -> front 1, back 1, front 2, back 2 (Letter length fits every duplexer).
duplex_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-dup" --profile "$profile" --listen 127.0.0.1:8080 --pages 2 --log "$W/$profile-dup.log"
    batch "$profile-dup" 0 "$dev" --source Duplex --mode Color --resolution 75 -y 279.4
    grep -q 'Document feeder out of documents' "$W/$profile-dup.err" ||
        { tail -20 "$W/$profile-dup.err" >&2; hpaio_fail "$profile duplex batch did not end with 'Document feeder out of documents'"; }
    [[ $BATCH_PAGES -eq 4 ]] || hpaio_fail "$profile duplex batch: $BATCH_PAGES images, expected 4"
    local i side
    for i in 1 2 3 4; do
        side=front
        ((i % 2 == 0)) && side=back
        hpaio_check_page "$W/$profile-dup/p$i.pnm" --resolution 75 --mode color --page $(((i + 1) / 2)) --side "$side" \
            --width-mm 215.9 --height-mm 279.4
    done
}

# Empty feeder: no page, the right status, at once.
empty_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-empty" --profile "$profile" --listen 127.0.0.1:8080 --pages 0 --log "$W/$profile-empty.log"
    local start=$SECONDS
    batch "$profile-empty" 7 "$dev" --source ADF --mode Gray --resolution 100
    grep -q 'Document feeder out of documents' "$W/$profile-empty.err" ||
        { tail -20 "$W/$profile-empty.err" >&2; hpaio_fail "$profile empty feeder: expected 'Document feeder out of documents'"; }
    [[ $BATCH_PAGES -eq 0 ]] || hpaio_fail "$profile empty feeder: $BATCH_PAGES pages"
    ((SECONDS - start <= 10)) || hpaio_fail "$profile empty feeder took $((SECONDS - start)) s"
    hpaio_pass "$profile: empty feeder reported in $((SECONDS - start)) s"
}

# Jam on the second sheet: exactly the first page, whole, then JAMMED.
jam_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-jam" --profile "$profile" --listen 127.0.0.1:8080 --pages 3 --fault adf-jam --log "$W/$profile-jam.log"
    batch "$profile-jam" 6 "$dev" --source ADF --mode Gray --resolution 100
    grep -q 'Document feeder jammed' "$W/$profile-jam.err" ||
        { tail -20 "$W/$profile-jam.err" >&2; hpaio_fail "$profile jam: expected 'Document feeder jammed'"; }
    [[ $BATCH_PAGES -eq 1 ]] || hpaio_fail "$profile jam: $BATCH_PAGES pages before the jam, expected 1"
    hpaio_check_page "$W/$profile-jam/p1.pnm" --resolution 100 --mode gray --page 1 --width-mm 215.9 --height-mm 355.6
    hpaio_pass "$profile: jam reported after the first page"
}

# Letter sheets in a feeder scanned with the whole ADF area (Legal) asked for: every page is as long
# as its sheet, not padded to the window. A JPEG page states the sheet's height in its header, so
# sane_start already knows it (scanimage -v: "image of size 850x1100", and it streams the page); LEDM's
# Raw pages, whose BufferInfo announced the window's height, and HP's DNL JPEGs (escl-adf-duplex) are
# told lines = -1 (scanimage -v: "variable height").
short_sheet_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-short" --profile "$profile" --listen 127.0.0.1:8080 --pages 2 --sheet-length-mm 279.4 \
        --log "$W/$profile-short.log"
    local compressions=(JPEG) c i
    [[ $profile == ledm-* ]] && compressions+=(None)
    for c in "${compressions[@]}"; do
        local extra=()
        [[ $c == None ]] && extra=(--compression None)
        batch "$profile-short-$c" 0 "$dev" --source ADF --mode Gray --resolution 100 "${extra[@]}" -v
        [[ $BATCH_PAGES -eq 2 ]] || hpaio_fail "$profile short sheets ($c): $BATCH_PAGES pages, expected 2"
        if [[ $c == None || $profile == escl-adf-duplex ]]; then # Raw, or HP's DNL JPEGs: the height comes last
            grep -q 'variable height' "$W/$profile-short-$c.err" ||
                { tail -20 "$W/$profile-short-$c.err" >&2; hpaio_fail "$profile short sheets ($c): scanimage was not told the height is variable"; }
        else
            [[ $(grep -c 'scanning image of size 850x1100 pixels' "$W/$profile-short-$c.err") -eq 2 ]] ||
                { tail -20 "$W/$profile-short-$c.err" >&2; hpaio_fail "$profile short sheets ($c): scanimage was not told each sheet's height (1100 lines) at sane_start"; }
        fi
        for i in 1 2; do
            hpaio_check_page "$W/$profile-short-$c/p$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 \
                --height-mm 279.4
        done
        hpaio_pass "$profile short sheets ($c): 2 Letter-long pages from a Legal window"
        hpaio_stop "$profile-short"
        hpaio_start_sim "$profile-short" --profile "$profile" --listen 127.0.0.1:8080 --pages 2 --sheet-length-mm 279.4 \
            --log "$W/$profile-short.log"
    done
}

# eSCL: the feeder reports ScannerAdfEmpty as soon as the last sheet is pulled in, while that sheet's
# page is still answered 503 (--adf-empty-early): every sheet still arrives.
empty_early_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-early" --profile "$profile" --listen 127.0.0.1:8080 --pages 3 --adf-empty-early \
        --busy 6 --log "$W/$profile-early.log"
    batch "$profile-early" 0 "$dev" --source ADF --mode Gray --resolution 100
    [[ $BATCH_PAGES -eq 3 ]] || hpaio_fail "$profile empty-early: $BATCH_PAGES pages, expected 3"
    local i
    for i in 1 2 3; do
        hpaio_check_page "$W/$profile-early/p$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
    done
    # The last sheet's page was 503 while the feeder said empty, and the status was read then.
    python3 - "$W/$profile-early.log" <<'PY' || hpaio_fail "$profile empty-early: no status read while the last page was 503"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{") and '"method"' in l]
pages = [i for i, r in enumerate(log) if r["path"].endswith("/NextDocument") and r["status"] == 200]
assert len(pages) == 3, pages
# between the second page and the third: 503s, and a status read among them
between = log[pages[1] + 1:pages[2]]
assert any(r["path"].endswith("/NextDocument") and r["status"] == 503 for r in between)
assert any(r["path"] == "/eSCL/ScannerStatus" for r in between)
PY
}

# eSCL: an empty feeder whose device creates the job anyway (201) and then answers 404
# (--empty-feeder-404): "out of documents" at once; the feeder state is read first, so no job is posted.
empty_404_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-e404" --profile "$profile" --listen 127.0.0.1:8080 --pages 0 --empty-feeder-404 \
        --log "$W/$profile-e404.log"
    local start=$SECONDS
    batch "$profile-e404" 7 "$dev" --source ADF --mode Gray --resolution 100
    [[ $BATCH_PAGES -eq 0 ]] || hpaio_fail "$profile empty-feeder-404: $BATCH_PAGES pages"
    ((SECONDS - start <= 10)) || hpaio_fail "$profile empty-feeder-404 took $((SECONDS - start)) s"
    hpaio_log_none "$W/$profile-e404.log" 'r["method"]=="POST"' "$profile: no job posted (the status said the feeder is empty)"
}

# eSCL: after a jam NextDocument answers 503 for ever and only ScannerStatus says ScannerAdfJam
# (--jam-503): JAMMED after the first page, long before the page timeout.
jam_503_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-jam503" --profile "$profile" --listen 127.0.0.1:8080 --pages 3 --fault adf-jam --jam-503 \
        --log "$W/$profile-jam503.log"
    local start=$SECONDS
    batch "$profile-jam503" 6 "$dev" --source ADF --mode Gray --resolution 100
    [[ $BATCH_PAGES -eq 1 ]] || hpaio_fail "$profile jam-503: $BATCH_PAGES pages before the jam, expected 1"
    ((SECONDS - start <= 15)) || hpaio_fail "$profile jam-503 took $((SECONDS - start)) s"
    hpaio_log_has "$W/$profile-jam503.log" 'r["path"].endswith("/NextDocument") and r["status"]==503' \
        "$profile: NextDocument answered 503 after the jam"
    hpaio_pass "$profile: jam behind 503 reported in $((SECONDS - start)) s"
}

# Back sides the device turns 180 degrees (--rotate-back): passed on as they come, the fronts
# upright and the backs turned (hpaio-pagecheck --rotated), none cropped or padded.
rotated_back_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-rot" --profile "$profile" --listen 127.0.0.1:8080 --pages 2 --rotate-back \
        --log "$W/$profile-rot.log"
    batch "$profile-rot" 0 "$dev" --source Duplex --mode Gray --resolution 100 -y 279.4
    [[ $BATCH_PAGES -eq 4 ]] || hpaio_fail "$profile rotated backs: $BATCH_PAGES images, expected 4"
    local i
    for i in 1 3; do
        hpaio_check_page "$W/$profile-rot/p$i.pnm" --resolution 100 --mode gray --page $(((i + 1) / 2)) \
            --width-mm 215.9 --height-mm 279.4
    done
    for i in 2 4; do
        hpaio_check_page "$W/$profile-rot/p$i.pnm" --resolution 100 --mode gray --page $((i / 2)) --side back --rotated \
            --width-mm 215.9 --height-mm 279.4
    done
}

# Jobs forgotten as soon as they end (--job-expiry-ms 1): after the last page eSCL answers 410
# where 404 was, LEDM 404 to the job; the batch still ends at the empty feeder after its pages.
job_expiry_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-exp" --profile "$profile" --listen 127.0.0.1:8080 --pages 2 --job-expiry-ms 1 \
        --log "$W/$profile-exp.log"
    batch "$profile-exp" 0 "$dev" --source ADF --mode Gray --resolution 100
    grep -q 'Document feeder out of documents' "$W/$profile-exp.err" ||
        { tail -20 "$W/$profile-exp.err" >&2; hpaio_fail "$profile job expiry: the batch did not end at the empty feeder"; }
    [[ $BATCH_PAGES -eq 2 ]] || hpaio_fail "$profile job expiry: $BATCH_PAGES pages, expected 2"
    local i
    for i in 1 2; do
        hpaio_check_page "$W/$profile-exp/p$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 --height-mm 355.6
    done
    if [[ $profile == ledm-* ]]; then
        hpaio_log_has "$W/$profile-exp.log" 'r["path"].startswith("/Jobs/JobList/") and r["status"]==404' "$profile: the ended job answered 404"
    else
        hpaio_log_has "$W/$profile-exp.log" 'r["path"].endswith("/NextDocument") and r["status"]==410' "$profile: NextDocument 410 after the last page"
    fi
}

# LEDM feeder JPEGs in HP's 0xFFFF-height + DNL form (--dnl true): Letter sheets from a Legal window,
# each page as long as its sheet.
ledm_dnl_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-dnl" --profile "$profile" --listen 127.0.0.1:8080 --pages 2 --dnl true \
        --sheet-length-mm 279.4 --log "$W/$profile-dnl.log"
    batch "$profile-dnl" 0 "$dev" --source ADF --mode Color --compression JPEG --resolution 100
    [[ $BATCH_PAGES -eq 2 ]] || hpaio_fail "$profile DNL: $BATCH_PAGES pages, expected 2"
    local i
    for i in 1 2; do
        hpaio_check_page "$W/$profile-dnl/p$i.pnm" --resolution 100 --mode color --page "$i" --width-mm 215.9 --height-mm 279.4
    done
}

# SIGINT in the middle of a page that trickles in.
cancel_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile-cancel" --profile "$profile" --listen 127.0.0.1:8080 --fault slow-drip \
        --log "$W/$profile-cancel.log"
    hpaio_sigint_mid_page "$profile-cancel" -d "$dev" --source Flatbed --mode Color --resolution 300 --format=pnm
    hpaio_check_ours
    if [[ $profile == ledm-* ]]; then
        hpaio_log_has "$W/$profile-cancel.log" 'r["method"]=="PUT" and "Canceled" in r.get("body","")' "$profile: job cancelled with PUT"
    else
        hpaio_log_has "$W/$profile-cancel.log" 'r["method"]=="DELETE" and r["path"].startswith("/eSCL/ScanJobs/")' "$profile: job cancelled with DELETE"
    fi
    # The same device scans again (a small area: the page still trickles in).
    HPAIO_SCAN_SECONDS=60 hpaio_scanimage 0 "$profile-after" -d "$dev" --source Flatbed --mode Gray --resolution 75 \
        -x 40 -y 30 --format=pnm
    hpaio_check_ours
    hpaio_check_page "$W/$profile-after.pnm" --resolution 75 --mode gray --page 1 --width-mm 40 --height-mm 30
}

for entry in "${profiles[@]}"; do
    read -r profile model <<<"$entry"
    dev="hpaio:/net/$model?ip=127.0.0.1&queue=false"
    whats=(adf duplex short_sheet empty jam cancel rotated_back job_expiry)
    [[ $profile == escl-adf-duplex ]] && whats+=(empty_early empty_404 jam_503)
    [[ $profile == ledm-adf-duplex ]] && whats+=(ledm_dnl)
    for what in "${whats[@]}"; do
        hpaio_case "$profile-$what" "${what}_case" "$profile" "$dev"
    done
done

hpaio_finish
