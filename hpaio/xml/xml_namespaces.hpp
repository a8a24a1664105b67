// The XML namespace URIs of HP's scan protocols. Documents are matched by these URIs, never by
// the prefixes a device happens to use.
#pragma once

#include <array>
#include <string_view>

namespace hpaio::ns {

// eSCL (Mopria / AirScan), as HP firmware declares it.
inline constexpr std::string_view escl = "http://schemas.hp.com/imaging/escl/2011/05/03";
// eSCL of old HP firmware (version 1.0, before SettingProfiles).
inline constexpr std::string_view escl_legacy = "http://schemas.hp.com/imaging/escl/2011/02/08";
inline constexpr std::string_view pwg = "http://www.pwg.org/schemas/2010/12/sm";
// HP's own copy of the PWG semantic model namespace, used by old eSCL firmware.
inline constexpr std::string_view pwg_hp = "http://www.hp.com/schemas/imaging/con/pwg/sm/1.0/";

// LEDM scan documents: ScanCaps, ScanSettings, ScanStatus, ScanJob.
inline constexpr std::string_view ledm_scan = "http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19";
// LEDM job resources (/Jobs/JobList/N).
inline constexpr std::string_view ledm_jobs = "http://www.hp.com/schemas/imaging/con/ledm/jobs/2009/04/30";
// LEDM /DevMgmt/DiscoveryTree.xml.
inline constexpr std::string_view ledm_discovery = "http://www.hp.com/schemas/imaging/con/ledm/2007/09/21";
inline constexpr std::string_view hp_dictionaries = "http://www.hp.com/schemas/imaging/con/dictionaries/1.0/";

// WS-Scan (Microsoft's WSD Scan Service), and the older namespace of Microsoft's first examples.
inline constexpr std::string_view wsd_scan = "http://schemas.microsoft.com/windows/2006/08/wdp/scan";
inline constexpr std::string_view wsd_scan_2006_01 = "http://schemas.microsoft.com/windows/2006/01/wdp/scan";
// SOAP 1.2 (what WS-Scan speaks), and SOAP 1.1, which some devices answer in.
inline constexpr std::string_view soap12 = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr std::string_view soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
// WS-Addressing as the Devices Profile for Web Services uses it.
inline constexpr std::string_view wsa = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
// WS-Discovery (2005/04), as the Devices Profile for Web Services uses it: Probe, ProbeMatches.
inline constexpr std::string_view ws_discovery = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
// The Devices Profile for Web Services (2006/02): a device's metadata (ThisModel, Hosted services).
inline constexpr std::string_view devprof = "http://schemas.xmlsoap.org/ws/2006/02/devprof";
// WS-MetadataExchange (2004/09): the Metadata of a WS-Transfer GetResponse.
inline constexpr std::string_view mex = "http://schemas.xmlsoap.org/ws/2004/09/mex";
// XOP: an MTOM message's reference from its XML part to a binary part.
inline constexpr std::string_view xop = "http://www.w3.org/2004/08/xop/include";

inline constexpr std::array<std::string_view, 2> escl_any{escl, escl_legacy};
inline constexpr std::array<std::string_view, 2> wsd_scan_any{wsd_scan, wsd_scan_2006_01};
inline constexpr std::array<std::string_view, 2> soap_any{soap12, soap11};
inline constexpr std::array<std::string_view, 2> pwg_any{pwg, pwg_hp};

}  // namespace hpaio::ns
