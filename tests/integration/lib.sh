# shellcheck shell=bash
# Shared helpers for integration tests (bash). Source it, then:
#
#   hpaio_require_root                 # integration tests need root for `unshare -n`; fail otherwise
#   hpaio_enter_netns "$@"             # re-exec the script in a private network namespace, lo up
#   hpaio_workdir                      # $W: a scratch directory removed on exit
#   hpaio_sane_config DIR BACKEND...   # DIR/dll.conf listing BACKENDs and an empty DIR/dll.d/
#   hpaio_airscan_conf DIR [DEVICE...] # DIR for sane-airscan alone: these static devices, or discovery
#   hpaio_start_sim NAME ARGS...       # start hpaio-sim in the background; waits until it says it listens
#   hpaio_stop NAME                    # stop a background process started through these helpers
#   hpaio_wait_port HOST PORT SECONDS  # wait until HOST:PORT accepts TCP connections
#   hpaio_run_bounded SECONDS CMD...   # run CMD with a deadline (SIGTERM, then SIGKILL)
#   hpaio_start_avahi DIR              # D-Bus + avahi-daemon in their own namespace (one daemon)
#   hpaio_start_avahi_on_lo NAME ...   # D-Bus + avahi-daemon sharing lo with others (several daemons),
#                                      # optionally publishing static hosts and services (mdns_fleet.sh)
#   hpaio_fail MSG / hpaio_pass MSG    # report; hpaio_fail ends the current case (or the script) as failed
#
# Cases: a script is a list of cases, and every case runs even when an earlier one failed.
#   hpaio_case NAME FUNCTION ARGS...   # one case, in a subshell: one line "ok NAME" or "FAIL NAME: why"
#   hpaio_finish                       # "N passed, M failed" alone on a line; exit 1 unless all passed
# Processes a case starts with these helpers are stopped when the case ends; files stay in $W.
#
# Exit statuses are compared exactly, and a timeout or a signal always fails with its name:
#   hpaio_expect_rc WHAT RC WANT       # RC must be exactly WANT (124, 137, >128 are named as such)
#   hpaio_expect WANT SECONDS CMD...   # run CMD with a deadline; its exit status must be exactly WANT
#   hpaio_scanimage WANT NAME ARGS...  # scanimage ARGS with a deadline, stdout $W/NAME.pnm, stderr
#                                      # $W/NAME.err; its exit status must be exactly WANT
#   hpaio_sigint_mid_page NAME ARGS... # scanimage ARGS interrupted mid-page: exit 2, cancelled, within 5 s
#
# Which library served: hpaio_use_backend (and hpaio_trace_libs) make every process write the
# shared objects it initialises (LD_DEBUG=files) under $W/ld/; then
#   hpaio_check_ours [LIBDIR]          # since the last check, some process initialised
#                                      # LIBDIR/libsane-hpaio.so.1 (default: this build's), and none
#                                      # initialised any other libsane-hpaio.so.1 (Debian's, say)
#   hpaio_check_backend NAME FILE      # the same for any backend: FILE is the libsane-NAME that ran
#   hpaio_debian_backend NAME          # prints Debian's libsane-NAME.so.1 (for the line above)
#   hpaio_use_debian_backends NAME...  # clients load Debian's backends (DEB_HPAIO, DEB_AIRSCAN: the
#                                      # files), never this build's; library tracing on
#   hpaio_log_has / hpaio_log_none LOG EXPR WHAT   # some / no request in an hpaio-sim log matches
#
# Safety: everything network-facing runs inside the private namespace that hpaio_enter_netns
# creates (loopback only), so backends that broadcast or multicast cannot reach a real network.
# Environment: HPAIO_BUILD_DIR (build tree with bin/), HPAIO_SOURCE_DIR (source tree).

set -uo pipefail

: "${HPAIO_BUILD_DIR:?HPAIO_BUILD_DIR must point at the build directory}"
: "${HPAIO_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
HPAIO_BIN=$HPAIO_BUILD_DIR/bin

declare -A HPAIO_PIDS=()
HPAIO_FAILED=0
HPAIO_CASE=""
HPAIO_CASES_PASSED=0
HPAIO_CASES_FAILED=0
HPAIO_FINISHED=0

# hpaio_now_ms : milliseconds on the wall clock
hpaio_now_ms() { local us=${EPOCHREALTIME//[!0-9]/}; echo $((us / 1000)); }

hpaio_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# In a case: the case fails (its subshell exits 1, the reason goes to the case line). Outside a
# case (setup): the script fails, counted as one failed case.
hpaio_fail() {
    printf 'FAIL: %s\n' "$*" >&2
    HPAIO_FAILED=1
    if [[ -n $HPAIO_CASE ]]; then
        [[ -n ${W:-} ]] && printf '%s\n' "$*" >"$W/.case-reason"
        exit 1
    fi
    HPAIO_CASES_FAILED=$((HPAIO_CASES_FAILED + 1))
    printf 'FAIL %s: %s\n' "$(basename "$0" .sh) setup" "$*"
    hpaio_finish
}

# hpaio_case NAME FUNCTION ARGS... : runs FUNCTION in a subshell as the case NAME. It passes when
# FUNCTION returns 0 without calling hpaio_fail; processes it started through these helpers are
# stopped when it ends.
hpaio_case() {
    local name=$1
    shift
    local start_ns
    start_ns=$(date +%s%N)
    rm -f "${W:-/nonexistent}/.case-reason"
    (
        HPAIO_CASE=$name
        HPAIO_CASE_OUTER=" ${!HPAIO_PIDS[*]} "
        if [[ -n ${LD_DEBUG_OUTPUT:-} && -n ${W:-} ]]; then
            # Writable by all, so that a run as an unprivileged user leaves its trace too.
            mkdir -p "$W/ld/$name" && chmod 1777 "$W/ld/$name"
            export LD_DEBUG_OUTPUT=$W/ld/$name/trace
        fi
        trap 'hpaio_case_cleanup' EXIT
        trap 'exit 130' INT TERM
        "$@"
    )
    local rc=$? ms=$((($(date +%s%N) - start_ns) / 1000000))
    if ((rc == 0)); then
        HPAIO_CASES_PASSED=$((HPAIO_CASES_PASSED + 1))
        printf 'ok   %s (%d ms)\n' "$name" "$ms"
    else
        HPAIO_CASES_FAILED=$((HPAIO_CASES_FAILED + 1))
        HPAIO_FAILED=1
        local why="exit $rc"
        [[ -s ${W:-/nonexistent}/.case-reason ]] && why=$(head -n 1 "$W/.case-reason")
        printf 'FAIL %s: %s (%d ms)\n' "$name" "$why" "$ms"
    fi
    return 0
}

# Stops what the ending case started (names that were not running before it).
hpaio_case_cleanup() {
    local name pid
    for name in "${!HPAIO_PIDS[@]}"; do
        [[ $HPAIO_CASE_OUTER == *" $name "* ]] && continue
        pid=${HPAIO_PIDS[$name]}
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

# hpaio_finish : the closing count; exits 0 only when every case passed (and there was one).
hpaio_finish() {
    HPAIO_FINISHED=1
    printf '%d passed, %d failed\n' "$HPAIO_CASES_PASSED" "$HPAIO_CASES_FAILED"
    if ((HPAIO_CASES_FAILED == 0 && HPAIO_CASES_PASSED > 0)); then exit 0; fi
    exit 1
}

# hpaio_rc_text RC : how a process ended, in words
hpaio_rc_text() {
    local rc=$1
    if ((rc == 124)); then
        printf 'timed out (exit 124: timeout stopped it at its deadline)'
    elif ((rc == 137)); then
        printf 'killed by SIGKILL (exit 137: it outlived its deadline and the grace period)'
    elif ((rc > 128)); then
        printf 'killed by signal %d (SIG%s)' $((rc - 128)) "$(kill -l $((rc - 128)) 2>/dev/null || echo '?')"
    else
        printf 'exit %d' "$rc"
    fi
}

# hpaio_expect_rc WHAT RC WANT : RC must be exactly WANT
hpaio_expect_rc() {
    local what=$1 rc=$2 want=$3
    ((rc == want)) && return 0
    hpaio_fail "$what: $(hpaio_rc_text "$rc"), expected exit $want"
}

# hpaio_expect WANT SECONDS CMD... : CMD under a deadline; its exit status must be exactly WANT
hpaio_expect() {
    local want=$1 seconds=$2
    shift 2
    hpaio_run_bounded "$seconds" "$@"
    local rc=$?
    hpaio_expect_rc "${1##*/} ${*:2}" "$rc" "$want"
}

# hpaio_scanimage WANT-RC NAME ARGS... : `scanimage ARGS` under a deadline; its exit status must be
# exactly WANT-RC (the end of its stderr is shown otherwise). Its stderr goes to $W/NAME.err and its
# stdout to $W/NAME.pnm. Settings, in front of the call like the scanimage environment
# (SANE_CONFIG_DIR=... hpaio_scanimage ...):
#   HPAIO_SCAN_SECONDS=N  the deadline (default 120)
#   HPAIO_SCAN_IN_DIR=1   run in the directory $W/NAME/ (made), stdout discarded: for --batch or -o
#   HPAIO_SCAN_OUT=FILE   stdout to FILE instead
hpaio_scanimage() {
    local want=$1 name=$2 seconds=${HPAIO_SCAN_SECONDS:-120} rc
    shift 2
    if [[ -n ${HPAIO_SCAN_IN_DIR:-} ]]; then
        mkdir -p "$W/$name"
        (cd "$W/$name" && hpaio_run_bounded "$seconds" scanimage "$@") >"${HPAIO_SCAN_OUT:-/dev/null}" 2>"$W/$name.err"
    else
        hpaio_run_bounded "$seconds" scanimage "$@" >"${HPAIO_SCAN_OUT:-$W/$name.pnm}" 2>"$W/$name.err"
    fi
    rc=$?
    ((rc == want)) || tail -n 30 "$W/$name.err" >&2
    hpaio_expect_rc "$name: scanimage $*" "$rc" "$want"
}

# hpaio_trace_libs : every process started from now on logs the shared objects it initialises
hpaio_trace_libs() {
    mkdir -p "$W/ld"
    export LD_DEBUG=files LD_DEBUG_OUTPUT=$W/ld/trace
}

# hpaio_check_backend NAME FILE [WHAT] : the traces written since the last check show FILE (a
# libsane-NAME.so.1) initialised by some process and no other libsane-NAME anywhere. Debian's hpaio
# has our backend's name and logs with the same prefix; only the loader knows which file ran.
hpaio_check_backend() {
    local name=$1 file=$2 what=${3:-the $1 backend}
    [[ -n ${LD_DEBUG_OUTPUT:-} ]] || hpaio_fail "hpaio_check_backend: library tracing is off (hpaio_trace_libs)"
    local want inits p real ok=0 count
    want=$(realpath "$file") || hpaio_fail "$what: $file does not exist"
    # Only the traces not checked yet (NAME.<pid>, not NAME.<pid>.seen); the commands that read and
    # mark them run untraced, so that checking leaves no traces of its own.
    inits=$(
        unset LD_DEBUG
        shopt -s nullglob
        traces=()
        for f in "$LD_DEBUG_OUTPUT".[0-9]*; do [[ $f == *.seen ]] || traces+=("$f"); done
        echo "${#traces[@]}"
        ((${#traces[@]} > 0)) || exit 0
        cat "${traces[@]}" | sed -n "s/.*calling init: \(.*libsane-$name\.so[.0-9]*\)\$/\1/p" | sort -u
        for f in "${traces[@]}"; do mv "$f" "$f.seen"; done
    )
    count=$(head -n 1 <<<"$inits")
    while read -r p; do
        [[ -n $p ]] || continue
        real=$(LD_DEBUG='' realpath "$p" 2>/dev/null || echo "$p")
        if [[ $real == "$want" ]]; then ok=1; else hpaio_fail "$what: $p was loaded, not $want"; fi
    done < <(tail -n +2 <<<"$inits")
    ((ok)) || hpaio_fail "$what: no process initialised $want ($count traced processes)"
}

# hpaio_check_ours [LIBDIR] : hpaio_check_backend for this build's libsane-hpaio.so.1 (or LIBDIR's)
hpaio_check_ours() {
    hpaio_check_backend hpaio "${1:-$HPAIO_BUILD_DIR/lib}/libsane-hpaio.so.1" "our backend"
}

# hpaio_debian_backend NAME : prints the path of Debian's libsane-NAME.so.1; says why on stderr and
# returns 1 when it is not installed (for use in $(...) followed by || hpaio_fail)
hpaio_debian_backend() {
    local f
    for f in /usr/lib/*/sane/libsane-"$1".so.1; do [[ -e $f ]] && { echo "$f"; return 0; }; done
    echo "Debian's libsane-$1.so.1 is not installed (scripts/setup.sh --peers)" >&2
    return 1
}

# hpaio_use_debian_backends NAME... : the scanning clients are Debian's. For each NAME (hpaio,
# airscan) DEB_<NAME in capitals> is set to Debian's libsane-NAME.so.1 (the setup fails when one is
# not installed); our build's libsane-hpaio (the same name as Debian's) leaves the library path, as
# dll also searches LD_LIBRARY_PATH for backends; hpaio's D-Bus events are not fatal, as there is no
# system bus in here; and every process from now on logs the shared objects it initialises.
hpaio_use_debian_backends() {
    unset LD_LIBRARY_PATH
    local name file what
    for name in "$@"; do
        what="Debian's libsane-$name"
        [[ $name == airscan ]] && what=sane-airscan
        file=$(hpaio_debian_backend "$name") || hpaio_fail "$what is not installed (scripts/setup.sh --peers)"
        printf -v "DEB_${name^^}" '%s' "$file"
    done
    export DBUS_FATAL_WARNINGS=0
    unset DBUS_SYSTEM_BUS_ADDRESS
    hpaio_trace_libs
}

hpaio_pass() { printf 'ok: %s\n' "$*" >&2; }

hpaio_require_root() {
    if [[ $(id -u) -ne 0 ]]; then
        printf 'FAIL: %s needs root (it creates a private network namespace with unshare -n); run it as root, as CI does\n' \
            "$(basename "$0")" >&2
        exit 1
    fi
    command -v unshare >/dev/null || hpaio_fail "unshare (util-linux) is not installed"
    command -v ip >/dev/null || hpaio_fail "ip (iproute2) is not installed"
}

# Re-executes the calling script inside a new network namespace that only has loopback.
hpaio_enter_netns() {
    if [[ -z "${HPAIO_IN_NETNS:-}" ]]; then
        hpaio_require_root
        HPAIO_IN_NETNS=1 exec unshare -n -- "$BASH" "$0" "$@"
    fi
    ip link set lo up || hpaio_fail "cannot bring up lo in the private namespace"
    # Paranoia: there must be no interface besides lo.
    local others
    others=$(ip -o link show | awk -F': ' '{print $2}' | grep -v '^lo$' || true)
    [[ -z "$others" ]] || hpaio_fail "private namespace has unexpected interfaces: $others"
}

hpaio_cleanup() {
    local rc=$? name pid
    for name in "${!HPAIO_PIDS[@]}"; do
        pid=${HPAIO_PIDS[$name]}
        kill "$pid" 2>/dev/null || true
    done
    for name in "${!HPAIO_PIDS[@]}"; do
        pid=${HPAIO_PIDS[$name]}
        # Bounded wait, then SIGKILL.
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    HPAIO_PIDS=()
    if [[ -n "${W:-}" && -d "$W" ]]; then
        if [[ $HPAIO_FAILED -ne 0 && -n "${HPAIO_KEEP_WORKDIR_ON_FAIL:-}" ]]; then
            printf 'work directory kept: %s\n' "$W" >&2
        else
            rm -rf "$W"
        fi
    fi
    # A script that ends without its count (an unexpected exit) has not shown that it passed.
    if ((!HPAIO_FINISHED && rc == 0)); then
        printf 'FAIL %s: the script ended before hpaio_finish\n' "$(basename "$0" .sh)"
        exit 1
    fi
}

hpaio_workdir() {
    W=$(mktemp -d "${TMPDIR:-/tmp}/hpaio-it.XXXXXX")
    chmod 755 "$W"
    trap 'hpaio_cleanup' EXIT
    trap 'exit 130' INT TERM
}

hpaio_sane_config() {
    local dir=$1
    shift
    mkdir -p "$dir/dll.d"
    printf '%s\n' "$@" >"$dir/dll.conf"
}

# hpaio_airscan_conf DIR [DEVICE-LINE...] : DIR is a SANE_CONFIG_DIR for sane-airscan alone: its
# dll.conf names airscan, and its airscan.conf lists the DEVICE-LINEs ('"Name" = http://HOST:PORT/eSCL,
# eSCL'; the devices are airscan:e<index in this list>:<Name>) with discovery off, or, with none,
# turns discovery (mDNS) on; WS-Discovery is always off
hpaio_airscan_conf() {
    local dir=$1 discovery=enable
    shift
    hpaio_sane_config "$dir" airscan
    {
        if (($#)); then
            discovery=disable
            printf '[devices]\n'
            printf '%s\n' "$@"
        fi
        printf '[options]\ndiscovery = %s\nws-discovery = off\n[debug]\nenable = false\n' "$discovery"
    } >"$dir/airscan.conf"
}

# hpaio_sigint_mid_page NAME SCANIMAGE-ARGS... : starts scanimage (our backend's debug output on,
# image to $W/NAME.pnm, messages to $W/NAME.err), sends it SIGINT half a second into the page, and
# fails unless it ends within 5 s with exit 2 and sane_read's SANE_STATUS_CANCELLED. The device has
# to deliver the page slowly (--fault slow-drip).
hpaio_sigint_mid_page() {
    local name=$1
    shift
    # Started directly (not through a shell function, whose subshell would ignore SIGINT);
    # timeout passes the SIGINT on to scanimage.
    SANE_DEBUG_HPAIO=${SANE_DEBUG_HPAIO:-3} timeout --foreground --kill-after=5 60 scanimage "$@" \
        >"$W/$name.pnm" 2>"$W/$name.err" &
    local scan_pid=$!
    for _ in $(seq 1 100); do grep -q 'page:' "$W/$name.err" && break; sleep 0.1; done
    grep -q 'page:' "$W/$name.err" || hpaio_fail "$name: the page never started"
    sleep 0.5
    local start=$SECONDS
    kill -INT "$scan_pid"
    wait "$scan_pid"
    local rc=$?
    ((rc == 2)) || tail -20 "$W/$name.err" >&2
    hpaio_expect_rc "$name: scanimage after SIGINT" "$rc" 2
    grep -q 'Operation was cancel' "$W/$name.err" ||
        { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: sane_read did not end with SANE_STATUS_CANCELLED"; }
    ((SECONDS - start <= 5)) || hpaio_fail "$name: scanimage took $((SECONDS - start)) s to stop"
}

# hpaio_require_tools TOOL... : fails, naming the first one that is not installed
hpaio_require_tools() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null || hpaio_fail "$t is not installed (scripts/setup.sh --peers)"
    done
}

# hpaio_use_backend : scanimage (and what it starts) loads this build's backend: LD_LIBRARY_PATH at
# its lib/ and a private SANE_CONFIG_DIR ($W/conf) whose dll.conf names only hpaio
hpaio_use_backend() {
    [[ -e $HPAIO_BUILD_DIR/lib/libsane-hpaio.so.1 ]] || hpaio_fail "build libsane-hpaio.so.1 first"
    export LD_LIBRARY_PATH=$HPAIO_BUILD_DIR/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    hpaio_sane_config "$W/conf" hpaio
    export SANE_CONFIG_DIR=$W/conf
    hpaio_trace_libs
}

hpaio_wait_port() {
    local host=$1 port=$2 seconds=$3
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    return 1
}

hpaio_run_bounded() {
    local seconds=$1
    shift
    timeout --kill-after=5 "$seconds" "$@"
}

# hpaio_start_sim NAME --listen HOST:PORT ARGS...   (the first --listen is waited for; without
# one, the first --https, else 127.0.0.1:8080)
hpaio_start_sim() {
    local name=$1
    shift
    local listen="" https="" prev=""
    for a in "$@"; do
        if [[ $prev == --listen && -z $listen ]]; then listen=$a; fi
        if [[ $prev == --https && -z $https ]]; then https=$a; fi
        prev=$a
    done
    [[ -n $listen ]] || listen=${https:-127.0.0.1:8080}
    local started
    started=$(grep -c ' listening on' "$W/$name.stderr" 2>/dev/null)
    "$HPAIO_BIN/hpaio-sim" "$@" 2>>"$W/$name.stderr" &
    HPAIO_PIDS[$name]=$!
    local host=${listen%:*} port=${listen##*:}
    host=${host#[}
    host=${host%]}
    hpaio_wait_port "$host" "$port" 10 || {
        cat "$W/$name.stderr" >&2
        hpaio_fail "hpaio-sim $name did not start listening on $listen within 10 s"
    }
    # The port answers before the rest is up (the WS-Discovery responder, the mDNS publication); the
    # simulator says "listening on" when everything is.
    local _ now
    for _ in $(seq 1 200); do
        now=$(grep -c ' listening on' "$W/$name.stderr" 2>/dev/null)
        ((${now:-0} > ${started:-0})) && return 0
        sleep 0.05
    done
    cat "$W/$name.stderr" >&2
    hpaio_fail "hpaio-sim $name did not say it was listening within 10 s"
}

hpaio_stop() {
    local name=$1 pid=${HPAIO_PIDS[$1]:-}
    [[ -n $pid ]] || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "HPAIO_PIDS[$name]"
}

# hpaio_bus_conf DIR : DIR/bus.conf, a system bus listening on DIR/bus.sock that lets anyone do anything
hpaio_bus_conf() {
    local d=$1
    cat >"$d/bus.conf" <<XML
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$d/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/> <allow own="*"/>
    <allow send_type="method_call"/> <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/> <allow receive_type="method_return"/>
    <allow receive_type="error"/> <allow receive_type="signal"/>
  </policy>
</busconfig>
XML
}

# hpaio_start_avahi DIR : private system D-Bus + avahi-daemon (allow-interfaces=lo) in their own
# network and mount namespace; exports DBUS_SYSTEM_BUS_ADDRESS for clients. Needs root.
hpaio_start_avahi() {
    local d=$1
    mkdir -p "$d"
    command -v dbus-daemon >/dev/null || hpaio_fail "dbus-daemon is not installed"
    command -v avahi-daemon >/dev/null || hpaio_fail "avahi-daemon is not installed (scripts/setup.sh --peers)"
    hpaio_bus_conf "$d"
    cat >"$d/avahi.conf" <<CONF
[server]
host-name=hpaio-sim-host
domain-name=local
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF
    dbus-daemon --config-file="$d/bus.conf" --nofork --nopidfile >"$d/dbus.log" 2>&1 &
    HPAIO_PIDS[dbus]=$!
    for _ in $(seq 1 100); do [[ -S $d/bus.sock ]] && break; sleep 0.05; done
    [[ -S $d/bus.sock ]] || hpaio_fail "private dbus-daemon did not start: $(cat "$d/dbus.log")"
    export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$d/bus.sock
    # avahi gets its own netns (its multicast stays there) and a tmpfs /run for its pid file/socket.
    # shellcheck disable=SC2016  # $0 is expanded by the inner sh
    unshare --net --mount --propagation private sh -c '
        ip link set lo up && mount -t tmpfs tmpfs /run && mkdir /run/avahi-daemon &&
        exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$0/avahi.conf"' "$d" >"$d/avahi.log" 2>&1 &
    HPAIO_PIDS[avahi]=$!
    for _ in $(seq 1 200); do grep -q 'Server startup complete' "$d/avahi.log" 2>/dev/null && break; sleep 0.05; done
    grep -q 'Server startup complete' "$d/avahi.log" || hpaio_fail "avahi-daemon did not start: $(cat "$d/avahi.log")"
}

# hpaio_start_avahi_on_lo NAME HOST-NAME PUBLISH-ADDRESSES [STATIC-DIR] : a private D-Bus +
# avahi-daemon in the caller's network namespace, so several of them share lo and talk mDNS to each
# other (one as the devices' daemon, one as the clients'), with a private /run; host name HOST-NAME,
# publish-addresses yes or no (only one daemon may claim the reverse record of 127.0.0.1). With
# STATIC-DIR, the daemon publishes STATIC-DIR/hosts and STATIC-DIR/services/*.service as its static
# hosts and services (mounted over /etc/avahi/hosts and /etc/avahi/services in its private mount
# namespace; see mdns_fleet.sh). Files in $W/avahi-NAME; sets AVAHI_BUS_<NAME> to its bus address;
# stop it with hpaio_stop_avahi_on_lo NAME. Needs root.
hpaio_start_avahi_on_lo() {
    local name=$1 host=$2 addrs=$3 static=${4:-} d=$W/avahi-$1
    command -v dbus-daemon >/dev/null || hpaio_fail "dbus-daemon is not installed"
    command -v avahi-daemon >/dev/null || hpaio_fail "avahi-daemon is not installed (scripts/setup.sh --peers)"
    rm -rf "$d" && mkdir -p "$d"
    hpaio_bus_conf "$d"
    printf '[server]\nhost-name=%s\ndomain-name=local\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=lo\nenable-dbus=yes\nratelimit-interval-usec=1000000\nratelimit-burst=1000\n[wide-area]\nenable-wide-area=no\n[publish]\npublish-hinfo=no\npublish-workstation=no\npublish-addresses=%s\n' \
        "$host" "$addrs" >"$d/avahi.conf"
    dbus-daemon --config-file="$d/bus.conf" --nofork --nopidfile >"$d/dbus.log" 2>&1 &
    HPAIO_PIDS[dbus-$name]=$!
    for _ in $(seq 1 100); do [[ -S $d/bus.sock ]] && break; sleep 0.02; done
    [[ -S $d/bus.sock ]] || hpaio_fail "dbus-daemon $name did not start: $(cat "$d/dbus.log")"
    # shellcheck disable=SC2016  # $0 and $1 are expanded by the inner sh
    DBUS_SYSTEM_BUS_ADDRESS=unix:path=$d/bus.sock unshare --mount --propagation private sh -c '
        mount -t tmpfs tmpfs /run && mkdir /run/avahi-daemon && mkdir -p /run/dbus &&
        if [ -n "$1" ]; then
            mount --bind "$1/hosts" /etc/avahi/hosts && mount --bind "$1/services" /etc/avahi/services || exit 1
        fi &&
        exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$0/avahi.conf"' "$d" "$static" >"$d/avahi.log" 2>&1 &
    HPAIO_PIDS[avahi-$name]=$!
    for _ in $(seq 1 200); do grep -q 'Server startup complete' "$d/avahi.log" 2>/dev/null && break; sleep 0.02; done
    grep -q 'Server startup complete' "$d/avahi.log" || hpaio_fail "avahi-daemon $name did not start: $(cat "$d/avahi.log")"
    printf -v "AVAHI_BUS_$name" '%s' "unix:path=$d/bus.sock"
}
hpaio_stop_avahi_on_lo() { hpaio_stop "avahi-$1"; hpaio_stop "dbus-$1"; }

# hpaio_avahi_wait_established NAME GROUPS SECONDS : waits until avahi-daemon NAME has established
# GROUPS service groups (probing done: they are announced and answered); fails after SECONDS
hpaio_avahi_wait_established() {
    local log=$W/avahi-$1/avahi.log n=0 deadline=$((SECONDS + $3))
    while ((SECONDS < deadline)); do
        n=$(grep -c 'successfully established' "$log")
        ((n >= $2)) && return 0
        sleep 0.1
    done
    hpaio_fail "avahi-daemon $1 established $n of $2 service groups within $3 s: $(grep -v 'established\|Loading' "$log" | tail -n 5)"
}

# hpaio_start_snmpd NAME CONF : net-snmp's snmpd in the foreground as nobody with CONF (from
# `hpaio-sim --snmpd-conf`), waiting until it answers HP's device-ID OID.
hpaio_start_snmpd() {
    local name=$1 conf=$2 port=${3:-16161}
    command -v snmpd >/dev/null || hpaio_fail "snmpd is not installed (scripts/setup.sh --peers)"
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        snmpd -f -C -c "$conf" -I -smux -m '' -Lo >"$W/$name.log" 2>&1 &
    HPAIO_PIDS[$name]=$!
    local deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)); do
        if SNMP_PERSISTENT_DIR=$W/snmp-client snmpget -v1 -c public -t 0.3 -r 0 "127.0.0.1:$port" \
            1.3.6.1.4.1.11.2.3.9.1.1.7.0 >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    cat "$W/$name.log" >&2
    hpaio_fail "snmpd $name did not answer on 127.0.0.1:$port within 10 s"
}

# hpaio_check_page FILE ARGS... : hpaio-pagecheck must accept FILE (size and pattern); reports it
hpaio_check_page() {
    local out
    out=$("$HPAIO_BIN/hpaio-pagecheck" "$@" 2>&1) || hpaio_fail "page check: $out"
    hpaio_pass "$out"
}

# hpaio_log_count LOGFILE PYTHON-EXPR : how many requests r in an hpaio-sim request log satisfy EXPR
hpaio_log_count() {
    python3 - "$1" "$2" <<'PY'
import json, sys
reqs = [r for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip()) if "method" in r]
print(sum(1 for r in reqs if eval(sys.argv[2], {}, {"r": r})))
PY
}

# hpaio_log_none LOGFILE PYTHON-EXPR DESCRIPTION : no request r in the log satisfies EXPR
hpaio_log_none() {
    local n
    n=$(hpaio_log_count "$1" "$2")
    [[ $n -eq 0 ]] || hpaio_fail "request log: expected no $3, found $n"
    hpaio_pass "request log: no $3"
}

# hpaio_log_has LOGFILE PYTHON-EXPR DESCRIPTION : some request r in the log satisfies EXPR
hpaio_log_has() {
    [[ $(hpaio_log_count "$1" "$2") -gt 0 ]] || hpaio_fail "request log: expected $3"
    hpaio_pass "request log: $3"
}
