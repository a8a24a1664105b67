#!/bin/bash
# python-sane (Debian's python3-sane, run by Debian's /usr/bin/python3) scanning from hpaio-sim
# through our backend, loaded by SANE's dll (a private SANE_CONFIG_DIR naming only hpaio), on an
# eSCL and an LEDM profile with a flatbed and a duplex feeder:
#   - a flatbed page (scan()), its size and pattern checked by hpaio-pagecheck;
#   - an ADF batch of 3 Letter sheets from a Legal window, read as multi_scan() does: each page as
#     long as its sheet, python-sane told lines = -1 for a DNL JPEG and the exact height for one whose header has it;
#   - a cancel mid-page (sane_cancel from a second thread once 5 lines are read): the read ends
#     cancelled, the simulator sees the job cancelled, and the same handle scans again;
#   - options set out of range read back as the value the backend used (clamped).
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

PY=/usr/bin/python3
[[ -x $PY ]] || hpaio_fail "Debian's python3 is not installed (scripts/setup.sh --peers)"
"$PY" -c 'import sane, PIL' 2>/dev/null || hpaio_fail "python3-sane is not installed (scripts/setup.sh --peers)"
hpaio_use_backend
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
export SANE_DEBUG_HPAIO=${SANE_DEBUG_HPAIO:-3}

# py NAME SCRIPT-ARGS... : the Python below, with a deadline; its stdout/stderr in $W/NAME.out/.err
py() {
    local name=$1 rc
    shift
    hpaio_run_bounded 120 "$PY" "$W/frontend.py" "$@" >"$W/$name.out" 2>"$W/$name.err"
    rc=$?
    ((rc == 0)) || { tail -n 30 "$W/$name.err" >&2; cat "$W/$name.out" >&2; }
    hpaio_expect_rc "$name: python-sane $*" "$rc" 0
    hpaio_check_ours
}

cat >"$W/frontend.py" <<'PY'
import sys, threading, time
import sane

what, dev_name, out = sys.argv[1], sys.argv[2], sys.argv[3]
sane.init()
dev = sane.open(dev_name)

def save(img, path):
    img.save(path, "PPM")  # P6 for RGB, P5 for L
    print(f"{path} {img.mode} {img.size[0]}x{img.size[1]}")

if what == "flatbed":
    dev.source = "Flatbed"
    dev.mode = "Color"
    dev.resolution = 100
    params = dev.get_parameters()
    img = dev.scan()
    # get_parameters: (format, last_frame, (pixels_per_line, lines), depth, bytes_per_line)
    assert img.size == tuple(params[2]), (img.size, params)
    save(img, out + "/flatbed.pnm")
elif what == "adf":
    dev.source = "ADF"
    dev.mode = "Gray"
    dev.resolution = 100
    # Every page through snap() as multi_scan() reads them, each as long as its sheet. The lines
    # python-sane is told are -1 (known at the page's end) or, when the page's first bytes give its
    # height (a JPEG without DNL), exactly the page's.
    told = []
    n = 0
    while True:
        try:
            dev.start()
        except sane._sane.error as e:
            assert str(e) == "Document feeder out of documents", e
            break
        lines = dev.get_parameters()[2][1]
        img = dev.snap(True, lambda line, total: None)
        n += 1
        save(img, f"{out}/adf{n}.pnm")
        assert lines in (-1, img.size[1]), (lines, img.size)
        told.append(lines)
    print("told " + " ".join(str(t) for t in told))
    print(f"pages {n}")
elif what == "cancel":
    dev.source = "Flatbed"
    dev.mode = "Color"
    dev.resolution = 300
    # SANE lets another thread call sane_cancel while sane_read waits (python-sane releases the GIL
    # there). A progress callback that raises would be the other way, but python-sane 2.9.1 then
    # crashes itself (it releases the callback's NULL result).
    fifty = threading.Event()
    seen = []
    def progress(line, total):
        seen.append(line)
        if line == 5:
            fifty.set()
    canceller = threading.Thread(target=lambda: (fifty.wait(60), dev.cancel()))
    canceller.start()
    dev.start()
    try:
        dev.snap(False, progress)
        raise SystemExit("the page was read to its end despite the cancel")
    except sane._sane.error as e:
        assert "cancel" in str(e).lower(), e
    canceller.join()
    print(f"cancelled after {seen[-1]} lines")
    # The same handle scans again.
    dev.resolution = 75
    dev.br_x, dev.br_y = 40.0, 30.0
    img = dev.scan()
    save(img, out + "/after.pnm")
elif what == "options":
    # Out-of-range values: the backend uses the nearest it can, and says which (read back).
    res = dev["resolution"]
    dev.resolution = 100000
    assert dev.resolution == max(res.constraint), (dev.resolution, res.constraint)
    dev.resolution = 1
    assert dev.resolution == min(res.constraint), dev.resolution
    for name in ("tl_x", "tl_y", "br_x", "br_y"):
        lo, hi, _ = dev[name].constraint
        setattr(dev, name, hi + 500.0)
        assert abs(getattr(dev, name) - hi) < 0.01, (name, getattr(dev, name), hi)
        setattr(dev, name, lo - 500.0)
        assert abs(getattr(dev, name) - lo) < 0.01, (name, getattr(dev, name), lo)
    for name in ("brightness", "contrast"):
        if name in dev.opt and dev[name].is_active():
            lo, hi, _ = dev[name].constraint
            setattr(dev, name, hi + 1000)
            assert getattr(dev, name) == hi, (name, getattr(dev, name))
            setattr(dev, name, lo - 1000)
            assert getattr(dev, name) == lo, (name, getattr(dev, name))
    dev.mode = "NoSuchMode"
    raise SystemExit("an unknown mode was accepted")
dev.close()
sane.exit()
PY

# The last options case ends with an error: an unknown mode must be refused.
options_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile" --profile "$profile" --listen 127.0.0.1:8080 --log "$W/$profile.log"
    hpaio_run_bounded 60 "$PY" "$W/frontend.py" options "$dev" "$W" >"$W/$profile-options.out" 2>"$W/$profile-options.err"
    local rc=$?
    grep -q 'an unknown mode was accepted' "$W/$profile-options.err" && hpaio_fail "$profile: the mode NoSuchMode was accepted"
    grep -q 'AssertionError' "$W/$profile-options.err" && { tail -n 20 "$W/$profile-options.err" >&2; hpaio_fail "$profile: an option read back wrong"; }
    grep -qi 'invalid argument' "$W/$profile-options.err" ||
        { tail -n 20 "$W/$profile-options.err" >&2; hpaio_fail "$profile: NoSuchMode did not fail with 'Invalid argument' (exit $rc)"; }
    hpaio_check_ours
    hpaio_pass "$profile: out-of-range values read back clamped; an unknown mode refused"
}

flatbed_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile" --profile "$profile" --listen 127.0.0.1:8080 --log "$W/$profile.log"
    mkdir -p "$W/$profile-flatbed"
    py "$profile-flatbed" flatbed "$dev" "$W/$profile-flatbed"
    hpaio_check_page "$W/$profile-flatbed/flatbed.pnm" --resolution 100 --mode color --page 1
}

adf_case() {
    local profile=$1 dev=$2
    # 3 sheets, Letter long, scanned with the whole ADF area (Legal) asked for.
    hpaio_start_sim "$profile" --profile "$profile" --listen 127.0.0.1:8080 --pages 3 --sheet-length-mm 279.4 \
        --log "$W/$profile.log"
    mkdir -p "$W/$profile-adf"
    py "$profile-adf" adf "$dev" "$W/$profile-adf"
    grep -qx 'pages 3' "$W/$profile-adf.out" || hpaio_fail "$profile: $(tail -n 1 "$W/$profile-adf.out"), expected 3"
    # escl-adf-duplex sends HP's DNL JPEGs (the height comes at the end); ledm-adf-duplex's JPEGs say it first.
    local told="told -1 -1 -1"
    [[ $profile == ledm-* ]] && told="told 1100 1100 1100"
    grep -qx "$told" "$W/$profile-adf.out" || hpaio_fail "$profile: python-sane was $(grep told "$W/$profile-adf.out"), expected $told"
    local i
    for i in 1 2 3; do
        hpaio_check_page "$W/$profile-adf/adf$i.pnm" --resolution 100 --mode gray --page "$i" --width-mm 215.9 --height-mm 279.4
    done
}

cancel_case() {
    local profile=$1 dev=$2
    hpaio_start_sim "$profile" --profile "$profile" --listen 127.0.0.1:8080 --fault slow-drip --log "$W/$profile.log"
    mkdir -p "$W/$profile-cancel"
    py "$profile-cancel" cancel "$dev" "$W/$profile-cancel"
    if [[ $profile == ledm-* ]]; then
        hpaio_log_has "$W/$profile.log" 'r["method"]=="PUT" and "Canceled" in r.get("body","")' "$profile: job cancelled with PUT"
    else
        hpaio_log_has "$W/$profile.log" 'r["method"]=="DELETE" and r["path"].startswith("/eSCL/ScanJobs/")' "$profile: job cancelled with DELETE"
    fi
    hpaio_check_page "$W/$profile-cancel/after.pnm" --resolution 75 --mode color --page 1 --width-mm 40 --height-mm 30
}

for entry in "escl-adf-duplex HP_Color_LaserJet_Pro_M478f-9f" "ledm-adf-duplex HP_OfficeJet_Pro_9010_series"; do
    read -r profile model <<<"$entry"
    dev="hpaio:/net/$model?ip=127.0.0.1&queue=false"
    for what in flatbed adf cancel options; do
        hpaio_case "$profile-$what" "${what}_case" "$profile" "$dev"
    done
done

hpaio_finish
