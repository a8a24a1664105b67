#!/usr/bin/env bash
# Builds the Debian package into dist/ from build/ (CPack, packaging/package.cmake): everything
# `cmake --install` installs, with maintainer scripts that move HPLIP's libsane-hpaio aside
# (dpkg-divert) on install and give it back on remove and purge. Then runs lintian on it: anything
# beyond packaging/lintian-accepted.txt fails.
#   HPAIO_BUILD_DIR  another build directory
#   scripts/package.sh --lint DEB   only run lintian on DEB (package_install does)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HPAIO_BUILD_DIR:-$root/build}
if [[ ${1:-} == --lint ]]; then
    deb=${2:?--lint needs a .deb}
else
    HPAIO_BUILD_DIR=$build "$root/scripts/build.sh"
    mkdir -p "$root/dist"
    (cd "$build" && cpack -G DEB -B "$root/dist" >/dev/null)
    rm -rf "$root/dist/_CPack_Packages"
    deb=$(ls -t "$root"/dist/hpaio_*.deb | head -n 1)
    echo "$deb"
fi
# lintian, informational tags included; the tags that stay, each with why, are in
# packaging/lintian-accepted.txt. Anything else it reports fails the script.
command -v lintian >/dev/null || { echo "package: lintian is not installed (scripts/setup.sh --peers)" >&2; exit 1; }
accepted=$(grep -v '^#' "$root/packaging/lintian-accepted.txt" | cut -d' ' -f1 | sed '/^$/d')
report=$(lintian -I --tag-display-limit 0 "$deb" 2>&1 | grep -v -e 'running with root privileges' | grep -v -F -f <(echo "$accepted") || true)
if [[ -n $report ]]; then
    echo "$report" >&2
    echo "package: lintian reports the above on $deb" >&2
    exit 1
fi
echo "lintian: nothing beyond packaging/lintian-accepted.txt" >&2
