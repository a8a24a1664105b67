#!/usr/bin/env bash
# Builds sane-backends' backend tester, tstbackend (frontend/tstbackend.c), from Debian's source of
# the libsane1 installed here, and keeps it in a cache so that a second run downloads nothing.
#   scripts/tstbackend.sh          build it unless the cache has it; print its path
#   scripts/tstbackend.sh --path   only print where it is (or would be); build nothing
# The source comes through apt's source support from the machine's own apt sources: their `deb`
# entries, read as `deb-src`, in a private apt state under the cache (the system's apt lists and
# sources are not touched). Cache: $HPAIO_CACHE_DIR, else $XDG_CACHE_HOME/hpaio, else ~/.cache/hpaio.
set -euo pipefail

cache=${HPAIO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hpaio}
package=$(dpkg-query -W -f='${source:Package}' libsane1 2>/dev/null || true)
version=$(dpkg-query -W -f='${source:Version}' libsane1 2>/dev/null || true)
if [[ -z $package || -z $version ]]; then
    echo "tstbackend: libsane1 is not installed (scripts/setup.sh)" >&2
    exit 1
fi
dir=$cache/$package-$version
tool=$dir/tstbackend

if [[ ${1:-} == --path ]]; then
    echo "$tool"
    exit 0
fi
if [[ -x $tool ]]; then
    echo "$tool"
    exit 0
fi

for t in apt-get dpkg-source cc; do
    command -v "$t" >/dev/null || { echo "tstbackend: $t is missing (scripts/setup.sh --peers)" >&2; exit 1; }
done
[[ -e /usr/include/sane/sane.h ]] || { echo "tstbackend: libsane-dev is missing (scripts/setup.sh)" >&2; exit 1; }

apt_dir=$cache/apt
mkdir -p "$apt_dir/sources" "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$dir"
# The machine's own apt sources, as source entries.
: >"$apt_dir/sources/own.sources"
: >"$apt_dir/sources/own.list"
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
    sed -E 's/^Types:.*/Types: deb-src/' "$f" >>"$apt_dir/sources/own.sources"
    echo >>"$apt_dir/sources/own.sources"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -e $f ]] && sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$f" >>"$apt_dir/sources/own.list"
done
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources/own.list" -o "Dir::Etc::SourceParts=$apt_dir/sources"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir" -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root")

echo "tstbackend: fetching the source of $package $version" >&2
apt-get -qq "${apt_opts[@]}" update >&2
work=$(mktemp -d "$dir/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get -qq "${apt_opts[@]}" source --download-only "$package=$version" >&2)
# apt checked the files against the signed index it fetched; dpkg-source need not check again.
(cd "$work" && dpkg-source --no-check -x ./*.dsc src >/dev/null)

# tstbackend.c includes its build's config.h; the one thing it reads there is whether the
# compiler has long long.
printf '#define HAVE_LONG_LONG 1\n' >"$work/src/include/sane/config.h"
cc -O1 -o "$work/tstbackend" "$work/src/frontend/tstbackend.c" -lsane
cp "$work/src/frontend/tstbackend.c" "$dir/tstbackend.c"
mv "$work/tstbackend" "$tool"
echo "$tool"
