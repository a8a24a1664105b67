// What sane_get_devices lists, from the devices each source found. Pure (no I/O).
//
//  * One entry per device: candidates are the same device when any of their identities match
//    (DeviceUri::identity(): same host and JetDirect port; an mDNS device also carries its host
//    name "<host>.local" and every address it was seen at, so a zc= queue matches it too).
//  * The name is the one of the most trusted source: configured > CUPS queue > mDNS >
//    WS-Discovery, first in each source's order. mDNS and WS-Discovery names keep HPLIP's
//    "&queue=false".
//  * Listed: configured devices always; others only when models.dat gives the model a scan
//    protocol we speak (LEDM, eSCL), or the device itself advertises a scan service we speak:
//    eSCL (_uscan._tcp), or WS-Scan (a hosted ScannerServiceType in its WS-Discovery metadata).
//    Without a models.dat nothing can be judged, and everything found is listed.
//  * model: the device's own name (mDNS ty, WS-Discovery ModelName) when there is one, else the models.dat display name
//    when the section has a single one, else the token with '_' as ' '.
#pragma once

#include <string>
#include <vector>

#include "hpaio/discovery/print_queue.hpp"
#include "hpaio/discovery/wsd_device.hpp"
#include "hpaio/names/device_uri.hpp"
#include "mdns/records/resolved_service.hpp"
#include "models/model_resolver.hpp"

namespace hpaio {

enum class DeviceSource { config, print_queue, mdns, wsd };
std::string_view to_string(DeviceSource source);

struct DeviceCandidate {
  DeviceUri uri;
  DeviceSource source = DeviceSource::config;
  std::string model_name;               // the device's own readable name (mDNS, WS-Discovery), or empty
  bool advertises_scan = false;         // the device says it has a scan service we speak (eSCL, WS-Scan)
  std::vector<DeviceIdentity> aliases;  // other identities of the same device
};

struct ListedDevice {
  std::string name;   // SANE name, "/net/HP_OfficeJet_Pro_9010_series?ip=10.0.0.5"
  std::string model;  // readable, "HP OfficeJet Pro 9010 series"
  DeviceSource source = DeviceSource::config;

  friend bool operator==(const ListedDevice&, const ListedDevice&) = default;
};

// hpaio.conf `device` lines (with or without a scheme). Unparsable ones are noted and skipped.
std::vector<DeviceCandidate> candidates_from_config(const std::vector<std::string>& devices,
                                                    std::vector<std::string>* notes = nullptr);
// CUPS queues whose device URI is hp:/net/... (scheme and bus compared case-insensitively).
std::vector<DeviceCandidate> candidates_from_queues(const std::vector<PrintQueue>& queues,
                                                    std::vector<std::string>* notes = nullptr);
// Resolved DNS-SD services of HP devices, one candidate per host (an IPv4 address preferred, then a
// global IPv6 one, then link-local with its zone), ordered by name.
std::vector<DeviceCandidate> candidates_from_mdns(const std::vector<mdns::ResolvedService>& services);

// Devices WS-Discovery found with a WS-Scan service, HP's only (by Manufacturer, else an "HP "
// model name), named as mDNS names them (ModelName as ty, Manufacturer as mfg), one candidate per
// device at its first address (IPv4, then global IPv6, then link-local with its zone; the others
// are aliases), ordered by name.
std::vector<DeviceCandidate> candidates_from_wsd(const std::vector<WsdDevice>& devices);

// `resolver` may be null (no models.dat).
std::vector<ListedDevice> merge_devices(const std::vector<DeviceCandidate>& candidates,
                                        const models::ModelResolver* resolver,
                                        std::vector<std::string>* notes = nullptr);

// "HP_LaserJet_MFP_M28-M31" -> "HP LaserJet MFP M28-M31".
std::string readable_token(std::string_view token);

}  // namespace hpaio
