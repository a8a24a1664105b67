#!/bin/bash
# hpaio-models on the installed models.dat, one case each; every exit status is compared exactly,
# under a deadline:
#   stats             exit 0; sections, unique names and the scan-type counts equal an independent
#                     awk count of the file; 139 LEDM (scan-type 7) sections
#   show-section      exit 0; show officejet_pro_9010_series: section, protocol LEDM, scan-src 3, model1
#   show-ty-range     exit 0; the mDNS ty "HP LaserJet MFP M28w" resolves to hp_laserjet_mfp_m28-m31, eSCL
#   list-escl         exit 0; list --protocol eSCL has as many lines as scan-type=9 sections
#   list-ledm-network exit 0; list --protocol ledm --network names officejet_pro_9010_series
#   list-all          exit 0; list has one line per section
#   unknown-model     exit 2, nothing on stdout, one line on stderr naming the model
#   unreadable-file   --file /nonexistent/models.dat: exit 2, nothing on stdout, one line "cannot open"
#   env-override      HPAIO_MODELS_DAT is the file read: exit 2 and one line naming it when missing
#   unknown-protocol  exit 2, nothing on stdout, one line naming the protocol
#   bad-command       exit 2, nothing on stdout, "bad command line" and the usage on stderr
#   help              --help exits 0 and documents "show TOKEN"
# Needs neither root nor a namespace.
source "$(dirname "$0")/lib.sh"
hpaio_workdir
bin=$HPAIO_BIN/hpaio-models
real=/usr/share/hplip/data/models/models.dat
[[ -x $bin ]] || hpaio_fail "build hpaio-models first"
[[ -r $real ]] || hpaio_fail "$real is missing (scripts/setup.sh installs libsane-hpaio, which ships it)"
unset HPAIO_MODELS_DAT # the installed models.dat, as found through /etc/hp/hplip.conf

# models NAME WANT-RC ARGS... : hpaio-models ARGS with a deadline; stdout in $W/NAME.out, stderr in
# $W/NAME.err; its exit status must be exactly WANT-RC
models() {
    local name=$1 want=$2 rc
    shift 2
    hpaio_run_bounded 2 "$bin" "$@" >"$W/$name.out" 2>"$W/$name.err"
    rc=$?
    ((rc == want)) || cat "$W/$name.err" >&2
    hpaio_expect_rc "hpaio-models $*" "$rc" "$want"
}

# check WHAT EXPECTED ACTUAL
check() {
    [[ $2 == "$3" ]] || hpaio_fail "$1: expected [$2], got [$3]"
    hpaio_pass "$1: $3"
}

# one_error_line NAME TEXT : nothing on stdout, exactly one line on stderr, containing TEXT
one_error_line() {
    [[ ! -s $W/$1.out ]] || hpaio_fail "$1: output on stdout: $(head -n 3 "$W/$1.out")"
    check "$1: lines on stderr" 1 "$(wc -l <"$W/$1.err")"
    grep -qF -- "$2" "$W/$1.err" || hpaio_fail "$1: expected '$2' on stderr, got: $(cat "$W/$1.err")"
}

# stats, against awk reading the file on its own
stats_case() {
    models stats 0 stats
    local expected_types
    check "sections" "sections $(grep -c '^\[' "$real")" "$(sed -n 1p "$W/stats.out")"
    check "unique" "unique $(grep '^\[' "$real" | LC_ALL=C tr '[:upper:]' '[:lower:]' | sort -u | wc -l)" "$(sed -n 2p "$W/stats.out")"
    expected_types=$(awk '/^\[/{if(n)c[t]++; n=1; t=0} /^scan-type=/{t=substr($0,11)+0} END{if(n)c[t]++; for(k in c) print "scan-type", k, c[k]}' "$real" | sort -k2,2n)
    check "scan-types" "$expected_types" "$(sed -n '3,$p' "$W/stats.out")"
    check "LEDM sections" "scan-type 7 139" "$(grep '^scan-type 7 ' "$W/stats.out")"
}
hpaio_case stats stats_case

# show: a section name, an mDNS ty and a device-ID MDL
show_section_case() {
    models show 0 show officejet_pro_9010_series
    check "section" "section=officejet_pro_9010_series" "$(grep '^section=' "$W/show.out")"
    check "protocol" "protocol=LEDM" "$(grep '^protocol=' "$W/show.out")"
    check "scan-src" "scan-src=3" "$(grep '^scan-src=' "$W/show.out")"
    check "model1" "model1=HP OfficeJet Pro All-in-One 9010" "$(grep '^model1=' "$W/show.out")"
}
hpaio_case show-section show_section_case

show_ty_range_case() {
    models show-ty 0 show 'HP LaserJet MFP M28w'
    check "ty (range)" "section=hp_laserjet_mfp_m28-m31 protocol=eSCL" \
        "$(grep -E '^(section|protocol)=' "$W/show-ty.out" | tr '\n' ' ' | sed 's/ $//')"
}
hpaio_case show-ty-range show_ty_range_case

list_escl_case() {
    models list-escl 0 list --protocol eSCL
    check "list eSCL" "$(grep -c '^scan-type=9$' "$real")" "$(wc -l <"$W/list-escl.out")"
}
hpaio_case list-escl list_escl_case

list_ledm_network_case() {
    models list-ledm-net 0 list --protocol ledm --network
    grep -qx 'officejet_pro_9010_series' "$W/list-ledm-net.out" ||
        hpaio_fail "list --protocol ledm --network does not name officejet_pro_9010_series"
    hpaio_pass "list LEDM network has officejet_pro_9010_series"
}
hpaio_case list-ledm-network list_ledm_network_case

list_all_case() {
    models list-all 0 list
    check "list all" "$(grep -c '^\[' "$real")" "$(wc -l <"$W/list-all.out")"
}
hpaio_case list-all list_all_case

# errors: exit status 2, a message on stderr, nothing on stdout
unknown_model_case() {
    models unknown-model 2 show no_such_model_xyz
    one_error_line unknown-model "unknown model 'no_such_model_xyz'"
}
hpaio_case unknown-model unknown_model_case

unreadable_file_case() {
    models unreadable 2 --file /nonexistent/models.dat stats
    one_error_line unreadable "/nonexistent/models.dat: cannot open"
}
hpaio_case unreadable-file unreadable_file_case

env_override_case() {
    HPAIO_MODELS_DAT=/nonexistent/env.dat models env 2 stats
    one_error_line env "/nonexistent/env.dat: cannot open"
}
hpaio_case env-override env_override_case

unknown_protocol_case() {
    models unknown-protocol 2 list --protocol nosuch
    one_error_line unknown-protocol "unknown protocol 'nosuch'"
}
hpaio_case unknown-protocol unknown_protocol_case

bad_command_case() {
    models bad-command 2 frobnicate
    [[ ! -s $W/bad-command.out ]] || hpaio_fail "bad command: output on stdout: $(head -n 3 "$W/bad-command.out")"
    check "bad command: first line" "hpaio-models: bad command line" "$(head -n 1 "$W/bad-command.err")"
    grep -q '^Usage: hpaio-models ' "$W/bad-command.err" || hpaio_fail "bad command: no usage on stderr"
}
hpaio_case bad-command bad_command_case

help_case() {
    models help 0 --help
    grep -q 'show TOKEN' "$W/help.out" || hpaio_fail "--help does not document 'show TOKEN'"
    hpaio_pass "--help documents show TOKEN"
}
hpaio_case help help_case

hpaio_finish
