#!/usr/bin/env bash
# Builds hpaio and shows what it can do so far.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
bin=${HPAIO_BUILD_DIR:-$root/build}/bin
models=$bin/hpaio-models

echo
echo "== models.dat: which HP models speak a network scan protocol hpaio implements"
"$models" stats | sed -n '1,2p'
printf 'LEDM models with a network interface: %s\n' "$("$models" list --protocol LEDM --network | wc -l)"
printf 'eSCL models with a network interface: %s\n' "$("$models" list --protocol eSCL --network | wc -l)"
echo
echo "== resolving names as devices report them"
for name in 'HP OfficeJet Pro 9010 series' 'HP LaserJet MFP M28w' 'HP Color LaserJet Pro MFP M479fdw'; do
  printf '%-36s -> %s\n' "$name" "$("$models" show "$name" | grep -E '^(section|protocol)=' | tr '\n' ' ')"
done
echo
echo "Scanning through scanimage comes with the SANE backend (libsane-hpaio.so.1), the next step."
