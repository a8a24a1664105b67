#!/bin/bash
# Many clients: one saned (standalone, `saned -l`, dropping to the `saned` user, as
# saned_sharing.sh runs it) shares two simulated devices through our backend, an eSCL one
# (escl-adf-duplex) and an LEDM one (ledm-adf-duplex), each with a feeder of 3 sheets refilled
# whenever it runs out. HPAIO_CLIENTS (10 by default) `net`-backend scanimage clients, half on each
# device, each scan a batch of 3 pages from the feeder (--batch-count 3):
#   - at-once: all start together; each one gets its 3 pages (checked with hpaio-pagecheck) or
#     fails cleanly with "Device busy" (exit 3, no page) and nothing else; no client hangs (each is
#     bounded by a deadline, and a timeout is a failure); each device serves at least one client;
#   - queue: all start together and each one that is told "Device busy" tries again a moment later,
#     until it has its pages: every client gets them.
# After each case both devices are idle with no job left in progress, saned still runs and every
# process it forked for a connection has exited (a backend whose sane_exit left a thread or a
# socket behind would keep it alive). saned's standalone mode forks one process per connection, so
# the clients really run at once; the case reports how many of its processes were seen at once,
# and the total time. dll's debug log must show that every connection loaded our backend.
# HPAIO_FIGURES=FILE: each client's outcome, tries and time are also appended to FILE (bench/run.sh
# --only clients).
# Needs root (private network namespace; saned -u). Loopback only.
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

command -v saned >/dev/null || hpaio_fail "saned is not installed (scripts/setup.sh --peers)"
id saned >/dev/null 2>&1 || hpaio_fail "there is no 'saned' user (the sane-utils package creates it)"
[[ -e $HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1 ]] || hpaio_fail "build libsane-hpaio.so.1 first"
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"
CLIENTS=${HPAIO_CLIENTS:-10}
PAGES=3
CLIENT_SECONDS=40 # one client's deadline (one scanimage run; in the queue, all its tries); a batch takes < 10 s

# The saned user must be able to read our library and the configuration.
lib_dir=$W/lib
mkdir -p "$lib_dir" && cp -L "$HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1" "$lib_dir/"
DEV_A='hpaio:/net/HP_Color_LaserJet_Pro_M478f-9f?ip=127.0.0.1&queue=false'
DEV_B='hpaio:/net/HP_OfficeJet_Pro_9010_series?ip=127.0.0.2&queue=false'
mkdir -p "$W/srv/dll.d" "$W/cli/dll.d" "$W/out"
echo hpaio >"$W/srv/dll.conf"
printf '127.0.0.1\n' >"$W/srv/saned.conf"
printf 'device %s\ndevice %s\ndiscovery off\n' "$DEV_A" "$DEV_B" >"$W/srv/hpaio.conf"
echo net >"$W/cli/dll.conf"
# saned listens with a backlog of one: connections beyond it are retried by the client's kernel
# (a second later, then three); the connect deadline leaves room for that.
printf 'connect_timeout = 20\n127.0.0.1\n' >"$W/cli/net.conf"
chmod -R a+rX "$W"
chmod 777 "$W/out"

hpaio_start_sim dev-a --profile escl-adf-duplex --listen 127.0.0.1:8080 --pages "$PAGES" --refill-feeder --log "$W/dev-a.log"
hpaio_start_sim dev-b --profile ledm-adf-duplex --listen 127.0.0.2:8080 --pages "$PAGES" --refill-feeder --log "$W/dev-b.log"

(cd "$W/out" && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SANE_CONFIG_DIR="$W/srv" LD_LIBRARY_PATH="$lib_dir" \
    SANE_DEBUG_HPAIO=1 SANE_DEBUG_DLL=3 DBUS_FATAL_WARNINGS=0 \
    saned -l -e -d 3 -b 127.0.0.1 -p 6566 -u saned) >"$W/saned.log" 2>&1 &
HPAIO_PIDS[saned]=$!
hpaio_wait_port 127.0.0.1 6566 10 || { cat "$W/saned.log" >&2; hpaio_fail "saned did not start"; }

# device_of N : the device client N scans (odd: A, even: B)
device_of() { if (($1 % 2)); then echo "$DEV_A"; else echo "$DEV_B"; fi; }

# client N RETRY : one client's batch into $W/CASE/cN/ (rc in cN.rc, stderr in cN.err, tries in
# cN.tries); RETRY=1: again after "Device busy", until its deadline
client() {
    local n=$1 retry=$2 d=$W/$CASE/c$1 rc tries=0 deadline=$((SECONDS + CLIENT_SECONDS)) start
    start=$(hpaio_now_ms)
    mkdir -p "$d" && chmod 777 "$d"
    while :; do
        tries=$((tries + 1))
        rm -f "$d"/p*.pnm
        (cd "$d" && SANE_CONFIG_DIR=$W/cli timeout --kill-after=5 $((deadline - SECONDS)) scanimage -d "net:127.0.0.1:$(device_of "$n")" \
            --source ADF --mode Gray --resolution 75 -x 50 -y 50 --format=pnm --batch=p%d.pnm --batch-count "$PAGES") \
            >/dev/null 2>"$d.err"
        rc=$?
        if ((retry && rc == 3 && SECONDS < deadline - 1)) && grep -q 'Device busy' "$d.err"; then
            sleep 0.2
        else
            break
        fi
    done
    echo "$rc" >"$d.rc"
    echo "$tries" >"$d.tries"
    echo $(($(hpaio_now_ms) - start)) >"$d.ms"
}

# saned_children : how many processes saned has forked that are still running
saned_children() { pgrep -c -P "${HPAIO_PIDS[saned]}" || true; }

# run_clients RETRY : all clients at once; sets ELAPSED_MS and MAX_CHILDREN
run_clients() {
    local retry=$1 n pids=() start
    mkdir -p "$W/$CASE"
    start=$(hpaio_now_ms)
    for n in $(seq 1 "$CLIENTS"); do
        client "$n" "$retry" &
        pids+=($!)
    done
    MAX_CHILDREN=0
    local running=1 c
    while ((running)); do
        running=0
        for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && running=1; done
        c=$(saned_children)
        ((c > MAX_CHILDREN)) && MAX_CHILDREN=$c
        ((running)) && sleep 0.05
    done
    for p in "${pids[@]}"; do wait "$p"; done
    ELAPSED_MS=$(($(hpaio_now_ms) - start))
    [[ -n ${HPAIO_FIGURES:-} ]] && record_figures
}

# record_figures : for bench/run.sh, one line per client and one for the case, tab-separated:
#   clients CASE cN A|B pages|busy|exit-N|timeout TRIES MS  /  clients CASE total - saned-processes=N - MS
record_figures() {
    local n d rc outcome
    for n in $(seq 1 "$CLIENTS"); do
        d=$W/$CASE/c$n
        rc=$(cat "$d.rc")
        if ((rc == 0)) && [[ $(find "$d" -name 'p*.pnm' | wc -l) -eq $PAGES ]]; then
            outcome=pages
        elif ((rc == 3)) && grep -q 'Device busy' "$d.err"; then
            outcome=busy
        elif ((rc == 124 || rc == 137)); then
            outcome=timeout
        else
            outcome=exit-$rc
        fi
        printf 'clients\t%s\tc%d\t%s\t%s\t%s\t%s\n' "$CASE" "$n" "$( ((n % 2)) && echo A || echo B)" "$outcome" \
            "$(cat "$d.tries")" "$(cat "$d.ms")" >>"$HPAIO_FIGURES"
    done
    printf 'clients\t%s\ttotal\t-\tsaned-processes=%s\t-\t%s\n' "$CASE" "$MAX_CHILDREN" "$ELAPSED_MS" >>"$HPAIO_FIGURES"
}

# check_client N : exit 0 and its pages, or exit 3 "Device busy" and none; prints ok or busy
check_client() {
    local n=$1 d=$W/$CASE/c$1 rc pages i out
    rc=$(cat "$d.rc")
    pages=$(find "$d" -name 'p*.pnm' | wc -l)
    if ((rc == 0)); then
        ((pages == PAGES)) || hpaio_fail "client $n: exit 0 with $pages page(s), expected $PAGES"
        for i in $(seq 1 "$PAGES"); do
            out=$("$HPAIO_BIN/hpaio-pagecheck" "$d/p$i.pnm" --resolution 75 --mode gray --page "$i" --width-mm 50 --height-mm 50 2>&1) ||
                hpaio_fail "client $n page $i: $out"
        done
        echo ok
    elif ((rc == 3)) && grep -q 'Device busy' "$d.err"; then
        ((pages == 0)) || hpaio_fail "client $n: Device busy after $pages page(s)"
        echo busy
    else
        tail -n 5 "$d.err" >&2
        hpaio_expect_rc "client $n ($(device_of "$n"))" "$rc" 0
    fi
}

# check_after : devices idle, nothing left running, saned alive, its connection processes gone,
# and every connection served by our backend
check_after() {
    # (an eSCL device says Processing for a moment after a job ends; a job left running would
    # keep it so for 30 s, until the device gives it up)
    local states url
    for url in http://127.0.0.1:8080/eSCL/ScannerStatus http://127.0.0.2:8080/Scan/Status; do
        for _ in $(seq 1 50); do
            states=$(curl -sS --max-time 5 "$url") || hpaio_fail "cannot read $url"
            grep -Eq '<(pwg:State|ScannerState)>Idle<' <<<"$states" && ! grep -Eq 'JobState>(Pending|Processing)<' <<<"$states" && break
            sleep 0.1
        done
        grep -Eq '<(pwg:State|ScannerState)>Idle<' <<<"$states" || hpaio_fail "$url: the device is not idle 5 s after the last client"
        ! grep -Eq 'JobState>(Pending|Processing)<' <<<"$states" || hpaio_fail "$url: a job was left in progress"
    done
    kill -0 "${HPAIO_PIDS[saned]}" 2>/dev/null || { tail -n 30 "$W/saned.log" >&2; hpaio_fail "saned died"; }
    local c
    for _ in $(seq 1 100); do
        c=$(saned_children)
        ((c == 0)) && break
        sleep 0.1
    done
    ((c == 0)) || hpaio_fail "$c of saned's connection processes still run 10 s after their clients ended"
    local others
    others=$(grep "dlopen()ing .*libsane-hpaio" "$W/saned.log" | grep -v "\`$lib_dir/libsane-hpaio.so.1'" || true)
    [[ -z $others ]] || hpaio_fail "saned loaded another backend: $others"
    grep -q "dlopen()ing \`$lib_dir/libsane-hpaio.so.1'" "$W/saned.log" || hpaio_fail "saned never loaded our backend"
    ! grep -q 'dlopen() failed' "$W/saned.log" || hpaio_fail "dll failed to load a backend"
}

at_once_case() {
    CASE=at-once
    run_clients 0
    local n outcome ok_a=0 ok_b=0 busy=0 summary=""
    for n in $(seq 1 "$CLIENTS"); do
        outcome=$(check_client "$n") || exit 1
        summary+=" c$n=$outcome"
        if [[ $outcome == ok ]]; then
            if ((n % 2)); then ok_a=$((ok_a + 1)); else ok_b=$((ok_b + 1)); fi
        else
            busy=$((busy + 1))
        fi
    done
    ((ok_a >= 1)) || hpaio_fail "device A (eSCL) served none of its clients:$summary"
    ((ok_b >= 1)) || hpaio_fail "device B (LEDM) served none of its clients:$summary"
    check_after
    echo "clients at-once: $CLIENTS clients, $((ok_a + ok_b)) got $PAGES pages (A $ok_a, B $ok_b), $busy Device busy; total ${ELAPSED_MS} ms; saned processes at once: $MAX_CHILDREN;$summary"
    hpaio_pass "$CLIENTS clients at once: $((ok_a + ok_b)) served, $busy busy, in ${ELAPSED_MS} ms"
}
hpaio_case at-once at_once_case

queue_case() {
    CASE=queue
    run_clients 1
    local n outcome tries summary="" total_tries=0
    for n in $(seq 1 "$CLIENTS"); do
        outcome=$(check_client "$n") || exit 1
        tries=$(cat "$W/$CASE/c$n.tries")
        total_tries=$((total_tries + tries))
        summary+=" c$n=$outcome/$tries"
        [[ $outcome == ok ]] || hpaio_fail "client $n was still told Device busy after $tries tries in ${CLIENT_SECONDS} s"
    done
    check_after
    echo "clients queue: $CLIENTS clients, all got $PAGES pages, $total_tries tries in all; total ${ELAPSED_MS} ms; saned processes at once: $MAX_CHILDREN;$summary"
    hpaio_pass "$CLIENTS clients, retrying on Device busy: all served in ${ELAPSED_MS} ms ($total_tries tries)"
}
hpaio_case queue queue_case

hpaio_finish
