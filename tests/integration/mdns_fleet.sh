# shellcheck shell=bash
# A fleet of simulated HP devices for discovery at scale, published through one avahi-daemon as
# static services and hosts (avahi-daemon's own /etc/avahi/services and /etc/avahi/hosts, which
# hpaio_start_avahi_on_lo mounts from a directory of ours in the daemon's private mount namespace),
# so that a hundred devices need no publishing processes. Source it after lib.sh, then:
#
#   hpaio_mdns_fleet DIR N4 N6 GHOSTS
#       DIR/hosts, DIR/services/*.service and DIR/expected for N4 + N6 devices and GHOSTS services
#       whose host never resolves:
#       - device i (1..N4+N6) is host hpfleet<i>.local with one address: 127.0.0.<i+1> for the first
#         N4 (IPv4 only), fd00::<i> for the others (IPv6 only; hpaio_mdns_fleet_addresses adds
#         those to lo);
#       - odd devices speak eSCL (HP Color LaserJet Pro M478f-9f: _uscan._tcp and _scanner._tcp),
#         even ones LEDM (HP OfficeJet Pro 9010 series: _scanner._tcp and _ipp._tcp), so every
#         device is found through two services;
#       - ghost g is an eSCL service whose host hpghost<g>.local has no address record (a device
#         switched off while its announcement is still cached);
#       - DIR/expected: the SANE name (HPLIP's form) each device must be listed under, one a line.
#   hpaio_mdns_fleet_addresses N4 N6   adds fd00::<i>/128 to lo for the IPv6 devices (in the
#                                      private namespace: root)
#   hpaio_mdns_fleet_groups DIR        how many service groups DIR publishes (one a device or ghost)

hpaio_mdns_fleet() {
    local dir=$1 n4=$2 n6=$3 ghosts=$4 i g host addr ty token
    rm -rf "$dir" && mkdir -p "$dir/services"
    : >"$dir/hosts"
    : >"$dir/expected"
    ((n4 + 1 <= 254)) || hpaio_fail "hpaio_mdns_fleet: at most 253 IPv4 devices"
    for ((i = 1; i <= n4 + n6; i++)); do
        host=hpfleet$i
        if ((i <= n4)); then addr=127.0.0.$((i + 1)); else addr=fd00::$i; fi
        printf '%s %s.local\n' "$addr" "$host" >>"$dir/hosts"
        if ((i % 2)); then
            ty='HP Color LaserJet Pro M478f-9f' token=color_laserjet_pro_m478f-9f
            hpaio_mdns_fleet_group "$dir/services/$host.service" "$ty [F$i]" "$host.local" \
                _uscan._tcp "txtvers=1|ty=$ty|rs=eSCL|mfg=HP|mdl=Color LaserJet Pro M478f-9f" \
                _scanner._tcp "txtvers=1|ty=$ty|mfg=HP|mdl=$ty"
        else
            ty='HP OfficeJet Pro 9010 series' token=officejet_pro_9010_series
            hpaio_mdns_fleet_group "$dir/services/$host.service" "$ty [F$i]" "$host.local" \
                _scanner._tcp "txtvers=1|ty=$ty|mfg=HP|mdl=$ty" \
                _ipp._tcp "txtvers=1|ty=$ty|usb_MFG=HP|usb_MDL=OfficeJet Pro 9010 series|rp=ipp/print"
        fi
        printf 'hpaio:/net/%s?ip=%s&queue=false\n' "$token" "$addr" >>"$dir/expected"
    done
    for ((g = 1; g <= ghosts; g++)); do
        ty='HP Color LaserJet Pro M478f-9f'
        hpaio_mdns_fleet_group "$dir/services/hpghost$g.service" "$ty [GHOST$g]" "hpghost$g.local" \
            _uscan._tcp "txtvers=1|ty=$ty|rs=eSCL|mfg=HP"
    done
}

# hpaio_mdns_fleet_group FILE NAME HOST TYPE TXT [TYPE TXT]... : one avahi service group file; TXT
# is its entries separated by '|'
hpaio_mdns_fleet_group() {
    local file=$1 name=$2 host=$3 entry
    shift 3
    {
        printf '<?xml version="1.0" standalone="no"?>\n'
        printf '<!DOCTYPE service-group SYSTEM "avahi-service.dtd">\n<service-group>\n  <name>%s</name>\n' "$name"
        while (($#)); do
            printf '  <service>\n    <type>%s</type>\n    <port>8080</port>\n    <host-name>%s</host-name>\n' "$1" "$host"
            IFS='|' read -r -a entries <<<"$2"
            for entry in "${entries[@]}"; do printf '    <txt-record>%s</txt-record>\n' "$entry"; done
            printf '  </service>\n'
            shift 2
        done
        printf '</service-group>\n'
    } >"$file"
}

hpaio_mdns_fleet_addresses() {
    local n4=$1 n6=$2 i
    for ((i = n4 + 1; i <= n4 + n6; i++)); do
        ip -6 addr add "fd00::$i/128" dev lo || hpaio_fail "cannot add fd00::$i to lo"
    done
}

# hpaio_mdns_fleet_addresses_remove N4 N6 : takes them off lo again. While lo has an IPv6 address
# that is not loopback and no such IPv4 one, getaddrinfo's AI_ADDRCONFIG (sane-airscan uses it)
# refuses IPv4 addresses, 127.0.0.1 too.
hpaio_mdns_fleet_addresses_remove() {
    local n4=$1 n6=$2 i
    for ((i = n4 + 1; i <= n4 + n6; i++)); do
        ip -6 addr del "fd00::$i/128" dev lo 2>/dev/null
    done
    return 0
}

hpaio_mdns_fleet_groups() { find "$1/services" -name '*.service' | wc -l; }
