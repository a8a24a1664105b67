#!/usr/bin/env bash
# hpaio-models on the installed models.dat: stats against an independent awk count, show, list,
# and the error paths (unknown model, unreadable file, bad usage).
set -euo pipefail
bin=${HPAIO_BUILD_DIR:?}/bin/hpaio-models
real=/usr/share/hplip/data/models/models.dat
[[ -r $real ]] || { echo "FAIL: $real is missing (scripts/setup.sh installs libsane-hpaio, which ships it)"; exit 1; }
failures=0
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; failures=$((failures + 1)); fi
}

# stats, against awk reading the file on its own
stats=$("$bin" stats)
check "stats sections" "sections $(grep -c '^\[' "$real")" "$(sed -n 1p <<<"$stats")"
check "stats unique" "unique $(grep '^\[' "$real" | tr 'A-Z' 'a-z' | sort -u | wc -l)" "$(sed -n 2p <<<"$stats")"
expected_types=$(awk '/^\[/{if(n)c[t]++; n=1; t=0} /^scan-type=/{t=substr($0,11)+0} END{if(n)c[t]++; for(k in c) print "scan-type", k, c[k]}' "$real" | sort -k2,2n)
check "stats scan-types" "$expected_types" "$(sed -n '3,$p' <<<"$stats")"
check "stats LEDM sections" "scan-type 7 139" "$(grep '^scan-type 7 ' <<<"$stats")"

# show: a section name, an mDNS ty and a device-ID MDL
show=$("$bin" show officejet_pro_9010_series)
check "show section" "section=officejet_pro_9010_series" "$(grep '^section=' <<<"$show")"
check "show protocol" "protocol=LEDM" "$(grep '^protocol=' <<<"$show")"
check "show scan-src" "scan-src=3" "$(grep '^scan-src=' <<<"$show")"
check "show model1" "model1=HP OfficeJet Pro All-in-One 9010" "$(grep '^model1=' <<<"$show")"
check "show ty (range)" "section=hp_laserjet_mfp_m28-m31 protocol=eSCL" \
  "$("$bin" show 'HP LaserJet MFP M28w' | grep -E '^(section|protocol)=' | tr '\n' ' ' | sed 's/ $//')"

# list
list_escl=$("$bin" list --protocol eSCL | wc -l)
check "list eSCL" "$(grep -c '^scan-type=9$' "$real")" "$list_escl"
list_ledm_net=$("$bin" list --protocol ledm --network)
grep -qx 'officejet_pro_9010_series' <<<"$list_ledm_net" && check "list LEDM network has 9010" 1 1 || check "list LEDM network has 9010" present absent
check "list all" "$(grep -c '^\[' "$real")" "$("$bin" list | wc -l)"

# errors: one line on stderr, exit status 2
set +e
err=$("$bin" show no_such_model_xyz 2>&1 >/dev/null); rc=$?
check "unknown model status" 2 "$rc"
check "unknown model message lines" 1 "$(wc -l <<<"$err")"
grep -q "unknown model 'no_such_model_xyz'" <<<"$err" && check "unknown model message" 1 1 || check "unknown model message" "unknown model..." "$err"
err=$("$bin" --file /nonexistent/models.dat stats 2>&1 >/dev/null); rc=$?
check "unreadable file status" 2 "$rc"
grep -q "/nonexistent/models.dat: cannot open" <<<"$err" && check "unreadable file message" 1 1 || check "unreadable file message" "cannot open" "$err"
err=$(HPAIO_MODELS_DAT=/nonexistent/env.dat "$bin" stats 2>&1 >/dev/null); rc=$?
check "env override is used" 2 "$rc"
grep -q "/nonexistent/env.dat" <<<"$err" && check "env override message" 1 1 || check "env override message" "/nonexistent/env.dat" "$err"
"$bin" list --protocol nosuch >/dev/null 2>&1; check "unknown protocol status" 2 "$?"
"$bin" frobnicate >/dev/null 2>&1; check "bad command status" 2 "$?"
"$bin" --help | grep -q 'show TOKEN'; check "help" 0 "$?"
set -e

echo "hpaio-models: $failures failure(s)"
[[ $failures -eq 0 ]]
