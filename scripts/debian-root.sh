#!/usr/bin/env bash
# A fresh Debian 12 root for the package test (tests/integration/package_install.sh): mmdebstrap
# from the machine's own apt sources, with SANE's frontends (scanimage, simple-scan with Xvfb and
# xdotool), HPLIP's backend (whose models.dat and library the package needs) and the libraries the
# package depends on, kept as a tarball in the
# cache so that a second run downloads nothing.
#   scripts/debian-root.sh           make it unless the cache has it; print its path
#   scripts/debian-root.sh --path    only print where it is (or would be)
#   scripts/debian-root.sh --refresh make it anew
# Cache: $HPAIO_CACHE_DIR, else $XDG_CACHE_HOME/hpaio, else ~/.cache/hpaio.
set -euo pipefail
cache=${HPAIO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hpaio}
packages=(sane-utils libsane1 libsane-hpaio libavahi-client3 libcups2 libjpeg62-turbo libsnmp40 libssl3
    libboost-program-options1.74.0
    # simple-scan with the installed package, under Xvfb, driven by xdotool
    simple-scan xvfb xdotool dbus)
key=$(printf '%s\n' "${packages[@]}" | sort | md5sum | cut -c1-8)
tarball=$cache/debian12-root-$key.tar

case ${1:-} in
    --path) echo "$tarball"; exit 0 ;;
    --refresh) rm -f "$tarball" ;;
esac
if [[ -s $tarball ]]; then
    echo "$tarball"
    exit 0
fi
command -v mmdebstrap >/dev/null || { echo "debian-root: mmdebstrap is missing (scripts/setup.sh --peers)" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "debian-root: needs root (mmdebstrap makes device nodes)" >&2; exit 1; }
# The machine's own apt sources, as they are.
sources=()
shopt -s nullglob
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -s $f ]] && sources+=("$f")
done
((${#sources[@]})) || { echo "debian-root: no apt sources in /etc/apt" >&2; exit 1; }
# And the machine's own settings for fetching from them, which mmdebstrap's apt would not see: a
# snapshot mirror's Release files are past their Valid-Until, so such a machine turns that check
# off; a proxy, likewise.
aptopts=()
while IFS= read -r opt; do
    aptopts+=("--aptopt=$opt")
done < <(apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|Retries|(http|https|ftp)::Proxy) ')
mkdir -p "$cache"
echo "debian-root: making a Debian 12 root with ${packages[*]}" >&2
mmdebstrap --quiet --variant=apt "${aptopts[@]}" --include="$(IFS=,; echo "${packages[*]}")" --format=tar \
    bookworm "$tarball.part" "${sources[@]}" >&2
mv "$tarball.part" "$tarball"
echo "$tarball"
