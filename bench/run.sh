#!/bin/bash
# hpaio benchmarks: our backend next to its anchors, in one run, against the same simulated device.
#
#   bench/run.sh [--quick] [--runs N] [--build DIR] [--out DIR] [--only LIST]
#
#   --quick      1 measured run after the warm-up (smoke test); results go to a scratch directory
#                unless --out is given, so the checked-in bench/RESULTS.md is left alone
#   --runs N     measured runs per figure after one warm-up (default 5)
#   --build DIR  an existing build tree with lib/libsane-hpaio.so.1 and bin/ (default: install the
#                missing Debian packages with scripts/setup.sh --peers and make a Release build in
#                build-release/ first, so that `sudo bench/run.sh` on a fresh machine does it all)
#   --out DIR    where results.tsv, notes.tsv, machine.txt and RESULTS.md go (default: bench/)
#   --only LIST  comma-separated sections: flatbed,adf,longbatch,list,discovery,models,profile,soak,
#                clients (default: all)
#
# Needs root: it re-executes itself in a private network namespace (unshare -n) with only loopback,
# starts hpaio-sim there (and private D-Buses + avahi-daemons for the listing figures), and measures
# real `scanimage` runs with bench-measure (fork/exec/wait4: wall, user+sys CPU, peak RSS).
# Subjects: our backend (LD_LIBRARY_PATH=<build>/lib), Debian's HPLIP hpaio, sane-airscan,
# sane-backends' escl (flatbed only), djpeg, curl.
# Every scanimage writes --format=pnm to /dev/null (ADF batches to files on /dev/shm).
# soak and clients run the integration tests backend_soak.sh (500 cycles) and saned_clients.sh (10
# clients) in this namespace, against this build, and keep their figures in figures.tsv.
# bench/report.py turns results.tsv (and figures.tsv) into RESULTS.md.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$BENCH_DIR/.." && pwd)

RUNS=5
QUICK=0
OUT=""
ONLY="flatbed,adf,longbatch,list,discovery,models,profile,soak,clients"
BUILD=""
args=("$@")
while (($#)); do
    case $1 in
    --quick) QUICK=1; RUNS=1 ;;
    --runs) RUNS=$2; shift ;;
    --build) BUILD=$2; shift ;;
    --out) OUT=$2; shift ;;
    --only) ONLY=$2; shift ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ -z $BUILD ]]; then
    BUILD=$SRC_DIR/build-release
    if [[ -z ${HPAIO_IN_NETNS:-} ]]; then # once, before the re-run in the private namespace
        "$SRC_DIR/scripts/setup.sh" --peers || { echo "bench/run.sh: scripts/setup.sh --peers failed" >&2; exit 2; }
        HPAIO_BUILD_DIR=$BUILD "$SRC_DIR/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release ||
            { echo "bench/run.sh: the Release build in $BUILD failed" >&2; exit 2; }
    fi
    args=(--build "$BUILD" "${args[@]}")
fi
BUILD=$(cd "$BUILD" && pwd) || { echo "bench/run.sh: no build directory $BUILD" >&2; exit 2; }
export HPAIO_BUILD_DIR=$BUILD HPAIO_SOURCE_DIR=$SRC_DIR
if [[ -z $OUT ]]; then
    if ((QUICK)); then OUT=${TMPDIR:-/tmp}/hpaio-bench-quick; else OUT=$BENCH_DIR; fi
fi
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
export BENCH_OUT=$OUT

# shellcheck source=tests/integration/lib.sh
source "$SRC_DIR/tests/integration/lib.sh"
# shellcheck source=tests/integration/mdns_fleet.sh
source "$SRC_DIR/tests/integration/mdns_fleet.sh"
hpaio_enter_netns "${args[@]}"
hpaio_workdir
HPAIO_FINISHED=1 # a benchmark run, not a list of test cases: no count at its end

hpaio_require_tools scanimage djpeg curl python3 avahi-browse
[[ -e $BUILD/lib/libsane-hpaio.so.1 && -x $HPAIO_BIN/hpaio-sim ]] || hpaio_fail "build libsane-hpaio.so.1 and hpaio-sim in $BUILD first"

MEASURE=$HPAIO_BIN/bench-measure
if [[ ! -x $MEASURE ]]; then
    MEASURE=$W/bench-measure
    g++ -std=c++20 -O2 -o "$MEASURE" "$BENCH_DIR/measure.cpp" || hpaio_fail "cannot build bench-measure"
fi

RAW=$OUT/results.tsv
NOTES=$OUT/notes.tsv
printf 'scenario\tsubject\trun\twall_s\tcpu_s\tuser_s\tsys_s\tmaxrss_kib\tstatus\n' >"$RAW"
printf 'scenario\tsubject\tnote\n' >"$NOTES"
note() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$NOTES"; }

# Machine description (the report prints it).
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "nproc: $(nproc)"
    echo "kernel: $(uname -srm)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "build: $BUILD ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || echo unknown))"
    echo "commit: $(git -C "$SRC_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$SRC_DIR" diff --quiet 2>/dev/null || echo ' + uncommitted changes')"
    for p in sane-utils libsane-hpaio sane-airscan libjpeg62-turbo libjpeg-turbo-progs avahi-daemon; do
        echo "package: $p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo '-')"
    done
    echo "runs: $RUNS measured after 1 warm-up"
} >"$OUT/machine.txt"

# measure SCENARIO SUBJECT RUN [-O FILE] [-E FILE] -- COMMAND... : one timed run, one TSV line
measure() {
    local scen=$1 subj=$2 run=$3
    shift 3
    local io=()
    while [[ $1 != -- ]]; do io+=("$1" "$2"); shift 2; done
    shift
    "$MEASURE" -o "$RAW" -l "$scen"$'\t'"$subj"$'\t'"$run" "${io[@]}" -- timeout --kill-after=5 300 "$@"
}

OURS_ENV=(env "LD_LIBRARY_PATH=$BUILD/lib" "SANE_CONFIG_DIR=$W/conf-hpaio")
HPLIP_ENV=(env -u LD_LIBRARY_PATH "SANE_CONFIG_DIR=$W/conf-hpaio" DBUS_FATAL_WARNINGS=0)
AIRSCAN_ENV=(env -u LD_LIBRARY_PATH "SANE_CONFIG_DIR=$W/conf-airscan")
ESCL_ENV=(env -u LD_LIBRARY_PATH "SANE_CONFIG_DIR=$W/conf-escl")
hpaio_sane_config "$W/conf-hpaio" hpaio
hpaio_airscan_conf "$W/conf-airscan" '"Sim" = http://127.0.0.1:8080/eSCL, eSCL' '"SimWsd" = http://127.0.0.1:3911/scanner, WSD'
hpaio_sane_config "$W/conf-escl" escl
echo 'device http://127.0.0.1:8080 HPSim' >"$W/conf-escl/escl.conf" # sane-backends' escl, no discovery needed

OURS_LEDM='hpaio:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.1&queue=false'
HPLIP_LEDM='hpaio:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false'
OURS_ESCL='hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false'
OURS_ESCL_ADF='hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false'
AIRSCAN_ESCL='airscan:e0:Sim'
OURS_WSD='hpaio:/net/hp_laserjet_pro_mfp_m127fn?ip=127.0.0.1&queue=false'
AIRSCAN_WSD='airscan:w1:SimWsd'
SANE_ESCL='escl:http://127.0.0.1:8080'
A4=(-l 0 -t 0 -x 210 -y 297)

# last_post LOG PATH OUTFILE : the body of the last POST to PATH in the simulator's request log
last_post() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
body = None
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    r = json.loads(line)
    if r.get("method") == "POST" and r.get("path") == sys.argv[2]:
        body = r.get("body")
if body is None:
    sys.exit("no POST to %s in %s" % (sys.argv[2], sys.argv[1]))
# HPLIP-style trailers are not the settings
if body.endswith("\r\n0\r\n\r\n"):
    body = body[: -len("\r\n0\r\n\r\n")]
open(sys.argv[3], "w").write(body)
PY
}

# fails RUN : 1 when a run's scanimage failed (the report shows the status)
check_status() {
    local scen=$1 subj=$2 err=$3
    local st
    st=$(tail -n 1 "$RAW" | cut -f9)
    if [[ $st != 0 ]]; then
        hpaio_log "$scen/$subj exited with $st: $(tail -n 3 "$err" | tr '\n' ' ')"
        note "$scen" "$subj" "exit status $st: $(tail -n 2 "$err" | tr '\n\t' '  ' | cut -c1-200)"
    fi
}

section() { [[ ",$ONLY," == *",$1,"* ]]; }

# Profile evidence for the report (sections append to it).
P=$OUT/profile.txt
: >"$P"
# stamp COMMAND... : runs COMMAND (stdout to /dev/null) and prints each line of its stderr with the
# milliseconds since COMMAND was started
stamp() { python3 -u -c '
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
for l in p.stderr:
    sys.stdout.write("%8.1f ms  %s\n" % ((time.monotonic() - t0) * 1000, l[:160].rstrip()))
sys.stdout.write("%8.1f ms  (exit %d)\n" % ((time.monotonic() - t0) * 1000, p.wait()))' "$@"; }

############################################################################################
# 1. Flatbed A4 colour pages.
if section flatbed; then
    # LEDM: ledm-adf-duplex, our backend and HPLIP's on the same page; JPEG and Raw.
    hpaio_start_sim ledm --profile ledm-adf-duplex --page-cache --listen 127.0.0.1:8080 --log "$W/ledm.log"
    for res in 300 600; do
        for fmt in jpeg raw; do
            scen=ledm-$fmt-$res
            comp=JPEG
            [[ $fmt == raw ]] && comp=None
            opts=(--source Flatbed --mode Color --resolution "$res" --compression "$comp" "${A4[@]}" --format=pnm)
            hplip_ok=0
            ((res <= 300)) && hplip_ok=1 # HPLIP offers 75..300 dpi for this model
            ((hplip_ok)) || note "$scen" hplip "not measured: HPLIP offers 75-300 dpi for this model (scanimage -A)"
            for run in $(seq 0 "$RUNS"); do
                hpaio_log "$scen run $run"
                measure "$scen" ours "$run" -O /dev/null -E "$W/err" -- "${OURS_ENV[@]}" scanimage -d "$OURS_LEDM" "${opts[@]}"
                check_status "$scen" ours "$W/err"
                if ((run == 0)); then
                    last_post "$W/ledm.log" /Scan/Jobs "$W/$scen.settings" || hpaio_fail "no LEDM job settings in the log"
                    if [[ $fmt == jpeg ]]; then
                        python3 "$BENCH_DIR/fetch_page.py" --proto ledm --settings "$W/$scen.settings" --out "$W/$scen.jpg" ||
                            hpaio_fail "cannot fetch the LEDM page"
                        note "$scen" djpeg "page JPEG $(stat -c %s "$W/$scen.jpg") bytes"
                    fi
                fi
                if ((hplip_ok)); then
                    measure "$scen" hplip "$run" -O /dev/null -E "$W/err" -- "${HPLIP_ENV[@]}" scanimage -d "$HPLIP_LEDM" "${opts[@]}"
                    check_status "$scen" hplip "$W/err"
                fi
                # The device's side: the page body over HTTP alone (curl), and for JPEG the decode
                # floor (djpeg on the same page) and fetch piped into decode.
                read -r job url < <(python3 "$BENCH_DIR/fetch_page.py" --proto ledm --settings "$W/$scen.settings" --url-only)
                if [[ $fmt == raw ]]; then
                    measure "$scen" transfer "$run" -O /dev/null -E "$W/err" -- curl -sSf -o /dev/null "$url"
                    # Our page phase, comparable with curl: from the page's GET to the end, on the
                    # debug timeline of one more scan (the job's polls before it are the device's time).
                    stamp "${OURS_ENV[@]}" SANE_DEBUG_HPAIO=5 scanimage -d "$OURS_LEDM" "${opts[@]}" >"$W/stamp.txt"
                    python3 - "$W/stamp.txt" "$scen" "$run" >>"$RAW" <<'PY' || hpaio_fail "no page request in our debug timeline"
import re, sys
lines = open(sys.argv[1]).read().splitlines()
get = [float(l.split()[0]) for l in lines if re.search(r"LEDM GET /Scan/Jobs/\d+/Pages/", l)]
end = [float(l.split()[0]) for l in lines if "(exit 0)" in l]
if not get or not end:
    sys.exit(1)
print("%s\tours-page\t%s\t%.6f\t\t\t\t\t0" % (sys.argv[2], sys.argv[3], (end[-1] - get[-1]) / 1000))
PY
                else
                    # shellcheck disable=SC2016  # $1 is expanded by the inner sh
                    measure "$scen" fetch+djpeg "$run" -E "$W/err" -- sh -c 'curl -sSf "$1" | djpeg -outfile /dev/null' sh "$url"
                    measure "$scen" djpeg "$run" -E "$W/err" -- djpeg -outfile /dev/null "$W/$scen.jpg"
                fi
                python3 "$BENCH_DIR/fetch_page.py" --proto ledm --cancel "$job"
            done
        done
    done
    raw600=$(python3 -c "print(round(4960*7016*3/1e6,1))")
    note ledm-raw-600 transfer "page body ${raw600} MB of RGB"
    hpaio_stop ledm

    # eSCL: escl-flatbed, our backend, sane-airscan and sane-backends' escl; JPEG only. The device is ready at once
    # (--busy 0: no 503 before the page; --status-lag-ms 0: Idle as soon as a job ends), so the
    # figures measure the clients rather than their retry policies or the previous client's job.
    hpaio_start_sim escl --profile escl-flatbed --busy 0 --status-lag-ms 0 --page-cache --listen 127.0.0.1:8080 --log "$W/escl.log"
    for res in 300 600; do
        scen=escl-jpeg-$res
        opts=(--source Flatbed --mode Color --resolution "$res" "${A4[@]}" --format=pnm)
        for run in $(seq 0 "$RUNS"); do
            hpaio_log "$scen run $run"
            measure "$scen" ours "$run" -O /dev/null -E "$W/err" -- "${OURS_ENV[@]}" scanimage -d "$OURS_ESCL" "${opts[@]}"
            check_status "$scen" ours "$W/err"
            if ((run == 0)); then
                last_post "$W/escl.log" /eSCL/ScanJobs "$W/$scen.settings" || hpaio_fail "no eSCL job settings in the log"
                python3 "$BENCH_DIR/fetch_page.py" --proto escl --settings "$W/$scen.settings" --out "$W/$scen.jpg" ||
                    hpaio_fail "cannot fetch the eSCL page"
                note "$scen" djpeg "page JPEG $(stat -c %s "$W/$scen.jpg") bytes"
            fi
            measure "$scen" airscan "$run" -O /dev/null -E "$W/err" -- "${AIRSCAN_ENV[@]}" scanimage -d "$AIRSCAN_ESCL" "${opts[@]}"
            check_status "$scen" airscan "$W/err"
            measure "$scen" escl "$run" -O /dev/null -E "$W/err" -- "${ESCL_ENV[@]}" scanimage -d "$SANE_ESCL" "${opts[@]}"
            check_status "$scen" escl "$W/err"
            read -r _ url < <(python3 "$BENCH_DIR/fetch_page.py" --proto escl --settings "$W/$scen.settings" --url-only)
            # shellcheck disable=SC2016  # $1 is expanded by the inner sh
            measure "$scen" fetch+djpeg "$run" -E "$W/err" -- sh -c 'curl -sSf "$1" | djpeg -outfile /dev/null' sh "$url"
            measure "$scen" djpeg "$run" -E "$W/err" -- djpeg -outfile /dev/null "$W/$scen.jpg"
        done
    done
    hpaio_stop escl

    # WS-Scan: wsd-flatbed (an M127fn, which offers only `dib`: an uncompressed bottom-up Windows BMP),
    # our backend and sane-airscan (a static WSD entry) on the same page.
    hpaio_start_sim wsd --profile wsd-flatbed --listen 127.0.0.1:3911 --log "$W/wsd.log"
    scen=wsd-dib-300
    opts=(--source Flatbed --mode Color --resolution 300 "${A4[@]}" --format=pnm)
    for run in $(seq 0 "$RUNS"); do
        hpaio_log "$scen run $run"
        measure "$scen" ours "$run" -O /dev/null -E "$W/err" -- "${OURS_ENV[@]}" scanimage -d "$OURS_WSD" "${opts[@]}"
        check_status "$scen" ours "$W/err"
        measure "$scen" airscan "$run" -O /dev/null -E "$W/err" -- "${AIRSCAN_ENV[@]}" scanimage -d "$AIRSCAN_WSD" "${opts[@]}"
        check_status "$scen" airscan "$W/err"
    done
    note "$scen" ours "page BMP $(python3 -c "print(round((54 + 2480 * 3 * 3508) / 1e6, 1))") MB (24-bit rows, bottom-up)"
    hpaio_stop wsd
fi

############################################################################################
# 2. ADF batch: 10 A4 colour sheets at 300 dpi (JPEG), pages per minute.
if section adf; then
    B=$(mktemp -d /dev/shm/hpaio-bench.XXXXXX)
    batch() { # batch SCEN SUBJ RUN ENV-ARRAY-NAME DEVICE SOURCE
        local scen=$1 subj=$2 run=$3 dev=$5 src=$6
        local -n envv=$4
        rm -f "$B"/*
        measure "$scen" "$subj" "$run" -O /dev/null -E "$W/err" -- "${envv[@]}" scanimage -d "$dev" --source "$src" \
            --mode Color --resolution 300 "${A4[@]}" --format=pnm --batch="$B/p%d.pnm"
        local n
        n=$(find "$B" -name 'p*.pnm' | wc -l)
        if [[ $n -ne 10 ]]; then
            note "$scen" "$subj" "run $run: $n pages instead of 10: $(tail -n 2 "$W/err" | tr '\n\t' '  ' | cut -c1-160)"
            hpaio_log "$scen/$subj: $n pages"
        fi
        rm -f "$B"/*
    }
    # adf_pair SCEN ANCHOR ANCHOR-ENV-NAME ANCHOR-DEVICE OUR-DEVICE SIM-ARGS... : ours, then the
    # anchor, each from a fresh simulator with 10 sheets
    adf_pair() {
        local scen=$1 anchor=$2 anchor_env=$3 anchor_dev=$4 ours_dev=$5 subj
        shift 5
        for subj in ours "$anchor"; do
            hpaio_start_sim adf "$@" --pages 10 --listen 127.0.0.1:8080 --log "$W/adf.log"
            if [[ $subj == ours ]]; then
                batch "$scen" ours "$run" OURS_ENV "$ours_dev" ADF
            else
                batch "$scen" "$anchor" "$run" "$anchor_env" "$anchor_dev" ADF
            fi
            hpaio_stop adf
        done
    }
    for run in $(seq 0 "$RUNS"); do
        hpaio_log "adf run $run"
        adf_pair adf-ledm-300 hplip HPLIP_ENV "$HPLIP_LEDM" "$OURS_LEDM" --profile ledm-adf-duplex
        # sane-airscan cannot decode HP's 0xFFFF-height DNL JPEGs, so the device sends plain ones.
        adf_pair adf-escl-300 airscan AIRSCAN_ENV "$AIRSCAN_ESCL" "$OURS_ESCL_ADF" \
            --profile escl-adf-duplex --dnl false --busy 0 --status-lag-ms 0
    done
    rm -rf "$B"
fi

############################################################################################
# 3. `scanimage -L` with one backend in dll.conf; devices found through a real avahi-daemon.
#    Two daemons on the same loopback, talking mDNS to each other: the "device" daemon, through which
#    the simulators publish (--mdns), and the "host" daemon the scanning clients ask over D-Bus.
#    cold: the host daemon freshly (re)started, its cache empty; warm: the same daemon after the
#    listing and an avahi-browse of both service types have filled its cache. Then both again with
#    WS-Discovery answering on lo (list-wsd-cold, list-wsd).
# shellcheck disable=SC2154  # AVAHI_BUS_device and AVAHI_BUS_host are set by hpaio_start_avahi_on_lo (printf -v)
if section list; then

    hpaio_start_avahi_on_lo device hpaio-sim-device yes
    # Two devices: each simulator on its own loopback address, published under its own host name
    # (discovery takes services of one host name for one device).
    DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_device hpaio_start_sim mdns-ledm --profile ledm-adf-duplex --mdns \
        --mdns-host hpaio-sim-ledm --listen 127.0.0.2:8080 --log "$W/mdns-ledm.log"
    DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_device hpaio_start_sim mdns-escl --profile escl-flatbed --mdns \
        --mdns-host hpaio-sim-escl --listen 127.0.0.3:8080 --log "$W/mdns-escl.log"
    sleep 2 # probing and announcing of the new services (about 1 s)

    hpaio_airscan_conf "$W/conf-airscan-mdns" # no devices: discovery on
    list_one() { # list_one SCEN SUBJ RUN [AIRSCAN-CONF-DIR]
        local scen=$1 subj=$2 run=$3 airscan_conf=${4:-$W/conf-airscan-mdns} e
        case $subj in
        ours) e=(env "LD_LIBRARY_PATH=$BUILD/lib" "SANE_CONFIG_DIR=$W/conf-hpaio") ;;
        hplip) e=(env -u LD_LIBRARY_PATH "SANE_CONFIG_DIR=$W/conf-hpaio" DBUS_FATAL_WARNINGS=0) ;;
        airscan) e=(env -u LD_LIBRARY_PATH "SANE_CONFIG_DIR=$airscan_conf") ;;
        esac
        measure "$scen" "$subj" "$run" -O "$W/list.out" -E "$W/list.err" -- "${e[@]}" "DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host" scanimage -L
        local n
        n=$(grep -c '^device `' "$W/list.out")
        if ((run >= 1)); then
            note "$scen" "$subj" "listed $n device(s)$( ((n > 0)) && printf ': %s' "$(sed -n 's/^device `\([^'"'"']*\)'"'"'.*/\1/p' "$W/list.out" | tr '\n' ' ')")"
        fi
    }
    for run in $(seq 0 "$RUNS"); do
        for subj in ours hplip airscan; do
            hpaio_log "list $subj run $run"
            hpaio_start_avahi_on_lo host hpaio-bench-host no
            list_one list-cold "$subj" "$run"
            seen=$(DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host timeout 5 avahi-browse -rpt _uscan._tcp 2>/dev/null | grep -c '^=')
            DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host timeout 5 avahi-browse -rpt _scanner._tcp >/dev/null 2>&1
            ((run >= 1)) && note list-warm browse "after the cold listing, avahi-browse on the host daemon resolved $seen _uscan._tcp service(s) published by the device daemon"
            list_one list-warm "$subj" "$run"
            hpaio_stop_avahi_on_lo host
        done
    done
    # The warm listing again with WS-Discovery answering, as on a networked machine (above, lo is not
    # multicast-capable, so no Probe goes out): lo made multicast-capable for IPv4 and IPv6 (ff00::/8
    # a local route on lo), and a WS-Scan-only simulator (wsd-flatbed, the M127fn) at 127.0.0.4:3911
    # answering Probes. sane-airscan with its default ws-discovery = fast (its WS-Discovery skips
    # loopback interfaces, so it finds nothing there).
    hpaio_airscan_conf "$W/conf-airscan-wsd"
    sed -i 's/^ws-discovery = off$/ws-discovery = fast/' "$W/conf-airscan-wsd/airscan.conf"
    ip link set lo multicast on && ip -6 route add local ff00::/8 dev lo table local ||
        hpaio_fail "cannot make lo multicast-capable"
    hpaio_start_sim wsd-list --profile wsd-flatbed --listen 127.0.0.4:3911 --ws-discovery --log "$W/wsd-list.log"
    for run in $(seq 0 "$RUNS"); do
        for subj in ours airscan; do
            hpaio_log "list with WS-Discovery, $subj run $run"
            hpaio_start_avahi_on_lo host hpaio-bench-host no
            list_one list-wsd-cold "$subj" "$run" "$W/conf-airscan-wsd"
            DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host timeout 5 avahi-browse -rpt _uscan._tcp >/dev/null 2>&1
            DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host timeout 5 avahi-browse -rpt _scanner._tcp >/dev/null 2>&1
            list_one list-wsd "$subj" "$run" "$W/conf-airscan-wsd"
            hpaio_stop_avahi_on_lo host
        done
    done
    hpaio_stop wsd-list
    ip -6 route del local ff00::/8 dev lo table local
    ip link set lo multicast off
    if section profile; then
        # Where our listing's time goes, warm cache: debug lines with their time since the first.
        hpaio_start_avahi_on_lo host hpaio-bench-host no
        DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host timeout 5 avahi-browse -rpt _uscan._tcp >/dev/null 2>&1
        DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host timeout 5 avahi-browse -rpt _scanner._tcp >/dev/null 2>&1
        {
            echo "### Our backend, scanimage -L with a warm avahi cache: SANE_DEBUG_HPAIO=5, time since scanimage was started"
            stamp env "LD_LIBRARY_PATH=$BUILD/lib" "SANE_CONFIG_DIR=$W/conf-hpaio" "DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host" \
                SANE_DEBUG_HPAIO=5 scanimage -L
            echo
        } >>"$P"
        hpaio_stop_avahi_on_lo host
    fi
    hpaio_stop mdns-ledm
    hpaio_stop mdns-escl
    hpaio_stop_avahi_on_lo device
fi

############################################################################################
# 3b. Discovery at scale: `scanimage -L` with one backend in dll.conf, a fleet of 100 devices and
#     5 services whose host never resolves (tests/integration/mdns_fleet.sh: eSCL and LEDM mixed,
#     each its own host name, 50 with only an IPv4 address, 50 with only an IPv6 one) published as
#     static services of one "device" avahi-daemon; the clients ask a "host" daemon on the same
#     loopback. cold: the host daemon freshly started (its cache empty; it has resolved one other
#     name and run 1 s more, as a long-running daemon would have); warm: the same daemon right after
#     that listing. Ours and sane-airscan (discovery on, WS-Discovery off).
# shellcheck disable=SC2154  # AVAHI_BUS_fleet and AVAHI_BUS_host are set by hpaio_start_avahi_on_lo (printf -v)
if section discovery; then
    FLEET_V4=50 FLEET_V6=50 FLEET_GHOSTS=5
    hpaio_mdns_fleet "$W/fleet" "$FLEET_V4" "$FLEET_V6" "$FLEET_GHOSTS"
    hpaio_mdns_fleet_addresses "$FLEET_V4" "$FLEET_V6"
    echo '127.0.0.250 hpaio-bench-beacon.local' >>"$W/fleet/hosts" # resolved by each fresh host daemon
    sort "$W/fleet/expected" >"$W/fleet-expected.sorted"
    hpaio_start_avahi_on_lo fleet hpaio-fleet-device no "$W/fleet"
    hpaio_avahi_wait_established fleet "$(hpaio_mdns_fleet_groups "$W/fleet")" 60
    sleep 5 # the device daemon announces new services 1, 2 and 4 s after publishing them; a host daemon that heard one would not start cold
    hpaio_airscan_conf "$W/conf-airscan-mdns" # no devices: discovery on
    note discovery-cold fleet "$((FLEET_V4 + FLEET_V6)) devices ($FLEET_V4 IPv4-only, $FLEET_V6 IPv6-only; $(grep -c _uscan "$W"/fleet/services/hpfleet*.service | awk -F: '{n += ($2 > 0)} END {print n}') of them eSCL) and $FLEET_GHOSTS services whose host never resolves"
    # fleet_list SCEN SUBJ RUN : one timed listing through the host daemon; notes what it listed
    fleet_list() {
        local scen=$1 subj=$2 run=$3 e n missing twice
        case $subj in
        ours) e=(env "LD_LIBRARY_PATH=$BUILD/lib" "SANE_CONFIG_DIR=$W/conf-hpaio") ;;
        airscan) e=(env -u LD_LIBRARY_PATH "SANE_CONFIG_DIR=$W/conf-airscan-mdns") ;;
        esac
        measure "$scen" "$subj" "$run" -O "$W/fleet.out" -E "$W/fleet.err" -- "${e[@]}" "DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host" scanimage -L
        check_status "$scen" "$subj" "$W/fleet.err"
        ((run >= 1)) || return 0
        n=$(grep -c '^device `' "$W/fleet.out")
        if [[ $subj == ours ]]; then
            sed -n "s/^device \`\(hpaio:[^']*\)' is a .*/\1/p" "$W/fleet.out" | sort >"$W/fleet.listed"
            missing=$(comm -13 <(sort -u "$W/fleet.listed") "$W/fleet-expected.sorted" | wc -l)
            twice=$(uniq -d "$W/fleet.listed" | wc -l)
            note "$scen" "$subj" "listed $n device(s); fleet: missing=$missing twice=$twice of $((FLEET_V4 + FLEET_V6))"
        else
            note "$scen" "$subj" "listed $n device(s)"
        fi
    }
    for run in $(seq 0 "$RUNS"); do
        for subj in ours airscan; do
            hpaio_log "discovery $subj run $run"
            hpaio_start_avahi_on_lo host hpaio-bench-host no
            DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host timeout 5 avahi-resolve -4 -n hpaio-bench-beacon.local >/dev/null 2>&1 ||
                note discovery-cold "$subj" "run $run: the fresh host daemon did not resolve the beacon host name"
            sleep 1
            fleet_list discovery-cold "$subj" "$run"
            fleet_list discovery-warm "$subj" "$run"
            hpaio_stop_avahi_on_lo host
        done
    done
    if section profile; then
        {
            echo "### Our backend, scanimage -L of the 100-device fleet with a warm avahi cache: SANE_DEBUG_HPAIO=3, time since scanimage was started"
            hpaio_start_avahi_on_lo host hpaio-bench-host no
            DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host timeout 5 avahi-resolve -4 -n hpaio-bench-beacon.local >/dev/null 2>&1
            sleep 1
            env "LD_LIBRARY_PATH=$BUILD/lib" "SANE_CONFIG_DIR=$W/conf-hpaio" "DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host" scanimage -L >/dev/null 2>&1
            stamp env "LD_LIBRARY_PATH=$BUILD/lib" "SANE_CONFIG_DIR=$W/conf-hpaio" "DBUS_SYSTEM_BUS_ADDRESS=$AVAHI_BUS_host" \
                SANE_DEBUG_HPAIO=3 scanimage -L | grep -v '\] device /net/' | cut -c1-400
            hpaio_stop_avahi_on_lo host
            echo
        } >>"$P"
    fi
    hpaio_stop_avahi_on_lo fleet
    hpaio_mdns_fleet_addresses_remove "$FLEET_V4" "$FLEET_V6"
fi

############################################################################################
# 5. Where the time and memory go: evidence for the report (timeline, syscalls, mappings).
if section profile; then
    # ps_rss_top PID : the largest resident mappings of a running process
    rss_top() {
        awk '/^[0-9a-f]+-/ {n = NF >= 6 ? $6 : "[anon]"} /^Rss:/ {r[n] += $2; t += $2}
             END {for (k in r) if (r[k] >= 200) printf "%8d KiB  %s\n", r[k], k; printf "%8d KiB  total\n", t}' "/proc/$1/smaps" | sort -rn
    }
    hpaio_start_sim prof-ledm --profile ledm-adf-duplex --page-cache --listen 127.0.0.1:8080 --log "$W/prof-ledm.log"
    # Warm-ups: the simulator renders each page once, as in the measured runs.
    for c in JPEG:300 None:600 None:300; do
        "${OURS_ENV[@]}" scanimage -d "$OURS_LEDM" --resolution "${c#*:}" --compression "${c%:*}" "${A4[@]}" --format=pnm \
            >/dev/null 2>&1 || hpaio_fail "profile warm-up scan failed ($c)"
    done
    {
        echo "### Our backend, LEDM JPEG 300 dpi A4: SANE_DEBUG_HPAIO=5, time since scanimage was started"
        stamp "${OURS_ENV[@]}" SANE_DEBUG_HPAIO=5 scanimage -d "$OURS_LEDM" --resolution 300 --compression JPEG "${A4[@]}" \
            --format=pnm | grep -v 'Output format'
        echo
        if command -v strace >/dev/null; then
            echo "### Our backend, LEDM Raw 600 dpi A4 (104 MB body): system calls (strace -f -c), top 8"
            "${OURS_ENV[@]}" strace -f -c -o "$W/strace-raw.txt" scanimage -d "$OURS_LEDM" --resolution 600 --compression None \
                "${A4[@]}" --format=pnm >/dev/null 2>&1
            head -n 10 "$W/strace-raw.txt"
            echo
            echo "### Our backend, LEDM JPEG 300 dpi: socket reads and writes with times (strace -tt), first 30"
            "${OURS_ENV[@]}" strace -f -tt -e trace=sendmsg,sendto,recvfrom,connect,setsockopt -e signal=none -s 40 \
                -o "$W/strace-tt.txt" scanimage -d "$OURS_LEDM" --resolution 300 --compression JPEG "${A4[@]}" --format=pnm >/dev/null 2>&1
            head -n 30 "$W/strace-tt.txt" | cut -c1-170
            echo
        fi
    } >>"$P"
    hpaio_stop prof-ledm
    hpaio_start_sim prof-escl --profile escl-flatbed --busy 0 --status-lag-ms 0 --page-cache --listen 127.0.0.1:8080 --log "$W/prof-escl.log"
    "${OURS_ENV[@]}" scanimage -d "$OURS_ESCL" --resolution 600 "${A4[@]}" --format=pnm >/dev/null 2>&1 ||
        hpaio_fail "profile warm-up scan failed"
    {
        echo "### Our backend, eSCL 600 dpi A4: SANE_DEBUG_HPAIO=5, time since scanimage was started"
        stamp "${OURS_ENV[@]}" SANE_DEBUG_HPAIO=5 scanimage -d "$OURS_ESCL" --resolution 600 "${A4[@]}" \
            --format=pnm | grep -v 'Output format'
        echo
        for who in ours airscan; do
            if [[ $who == ours ]]; then e=("${OURS_ENV[@]}") dev=$OURS_ESCL; else e=("${AIRSCAN_ENV[@]}") dev=$AIRSCAN_ESCL; fi
            echo "### $who, eSCL 600 dpi A4: resident mappings 35 ms into the scan, mid-page (KiB >= 200)"
            "${e[@]}" scanimage -d "$dev" --resolution 600 "${A4[@]}" --format=pnm >/dev/null 2>&1 &
            pid=$!
            sleep 0.035
            # env execs scanimage, so $pid is scanimage
            rss_top "$pid" 2>/dev/null | head -n 16
            wait "$pid"
            echo
            echo "### $who, eSCL 600 dpi A4: opening the device only (scanimage -A), peak RSS"
            "$MEASURE" -o "$W/rss-open.tsv" -l "$who" -O /dev/null -E /dev/null -- "${e[@]}" scanimage -d "$dev" -A
            printf '%s KiB\n\n' "$(tail -n 1 "$W/rss-open.tsv" | cut -f6)"
        done
        echo "### scanimage alone (empty dll.conf, scanimage -L), peak RSS"
        hpaio_sane_config "$W/conf-empty"
        : >"$W/conf-empty/dll.conf"
        "$MEASURE" -o "$W/rss-open.tsv" -l none -O /dev/null -E /dev/null -- env SANE_CONFIG_DIR="$W/conf-empty" scanimage -L
        printf '%s KiB\n\n' "$(tail -n 1 "$W/rss-open.tsv" | cut -f6)"
        if command -v strace >/dev/null; then
            for who in ours airscan; do
                if [[ $who == ours ]]; then e=("${OURS_ENV[@]}") dev=$OURS_ESCL; else e=("${AIRSCAN_ENV[@]}") dev=$AIRSCAN_ESCL; fi
                echo "### $who, eSCL 600 dpi A4: system calls (strace -f -c), top 8"
                "${e[@]}" strace -f -c -o "$W/strace-$who.txt" scanimage -d "$dev" --resolution 600 "${A4[@]}" --format=pnm >/dev/null 2>&1
                head -n 10 "$W/strace-$who.txt" | tail -n +1
                echo
                echo "### $who: data written to pipes/sockets other than stdout (strace -f -e write)"
                rm -f "$W/stw-$who".*
                "${e[@]}" strace -ff -e trace=write -e signal=none -o "$W/stw-$who" scanimage -d "$dev" --resolution 600 "${A4[@]}" --format=pnm >/dev/null 2>&1
                cat "$W/stw-$who".* | awk '/^write\(/ { fd = $1; sub(/^write\(/, "", fd); sub(/,.*/, "", fd); n = $NF; if (n ~ /^[0-9]+$/) { b[fd] += n; c[fd]++ } }
                     END { for (f in b) printf "fd %s: %d writes, %.1f MB\n", f, c[f], b[f] / 1e6 }' | sort
                echo "(fd 1 is scanimage's output; the others are the backend's own pipes, eventfds and sockets)"
                echo
            done
        fi
    } >>"$P"
    hpaio_stop prof-escl
fi

############################################################################################
# 4. models.dat parse time (bench-models-parse: median of 21 parses of the installed file).
if section models; then
    for run in $(seq 1 "$RUNS"); do
        line=$("$HPAIO_BIN/bench-models-parse") || hpaio_fail "bench-models-parse failed"
        ms=$(sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' <<<"$line")
        printf 'models-parse\tours\t%s\t%s\t\t\t\t\t0\n' "$run" "$(python3 -c "print($ms/1000)")" >>"$RAW"
        ((run == 1)) && note models-parse ours "$line"
    done
fi

############################################################################################
# Long batches: one duplex feeder batch of the whole stack (eSCL: 50 sheets, 100 pages; LEDM: the
# OfficeJet Pro 9010 feeder's 35 sheets, 70 pages) at 300 dpi, A4 colour, each page written to a
# file on /dev/shm and deleted as soon as it is complete (not --batch=/dev/null: scanimage writes each
# page to NAME.part and renames that onto NAME, which would replace /dev/null with a regular file);
# one run per subject, no warm-up (HPLIP's LEDM batch alone takes minutes). Pages per
# minute, and the scanimage process's resident memory sampled every 50 ms: at the 10th page and at
# the last (figures.tsv: longbatch SCEN SUBJ pages|wall_s|rss10_kib|rss_last_kib|rss_peak_kib).
if section longbatch; then
    longbatch() { # longbatch SCEN SUBJ ENV-ARRAY-NAME DEVICE SOURCE SIM-ARGS...
        local scen=$1 subj=$2 dev=$4 src=$5
        local -n envv=$3
        shift 5
        hpaio_start_sim long "$@" --listen 127.0.0.1:8080 --log /dev/null
        local pages_dir
        pages_dir=$(mktemp -d /dev/shm/hpaio-long.XXXXXX)
        local start=$EPOCHREALTIME
        "${envv[@]}" scanimage -d "$dev" --source "$src" --mode Color --resolution 300 "${A4[@]}" --format=pnm \
            --batch="$pages_dir/p%d.pnm" 2>"$W/long.err" >/dev/null &
        local pid=$! pages=0 rss=0 rss10="" peak=0 last=""
        while kill -0 "$pid" 2>/dev/null; do
            rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$pid/status" 2>/dev/null)
            pages=$(grep -c '^Scanned page' "$W/long.err")
            if [[ -n $rss ]]; then
                ((rss > peak)) && peak=$rss
                [[ -z $rss10 && $pages -ge 10 ]] && rss10=$rss
                last=$rss
            fi
            find "$pages_dir" -name 'p*.pnm' -delete # complete pages only (a page in progress is p*.pnm.part)
            sleep 0.05
        done
        wait "$pid"
        local rc=$?
        rm -rf "$pages_dir"
        ((rc == 0)) || hpaio_log "longbatch $scen/$subj: scanimage exited $rc: $(tail -n 3 "$W/long.err" | tr '\n' ' ')"
        local wall
        wall=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$start" "$EPOCHREALTIME")
        pages=$(grep -c '^Scanned page' "$W/long.err")
        printf 'longbatch\t%s\t%s\tpages\t%s\nlongbatch\t%s\t%s\twall_s\t%s\nlongbatch\t%s\t%s\trss10_kib\t%s\nlongbatch\t%s\t%s\trss_last_kib\t%s\nlongbatch\t%s\t%s\trss_peak_kib\t%s\n' \
            "$scen" "$subj" "$pages" "$scen" "$subj" "$wall" "$scen" "$subj" "${rss10:-0}" "$scen" "$subj" "${last:-0}" \
            "$scen" "$subj" "$peak" >>"$OUT/longbatch.tsv"
        hpaio_log "longbatch $scen/$subj: $pages pages in $wall s, RSS at page 10 ${rss10:-?} KiB, at the end ${last:-?} KiB"
        hpaio_stop long
    }
    : >"$OUT/longbatch.tsv"
    longbatch long-escl-duplex ours OURS_ENV "$OURS_ESCL_ADF" Duplex \
        --profile escl-adf-duplex --dnl false --busy 0 --status-lag-ms 0 --pages 50
    longbatch long-escl-duplex airscan AIRSCAN_ENV "$AIRSCAN_ESCL" "ADF Duplex" \
        --profile escl-adf-duplex --dnl false --busy 0 --status-lag-ms 0 --pages 50
    longbatch long-ledm-duplex ours OURS_ENV "$OURS_LEDM" Duplex --profile ledm-adf-duplex --pages 35
    longbatch long-ledm-duplex hplip HPLIP_ENV "$HPLIP_LEDM" Duplex --profile ledm-adf-duplex --pages 35
fi

############################################################################################
# 6. Days of use and many clients: the integration tests at their full size, their figures
#    (HPAIO_FIGURES) in figures.tsv and each case's verdict ("ok" or the test's reason) with them:
#      soak KEY VALUE / soak sample "CYCLE RSS_KIB"       (tests/integration/backend_soak.sh)
#      clients CASE CLIENT DEVICE OUTCOME TRIES MS      (tests/integration/saned_clients.sh)
#      verdict SECTION CASE TEXT
FIG=$OUT/figures.tsv
: >"$FIG"
# run_test SECTION SCRIPT ENV... : the test in this namespace; its case lines become verdicts
run_test() {
    local sec=$1 script=$2
    shift 2
    env "$@" HPAIO_FIGURES="$FIG" timeout --kill-after=5 600 bash "$SRC_DIR/tests/integration/$script" >"$W/$sec.txt" 2>&1
    local rc=$?
    sed -n 's/^ok   \([^ ]*\) (.*/verdict\t'"$sec"'\t\1\tok/p; s/^FAIL \([^:]*\): \(.*\)/verdict\t'"$sec"'\t\1\t\2/p' "$W/$sec.txt" |
        tr -d '\r' >>"$FIG"
    if ((rc != 0)); then
        hpaio_log "$script: $(hpaio_rc_text "$rc"): $(grep -E '^FAIL' "$W/$sec.txt" | head -n 3 | tr '\n' ' ')"
        grep -q "^verdict"$'\t'"$sec"$'\t' "$FIG" || printf 'verdict\t%s\t%s\t%s\n' "$sec" "$script" "$(hpaio_rc_text "$rc")" >>"$FIG"
    fi
}
if section soak; then
    hpaio_log "soak: 500 open/scan/close cycles in one python-sane process"
    run_test soak backend_soak.sh HPAIO_SOAK_CYCLES=500 HPAIO_SOAK_WARMUP=20
fi
if section clients; then
    hpaio_log "clients: 10 net clients through one saned"
    run_test clients saned_clients.sh HPAIO_CLIENTS=10
fi

echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
# Nothing here may write over /dev/null (scanimage --batch=/dev/null would: it renames NAME.part onto NAME).
[[ -c /dev/null ]] || hpaio_fail "/dev/null is no longer a character device: restore it (mknod -m 666 /dev/null c 1 3)"
python3 "$BENCH_DIR/report.py" "$OUT" || hpaio_fail "report generation failed"
hpaio_log "results: $RAW; report: $OUT/RESULTS.md"
