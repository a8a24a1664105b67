#!/bin/bash
# `cmake --install` of a build into a staging directory (DESTDIR) installs exactly the files the
# project ships: the backend in SANE's backend directory, its modules, SANE's configuration, the
# commands, the saned socket drop-in and the man pages; nothing else (no tests, no headers).
#   install_layout.sh BUILD-DIR LIBDIR PREFIX     (LIBDIR, PREFIX: CMake's CMAKE_INSTALL_LIBDIR and
#                                                  CMAKE_INSTALL_PREFIX of that build)
set -uo pipefail
build=$1 libdir=$2 prefix=$3
dest=$(mktemp -d "${TMPDIR:-/tmp}/hpaio-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

DESTDIR=$dest cmake --install "$build" >"$dest.log" 2>&1 || { cat "$dest.log"; fail "cmake --install failed"; }
rm -f "$dest.log"
p=${prefix#/}
[[ $prefix == /usr ]] && etc=etc || etc=$p/etc
expected=$(sort <<EOF2
$etc/sane.d/hpaio.conf
$etc/sane.d/dll.d/hpaio
$p/bin/hpaio-makeuri
$p/bin/hpaio-models
$p/bin/hpaio-sim
$p/$libdir/sane/libsane-hpaio.so.1
$p/$libdir/sane/libsane-hpaio.so.1.0.0
$p/$libdir/hpaio/libhpaio-network-sources.so
$p/$libdir/hpaio/libhpaio-tls.so
$p/lib/systemd/system/saned.socket.d/hpaio-connections.conf
$p/share/doc/hpaio/changelog.gz
$p/share/doc/hpaio/copyright
$p/share/man/man1/hpaio-makeuri.1.gz
$p/share/man/man1/hpaio-models.1.gz
$p/share/man/man1/hpaio-sim.1.gz
$p/share/man/man5/sane-hpaio.5.gz
EOF2
)
actual=$(cd "$dest" && find . \( -type f -o -type l \) -printf '%P\n' | sort)
if [[ $actual != "$expected" ]]; then
    diff <(echo "$expected") <(echo "$actual") | sed 's/^</missing:/; s/^>/unexpected:/' | grep -E '^(missing|unexpected)'
    fail "the installed files are not the shipped list"
fi
echo "ok: $(wc -l <<<"$actual") files, as listed"

# The backend's name link points at the library; the backend finds its modules where they went.
[[ $(readlink "$dest/$p/$libdir/sane/libsane-hpaio.so.1") == libsane-hpaio.so.1.0.0 ]] ||
    fail "libsane-hpaio.so.1 does not link to libsane-hpaio.so.1.0.0"
grep -qa "$prefix/$libdir/hpaio" "$dest/$p/$libdir/sane/libsane-hpaio.so.1.0.0" ||
    fail "the installed backend does not look for its modules in $prefix/$libdir/hpaio"
# Nothing installed points back into the build tree.
for f in "$dest/$p/bin/"* "$dest/$p/$libdir/sane/libsane-hpaio.so.1.0.0" "$dest/$p/$libdir/hpaio/"*; do
    if readelf -d "$f" 2>/dev/null | grep -E 'R(UN)?PATH' | grep -q "$build"; then fail "$f has the build tree in its RPATH"; fi
done
# The man pages render without warnings.
for m in "$dest/$p/share/man/"man*/*; do
    w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
    [[ -z $w ]] || fail "$(basename "$m"): $w"
done
echo "ok: links, module directory, no build RPATH, man pages render cleanly"
