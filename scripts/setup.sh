#!/usr/bin/env bash
# Installs the Debian 12 packages hpaio needs, only those that are missing, without prompts.
#   scripts/setup.sh          build dependencies and what the demo runs (scanimage, models.dat)
#   scripts/setup.sh --peers  also the real peers the tests run against
#   scripts/setup.sh --fuzz   also clang and libFuzzer (scripts/fuzz.sh)
set -euo pipefail

build_packages=(
  cmake g++ make pkg-config
  libboost-dev libboost-program-options-dev
  libsnmp-dev libavahi-client-dev libcups2-dev libjpeg62-turbo-dev libssl-dev
  libsane-dev libgtest-dev
  clang-format git
  # man pages: the install test renders them
  man-db
  sane-utils
  # Debian 12 ships HPLIP's models.dat and /etc/hp/hplip.conf in libsane-hpaio; hplip-data
  # holds the rest of HPLIP's data. Debian's hpaio is also a comparison client in the tests.
  hplip-data libsane-hpaio
)
peer_packages=(
  iproute2 util-linux procps
  avahi-daemon avahi-utils dbus
  snmpd snmp
  cups cups-client
  sane-airscan
  libjpeg-turbo-progs
  # bench/run.sh: fetches the simulator's pages (curl), writes the report (python3), profiles (strace)
  curl python3 strace
  # real frontends in the tests: python-sane (Debian's python3), simple-scan under Xvfb (xdotool presses
  # its buttons; python3-pil takes the screenshot)
  python3-sane python3-pil simple-scan xvfb xdotool
  # the package: lintian checks it (scripts/package.sh), mmdebstrap makes the fresh Debian 12 root it
  # is installed on (scripts/debian-root.sh)
  lintian mmdebstrap
  # scripts/tstbackend.sh: unpacks Debian's sane-backends source (dpkg-source) and compiles tstbackend
  dpkg-dev gcc
)

fuzz_packages=(clang libclang-rt-dev)

wanted=("${build_packages[@]}")
case "${1:-}" in
  --peers) wanted+=("${peer_packages[@]}") ;;
  --fuzz) wanted+=("${fuzz_packages[@]}") ;;
esac

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: these Debian packages are missing: ${missing[*]}" >&2
  echo "setup: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Services must not start on the host: tests start their own, privately.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && own_policy=1
fi
apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef \
  -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
if ((own_policy)); then rm -f "$policy"; fi
