// hpaio-sim: a simulated HP all-in-one (LEDM and eSCL over HTTP) with fault injection.
#include <malloc.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/ascii.hpp"
#include "tests/sim/core/faults.hpp"
#include "tests/sim/core/profiles.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/core/wsd_discovery.hpp"
#include "tests/sim/server/http_server.hpp"
#include "tests/sim/server/mdns_publisher.hpp"
#include "tests/sim/server/request_log.hpp"
#include "tests/sim/server/snmpd_config.hpp"
#include "tests/sim/server/tls_identity.hpp"
#include "tests/sim/server/wsd_discovery_responder.hpp"

namespace po = boost::program_options;
using namespace hpsim;

namespace {

std::string profiles_text() {
  std::ostringstream o;
  for (const auto& p : all_profiles()) {
    o << "  " << p.name << "\n      " << p.summary << "\n      claims \"" << p.make_and_model << "\" (models.dat ["
      << p.models_dat << "], "
      << (p.protocol == Protocol::ledm   ? "LEDM, scan-type 7"
          : p.protocol == Protocol::escl ? "eSCL, scan-type 9"
                                         : "WS-Scan at http://ADDR:PORT/scanner, default 127.0.0.1:3911 (--wsd-path)")
      << "), Server: " << p.server_header << "\n";
  }
  return o.str();
}

std::string faults_text() {
  std::ostringstream o;
  for (const auto& f : all_faults()) o << "  " << f.name << "\n      " << f.help << "\n";
  return o.str();
}

// HP firmware behaviours (one block: --both-protocols ... --refill-feeder).
void add_firmware_options(po::options_description& desc) {
  desc.add_options()("both-protocols",
                     "LEDM profiles: also serve eSCL on the same port (most LEDM inkjets since 2013): capabilities "
                     "made from the ScanCaps (K1 as BlackAndWhite1), /eSCL/eSclManifest.xml in the DiscoveryTree, "
                     "one feeder and one busy state for both")(
      "escl-404-on", po::value<std::vector<std::string>>()->composing(),
      "ADDR:PORT also listened on, where every /eSCL/* request answers 404 (port 80 of an M283fdw); "
      "repeatable; an --listen address may be named too")(
      "job-expiry-ms", po::value<int>(),
      "a job is forgotten this long after it ended (completed, cancelled, aborted, or abandoned: no request "
      "for 30 s): eSCL NextDocument, ScanImageInfo and DELETE then answer 410 Gone, LEDM its URLs 404")(
      "stopped", "eSCL: State Stopped for ever; POST ScanJobs answers 503 (eSCL profiles or --both-protocols)")(
      "strict-input-source", "eSCL: 400 to a ScanSettings with scan:InputSource (not pwg:InputSource), as the M277dw")(
      "rotate-back", "duplex back sides come rotated 180 degrees (hpaio-pagecheck --rotated checks them)")(
      "xml-framing", po::value<std::string>(), "chunked | length: how every response that is not a page is framed")(
      "image-framing", po::value<std::string>(), "chunked | length: how pages are framed")(
      "refill-feeder",
      "the feeder is refilled to --pages sheets whenever it is empty and no job is in progress (a batch still "
      "ends at its last sheet)")(
      "content-location", po::value<bool>(),
      "eSCL pages carry Content-Location: /eSCL/ScanJobs/<id>/page-<n> (true/false; default per profile)")(
      "transfer-retry-count", po::value<bool>(),
      "eSCL JobInfo lists TransferRetryCount (true/false; default per profile)")(
      "mopria-certified", po::value<std::string>(),
      "eSCL: the mopria-certified-scan version in the capabilities and the _uscan._tcp TXT (\"\" for none; "
      "default per profile, or what a --caps document lists)")(
      "uuid", po::value<std::string>(),
      "the device's UUID (8-4-4-4-12 hex digits) instead of the profile's: in the mDNS TXT, the eSCL capabilities, "
      "the WS-Discovery endpoint and the WS-Scan ServiceId (two simulators of one profile then look like two devices)")(
      "wsd-path", po::value<std::string>(),
      "WS-Scan profiles: serve the scan service at this path (default /scanner, as on port 3911; the M140w and "
      "M478f-9f serve / on port 53048)")(
      "warmup-reason", po::value<std::string>(),
      "WS-Scan profiles: the ScannerStateReason during --warmup-ms, Calibrating (default) or LampWarming");
}

// Whether `s` is a UUID's text form: 8-4-4-4-12 hex digits.
bool is_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = hpaio::ascii_lower(s[i]);
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Whether `s` is a URL path the simulator can serve and name in XML as it is: "/" and then
// unreserved characters and slashes only.
bool is_plain_path(const std::string& s) {
  if (s.empty() || s.front() != '/') return false;
  for (const char c : s) {
    const char l = hpaio::ascii_lower(c);
    if (!((l >= 'a' && l <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '.' || c == '_' || c == '~'))
      return false;
  }
  return true;
}

int firmware_options(const po::variables_map& vm, SimConfig& cfg, std::vector<std::string>& listen) {
  Profile& p = cfg.profile;
  const bool escl = p.protocol == Protocol::escl;
  if (vm.count("both-protocols")) {
    if (escl) {
      std::cerr << "hpaio-sim: --both-protocols needs an LEDM profile (no eSCL device that also serves LEDM scan "
                   "is known)\n";
      return 2;
    }
    p.also_escl = true;
  }
  if (vm.count("stopped")) {
    if (!escl && !p.also_escl) {
      std::cerr << "hpaio-sim: --stopped needs eSCL (an eSCL profile or --both-protocols); LEDM has no known Stopped\n";
      return 2;
    }
    p.stopped = true;
  }
  if (vm.count("uuid")) {
    const std::string u = vm["uuid"].as<std::string>();
    if (!is_uuid(u)) {
      std::cerr << "hpaio-sim: bad --uuid " << u << " (8-4-4-4-12 hex digits)\n";
      return 2;
    }
    p.uuid = hpaio::ascii_lower(u);
  }
  for (const char* o : {"wsd-path", "warmup-reason"}) {
    if (vm.count(o) && p.protocol != Protocol::wsd) {
      std::cerr << "hpaio-sim: --" << o << " needs a WS-Scan profile\n";
      return 2;
    }
  }
  if (vm.count("wsd-path")) {
    const std::string path = vm["wsd-path"].as<std::string>();
    if (!is_plain_path(path) || path == kWsdDevicePath) {
      std::cerr << "hpaio-sim: bad --wsd-path " << path << " (/ and then letters, digits, -._~ and /; not "
                << kWsdDevicePath << ")\n";
      return 2;
    }
    p.wsd_path = path;
  }
  if (vm.count("warmup-reason")) {
    const std::string reason = vm["warmup-reason"].as<std::string>();
    if (reason != "Calibrating" && reason != "LampWarming") {
      std::cerr << "hpaio-sim: --warmup-reason must be Calibrating or LampWarming, not " << reason << "\n";
      return 2;
    }
    if (!vm.count("warmup-ms")) {
      std::cerr << "hpaio-sim: --warmup-reason needs --warmup-ms\n";
      return 2;
    }
    p.wsd_warmup_reason = reason;
  }
  if (vm.count("content-location")) p.content_location = vm["content-location"].as<bool>();
  if (vm.count("transfer-retry-count")) p.transfer_retry_count = vm["transfer-retry-count"].as<bool>();
  if (vm.count("mopria-certified")) p.mopria_certified = vm["mopria-certified"].as<std::string>();
  if (vm.count("job-expiry-ms")) p.job_expiry_ms = std::max(0, vm["job-expiry-ms"].as<int>());
  p.strict_input_source = vm.count("strict-input-source") > 0;
  p.rotate_back = vm.count("rotate-back") > 0;
  p.refill_feeder = vm.count("refill-feeder") > 0;
  if (vm.count("content-length")) p.chunked_images = false;
  for (const auto& [name, chunked] : {std::pair{"xml-framing", &p.chunked_xml}, {"image-framing", &p.chunked_images}}) {
    if (!vm.count(name)) continue;
    const std::string v = vm[name].as<std::string>();
    if (v != "chunked" && v != "length") {
      std::cerr << "hpaio-sim: --" << name << " must be chunked or length, not " << v << "\n";
      return 2;
    }
    *chunked = v == "chunked";
  }
  if (vm.count("escl-404-on")) {
    if (listen.empty()) listen.push_back("127.0.0.1:8080");
    for (const auto& a : vm["escl-404-on"].as<std::vector<std::string>>()) {
      const auto ep = parse_listen_address(a);
      if (!ep) {
        std::cerr << "hpaio-sim: bad --escl-404-on " << a << " (ADDR:PORT, IPv6 as [ADDR]:PORT)\n";
        return 2;
      }
      const auto addr = ep->address();
      const std::string text =
          (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep->port());
      cfg.escl_404_on.push_back(text);
      bool listed = false;
      for (const auto& l : listen) listed = listed || parse_listen_address(l) == ep;
      if (!listed) listen.push_back(text);
    }
  }
  return 0;
}

// --https, --tls-cert/--tls-key, --redirect-https, --close-each-response, --gzip into `so`; the
// exit status on a bad combination (0: fine).
int transport_options(const po::variables_map& vm, const Profile& profile, ServerOptions& so) {
  const auto https = vm.count("https") ? vm["https"].as<std::vector<std::string>>() : std::vector<std::string>{};
  for (const auto& h : https) {
    const auto ep = parse_listen_address(h);
    if (!ep) {
      std::cerr << "hpaio-sim: bad --https " << h << " (ADDR:PORT, IPv6 as [ADDR]:PORT)\n";
      return 2;
    }
    so.https.push_back(*ep);
  }
  if (vm.count("tls-cert") != vm.count("tls-key")) {
    std::cerr << "hpaio-sim: --tls-cert and --tls-key go together\n";
    return 2;
  }
  if (so.https.empty() && (vm.count("tls-cert") || vm.count("redirect-https"))) {
    std::cerr << "hpaio-sim: --" << (vm.count("tls-cert") ? "tls-cert" : "redirect-https") << " needs --https\n";
    return 2;
  }
  if (!so.https.empty()) {
    try {
      TlsIdentity id;
      if (vm.count("tls-cert")) {
        id = read_identity_files(vm["tls-cert"].as<std::string>(), vm["tls-key"].as<std::string>());
      } else {
        std::vector<boost::asio::ip::address> addresses;
        for (const auto& ep : so.https) {
          const auto a = ep.address();
          if (a.is_unspecified()) {
            addresses.push_back(a.is_v6() ? boost::asio::ip::address(boost::asio::ip::address_v6::loopback())
                                          : boost::asio::ip::address(boost::asio::ip::address_v4::loopback()));
          } else {
            addresses.push_back(a);
          }
        }
        id = make_self_signed_identity(profile.serial, addresses);
      }
      so.tls = make_server_tls_context(id);
    } catch (const std::exception& e) {
      std::cerr << "hpaio-sim: --https: " << e.what() << "\n";
      return 2;
    }
  }
  so.redirect_https = vm.count("redirect-https") > 0;
  so.close_each_response = vm.count("close-each-response") > 0;
  so.gzip = vm.count("gzip") > 0;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Page bodies are large (a 600 dpi Raw page is 104 MB) and short-lived: keep freed memory for
  // the next one instead of unmapping it, so serving a page does not fault in fresh memory.
  mallopt(M_MMAP_THRESHOLD, 512 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
  po::options_description desc("Options");
  std::string profile_name;
  std::vector<std::string> listen;
  std::vector<std::string> faults;
  std::string log_file, caps_file, location, snmpd_conf, snmp_persist, mdns_host;
  int pages = 3;
  int busy = -1;
  int stall_seconds = 60;
  int idle_seconds = 60;
  int snmp_port = 16161;
  SimConfig cfg;
  desc.add_options()("help,h", "show this help, the profiles and the faults")(
      "list-profiles", "list the profiles and exit")("profile", po::value(&profile_name), "device profile (see below)")(
      "listen", po::value(&listen)->composing(),
      "ADDR:PORT to listen on, repeatable; IPv6 as [::1]:8080 (default 127.0.0.1:8080; WS-Scan profiles "
      "127.0.0.1:3911)")(
      "pages", po::value(&pages)->default_value(3),
      "sheets in the ADF at start (0 = empty feeder), at most the FeederCapacity of the capabilities")(
      "fault", po::value(&faults)->composing(), "inject a fault (see below), repeatable")(
      "log", po::value(&log_file), "append one JSON line per request to FILE (default: stdout)")(
      "caps", po::value(&caps_file),
      "serve FILE as ScanCaps / ScannerCapabilities instead of the profile's, and accept exactly the jobs it "
      "lists (sources, sizes, colour modes with their formats, resolutions; the feeder and its status). A "
      "FILE the simulator cannot read is served as is, and the profile judges jobs (said at start)")(
      "escl-raw",
      "eSCL profiles: also list application/octet-stream (raw pages: RGB24 3 bytes/pixel, Grayscale8 1, "
      "BlackAndWhite1 1 bit, 1 = white, rows padded to a byte) and the colour mode BlackAndWhite1")(
      "location", po::value(&location),
      "eSCL Location shape: absolute, absolute-port80, relative-slash, relative, bogus-host")(
      "busy", po::value(&busy),
      "503 answers to NextDocument before the platen page and before each feeder sheet (a duplex back side "
      "follows at once; default: per profile)")("status-lag-ms", po::value<int>(),
                                                "eSCL State stays Processing this long after a job ends")(
      "cancel-lag-ms", po::value<int>(),
      "eSCL: POST ScanJobs answers 503 this long after a DELETE (default: per profile)")(
      "adf-empty-early", "eSCL: ScannerAdfEmpty as soon as the last sheet is pulled in, while its page is still 503")(
      "jam-503", "eSCL: after a jam NextDocument answers 503 (not 500); only ScannerStatus tells the jam")(
      "empty-feeder-404", "eSCL: a feeder job with the feeder empty is created (201); NextDocument then 404")(
      "warmup-ms", po::value<int>(),
      "eSCL: State Testing and 503 to POST ScanJobs this long after the first eSCL request; WS-Scan: "
      "ScannerStateReason Calibrating (--warmup-reason) and CreateScanJob refused (ServerErrorNotAcceptingJobs) this "
      "long after the "
      "first request")("down", "eSCL: State Down for ever; POST ScanJobs answers 503")(
      "sheet-length-mm", po::value<double>(),
      "ADF sheets are this long: feeder pages end there (real height in the JPEG, ActualHeight, TotalLines)")(
      "prepare-polls", po::value<int>(), "LEDM polls answered PreparingScan before ReadyToUpload")(
      "dnl", po::value<bool>(), "ADF JPEGs with SOF height 0xFFFF + DNL (true/false; default per profile)")(
      "content-length",
      "frame every response with Content-Length instead of chunked (HPLIP's hpaio needs chunked); "
      "--xml-framing and --image-framing choose for each kind")(
      "stall-seconds", po::value(&stall_seconds)->default_value(60), "how long stall-mid-image holds a connection")(
      "drip-bytes", po::value(&cfg.drip_bytes)->default_value(256), "slow-drip piece size")(
      "drip-ms", po::value(&cfg.drip_ms)->default_value(20), "slow-drip delay between pieces")(
      "idle-timeout", po::value(&idle_seconds)->default_value(60), "close connections idle this long (seconds)")(
      "page-cache",
      "keep every page once rendered and encoded (JPEG or Raw), and serve an identical later request "
      "(same protocol, settings, sheet, side, DNL) from memory: a device with pre-encoded pages, so "
      "benchmarks time transfer and decode only. Faults still apply. Up to 1 GiB of pages are kept")(
      "snmpd-conf", po::value(&snmpd_conf),
      "write an snmpd.conf answering HP's device-ID OID 1.3.6.1.4.1.11.2.3.9.1.1.7.0 for the profile, then exit")(
      "snmp-port", po::value(&snmp_port)->default_value(16161), "UDP port (127.0.0.1) for --snmpd-conf")(
      "snmp-persist-dir", po::value(&snmp_persist),
      "snmpd persistentDir for --snmpd-conf (keeps /var/lib/snmp untouched)")(
      "mdns", "publish the device through the Avahi daemon (_uscan._tcp for eSCL, _scanner._tcp)")(
      "mdns-host", po::value(&mdns_host),
      "with --mdns: publish the address record NAME.local -> the first --listen address and the "
      "services on host NAME.local instead of the daemon's own host name (two simulators on one "
      "daemon then look like two devices)")(
      "mdns-address", po::value<std::vector<std::string>>()->composing(),
      "with --mdns-host: also publish this address for NAME.local, repeatable; a link-local IPv6 address "
      "names its interface (fe80::2%lo), as HP devices publish their IPv4 and link-local IPv6 addresses")(
      "ws-discovery", po::value<std::string>()->implicit_value("127.0.0.1"),
      "WS-Scan profiles: answer WS-Discovery Probes on UDP 3702, joining 239.255.255.250 on the interface "
      "with this IPv4 address (default 127.0.0.1: lo), or ff02::c on the one with this IPv6 address (::1: lo), "
      "with ProbeMatches whose XAddrs is "
      "http://<first --listen>/device, where a WS-Transfer Get answers the metadata naming the scan service "
      "(/scanner, or --wsd-path)");
  desc.add_options()(
      "https", po::value<std::vector<std::string>>()->composing(),
      "ADDR:PORT to serve the same device over HTTPS, repeatable (with no --listen, HTTPS only); the "
      "certificate is self-signed, made at start (EC P-256, CN = the profile's serial, SAN = the addresses); "
      "with --mdns, eSCL profiles also publish _uscans._tcp on the first one")(
      "tls-cert", po::value<std::string>(), "with --https: serve this PEM certificate (chain) instead")(
      "tls-key", po::value<std::string>(), "with --tls-cert: its PEM private key")(
      "redirect-https",
      "plain listeners answer every request 301 Moved Permanently, Location https://<Host header's host>"
      "[:port of the first --https]<same path> (the M477fdw)")(
      "close-each-response", "every response says Connection: close, and the connection is closed after it")(
      "gzip", "XML responses are sent Content-Encoding: gzip to requests whose Accept-Encoding allows gzip");
  po::variables_map vm;
  add_firmware_options(desc);
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "hpaio-sim: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << "Usage: hpaio-sim --profile NAME [--listen ADDR:PORT]... [--pages N] [--fault NAME]...\n"
                 "                 [--log FILE] [--caps FILE] [--escl-raw] [--page-cache] [--mdns [--mdns-host NAME]]\n"
                 "       hpaio-sim --list-profiles\n"
                 "       hpaio-sim --profile NAME --https ADDR:PORT... [--listen ADDR:PORT [--redirect-https]]\n"
                 "       hpaio-sim --profile NAME --snmpd-conf FILE [--snmp-port N]\n\n"
                 "A simulated HP all-in-one speaking LEDM or eSCL over HTTP/1.1 (and HTTPS), or WS-Scan\n"
                 "(SOAP 1.2 POSTs to /scanner or --wsd-path; pages as MTOM parts: dib = BMP, jfif = JPEG), for tests.\n"
                 "Pages carry a verifiable pattern (see hpaio-pagecheck).\n\n"
              << desc << "\nProfiles:\n"
              << profiles_text() << "\nFaults (--fault NAME):\n"
              << faults_text();
    return 0;
  }
  if (vm.count("list-profiles")) {
    for (const auto& p : all_profiles()) std::cout << p.name << "\t" << p.summary << "\n";
    return 0;
  }
  const Profile* profile = find_profile(profile_name);
  if (profile == nullptr) {
    std::cerr << "hpaio-sim: " << (profile_name.empty() ? "--profile is required" : "unknown profile " + profile_name)
              << " (see --list-profiles)\n";
    return 2;
  }
  cfg.profile = *profile;
  cfg.pages = pages;
  for (const auto& f : faults) {
    const auto parsed = parse_fault(f);
    if (!parsed) {
      std::cerr << "hpaio-sim: unknown fault " << f << " (see --help)\n";
      return 2;
    }
    cfg.faults.add(*parsed);
  }
  if (!location.empty()) {
    const auto style = parse_location_style(location);
    if (!style) {
      std::cerr << "hpaio-sim: unknown --location " << location << "\n";
      return 2;
    }
    cfg.profile.location = *style;
  }
  if (busy >= 0) cfg.profile.busy_before_page = busy;
  if (vm.count("status-lag-ms")) cfg.profile.status_lag_ms = vm["status-lag-ms"].as<int>();
  if (vm.count("cancel-lag-ms")) cfg.profile.cancel_lag_ms = vm["cancel-lag-ms"].as<int>();
  if (vm.count("adf-empty-early")) cfg.profile.adf_empty_early = true;
  if (vm.count("jam-503")) cfg.profile.jam_503 = true;
  if (vm.count("empty-feeder-404")) cfg.profile.empty_feeder_404 = true;
  if (vm.count("warmup-ms")) cfg.profile.warmup_ms = vm["warmup-ms"].as<int>();
  if (vm.count("down")) cfg.profile.down = true;
  if (vm.count("sheet-length-mm")) {
    cfg.profile.sheet_height = static_cast<int>(vm["sheet-length-mm"].as<double>() * 300.0 / 25.4 + 0.5);
  }
  if (vm.count("prepare-polls")) cfg.profile.ledm_prepare_polls = vm["prepare-polls"].as<int>();
  if (vm.count("dnl")) cfg.profile.adf_dnl = vm["dnl"].as<bool>();
  if (vm.count("content-length")) cfg.profile.chunked_xml = false;
  if (vm.count("escl-raw")) {
    if (cfg.profile.protocol != Protocol::escl) {
      std::cerr << "hpaio-sim: --escl-raw needs an eSCL profile (LEDM profiles list Raw already)\n";
      return 2;
    }
    cfg.profile.raw = true;
    cfg.profile.blackandwhite1 = true;
  }
  if (cfg.profile.protocol == Protocol::wsd) {
    for (const char* o : {"caps", "mdns", "both-protocols", "stopped", "escl-404-on"}) {
      if (vm.count(o)) {
        std::cerr << "hpaio-sim: --" << o << " is not available with a WS-Scan profile\n";
        return 2;
      }
    }
    if (listen.empty()) listen.push_back("127.0.0.1:3911");  // HP's WS-Scan port
  } else if (vm.count("ws-discovery")) {
    std::cerr << "hpaio-sim: --ws-discovery needs a WS-Scan profile\n";
    return 2;
  }
  if (const int rc = firmware_options(vm, cfg, listen); rc != 0) return rc;
  cfg.page_cache = vm.count("page-cache") > 0;
  if (vm.count("mdns-host") && !vm.count("mdns")) {
    std::cerr << "hpaio-sim: --mdns-host needs --mdns\n";
    return 2;
  }
  std::vector<std::string> mdns_addresses;
  if (vm.count("mdns-address")) {
    if (!vm.count("mdns-host")) {
      std::cerr << "hpaio-sim: --mdns-address needs --mdns-host\n";
      return 2;
    }
    mdns_addresses = vm["mdns-address"].as<std::vector<std::string>>();
    for (const auto& a : mdns_addresses) {
      if (!parse_mdns_address(a)) {
        std::cerr << "hpaio-sim: bad --mdns-address " << a << " (an IPv4 or IPv6 address; link-local as fe80::2%lo)\n";
        return 2;
      }
    }
  }
  if (!caps_file.empty()) {
    std::ifstream in(caps_file, std::ios::binary);
    if (!in) {
      std::cerr << "hpaio-sim: cannot read " << caps_file << "\n";
      return 2;
    }
    std::ostringstream s;
    s << in.rdbuf();
    cfg.caps_file_content = s.str();
  }
  if (!snmpd_conf.empty()) {
    std::ofstream out(snmpd_conf);
    out << snmpd_config(cfg.profile, snmp_port, snmp_persist);
    if (!out) {
      std::cerr << "hpaio-sim: cannot write " << snmpd_conf << "\n";
      return 1;
    }
    std::cerr << "hpaio-sim: wrote " << snmpd_conf << "\n";
    return 0;
  }
  ServerOptions so;
  if (const int rc = transport_options(vm, cfg.profile, so); rc != 0) return rc;
  if (listen.empty() && so.https.empty()) listen.push_back("127.0.0.1:8080");
  for (const auto& l : listen) {
    const auto ep = parse_listen_address(l);
    if (!ep) {
      std::cerr << "hpaio-sim: bad --listen " << l << " (ADDR:PORT, IPv6 as [ADDR]:PORT)\n";
      return 2;
    }
    so.listen.push_back(*ep);
  }
  {
    // The device's own address for its Location URLs: the first --listen, else the first --https
    // (loopback when unspecified); over HTTPS they become https URLs (server/wire_rules.hpp).
    const auto& ep = so.listen.empty() ? so.https.front() : so.listen.front();
    auto a = ep.address();
    if (a.is_unspecified())
      a = a.is_v6() ? boost::asio::ip::address(boost::asio::ip::address_v6::loopback())
                    : boost::asio::ip::address(boost::asio::ip::address_v4::loopback());
    cfg.authority = (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
  }
  const auto& first_ep = so.listen.empty() ? so.https.front() : so.listen.front();
  if (vm.count("mdns-host") && (mdns_host.empty() || first_ep.address().is_unspecified())) {
    std::cerr << "hpaio-sim: --mdns-host needs a NAME and a first --listen with a specific address (not "
              << first_ep.address().to_string() << ")\n";
    return 2;
  }
  so.stall = std::chrono::seconds(std::max(1, stall_seconds));
  so.idle_timeout = std::chrono::seconds(std::max(1, idle_seconds));

  std::ofstream log_stream;
  std::ostream* log_out = &std::cout;
  if (!log_file.empty()) {
    log_stream.open(log_file, std::ios::app);
    if (!log_stream) {
      std::cerr << "hpaio-sim: cannot open log " << log_file << "\n";
      return 2;
    }
    log_out = &log_stream;
  }
  try {
    boost::asio::io_context io;
    Simulator sim(cfg);
    cfg.profile = sim.advertised_profile();  // the mDNS TXT keys follow the document served
    for (const auto& note : sim.notes()) std::cerr << "hpaio-sim: " << note << "\n";
    for (const auto& note : sim.acceptance().notes) std::cerr << "hpaio-sim: capabilities: " << note << "\n";
    if (!caps_file.empty()) {
      std::cerr << "hpaio-sim: jobs are judged by " << describe(sim.acceptance()) << "\n";
    }
    RequestLog log(log_out);
    HttpServer server(io, sim, log, so);
    server.start();
    // Avahi publication must not outlive the io loop; it is optional.
    std::unique_ptr<MdnsPublisher> mdns;
    if (vm.count("mdns")) {
      std::string err;
      std::optional<MdnsHost> host;
      const auto plain = server.local_endpoints();
      const auto tls = server.https_endpoints();
      if (!mdns_host.empty()) {
        host = MdnsHost{mdns_host_name(mdns_host), {(plain.empty() ? tls : plain).front().address().to_string()}};
        host->addresses.insert(host->addresses.end(), mdns_addresses.begin(), mdns_addresses.end());
      }
      mdns = MdnsPublisher::create(cfg.profile, plain.empty() ? 0 : plain.front().port(), host, &err,
                                   tls.empty() ? 0 : tls.front().port());
      if (!mdns) {
        std::cerr << "hpaio-sim: --mdns: " << err << "\n";
        return 1;
      }
    }
    std::unique_ptr<WsdDiscoveryResponder> discovery;
    if (vm.count("ws-discovery")) {
      try {
        discovery = std::make_unique<WsdDiscoveryResponder>(io, cfg.profile, cfg.authority,
                                                            vm["ws-discovery"].as<std::string>(), kWsdDiscoveryPort);
      } catch (const std::exception& e) {
        std::cerr << "hpaio-sim: --ws-discovery: " << e.what() << "\n";
        return 1;
      }
    }
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    std::cerr << "hpaio-sim: profile " << cfg.profile.name << " listening on";
    for (const auto& ep : server.local_endpoints()) {
      std::cerr << " " << (ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string())
                << ":" << ep.port();
    }
    for (const auto& ep : server.https_endpoints()) {
      std::cerr << " https://"
                << (ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string()) << ":"
                << ep.port();
    }
    std::cerr << std::endl;
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "hpaio-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
