#!/bin/bash
# The option matrix: every combination our backend offers of source x mode x compression, at the
# lowest, the default and the highest resolution, scans a page of the size sane_get_parameters
# promised (and of hpaio-sim's pattern), on every hpaio-sim profile and on every real capability
# document in ../shared/reference/captures served by hpaio-sim --caps (the simulator then accepts
# exactly what that document lists). A combination the backend offers that the device refuses fails.
# The frontend is python-sane (Debian's python3-sane) through SANE's dll (a private SANE_CONFIG_DIR
# naming only hpaio). The scan area is one inch square, so the matrix stays fast.
# Needs root (private network namespace via unshare -n); everything runs on loopback inside it.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

PY=/usr/bin/python3
"$PY" -c 'import sane, PIL' 2>/dev/null || hpaio_fail "python3-sane is not installed (scripts/setup.sh --peers)"
hpaio_use_backend
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
export SANE_DEBUG_HPAIO=${SANE_DEBUG_HPAIO:-1}

cat >"$W/matrix.py" <<'PY'
# matrix.py DEVICE OUTDIR : one line per scan on stdout:
#   FILE SOURCE MODE COMPRESSION RESOLUTION WIDTH_MM HEIGHT_MM
# and exits 1 after listing every combination that failed.
import sys
import sane

dev_name, out = sys.argv[1], sys.argv[2]
sane.init()
dev = sane.open(dev_name)

def values(name):
    if name not in dev.opt or not dev[name].is_active():
        return [None]
    return list(dev[name].constraint)

failures = []
count = 0
for source in values("source"):
    if source is not None:
        dev.source = source
    for mode in values("mode"):
        if mode is not None:
            dev.mode = mode
        for compression in values("compression"):
            if compression is not None:
                dev.compression = compression
            res = dev["resolution"].constraint
            default = dev.resolution
            lowest, highest = (min(res), max(res)) if isinstance(res, list) else (res[0], res[1])
            for resolution in sorted({lowest, default, highest}):
                what = f"source={source} mode={mode} compression={compression} resolution={resolution}"
                try:
                    dev.resolution = resolution
                    dev.tl_x, dev.tl_y = 0.0, 0.0
                    dev.br_x, dev.br_y = 25.4, 25.4
                    promised = dev.get_parameters()  # (format, last, (ppl, lines), depth, bpl)
                    dev.start()
                    started = dev.get_parameters()
                    img = dev.snap()
                except Exception as e:
                    failures.append(f"{what}: {e}")
                    try:
                        dev.cancel()
                    except Exception:
                        pass
                    continue
                ppl, lines = started[2]
                want = (promised[2][0], promised[2][1])
                if lines == -1:
                    # A feeder page: as long as its sheet, at most the window.
                    ok = img.size[0] == ppl and 0 < img.size[1] <= want[1]
                else:
                    ok = img.size == (ppl, lines) and (ppl, lines) == want
                if not ok:
                    failures.append(f"{what}: image {img.size}, promised {want}, after sane_start {started[2]}")
                    continue
                count += 1
                path = f"{out}/{count}.pnm"
                img.save(path, "PPM")
                print(path, source, mode, compression, resolution, flush=True)
dev.close()
sane.exit()
print(f"scanned {count}", file=sys.stderr)
for f in failures:
    print("FAILED " + f, file=sys.stderr)
sys.exit(1 if failures or count == 0 else 0)
PY

# matrix_case NAME MODEL SIM-ARGS... : the whole matrix against one simulated device
matrix_case() {
    local name=$1 model=$2
    shift 2
    local dev="hpaio:/net/$model?ip=127.0.0.1&queue=false"
    # No 503s before pages, no busy state after a job and none after a cancel (python-sane's snap()
    # cancels every feeder job after its page): the matrix is about what scans, and the waits have
    # tests of their own (backend_feeder, scan_job_test).
    hpaio_start_sim "$name" --listen 127.0.0.1:8080 --pages 200 --refill-feeder --busy 0 --status-lag-ms 0 --cancel-lag-ms 0 \
        --log "$W/$name.log" "$@"
    mkdir -p "$W/$name"
    hpaio_run_bounded 300 "$PY" "$W/matrix.py" "$dev" "$W/$name" >"$W/$name.list" 2>"$W/$name.err"
    local rc=$?
    grep -E '^(FAILED|scanned)' "$W/$name.err" >&2
    hpaio_expect_rc "$name: the option matrix" "$rc" 0
    hpaio_check_ours
    # Every page: hpaio-sim's pattern at its resolution (lineart pages come as 8-bit gray from python-sane).
    local file source mode compression resolution m checked=0
    while read -r file source mode compression resolution; do
        case $mode in Color) m=color ;; Gray) m=gray ;; *) m=lineart ;; esac
        "$HPAIO_BIN/hpaio-pagecheck" "$file" --resolution "$resolution" --mode "$m" --page 1 >"$W/check.out" 2>&1 ||
            { cat "$W/check.out" >&2; hpaio_fail "$name: source=$source mode=$mode compression=$compression resolution=$resolution: not the simulator's page"; }
        checked=$((checked + 1))
    done <"$W/$name.list"
    hpaio_pass "$name: $checked combinations scanned, each page of the promised size and the simulator's pattern"
}

profiles=(
    "ledm-adf-duplex HP_OfficeJet_Pro_9010_series"
    "ledm-flatbed HP_ENVY_Photo_6200_series"
    "escl-flatbed HP_LaserJet_MFP_M28-M31"
    "escl-adf-duplex HP_Color_LaserJet_Pro_M478f-9f"
    "escl-legacy HP_ScanJet_Pro_3500_f1"
    "escl-enterprise HP_Color_LaserJet_MFP_E77830"
)
for entry in "${profiles[@]}"; do
    read -r profile model <<<"$entry"
    hpaio_case "$profile" matrix_case "$profile" "$model" --profile "$profile"
done

# Real capability documents: the simulator serves each one and accepts exactly what it lists. The
# model named is one of the document's protocol in models.dat (the backend reads the rest from the
# document itself).
captures=${HPAIO_CAPTURES_DIR:-$HPAIO_SOURCE_DIR/../shared/reference/captures}
if [[ -d $captures ]]; then
    shopt -s nullglob
    documents=("$captures"/*-escl-ScannerCapabilities.xml "$captures"/*-ledm-ScanCaps.xml)
    ((${#documents[@]} >= 8)) || hpaio_fail "only ${#documents[@]} capability documents in $captures"
    for doc in "${documents[@]}"; do
        name=$(basename "$doc" .xml)
        if [[ $name == *-escl-* ]]; then
            hpaio_case "$name" matrix_case "$name" HP_LaserJet_MFP_M28-M31 --profile escl-adf-duplex --caps "$doc"
        else
            hpaio_case "$name" matrix_case "$name" HP_OfficeJet_Pro_9010_series --profile ledm-adf-duplex --caps "$doc"
        fi
    done
elif [[ -n ${CI:-} ]]; then
    hpaio_fail "CI is set, so the real capability documents are required: none at $captures"
else
    printf 'SKIPPED LOUDLY: no real capability documents at %s; only the simulator profiles were scanned\n' "$captures" >&2
fi

hpaio_finish
