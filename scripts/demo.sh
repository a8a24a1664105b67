#!/usr/bin/env bash
# Builds hpaio, starts the simulated HP all-in-one (hpaio-sim) and scans a colour page from it
# with the real scanimage through our backend, to a PNG file.
#   scripts/demo.sh [PROFILE]      PROFILE: an hpaio-sim profile (default escl-adf-duplex)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build=${HPAIO_BUILD_DIR:-$root/build}
profile=${1:-escl-adf-duplex}
out=${HPAIO_DEMO_OUT:-$root/demo-scan.png}

# The scan runs in a private network namespace when we can make one (root), so nothing the
# SANE stack does can reach a real network; otherwise on this machine's loopback.
if [[ -z "${HPAIO_DEMO_INNER:-}" && $(id -u) -eq 0 ]] && command -v unshare >/dev/null; then
  HPAIO_DEMO_INNER=1 exec unshare -n -- "$0" "$@"
fi
if [[ -n "${HPAIO_DEMO_INNER:-}" ]]; then ip link set lo up; fi

work=$(mktemp -d)
sim_pid=""
cleanup() {
  [[ -n $sim_pid ]] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The model token each profile's device ID gives (HPLIP's rule: spaces and '/' become '_').
case $profile in
  ledm-adf-duplex) model=HP_OfficeJet_Pro_9010_series ;;
  ledm-flatbed) model=HP_ENVY_Photo_6200_series ;;
  escl-flatbed) model=HP_LaserJet_MFP_M28-M31 ;;
  escl-adf-duplex) model=HP_Color_LaserJet_Pro_M478f-9f ;;
  escl-legacy) model=HP_ScanJet_Pro_3500_f1 ;;
  escl-enterprise) model=HP_Color_LaserJet_MFP_E77830 ;;
  *) echo "demo: unknown profile '$profile' (see: $build/bin/hpaio-sim --list-profiles)" >&2; exit 2 ;;
esac
"$build/bin/hpaio-sim" --profile "$profile" --listen 127.0.0.1:8080 --log "$work/requests.jsonl" 2>"$work/sim.log" &
sim_pid=$!
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && break; sleep 0.05; done

mkdir -p "$work/sane/dll.d" && echo hpaio >"$work/sane/dll.conf"
device="hpaio:/net/$model?ip=127.0.0.1&queue=false"
echo "== scanning from $device (hpaio-sim profile $profile)"
SANE_CONFIG_DIR=$work/sane LD_LIBRARY_PATH=$build/lib \
  scanimage -d "$device" --mode Color --resolution 150 --format=png -o "$out"
echo
echo "Scanned a colour page to: $out"
echo "Device name used:         $device"
