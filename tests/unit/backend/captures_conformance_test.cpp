// Checks our codecs against real device documents in ../shared/reference/captures (reference data
// kept outside this repository; never copied into it; see its README.md): exact decoded values
// per document, and our ScanSettings against the requests HP's own software sent.
// Without that folder the tests skip loudly; under CI (CI set and non-empty) they fail instead.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "backend/escl/escl_codec.hpp"
#include "backend/ledm/ledm_codec.hpp"
#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace fs = std::filesystem;
using namespace hpaio;
using namespace hpaio::backend;

namespace {

fs::path captures_dir() {
  if (const char* dir = std::getenv("HPAIO_CAPTURES_DIR"); dir && *dir) return dir;
  return fs::path(HPAIO_SOURCE_DIR) / ".." / "shared" / "reference" / "captures";
}

bool under_ci() {
  const char* ci = std::getenv("CI");
  return ci && *ci;
}

#define REQUIRE_CAPTURES()                                                                                         \
  do {                                                                                                             \
    if (!fs::is_directory(captures_dir())) {                                                                       \
      if (under_ci()) FAIL() << "CI is set, so the real device captures are required: none at " << captures_dir(); \
      GTEST_SKIP() << "SKIPPED LOUDLY: no real device captures at " << captures_dir()                              \
                   << " (set HPAIO_CAPTURES_DIR, or keep the shared/ folder beside the repository)";               \
    }                                                                                                              \
  } while (0)

std::string read(const std::string& name) {
  std::ifstream in(captures_dir() / name, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read capture " << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// ----- Exact values of the device's status documents, as the README and the files say. -----

struct EsclStatusCase {
  const char* file;
  const char* state;
  const char* adf_state;
  std::size_t jobs;
  const char* newest_job_uri;  // the first JobInfo (HP lists newest first); "" when none
  const char* newest_job_state;
  const char* newest_job_reason;
};
const EsclStatusCase escl_statuses[] = {
    {"HP-LaserJet-MFP-M426fdn-escl-ScannerStatus.xml", "Idle", "ScannerAdfEmpty", 2, "/eSCL/ScanJobs/1005", "Completed",
     "JobCompletedSuccessfully"},
    {"HP-PageWide-Pro-477dw-escl-ScannerStatus.xml", "Idle", "ScannerAdfLoaded", 2,
     "/eSCL/ScanJobs/1c986213-09ff-1f09-a0d9-3822e23ba011", "Completed", "JobCompletedSuccessfully"},
    {"HP-ScanJet-Pro-4500-fn1-escl-ScannerStatus-completed.xml", "Processing", "ScannerAdfEmpty", 2, "/eSCL/ScanJobs/2",
     "Completed", "JobCompletedSuccessfully"},
    {"HP-ScanJet-Pro-4500-fn1-escl-ScannerStatus-empty.xml", "Idle", "ScannerAdfEmpty", 0, "", "", ""},
    {"HP-ScanJet-Pro-4500-fn1-escl-ScannerStatus-loaded.xml", "Idle", "ScannerAdfLoaded", 1, "/eSCL/ScanJobs/1",
     "Completed", "JobCompletedSuccessfully"},
    {"HP-ScanJet-Pro-4500-fn1-escl-ScannerStatus-processing.xml", "Processing", "ScannerAdfEmpty", 2,
     "/eSCL/ScanJobs/2", "Processing", "JobScanning"},
    {"HP-SmartTank-Plus-570-escl-ScannerStatus-adf-empty.xml", "Idle", "ScannerAdfEmpty", 2,
     "/eSCL/ScanJobs/f6f17dc4-536e-4bcb-b622-5d25bb6880be", "Completed", "JobCompletedSuccessfully"},
};

struct ImageInfoCase {
  const char* file;
  int width, height, bytes_per_line;
};
const ImageInfoCase image_infos[] = {
    {"HP-PageWide-Pro-477dw-escl-ScanImageInfo.xml", 2550, 3300, 7650},
    {"HP-escl-ScanImageInfo.xml", 1700, 2420, 5248},
};

struct LedmStatusCase {
  const char* file;
  const char* scanner_state;
  const char* adf_state;  // "" when the device has no AdfState
};
const LedmStatusCase ledm_statuses[] = {
    {"HP-Officejet-6500-E710n-ledm-ScanStatus-loaded.xml", "Idle", "Loaded"},
    {"HP-ledm-ScanStatus.xml", "Idle", "Loaded"},
    {"HP-ledm-ScanStatus-no-adf.xml", "Idle", ""},
};

// A page as one line, so a mismatch prints both sides whole.
std::string describe(const std::optional<ledm::Page>& p) {
  if (!p) return "none";
  std::ostringstream s;
  s << "page " << p->number << ' ' << p->state << " url '" << p->binary_url << "' " << p->image_width << 'x'
    << p->image_height << " bpl " << p->bytes_per_line << " lines " << p->total_lines;
  return s.str();
}

struct LedmJobCase {
  const char* file;
  const char* state;
  std::optional<ledm::Page> pre_scan, post_scan;
};
const ledm::Page oj6500_page1{1, "PreparingScan", "/Scan/Jobs/2/Pages/1", 1654, 2338, 4962, 0};
ledm::Page with_state(ledm::Page p, const char* state) {
  p.state = state;
  return p;
}
const LedmJobCase ledm_jobs[] = {
    {"HP-ENVY-7640-ledm-Job-adf-completed.xml", "Completed", std::nullopt,
     ledm::Page{2, "UploadCompleted", "", 0, 0, 0, 3501}},
    {"HP-ENVY-7640-ledm-Job-adf-page1-done-page2-preparing.xml", "Processing",
     ledm::Page{2, "PreparingScan", "/Scan/Jobs/6/Pages/2", 2480, 3508, 2480, 0},
     ledm::Page{1, "UploadCompleted", "", 0, 0, 0, 3508}},
    {"HP-Officejet-6500-E710n-ledm-Job-Completed.xml", "Completed", std::nullopt,
     ledm::Page{1, "UploadCompleted", "", 0, 0, 0, 2294}},
    {"HP-Officejet-6500-E710n-ledm-Job-PreparingScan.xml", "Processing", oj6500_page1, std::nullopt},
    {"HP-Officejet-6500-E710n-ledm-Job-ReadyToUpload.xml", "Processing", with_state(oj6500_page1, "ReadyToUpload"),
     std::nullopt},
    {"HP-ledm-Job-completed.xml", "Completed", std::nullopt, ledm::Page{1, "UploadCompleted", "", 0, 0, 0, 2294}},
    {"HP-ledm-Job-processing.xml", "Processing", oj6500_page1, std::nullopt},
};

template <typename Cases>
bool listed(const Cases& cases, const std::string& name) {
  return std::any_of(std::begin(cases), std::end(cases), [&](const auto& c) { return name == c.file; });
}

}  // namespace

TEST(CapturesConformance, EveryRealDocumentDecodes) {
  REQUIRE_CAPTURES();
  int decoded = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(captures_dir())) {
    std::string name = e.path().filename().string();
    if (e.path().extension() != ".xml") continue;
    SCOPED_TRACE(name);
    std::string doc = read(name);
    ++decoded;
    if (contains(name, "MALFORMED")) {
      EXPECT_THROW(ledm::decode_capabilities(doc), ProtocolError);
    } else if (contains(name, "-escl-ScannerCapabilities")) {
      escl::Capabilities c = escl::decode_capabilities(doc);
      EXPECT_FALSE(c.scanner.sources().empty());
      EXPECT_FALSE(c.scanner.make_and_model.empty());
      for (InputSource s : c.scanner.sources()) {
        const SourceCapabilities* src = c.scanner.source(s);
        EXPECT_GE(src->max_width, 2400);
        EXPECT_GE(src->max_height, 3000);
        EXPECT_FALSE(src->resolutions.empty());
        EXPECT_TRUE(src->mode(ColorMode::Color)) << "no RGB24 on " << sane_name(s);
      }
      if (contains(name, "M28w")) {
        EXPECT_EQ(c.scanner.sources(), std::vector<InputSource>{InputSource::Platen});
        EXPECT_EQ(c.scanner.platen->resolutions, (std::vector<int>{200, 300, 600}));
      }
      if (contains(name, "ScanJet-Pro-4500")) {
        EXPECT_TRUE(c.scanner.adf_duplex);
      }
    } else if (contains(name, "-ledm-ScanCaps")) {
      ScannerCapabilities c = ledm::decode_capabilities(doc);
      EXPECT_FALSE(c.sources().empty());
      if (contains(name, "OfficeJet-Pro-9010")) {
        ASSERT_TRUE(c.adf_duplex);
        EXPECT_EQ(c.adf_duplex->max_height, 3508);
        EXPECT_EQ(c.platen->resolutions.back(), 1200);
      }
      if (contains(name, "ENVY-Photo-6200")) {
        EXPECT_FALSE(c.adf);
      }
      if (contains(name, "adf-only")) {
        EXPECT_FALSE(c.platen);
      }
    } else if (contains(name, "DiscoveryTree")) {
      ledm::DiscoveryTree t = ledm::decode_discovery_tree(doc);
      EXPECT_TRUE(t.ledm_scan || t.escl);
      if (contains(name, "-escl")) {
        EXPECT_TRUE(t.escl);
      }
    } else if (contains(name, "-escl-ScannerStatus")) {
      EXPECT_TRUE(listed(escl_statuses, name)) << "no exact expectations in escl_statuses";
    } else if (contains(name, "ScanImageInfo")) {
      EXPECT_TRUE(listed(image_infos, name)) << "no exact expectations in image_infos";
    } else if (contains(name, "-ledm-ScanStatus")) {
      EXPECT_TRUE(listed(ledm_statuses, name)) << "no exact expectations in ledm_statuses";
    } else if (contains(name, "-ledm-Job")) {
      EXPECT_TRUE(listed(ledm_jobs, name)) << "no exact expectations in ledm_jobs";
    } else {
      // Requests (compared below) and documents we do not read: they must at least parse.
      EXPECT_NO_THROW(hpaio::xml::parse(doc));
    }
  }
  EXPECT_GE(decoded, 43) << "fewer capture documents than expected in " << captures_dir();
}

TEST(CapturesConformance, EsclScannerStatusExact) {
  REQUIRE_CAPTURES();
  for (const EsclStatusCase& c : escl_statuses) {
    SCOPED_TRACE(c.file);
    escl::ScannerStatus s = escl::decode_status(read(c.file));
    EXPECT_EQ(s.state, c.state);
    EXPECT_EQ(s.adf_state, c.adf_state);
    ASSERT_EQ(s.jobs.size(), c.jobs);
    if (c.jobs == 0) continue;
    const escl::JobInfo& newest = s.jobs.front();
    EXPECT_EQ(newest.uri, c.newest_job_uri);
    EXPECT_EQ(newest.state, c.newest_job_state);
    EXPECT_EQ(newest.reasons, std::vector<std::string>{c.newest_job_reason});
    EXPECT_EQ(s.job(c.newest_job_uri), &newest);
  }
}

TEST(CapturesConformance, EsclScanImageInfoExact) {
  REQUIRE_CAPTURES();
  for (const ImageInfoCase& c : image_infos) {
    SCOPED_TRACE(c.file);
    escl::ImageInfo i = escl::decode_image_info(read(c.file));
    EXPECT_EQ(i.width, c.width);
    EXPECT_EQ(i.height, c.height);
    EXPECT_EQ(i.bytes_per_line, c.bytes_per_line);
  }
}

TEST(CapturesConformance, LedmScanStatusExact) {
  REQUIRE_CAPTURES();
  for (const LedmStatusCase& c : ledm_statuses) {
    SCOPED_TRACE(c.file);
    ledm::ScanStatus s = ledm::decode_status(read(c.file));
    EXPECT_EQ(s.scanner_state, c.scanner_state);
    EXPECT_EQ(s.adf_state, c.adf_state);
  }
}

TEST(CapturesConformance, LedmJobExact) {
  REQUIRE_CAPTURES();
  for (const LedmJobCase& c : ledm_jobs) {
    SCOPED_TRACE(c.file);
    ledm::Job j = ledm::decode_job(read(c.file));
    EXPECT_EQ(j.state, c.state);
    EXPECT_EQ(describe(j.pre_scan), describe(c.pre_scan));
    EXPECT_EQ(describe(j.post_scan), describe(c.post_scan));
  }
}

// ----- Our ScanSettings against HP's real requests, compared by namespace URI and value. -----

namespace {

// Short, unambiguous labels for the namespaces in these requests; any other URI prints in full.
std::string label(const std::string& uri) {
  if (uri == hpaio::ns::escl) return "scan:";
  if (uri == hpaio::ns::pwg) return "pwg:";
  if (uri == hpaio::ns::ledm_scan) return "ledm:";
  return "{" + uri + "}";
}

// Text as compared: numbers in canonical form ("0033" equals "33", "2.50" equals "2.5").
std::string canonical(const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return text;
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Path (the {namespace, local name} steps from the root) -> trimmed value, for every leaf
// element. Attributes (pwg:MustHonor, xsi:schemaLocation) are not compared.
using Leaves = std::multimap<std::string, std::string>;
void flatten(const hpaio::xml::Element& e, const std::string& parent, Leaves& out) {
  std::string path = parent + "/" + label(e.ns()) + e.name();
  if (e.children().empty()) out.emplace(path, canonical(e.text()));
  for (const hpaio::xml::Element& c : e.children()) flatten(c, path, out);
}
Leaves leaves(const std::string& document) {
  Leaves out;
  flatten(hpaio::xml::parse(document), "", out);
  return out;
}

// Deliberate departures from HP's requests, each with its reason. An entry only excuses a
// missing element (or, in `value_differs`, a different value); everything else must match.
struct Departures {
  std::set<std::string> hp_only;        // HP sends it, we do not
  std::set<std::string> ours_only;      // we send it, HP does not
  std::set<std::string> value_differs;  // both send it, with deliberately different values
};

const Departures escl_departures{
    .hp_only =
        {
            // Optional in eSCL; no SANE option chooses an intent, so the device keeps its default.
            "/scan:ScanSettings/scan:Intent",
            // Sent only when the capabilities advertise CompressionFactorSupport (the 477dw's do not).
            "/scan:ScanSettings/scan:CompressionFactor",
            // HP Smart's paper-handling and auto-crop extras; SANE has no such options.
            "/scan:ScanSettings/scan:MultipickDetection",
            "/scan:ScanSettings/scan:ShowMultipickResolveDialog",
            "/scan:ScanSettings/scan:MultipickExclusionLength",
            "/scan:ScanSettings/scan:AutoCrop",
            "/scan:ScanSettings/scan:Overscan",
            // Tone curve: we leave the device's defaults (only brightness/contrast are options).
            "/scan:ScanSettings/scan:Gamma",
            "/scan:ScanSettings/scan:Highlight",
            "/scan:ScanSettings/scan:Shadow",
        },
    .ours_only =
        {
            // eSCL 2.0 firmware reads only pwg:DocumentFormat; sane-airscan sends it too.
            "/scan:ScanSettings/pwg:DocumentFormat",
            // We state Duplex false for every simplex Feeder job, as sane-airscan does; HP omits it.
            "/scan:ScanSettings/scan:Duplex",
        },
    .value_differs = {},
};

const Departures ledm_departures{
    .hp_only =
        {
            // Not in HPLIP's request, which devices accept; no SANE option maps to them.
            "/ledm:ScanSettings/ledm:ToneMap/ledm:Threshold",
            "/ledm:ScanSettings/ledm:SharpeningLevel",
            "/ledm:ScanSettings/ledm:NoiseRemoval",
        },
    .ours_only =
        {
            // HPLIP sends this redundant copy of InputSource; kept for firmware that expects it.
            "/ledm:ScanSettings/ledm:InputSourceType",
        },
    .value_differs =
        {
            // HPLIP's fixed tone map (Highlite 0, Shadow 0) where HP Scan sends 179 and 25.
            "/ledm:ScanSettings/ledm:ToneMap/ledm:Highlite",
            "/ledm:ScanSettings/ledm:ToneMap/ledm:Shadow",
            // HPLIP's fixed Photo; HP Scan sends Document. SANE has no content-type option.
            "/ledm:ScanSettings/ledm:ContentType",
        },
};

std::string joined(const std::vector<std::string>& values) {
  std::string s;
  for (const std::string& v : values) s += (s.empty() ? "'" : ", '") + v + "'";
  return s;
}

std::vector<std::string> values_at(const Leaves& l, const std::string& path) {
  std::vector<std::string> out;
  for (auto [it, end] = l.equal_range(path); it != end; ++it) out.push_back(it->second);
  std::sort(out.begin(), out.end());
  return out;
}

// One line per difference between our request and HP's that no departure excuses.
std::vector<std::string> differences(const Leaves& ours, const Leaves& hp, const Departures& d) {
  std::set<std::string> paths;
  for (const Leaves* l : {&ours, &hp}) {
    for (const auto& [path, value] : *l) paths.insert(path);
  }
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    std::vector<std::string> o = values_at(ours, path), h = values_at(hp, path);
    if (h.empty() && !d.ours_only.contains(path)) {
      out.push_back(path + ": we send " + joined(o) + ", HP's request has no such element");
    } else if (o.empty() && !d.hp_only.contains(path)) {
      out.push_back(path + ": HP sends " + joined(h) + ", we send no such element");
    } else if (!o.empty() && !h.empty() && o != h && !d.value_differs.contains(path)) {
      out.push_back(path + ": we send " + joined(o) + ", HP sends " + joined(h));
    }
  }
  return out;
}

std::string lines(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& line : v) s += "\n  " + line;
  return s;
}

// A colour JPEG job, as our options would describe it.
ScanRequest colour_jpeg(InputSource source, int resolution, ScanRegion region, std::optional<int> brightness = {},
                        std::optional<int> contrast = {}, std::optional<int> quality = {}) {
  ScanRequest r;
  r.source = source;
  r.mode = r.device_mode = ColorMode::Color;
  r.format = ImageFormat::Jpeg;
  r.resolution = resolution;
  r.region = region;
  r.brightness = brightness;
  r.contrast = contrast;
  r.quality = quality;
  return r;
}

struct SettingsCase {
  const char* request;       // HP's real request
  const char* capabilities;  // eSCL: the capabilities of the device it went to; nullptr for LEDM
  ScanRequest job;           // the same job
};

const SettingsCase settings_cases[] = {
    // HP Easy Scan to the PageWide Pro 477dw: Feeder, 300 dpi, RGB24, 2550 x 3300, JPEG.
    {"HP-PageWide-Pro-477dw-escl-ScanSettings-request-HPEasyScan.xml",
     "HP-PageWide-Pro-477dw-escl-ScannerCapabilities.xml", colour_jpeg(InputSource::Adf, 300, {0, 0, 2550, 3300})},
    // HP Smart (eSCL 2.62, as the ScanJet Pro 4500): Feeder duplex, 200 dpi, RGB24, 2550 x 4200,
    // JPEG, brightness/contrast 996, CompressionFactor 0 (quality 0: the minimum of the 4500's range).
    {"HP-escl-ScanSettings-adf-duplex.xml", "HP-ScanJet-Pro-4500-fn1-escl-ScannerCapabilities.xml",
     colour_jpeg(InputSource::AdfDuplex, 200, {0, 0, 2550, 4200}, 996, 996, 0)},
    // Windows HP Scan to the Officejet 6500: Adf, 200 dpi, Color, JPEG, XStart 33.
    {"HP-Officejet-6500-E710n-ledm-ScanSettings-request.xml", nullptr,
     colour_jpeg(InputSource::Adf, 200, {33, 0, 2481, 3507})},
    // HP software, LEDM duplex: Adf + AdfOptions/Duplex, 200 dpi, Color, JPEG.
    {"HP-ledm-ScanSettings-adf-duplex.xml", nullptr, colour_jpeg(InputSource::AdfDuplex, 200, {0, 0, 2481, 3507})},
};

}  // namespace

TEST(CapturesConformance, OurScanSettingsMatchHpRequests) {
  REQUIRE_CAPTURES();
  for (const SettingsCase& c : settings_cases) {
    SCOPED_TRACE(c.request);
    bool escl = c.capabilities != nullptr;
    std::string ours = escl ? escl::encode_scan_settings(c.job, escl::decode_capabilities(read(c.capabilities)))
                            : ledm::encode_scan_settings(c.job);
    std::vector<std::string> diff =
        differences(leaves(ours), leaves(read(c.request)), escl ? escl_departures : ledm_departures);
    EXPECT_TRUE(diff.empty()) << "our ScanSettings differ from HP's request:" << lines(diff) << "\nours:\n" << ours;
  }
}
