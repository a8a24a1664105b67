// Simulated device profiles: which model a simulated device claims and what it can do.
// Every profile claims a real model whose section in HPLIP's models.dat has the protocol the
// profile speaks (scan-type 7 = LEDM, 9 = eSCL); the WS-Scan profiles claim the section of the model
// they are modelled on (WS-Scan has no scan-type of its own: M127fn 5, the M232-M237 section 9).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpsim {

enum class Protocol { ledm, escl, wsd };  // wsd: WS-Scan (SOAP on :3911/scanner)

// Shapes of the eSCL Location header seen on HP devices (escl-ledm.md §1.2).
enum class LocationStyle {
  absolute,         // http://<the device's own address>/eSCL/ScanJobs/<uuid>
  absolute_port80,  // http://<host>:80/eSCL/ScanJobs/<id>  (M234sdw; on a simulator listening
                    // elsewhere a wrong port, which a client that uses only the path ignores)
  relative_slash,   // /eSCL/ScanJobs/<n>/
  relative,         // /eSCL/ScanJobs/<n>
  bogus_host,       // http://<serial>.03f011b0.hpLedmUSB/eSCL/ScanJobs/<uuid>
};
std::optional<LocationStyle> parse_location_style(std::string_view name);
const char* location_style_name(LocationStyle s);

struct SourceCaps {
  bool present = false;
  int min_width = 8, min_height = 8;  // 1/300 inch
  int max_width = 2550, max_height = 3508;
  std::vector<int> resolutions;  // discrete, square
};

struct Profile {
  std::string name;
  std::string summary;
  Protocol protocol = Protocol::ledm;
  std::string make_and_model;  // "HP OfficeJet Pro 9010 series"
  std::string models_dat;      // models.dat section, e.g. "officejet_pro_9010_series"
  std::string device_id;       // IEEE-1284 device ID
  std::string mdns_ty;         // mDNS TXT "ty"
  std::string server_header;
  std::string serial;
  std::string uuid;
  SourceCaps platen;
  SourceCaps adf;
  bool duplex = false;
  int duplex_max_height = 3508;
  int feeder_capacity = 0;
  bool jpeg = true;
  bool raw = false;  // LEDM Raw / eSCL application/octet-stream (--escl-raw); WS-Scan dib (BMP)
  bool grayscale = true;
  bool blackandwhite1 = false;  // eSCL BlackAndWhite1 (--escl-raw); LEDM always lists K1
  // LEDM
  int ledm_prepare_polls = 1;  // polls answered PreparingScan before ReadyToUpload
  // eSCL
  std::string escl_ns = "http://schemas.hp.com/imaging/escl/2011/05/03";
  std::string escl_version = "2.63";
  bool setting_profiles = true;        // false: pre-SettingProfiles capabilities dialect
  std::string version_prefix = "pwg";  // legacy firmware uses its own prefix for Version
  bool require_localhost = false;      // HP_Compact_Server: POST ScanJobs only with Host: localhost
  bool adf_dnl = false;                // ADF JPEGs with SOF height 0xFFFF + DNL
  LocationStyle location = LocationStyle::absolute;
  int busy_before_page = 0;  // 503 answers to NextDocument before each page
  // The feeder reports ScannerAdfEmpty as soon as the last sheet is pulled in, while the job is
  // still Processing and NextDocument still answers 503 for that sheet (ScanJet 4500, M234 class).
  bool adf_empty_early = false;
  // A jam aborts the job; NextDocument then answers 503 for ever (true) instead of 500, and only
  // ScannerStatus (ScannerAdfJam, the job Aborted) says what happened.
  bool jam_503 = false;
  // A feeder job with the feeder empty is created (201), and its NextDocument answers 404 (false:
  // the POST is refused with 409).
  bool empty_feeder_404 = false;
  // eSCL State after power-on (the first request): Testing for this long (M630 warm-up), and POST
  // ScanJobs answers 503 meanwhile.
  int warmup_ms = 0;
  // ADF sheets are this long (1/300 inch; 0: as long as the window asked for). A feeder page ends
  // where its sheet does: shorter than requested, with its real height in the JPEG (DNL or SOF),
  // eSCL ScanImageInfo ActualHeight and LEDM TotalLines.
  int sheet_height = 0;
  // eSCL State Down for ever (the scanner unit failed): POST ScanJobs answers 503.
  bool down = false;
  int status_lag_ms = 0;  // ScannerStatus keeps State=Processing this long after a job ends
  int cancel_lag_ms = 0;  // 503 to POST ScanJobs this long after a DELETE
  // Framing: false = Content-Length. XML covers every response that is not a page (HPLIP needs
  // chunked XML, or CRLF-terminated bodies, and chunked pages).
  bool chunked_xml = true;
  bool chunked_images = true;
  bool color = true;  // RGB24 / Color8 listed (the profiles all do; --caps documents may not)
  bool pdf = false;   // application/pdf (eSCL) / Pdf (LEDM) listed (set from a --caps document)
  // An LEDM profile that also serves eSCL on the same port (most LEDM inkjets since 2013, e.g. the
  // Smart Tank Plus 570): the eSCL capabilities follow the ScanCaps (K1 as BlackAndWhite1), the
  // DiscoveryTree lists /eSCL/eSclManifest.xml as well, and both halves share one feeder and one
  // busy state.
  bool also_escl = false;
  // eSCL State Stopped for ever; POST ScanJobs answers 503 (as Down: the reference names no answer).
  bool stopped = false;
  // The HP MFP M277dw: a ScanSettings carrying scan:InputSource (not pwg:InputSource) is refused with 400.
  bool strict_input_source = false;
  // Back sides of duplex pages come rotated 180 degrees (no capability element says so: none is known).
  bool rotate_back = false;
  // A job that ended (Completed, Canceled, Aborted, or abandoned: nobody asked about it for
  // EsclDevice/LedmDevice::kAbandonAfter) is forgotten this long after it ended (0: never). eSCL: its
  // NextDocument, ScanImageInfo and DELETE then answer 410 Gone; LEDM: its URLs answer 404.
  int job_expiry_ms = 0;
  // The feeder is refilled to SimConfig::pages sheets whenever it is empty and no job is in
  // progress (a person putting the stack back between jobs; a batch still ends at its last sheet):
  // for long test runs of one-page feeder jobs.
  bool refill_feeder = false;
  // Optional parts of HP's answers (escl-ledm.md section 6): a page's Content-Location header
  // (PageWide), the JobInfo TransferRetryCount (M426fdn, M234 class), and the Mopria scan
  // certification version ("1.3"; empty: none) in the capabilities and the _uscan._tcp TXT key
  // mopria-certified-scan (M283fdw).
  bool content_location = true;
  bool transfer_retry_count = true;
  std::string mopria_certified;
  // WS-Scan: the path of the scan service (HP serves /scanner on port 3911, the M140w and M478f-9f
  // / on port 53048), and the ScannerStateReason while warming up (--warmup-ms): Calibrating or
  // LampWarming.
  std::string wsd_path = "/scanner";
  std::string wsd_warmup_reason = "Calibrating";
};

const std::vector<Profile>& all_profiles();
const Profile* find_profile(std::string_view name);

}  // namespace hpsim
