// hpaio-sim judges jobs by the capabilities document it serves: the acceptance model read from
// eSCL ScannerCapabilities (both dialects) and LEDM ScanCaps, the built-in profiles through their
// own documents, and every real capture in ../shared/reference/captures through --caps.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "sim_job_util.hpp"
#include "sim_test_util.hpp"
#include "tests/sim/core/acceptance.hpp"
#include "tests/sim/core/simulator.hpp"

using namespace hpsim;
using simtest::config;
using simtest::JobSpec;
using simtest::parse_xml;
using simtest::req;

namespace {

// The side of the scan window (1/300 inch) unless the source's minimum is larger: small pages keep
// the hundreds of jobs below fast (4800 dpi: 960 pixels).
constexpr int kSide = 60;

struct Capture {
  const char* file;
  const char* lists;  // describe() of its model; checked against an independent reading of the file
};

const Capture kCaptures[] = {
    {"HP-Color-LaserJet-MFP-M283fdw-escl-ScannerCapabilities.xml",
     "platen 576x576..2550x3508: [RGB24,Grayscale8 image/jpeg,application/pdf 75,150,200,300,600,1200 dpi]; adf "
     "576x576..2550x4200: [RGB24,Grayscale8 image/jpeg,application/pdf 75,150,200,300 dpi]; feeder capacity 50"},
    {"HP-LaserJet-MFP-M28w-escl-ScannerCapabilities.xml",
     "platen 300x300..2550x3508: [RGB24,Grayscale8 image/jpeg,application/pdf,application/octet-stream 200,300,600 "
     "dpi]"},
    {"HP-LaserJet-MFP-M426fdn-escl-ScannerCapabilities.xml",
     "platen 576x576..2550x3508: [RGB24,Grayscale8 image/jpeg,application/pdf 75,200,300,600,1200 dpi]; adf "
     "576x576..2550x4500: [RGB24,Grayscale8 image/jpeg,application/pdf 75,200,300 dpi]; duplex 576x576..2550x4500: "
     "[RGB24,Grayscale8 image/jpeg,application/pdf 75,200,300 dpi]; feeder capacity 50"},
    {"HP-PageWide-Pro-477dw-escl-ScannerCapabilities.xml",
     "platen 8x8..2550x4201: [Grayscale8,RGB24 application/octet-stream,image/jpeg,application/pdf "
     "75,100,150,200,300,400,600,1200 dpi]; adf 8x8..2550x4200: [Grayscale8,RGB24 "
     "application/octet-stream,image/jpeg,application/pdf 75,100,150,200,300 dpi]; duplex 8x8..2550x4200: "
     "[Grayscale8,RGB24 application/octet-stream,image/jpeg,application/pdf 75,100,150,200,300 dpi]; feeder capacity "
     "50"},
    {"HP-ScanJet-Pro-4500-fn1-escl-ScannerCapabilities.xml",
     "platen 32x32..2550x4200: [Grayscale8,RGB24,BlackAndWhite1,AutoColorDetection "
     "image/jpeg,application/octet-stream,application/pdf 75,150,200,240,300,400,500,600,1200 dpi]; adf "
     "32x32..2550x36600: [Grayscale8,RGB24,BlackAndWhite1,AutoColorDetection "
     "image/jpeg,application/octet-stream,application/pdf 75,150,200,240,300,400,500,600 dpi]; duplex "
     "32x32..2550x4200: [Grayscale8,RGB24,BlackAndWhite1,AutoColorDetection "
     "image/jpeg,application/octet-stream,application/pdf 75,150,200,240,300,400,500,600 dpi]; feeder capacity 50"},
    {"HP-SmartTank-Plus-570-escl-ScannerCapabilities.xml",
     "platen 8x8..2550x3508: [BlackAndWhite1,Grayscale8,RGB24 application/octet-stream,image/jpeg,application/pdf "
     "75,100,150,200,300,400,600,1200 dpi]; adf 8x8..2550x4200: [BlackAndWhite1,Grayscale8,RGB24 "
     "application/octet-stream,image/jpeg,application/pdf 75,100,150,200,300 dpi]; feeder capacity 35"},
    {"HP-ENVY-Photo-6200-ledm-ScanCaps.xml",
     "platen 8x8..2550x3508: [K1 Raw 75,100,150,200,300,400,600,1200 dpi] [Gray8 Raw,Jpeg "
     "75,100,150,200,300,400,600,1200 dpi] [Color8 Raw,Jpeg 75,100,150,200,300,400,600,1200 dpi]"},
    {"HP-OfficeJet-Pro-9010-ledm-ScanCaps.xml",
     "platen 8x8..2550x3534: [K1 Raw 75,100,150,200,300,400,600,1200 dpi] [Gray8 Raw,Jpeg "
     "75,100,150,200,300,400,600,1200 dpi] [Color8 Raw,Jpeg 75,100,150,200,300,400,600,1200 dpi]; adf "
     "8x8..2550x4200: [K1 Raw 75,100,150,200,300 dpi] [Gray8 Raw,Jpeg 75,100,150,200,300 dpi] [Color8 Raw,Jpeg "
     "75,100,150,200,300 dpi]; duplex 8x8..2550x3508: [K1 Raw 75,100,150,200,300 dpi] [Gray8 Raw,Jpeg "
     "75,100,150,200,300 dpi] [Color8 Raw,Jpeg 75,100,150,200,300 dpi]; feeder capacity 35"},
    {"HP-Officejet-6500-E710n-ledm-ScanCaps.xml",
     "platen 8x8..2550x3508: [K1 Raw 75,100,200,300,600,1200,2400,4800 dpi] [Gray8 Raw,Jpeg "
     "75,100,200,300,600,1200,2400,4800 dpi] [Color8 Raw,Jpeg 75,100,200,300,600,1200,2400,4800 dpi]; adf "
     "8x8..2550x4200: [K1 Raw 75,100,200,300,600 dpi] [Gray8 Raw,Jpeg 75,100,200,300,600 dpi] [Color8 Raw,Jpeg "
     "75,100,200,300,600 dpi]; feeder capacity 35"},
    {"HP-Officejet-6700-Premium-h711g-ledm-ScanCaps.xml",
     "platen 8x8..2550x3508: [K1 Raw 75,100,200,300,600,1200,2400 dpi] [Gray8 Raw,Jpeg "
     "75,100,200,300,600,1200,2400 dpi] [Color8 Raw,Jpeg 75,100,200,300,600,1200,2400 dpi]; adf 8x8..2550x4200: [K1 "
     "Raw 75,100,200,300,600 dpi] [Gray8 Raw,Jpeg 75,100,200,300,600 dpi] [Color8 Raw,Jpeg 75,100,200,300,600 dpi]; "
     "feeder capacity 35"},
    {"HP-SmartTank-Plus-570-ledm-ScanCaps.xml",
     "platen 8x8..2550x3508: [K1 Raw 75,100,150,200,300,400,600,1200 dpi] [Gray8 Raw,Jpeg "
     "75,100,150,200,300,400,600,1200 dpi] [Color8 Raw,Jpeg 75,100,150,200,300,400,600,1200 dpi]; adf "
     "8x8..2550x4200: [K1 Raw 75,100,150,200,300 dpi] [Gray8 Raw,Jpeg 75,100,150,200,300 dpi] [Color8 Raw,Jpeg "
     "75,100,150,200,300 dpi]; feeder capacity 35"},
    {"HP-unknown-adf-only-ledm-ScanCaps.xml",
     "adf 8x8..2550x5100: [K1 Raw 75,100,200,300,600 dpi] [Gray8 Raw,Jpeg 75,100,200,300,600 dpi] [Color8 Raw,Jpeg "
     "75,100,200,300,600 dpi]; feeder capacity 1"},
};

void PrintTo(const Capture& c, std::ostream* os) { *os << c.file; }

constexpr const char* kMalformed = "HP-Officejet-6700-Premium-h711g-ledm-ScanCaps.MALFORMED-as-found.xml";

bool is_ledm(const std::string& file) { return file.find("-ledm-") != std::string::npos; }

SimConfig caps_config(const std::string& file, std::string content) {
  SimConfig c = config(is_ledm(file) ? "ledm-adf-duplex" : "escl-adf-duplex", 2);
  c.caps_file_content = std::move(content);
  return c;
}

std::string caps_path(Protocol p) { return p == Protocol::escl ? "/eSCL/ScannerCapabilities" : "/Scan/ScanCaps"; }

// AdfState in the status document, or "" when there is none.
std::string adf_state(Simulator& sim, Clock::time_point now) {
  const bool escl = sim.config().profile.protocol == Protocol::escl;
  const auto doc = parse_xml(sim.handle(req("GET", escl ? "/eSCL/ScannerStatus" : "/Scan/Status"), now).body);
  return doc.child_text(escl ? simtest::kEsclScanNs : simtest::kLedmScanNs, "AdfState").value_or("");
}

struct Input {
  const char* name;
  Source source;
  bool duplex;
  const InputCaps* caps;
};

std::vector<Input> inputs(const Acceptance& a) {
  return {{"platen", Source::platen, false, &a.platen},
          {"adf", Source::adf, false, &a.adf_simplex},
          {"duplex", Source::adf, true, &a.adf_duplex}};
}

int post_status(const SimConfig& cfg, const JobSpec& j) {
  Simulator sim(cfg);
  auto now = Clock::now();
  return simtest::run_job(sim, j, now).post_status;
}

class RealCapture : public ::testing::TestWithParam<Capture> {};

TEST_P(RealCapture, ServedByteForByteEveryListedJobAcceptedAndTheRestRefused) {
  const auto path = simtest::captures_dir() / GetParam().file;
  SIMTEST_REQUIRE_CAPTURE(path);
  const std::string doc = simtest::read_file(path);
  const SimConfig cfg = caps_config(GetParam().file, doc);
  const Protocol protocol = cfg.profile.protocol;
  const bool escl = protocol == Protocol::escl;
  Simulator sim(cfg);
  const auto now = Clock::now();
  const Response caps = sim.handle(req("GET", caps_path(protocol)), now);
  EXPECT_EQ(caps.status, 200);
  EXPECT_TRUE(caps.body == doc) << "the document is not served byte for byte";
  const Acceptance& a = sim.acceptance();
  EXPECT_TRUE(a.notes.empty()) << a.notes.front();
  EXPECT_EQ(describe(a), GetParam().lists);
  EXPECT_EQ(adf_state(sim, now), a.has_feeder() ? (escl ? "ScannerAdfLoaded" : "Loaded") : "");

  int accepted = 0;
  for (const Input& in : inputs(a)) {
    if (!in.caps->present) continue;
    const int w = std::max(in.caps->min_width, kSide), h = std::max(in.caps->min_height, kSide);
    for (const ScanMode mode : in.caps->modes()) {
      for (const Format format : in.caps->formats(mode)) {
        const auto listed = in.caps->resolutions(mode, format);
        ASSERT_FALSE(listed.empty());
        for (const Resolution r : {listed.front(), listed.back()}) {
          const JobSpec j = simtest::job_spec(protocol, in.source, in.duplex, mode, format, r, w, h);
          SCOPED_TRACE(std::string(in.name) + " " + j.mode + "/" + j.bit_depth + " " + j.format + " " +
                       std::to_string(r.x) + " dpi");
          Simulator one(cfg);
          auto t = Clock::now();
          const simtest::Page p = simtest::run_job(one, j, t);
          ASSERT_EQ(p.post_status, 201) << p.post_body;
          const int pw = w * r.x / 300, ph = h * r.y / 300;
          EXPECT_TRUE(simtest::page_is(p.page, format, mode, pw, ph));
          EXPECT_EQ(p.width, pw);
          EXPECT_EQ(p.height, ph);
          EXPECT_EQ(p.bytes_per_line, simtest::raw_bytes_per_line(mode, pw));
          ++accepted;
          if (listed.size() == 1) break;
        }
      }
    }
    // Refused: a colour mode, a format (with a listed mode) and a resolution it does not list.
    const ScanMode mode = in.caps->modes().front();
    const Format format = in.caps->formats(mode).front();
    const Resolution top = in.caps->resolutions(mode, format).back();
    const JobSpec ok = simtest::job_spec(protocol, in.source, in.duplex, mode, format, top, w, h);
    JobSpec bad_mode = ok;
    bad_mode.mode = "";
    for (const ScanMode m : {ScanMode::rgb24, ScanMode::grayscale8, ScanMode::blackandwhite1}) {
      const auto listed = in.caps->modes();
      if (std::find(listed.begin(), listed.end(), m) != listed.end()) continue;
      const JobSpec other = simtest::job_spec(protocol, in.source, in.duplex, m, format, top, w, h);
      bad_mode.mode = other.mode;
      bad_mode.bit_depth = other.bit_depth;
      break;
    }
    if (bad_mode.mode.empty()) {  // every mode the simulator knows is listed: one it does not know
      bad_mode.mode = escl ? "RGB48" : "Gray";
      bad_mode.bit_depth = "16";
    }
    EXPECT_EQ(post_status(cfg, bad_mode), 409) << in.name << " " << bad_mode.mode << "/" << bad_mode.bit_depth;
    JobSpec bad_format = ok;
    bad_format.format = escl ? "image/png" : "Tiff";
    for (const ScanMode m : in.caps->modes()) {
      const auto listed = in.caps->formats(m);
      for (const Format f : {Format::jpeg, Format::raw, Format::pdf}) {
        if (std::find(listed.begin(), listed.end(), f) != listed.end()) continue;
        const Resolution r = in.caps->resolutions(m, listed.front()).front();
        bad_format = simtest::job_spec(protocol, in.source, in.duplex, m, f, r, w, h);
        break;
      }
      if (bad_format.format != ok.format) break;
    }
    EXPECT_EQ(post_status(cfg, bad_format), 409) << in.name << " " << bad_format.mode << " " << bad_format.format;
    JobSpec bad_res = ok;
    bad_res.xres = bad_res.yres = 2 * top.x;
    EXPECT_EQ(post_status(cfg, bad_res), 409) << in.name << " " << bad_res.xres << " dpi";
  }
  EXPECT_GT(accepted, 0);
  // Refused: a source it does not list (the duplexer, the feeder or the platen; else a camera).
  const InputCaps* any = nullptr;
  for (const Input& in : inputs(a)) {
    if (in.caps->present && any == nullptr) any = in.caps;
  }
  ASSERT_NE(any, nullptr);
  const ScanMode mode = any->modes().front();
  const Format format = any->formats(mode).front();
  JobSpec bad_source = simtest::job_spec(protocol, Source::platen, false, mode, format,
                                         any->resolutions(mode, format).front(), 300, 300);
  if (!a.platen.present) {
    bad_source.source = "Platen";
  } else if (!a.adf_simplex.present) {
    bad_source.source = escl ? "Feeder" : "Adf";
  } else if (!a.adf_duplex.present) {
    bad_source.source = escl ? "Feeder" : "Adf";
    bad_source.duplex = true;
  } else {
    bad_source.source = "Camera";
  }
  EXPECT_EQ(post_status(cfg, bad_source), 409) << bad_source.source << (bad_source.duplex ? " duplex" : "");
}

INSTANTIATE_TEST_SUITE_P(Captures, RealCapture, ::testing::ValuesIn(kCaptures),
                         [](const ::testing::TestParamInfo<Capture>& param) {
                           std::string n = param.param.file;
                           n = n.substr(0, n.find(".xml"));
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(RealCaptures, EveryCapabilitiesCaptureIsCovered) {
  const auto dir = simtest::captures_dir();
  SIMTEST_REQUIRE_CAPTURE(dir / kCaptures[0].file);
  std::set<std::string> found, covered;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.ends_with("-escl-ScannerCapabilities.xml") || n.ends_with("-ledm-ScanCaps.xml")) found.insert(n);
  }
  for (const auto& c : kCaptures) covered.insert(c.file);
  EXPECT_EQ(found, covered) << "a capture was added or removed: list it in kCaptures";
}

// The deliberately malformed ScanCaps: served as found, the job judged by the profile.
TEST(RealCaptures, UnreadableDocumentIsServedAsItIsAndTheProfileJudges) {
  const auto path = simtest::captures_dir() / kMalformed;
  SIMTEST_REQUIRE_CAPTURE(path);
  const std::string doc = simtest::read_file(path);
  const SimConfig cfg = caps_config(kMalformed, doc);
  Simulator sim(cfg);
  const auto now = Clock::now();
  EXPECT_TRUE(sim.handle(req("GET", "/Scan/ScanCaps"), now).body == doc);
  ASSERT_FALSE(sim.acceptance().notes.empty());
  EXPECT_NE(sim.acceptance().notes.front().find("cannot be read"), std::string::npos) << sim.acceptance().notes.front();
  EXPECT_NE(sim.acceptance().notes.front().find("ledm-adf-duplex"), std::string::npos);
  // The document lists 2400 dpi on the platen and no 150; profile ledm-adf-duplex the other way round.
  JobSpec j;
  j.mode = "Color";
  j.format = "Jpeg";
  j.xres = j.yres = 2400;
  j.width = j.height = kSide;
  EXPECT_EQ(post_status(cfg, j), 409);
  j.xres = j.yres = 150;
  EXPECT_EQ(post_status(cfg, j), 201);
  EXPECT_EQ(adf_state(sim, now), "Loaded");
}

// The case that started it: the M426fdn lists Feeder, 75 dpi and PDF, and every one was 409.
TEST(RealCaptures, M426fdnFeederAt75DpiAsPdf) {
  const char* file = "HP-LaserJet-MFP-M426fdn-escl-ScannerCapabilities.xml";
  const auto path = simtest::captures_dir() / file;
  SIMTEST_REQUIRE_CAPTURE(path);
  const SimConfig cfg = caps_config(file, simtest::read_file(path));
  for (const bool duplex : {false, true}) {
    for (const char* format : {"application/pdf", "image/jpeg"}) {
      SCOPED_TRACE(std::string(format) + (duplex ? " duplex" : ""));
      JobSpec j;
      j.source = "Feeder";
      j.duplex = duplex;
      j.format = format;
      j.xres = j.yres = 75;
      j.width = 2550;
      j.height = 3300;
      Simulator sim(cfg);
      auto now = Clock::now();
      const simtest::Page p = simtest::run_job(sim, j, now);
      ASSERT_EQ(p.post_status, 201) << p.post_body;
      EXPECT_TRUE(simtest::page_is(p.page, *parse_escl_format(format), ScanMode::rgb24, 637, 825));
    }
  }
  // Its minimum is 576 x 576 (1.92 in): a smaller window is refused.
  JobSpec small;
  small.source = "Feeder";
  small.xres = small.yres = 75;
  small.width = small.height = 300;
  EXPECT_EQ(post_status(cfg, small), 409);
}

TEST(RealCaptures, SmartTank570RawPages) {
  const char* file = "HP-SmartTank-Plus-570-escl-ScannerCapabilities.xml";
  const auto path = simtest::captures_dir() / file;
  SIMTEST_REQUIRE_CAPTURE(path);
  const SimConfig cfg = caps_config(file, simtest::read_file(path));
  JobSpec j;
  j.format = "application/octet-stream";
  j.mode = "BlackAndWhite1";
  j.xres = j.yres = 100;
  j.width = 330;  // 110 pixels: 14 bytes a row
  j.height = 300;
  Simulator sim(cfg);
  auto now = Clock::now();
  const simtest::Page p = simtest::run_job(sim, j, now);
  ASSERT_EQ(p.post_status, 201) << p.post_body;
  EXPECT_EQ(p.page.body.size(), 14u * 100u);
  EXPECT_EQ(p.bytes_per_line, 14);
}

// ----- The model itself -----

std::string escl_caps(const std::string& platen_inner) {
  return std::string("<?xml version=\"1.0\"?><s:ScannerCapabilities xmlns:s=\"") + simtest::kEsclScanNs +
         "\" xmlns:p=\"http://www.pwg.org/schemas/2010/12/sm\"><p:Version>2.63</p:Version><s:Platen>"
         "<s:PlatenInputCaps><s:MinWidth>16</s:MinWidth><s:MaxWidth>2550</s:MaxWidth><s:MinHeight>16</s:MinHeight>"
         "<s:MaxHeight>3508</s:MaxHeight>" +
         platen_inner + "</s:PlatenInputCaps></s:Platen></s:ScannerCapabilities>";
}

std::string setting_profile(const std::string& modes, const std::string& formats, const std::string& resolutions) {
  return "<s:SettingProfile><s:ColorModes>" + modes + "</s:ColorModes><s:DocumentFormats>" + formats +
         "</s:DocumentFormats><s:SupportedResolutions>" + resolutions + "</s:SupportedResolutions></s:SettingProfile>";
}

std::string discrete(int r) {
  const std::string n = std::to_string(r);
  return "<s:DiscreteResolutions><s:DiscreteResolution><s:XResolution>" + n + "</s:XResolution><s:YResolution>" + n +
         "</s:YResolution></s:DiscreteResolution></s:DiscreteResolutions>";
}

int escl_job(const std::string& caps, const std::string& mode, const std::string& format, int res) {
  SimConfig cfg = config("escl-flatbed");
  cfg.caps_file_content = caps;
  JobSpec j;
  j.mode = mode;
  j.format = format;
  j.xres = j.yres = res;
  j.width = j.height = kSide;
  return post_status(cfg, j);
}

TEST(SimAcceptance, AModeGoesWithTheFormatsAndResolutionsOfItsOwnSettingProfile) {
  const std::string caps =
      escl_caps("<s:SettingProfiles>" +
                setting_profile("<s:ColorMode>RGB24</s:ColorMode>", "<p:DocumentFormat>image/jpeg</p:DocumentFormat>",
                                discrete(300)) +
                setting_profile("<s:ColorMode>BlackAndWhite1</s:ColorMode>",
                                "<s:DocumentFormatExt>application/octet-stream</s:DocumentFormatExt>", discrete(600)) +
                "</s:SettingProfiles>");
  EXPECT_EQ(escl_job(caps, "RGB24", "image/jpeg", 300), 201);
  EXPECT_EQ(escl_job(caps, "BlackAndWhite1", "application/octet-stream", 600), 201);
  EXPECT_EQ(escl_job(caps, "RGB24", "application/octet-stream", 300), 409);
  EXPECT_EQ(escl_job(caps, "BlackAndWhite1", "image/jpeg", 600), 409);
  EXPECT_EQ(escl_job(caps, "RGB24", "image/jpeg", 600), 409);
  EXPECT_EQ(escl_job(caps, "Grayscale8", "image/jpeg", 300), 409);
}

TEST(SimAcceptance, ResolutionRangesWithTheirStep) {
  const std::string range =
      "<s:ResolutionRange><s:XResolutionRange><s:Min>100</s:Min><s:Max>600</s:Max><s:Normal>300</s:Normal>"
      "<s:Step>50</s:Step></s:XResolutionRange><s:YResolutionRange><s:Min>100</s:Min><s:Max>600</s:Max>"
      "<s:Normal>300</s:Normal><s:Step>50</s:Step></s:YResolutionRange></s:ResolutionRange>";
  const std::string caps = escl_caps("<s:SettingProfiles>" +
                                     setting_profile("<s:ColorMode>Grayscale8</s:ColorMode>",
                                                     "<p:DocumentFormat>image/jpeg</p:DocumentFormat>", range) +
                                     "</s:SettingProfiles>");
  EXPECT_EQ(escl_job(caps, "Grayscale8", "image/jpeg", 250), 201);
  EXPECT_EQ(escl_job(caps, "Grayscale8", "image/jpeg", 600), 201);
  EXPECT_EQ(escl_job(caps, "Grayscale8", "image/jpeg", 275), 409);
  EXPECT_EQ(escl_job(caps, "Grayscale8", "image/jpeg", 650), 409);
}

TEST(SimAcceptance, TheOlderDialectListsUnderTheInputCaps) {
  // escl-legacy's own document: resolutions and ColorReferences directly under PlatenInputCaps.
  Simulator sim(config("escl-legacy"));
  EXPECT_TRUE(sim.acceptance().notes.empty());
  EXPECT_EQ(describe(sim.acceptance()), "platen 8x8..2550x3508: [RGB24,Grayscale8 image/jpeg 75,150,200,300,600 dpi]");
  // The same with --escl-raw.
  SimConfig raw = config("escl-legacy");
  raw.profile.raw = raw.profile.blackandwhite1 = true;
  EXPECT_EQ(describe(Simulator(raw).acceptance()),
            "platen 8x8..2550x3508: [RGB24,Grayscale8,BlackAndWhite1 image/jpeg,application/octet-stream "
            "75,150,200,300,600 dpi]");
}

TEST(SimAcceptance, EveryProfileReadsItsOwnDocument) {
  for (const Profile& p : all_profiles()) {
    Simulator sim(config(p.name));
    const Acceptance& a = sim.acceptance();
    EXPECT_TRUE(a.notes.empty()) << p.name;
    EXPECT_EQ(a.platen.present, p.platen.present) << p.name;
    EXPECT_EQ(a.adf_simplex.present, p.adf.present) << p.name;
    EXPECT_EQ(a.adf_duplex.present, p.duplex) << p.name;
    EXPECT_EQ(a.feeder_capacity, p.feeder_capacity) << p.name;
    if (p.duplex) {
      EXPECT_EQ(a.adf_duplex.max_height, p.duplex_max_height) << p.name;
    }
    for (const Input& in : inputs(a)) {
      if (!in.caps->present) continue;
      const SourceCaps& s = in.source == Source::platen ? p.platen : p.adf;
      const auto rs = in.caps->resolutions(ScanMode::rgb24, p.jpeg ? Format::jpeg : Format::raw);
      ASSERT_EQ(rs.size(), s.resolutions.size()) << p.name << " " << in.name;
      for (std::size_t i = 0; i < rs.size(); ++i) EXPECT_EQ(rs[i].x, s.resolutions[i]) << p.name;
    }
  }
}

TEST(SimAcceptance, ADocumentOfTheOtherProtocolIsNotReadAndTheProfileJudges) {
  SimConfig cfg = config("escl-flatbed");
  cfg.caps_file_content = Simulator(config("ledm-adf-duplex")).ledm().scan_caps();
  Simulator sim(cfg);
  ASSERT_FALSE(sim.acceptance().notes.empty());
  EXPECT_NE(sim.acceptance().notes.front().find("escl-flatbed"), std::string::npos);
  EXPECT_FALSE(sim.acceptance().has_feeder());  // escl-flatbed's, not the LEDM document's
  EXPECT_EQ(adf_state(sim, Clock::now()), "");
}

}  // namespace
