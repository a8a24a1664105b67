#!/bin/bash
# The Debian package on a fresh Debian 12 root (scripts/debian-root.sh: mmdebstrap from the
# machine's apt sources with sane-utils and Debian's libsane-hpaio), built from this build tree by
# CPack (packaging/package.cmake), installed there with dpkg, and used with nothing set in the
# environment, inside a private network namespace where hpaio-sim plays the device:
#   - lintian finds nothing beyond packaging/lintian-accepted.txt;
#   - dpkg -i: HPLIP's libsane-hpaio moves aside (dpkg-divert) to the private directory, ours takes
#     its place; plain `scanimage -L` lists the device of /etc/sane.d/hpaio.conf, and `scanimage`
#     scans it (size and pattern checked);
#   - simple-scan under Xvfb (tests/integration/simple_scan_drive.sh) scans and saves a page;
#   - a USB name and a network name of an SCL model reach HPLIP's library at its private path (the
#     loader's trace shows that file initialised; our log names the backend that served);
#   - dpkg -r, then dpkg -i and dpkg -P: HPLIP's files are back exactly as they were (dpkg --verify
#     libsane-hpaio is silent, no diversion is left) and `scanimage` runs HPLIP's backend again:
#     Debian's hpaio scans the LEDM simulator.
# Needs root (a private network namespace and mount namespace; chroot).
source "$(dirname "$0")/lib.sh"
hpaio_enter_netns "$@"
hpaio_workdir

tarball=$("$HPAIO_SOURCE_DIR/scripts/debian-root.sh" --path)
[[ -s $tarball ]] || hpaio_fail "no Debian 12 root at $tarball: run scripts/debian-root.sh (scripts/test.sh does)"
hpaio_require_tools cpack dpkg-deb chroot
[[ -x $HPAIO_BIN/hpaio-sim && -x $HPAIO_BIN/hpaio-pagecheck ]] || hpaio_fail "build hpaio-sim and hpaio-pagecheck first"

# The package, from this build.
(cd "$HPAIO_BUILD_DIR" && cpack -G DEB -B "$W/dist" >"$W/cpack.log" 2>&1) || { tail "$W/cpack.log" >&2; hpaio_fail "cpack failed"; }
deb=$(ls "$W"/dist/hpaio_*.deb 2>/dev/null | head -n 1)
[[ -n $deb ]] || hpaio_fail "cpack made no package"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
sane_dir=/usr/lib/$multiarch/sane
hplip_dir=/usr/lib/$multiarch/hpaio/hplip

R=$W/root
mkdir -p "$R"
tar -xf "$tarball" -C "$R" || hpaio_fail "cannot unpack $tarball"
cp "$deb" "$R/tmp/hpaio.deb"

# in_root CMD... : CMD in the root, with an empty environment (PATH only), /proc mounted
in_root() {
    unshare -m -- sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"' "$R" "$@"
}

hplip_md5() { awk -v f="usr/lib/$multiarch/sane/$1" '$2 == f {print $1}' "$R/var/lib/dpkg/info/libsane-hpaio:"*.md5sums; }
hplip_real=$(hplip_md5 libsane-hpaio.so.1.0.0)
[[ -n $hplip_real ]] || hpaio_fail "Debian's libsane-hpaio is not in the root"

# The simulator (from this build, outside the root) and the device in the root's hpaio.conf.
dev_line='hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1&queue=false'

lintian_case() {
    hpaio_require_tools lintian
    "$HPAIO_SOURCE_DIR/scripts/package.sh" --lint "$deb" >"$W/lintian.out" 2>&1 ||
        { cat "$W/lintian.out" >&2; hpaio_fail "lintian reports tags that packaging/lintian-accepted.txt does not explain"; }
    hpaio_pass "lintian: nothing beyond packaging/lintian-accepted.txt"
}

install_case() {
    in_root dpkg -i /tmp/hpaio.deb >"$W/dpkg-i.log" 2>&1 || { cat "$W/dpkg-i.log" >&2; hpaio_fail "dpkg -i failed"; }
    in_root dpkg-divert --list >"$W/diversions"
    grep -q "$sane_dir/libsane-hpaio.so.1.0.0 to $hplip_dir/libsane-hpaio.so.1.0.0 by hpaio" "$W/diversions" ||
        { cat "$W/diversions" >&2; hpaio_fail "HPLIP's library was not diverted"; }
    [[ $(md5sum <"$R$hplip_dir/libsane-hpaio.so.1.0.0" | cut -d' ' -f1) == "$hplip_real" ]] ||
        hpaio_fail "the file at $hplip_dir is not HPLIP's"
    [[ $(md5sum <"$R$sane_dir/libsane-hpaio.so.1.0.0" | cut -d' ' -f1) != "$hplip_real" ]] ||
        hpaio_fail "HPLIP's backend is still in SANE's directory"
    hpaio_pass "dpkg -i: HPLIP's backend moved to $hplip_dir, ours in $sane_dir"
}

scan_case() {
    hpaio_start_sim sim --profile escl-flatbed --listen 127.0.0.1:8080 --log "$W/sim.log"
    printf 'device %s\n' "$dev_line" >>"$R/etc/sane.d/hpaio.conf"
    in_root scanimage -L >"$W/list.out" 2>"$W/list.err"
    grep -qF "device \`$dev_line'" "$W/list.out" ||
        { cat "$W/list.out" "$W/list.err" >&2; hpaio_fail "plain scanimage -L did not list the configured device"; }
    in_root scanimage -d "$dev_line" --resolution 200 -x 100 -y 80 --format=pnm >"$W/page.pnm" 2>"$W/scan.err" ||
        { cat "$W/scan.err" >&2; hpaio_fail "plain scanimage failed"; }
    hpaio_check_page "$W/page.pnm" --resolution 200 --mode color --page 1 --width-mm 100 --height-mm 80
    hpaio_log_has "$W/sim.log" 'r["path"].endswith("/NextDocument") and r["status"]==200' "the page came from hpaio-sim"
}

# simple-scan in the root, under Xvfb, with the installed package and nothing else set: one page,
# saved, its size and pattern checked.
simple_scan_case() {
    hpaio_start_sim ss --profile escl-flatbed --listen 127.0.0.1:8080 --log "$W/ss.log"
    cp "$HPAIO_SOURCE_DIR/tests/integration/simple_scan_drive.sh" "$R/tmp/"
    in_root timeout 150 bash /tmp/simple_scan_drive.sh "$dev_line" /tmp/simple-scan.png /tmp/simple-scan.log \
        >"$W/ss.out" 2>&1 || { cat "$W/ss.out" >&2; tail -20 "$R/tmp/simple-scan.log" >&2; hpaio_fail "simple-scan did not scan and save a page"; }
    grep -q 'sane_open ("hpaio:/net/HP_LaserJet_MFP_M28-M31' "$R/tmp/simple-scan.log" || hpaio_fail "simple-scan did not open our device"
    hpaio_check_page "$R/tmp/simple-scan.png" --resolution 300 --mode color --page 1 --width-mm 215.9 --height-mm 297.01
    hpaio_log_has "$W/ss.log" 'r["path"].endswith("/NextDocument") and r["status"]==200' "simple-scan's page came from hpaio-sim"
}

# hplip_route NAME DEVICE : DEVICE went to HPLIP's library in the root (loader's trace, our log)
hplip_route() {
    local name=$1 device=$2
    mkdir -p "$R/tmp/ld-$name"
    unshare -m -- sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" /usr/bin/env -i PATH=/usr/bin:/bin \
        SANE_DEBUG_HPAIO=3 LD_DEBUG=files LD_DEBUG_OUTPUT=/tmp/ld-'"$name"'/trace DBUS_FATAL_WARNINGS=0 "$@"' \
        "$R" timeout 60 scanimage -d "$device" -A >"$W/$name.out" 2>"$W/$name.err"
    grep -qh "calling init: $hplip_dir/libsane-hpaio.so.1\$" "$R/tmp/ld-$name"/trace.* ||
        { tail -20 "$W/$name.err" >&2; hpaio_fail "$name: HPLIP's library at $hplip_dir was not initialised"; }
    grep -q "is served by HPLIP's backend" "$W/$name.err" || hpaio_fail "$name: our log does not say HPLIP served it"
}

hplip_case() {
    hplip_route usb 'hpaio:/usb/Officejet_Pro_8600?serial=CN0000000'
    hplip_route scl 'hpaio:/net/officejet_d_series?ip=127.0.0.1'
    hpaio_pass "a USB name and an SCL model reached HPLIP's library at $hplip_dir"
}

# restored WHAT : HPLIP's package is exactly as it was, and no diversion is left
restored() {
    local what=$1 problems
    problems=$(in_root dpkg --verify libsane-hpaio 2>&1)
    [[ -z $problems ]] || { echo "$problems" >&2; hpaio_fail "$what: dpkg --verify libsane-hpaio reports changes"; }
    in_root dpkg-divert --list | grep -q hpaio && hpaio_fail "$what: a diversion of hpaio is left"
    [[ ! -e $R$hplip_dir ]] || hpaio_fail "$what: $hplip_dir is left behind"
    [[ $(md5sum <"$R$sane_dir/libsane-hpaio.so.1.0.0" | cut -d' ' -f1) == "$hplip_real" ]] ||
        hpaio_fail "$what: SANE's directory does not hold HPLIP's backend"
    # scanimage runs HPLIP's backend again: its library is the one initialised.
    mkdir -p "$R/tmp/ld-$what"
    unshare -m -- sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" /usr/bin/env -i PATH=/usr/bin:/bin \
        LD_DEBUG=files LD_DEBUG_OUTPUT=/tmp/ld-'"$what"'/trace DBUS_FATAL_WARNINGS=0 "$@"' \
        "$R" timeout 60 scanimage -L >/dev/null 2>&1
    grep -qh "calling init: $sane_dir/libsane-hpaio.so.1\$" "$R/tmp/ld-$what"/trace.* ||
        hpaio_fail "$what: scanimage did not load HPLIP's backend from $sane_dir"
}

remove_case() {
    in_root dpkg -r hpaio >"$W/dpkg-r.log" 2>&1 || { cat "$W/dpkg-r.log" >&2; hpaio_fail "dpkg -r failed"; }
    restored remove
    # Debian's hpaio scans the LEDM simulator again, as it did before the package. The root has no
    # system bus, and HPLIP's end-of-scan D-Bus event then aborts it unless D-Bus warnings are not
    # fatal (as in sim_clients.sh).
    hpaio_start_sim ledm --profile ledm-flatbed --listen 127.0.0.1:8080 --log "$W/ledm.log"
    in_root env DBUS_FATAL_WARNINGS=0 timeout 120 scanimage -d 'hpaio:/net/envy_photo_6200_series?ip=127.0.0.1&queue=false' --mode Color \
        --resolution 75 --compression JPEG --format=pnm >"$W/hplip-page.pnm" 2>"$W/hplip-scan.err" ||
        { tail -20 "$W/hplip-scan.err" >&2; hpaio_fail "Debian's hpaio did not scan after the package was removed"; }
    hpaio_check_page "$W/hplip-page.pnm" --resolution 75 --mode color --page 1
    hpaio_log_has "$W/ledm.log" 'r["path"].startswith("/Scan/Jobs") and r["method"]=="POST"' "Debian's hpaio posted a job"
    hpaio_stop ledm
    in_root dpkg -i /tmp/hpaio.deb >"$W/dpkg-i2.log" 2>&1 || { cat "$W/dpkg-i2.log" >&2; hpaio_fail "the second dpkg -i failed"; }
    in_root dpkg -P hpaio >"$W/dpkg-p.log" 2>&1 || { cat "$W/dpkg-p.log" >&2; hpaio_fail "dpkg -P failed"; }
    restored purge
    [[ ! -e $R/etc/sane.d/hpaio.conf ]] || hpaio_fail "purge left /etc/sane.d/hpaio.conf"
    hpaio_pass "remove and purge gave HPLIP's backend back exactly as it was"
}

for c in lintian install scan simple_scan hplip remove; do
    hpaio_case "package-$c" "${c}_case"
done
hpaio_finish
