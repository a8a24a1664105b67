# shellcheck shell=bash
# A private cupsd for integration tests (source after lib.sh, inside hpaio_enter_netns):
#   hpaio_start_cupsd DIR PORT     cupsd -f on 127.0.0.1:PORT with all its state under DIR; a stub
#                                  `hp` backend so hp:/net/... device URIs are accepted; exports
#                                  CUPS_SERVER=127.0.0.1:PORT
#   hpaio_cups_queue NAME URI      a raw queue (no PPD) with that device URI (lpadmin must exit 0
#                                  within 30 s)
# Nothing touches /etc/cups or /run/cups.

hpaio_start_cupsd() {
    local d=$1 port=$2
    command -v cupsd >/dev/null || hpaio_fail "cupsd is not installed (scripts/setup.sh --peers)"
    command -v lpadmin >/dev/null || hpaio_fail "lpadmin is not installed (scripts/setup.sh --peers)"
    mkdir -p "$d"/{etc/ppd,spool,cache,state,log,tmp,bin/backend}
    chmod 755 "$d"
    local x
    for x in /usr/lib/cups/*; do [[ $(basename "$x") == backend ]] || ln -sf "$x" "$d/bin/"; done
    for x in /usr/lib/cups/backend/*; do ln -sf "$x" "$d/bin/backend/"; done
    # Stub hp backend: enough for cupsd to accept hp:/net/... URIs; it never prints.
    printf '#!/bin/sh\n[ $# -eq 0 ] && { echo "network hp \\"Unknown\\" \\"HP\\""; exit 0; }\nexit 1\n' >"$d/bin/backend/hp"
    chmod 755 "$d/bin/backend/hp"
    cat >"$d/etc/cupsd.conf" <<CONF
Listen 127.0.0.1:$port
LogLevel warn
Browsing Off
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess default
  JobPrivateValues default
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
    cat >"$d/etc/cups-files.conf" <<CONF
ServerRoot $d/etc
StateDir $d/state
CacheDir $d/cache
TempDir $d/tmp
RequestRoot $d/spool
ServerBin $d/bin
DataDir /usr/share/cups
DocumentRoot /usr/share/cups/doc-root
AccessLog $d/log/access_log
ErrorLog $d/log/error_log
PageLog $d/log/page_log
Group lp
SystemGroup root
CONF
    cupsd -f -c "$d/etc/cupsd.conf" -s "$d/etc/cups-files.conf" >"$d/cupsd.out" 2>&1 &
    # shellcheck disable=SC2034  # HPAIO_PIDS is lib.sh's (stopped by hpaio_cleanup)
    HPAIO_PIDS["cupsd"]=$!
    hpaio_wait_port 127.0.0.1 "$port" 10 || {
        cat "$d/cupsd.out" "$d/log/error_log" >&2
        hpaio_fail "cupsd did not listen on 127.0.0.1:$port"
    }
    export CUPS_SERVER=127.0.0.1:$port
}

hpaio_cups_queue() {
    hpaio_run_bounded 30 lpadmin -h "$CUPS_SERVER" -p "$1" -v "$2" -E 2>&1
    hpaio_expect_rc "lpadmin: adding queue $1 ($2)" $? 0
}
