// Helpers for the capability and raw-page tests of hpaio-sim: ScanSettings for either protocol
// from one description, a job driven to its first page, and the size checks of a page.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim_test_util.hpp"
#include "tests/sim/core/acceptance.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/image/jpeg_codec.hpp"

namespace simtest {

inline constexpr const char* kEsclScanNs = "http://schemas.hp.com/imaging/escl/2011/05/03";
inline constexpr const char* kLedmScanNs = "http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19";

// The real device documents: HPAIO_CAPTURES_DIR, else ../shared/reference/captures beside the
// repository (never copied into it).
inline std::filesystem::path captures_dir() {
  if (const char* dir = std::getenv("HPAIO_CAPTURES_DIR"); dir && *dir) return dir;
  return std::filesystem::path(HPAIO_SOURCE_DIR) / ".." / "shared" / "reference" / "captures";
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Skips loudly, naming the path, when a capture is absent; under CI (CI set) fails instead, as
// the backend's conformance test does.
#define SIMTEST_REQUIRE_CAPTURE(path)                                                                   \
  do {                                                                                                  \
    if (!std::filesystem::is_regular_file(path)) {                                                      \
      const char* ci = std::getenv("CI");                                                               \
      if (ci && *ci) FAIL() << "CI is set, so the real device capture is required: none at " << (path); \
      GTEST_SKIP() << "SKIPPED LOUDLY: no real device capture at " << (path)                            \
                   << " (set HPAIO_CAPTURES_DIR, or keep the shared/ folder beside the repository)";    \
    }                                                                                                   \
  } while (0)

// One job request, in the words of either protocol.
struct JobSpec {
  std::string source = "Platen";  // eSCL Platen|Feeder, LEDM Platen|Adf (or anything else)
  bool duplex = false;
  std::string mode = "RGB24";         // eSCL ColorMode; LEDM ColorSpace (Color|Gray)
  std::string bit_depth = "8";        // LEDM BitDepth (1: K1)
  std::string format = "image/jpeg";  // eSCL MIME type; LEDM Jpeg|Raw|Pdf
  int xres = 100, yres = 100;
  int x = 0, y = 0, width = 300, height = 300;  // 1/300 inch
};

inline JobSpec job_spec(hpsim::Protocol protocol, hpsim::Source source, bool duplex, hpsim::ScanMode mode,
                        hpsim::Format format, hpsim::Resolution res, int width, int height) {
  using namespace hpsim;
  JobSpec j;
  const bool escl = protocol == Protocol::escl;
  j.source = source == Source::platen ? "Platen" : escl ? "Feeder" : "Adf";
  j.duplex = duplex;
  if (escl) {
    j.mode = escl_mode_name(mode);
  } else {
    j.mode = mode == ScanMode::rgb24 || mode == ScanMode::auto_color ? "Color" : "Gray";
    j.bit_depth = mode == ScanMode::blackandwhite1 ? "1" : "8";
  }
  j.format = escl ? escl_format_name(format) : ledm_format_name(format);
  j.xres = res.x;
  j.yres = res.y;
  j.width = width;
  j.height = height;
  return j;
}

inline std::string escl_settings(const JobSpec& j) {
  const auto n = [](int v) { return std::to_string(v); };
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scan:ScanSettings xmlns:pwg=\"") +
         "http://www.pwg.org/schemas/2010/12/sm\" xmlns:scan=\"" + kEsclScanNs +
         "\"><pwg:Version>2.0</pwg:Version><scan:Intent>Document</scan:Intent><pwg:ScanRegions><pwg:ScanRegion>"
         "<pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits><pwg:XOffset>" +
         n(j.x) + "</pwg:XOffset><pwg:YOffset>" + n(j.y) + "</pwg:YOffset><pwg:Width>" + n(j.width) +
         "</pwg:Width><pwg:Height>" + n(j.height) +
         "</pwg:Height></pwg:ScanRegion></pwg:ScanRegions><pwg:InputSource>" + j.source +
         "</pwg:InputSource><scan:ColorMode>" + j.mode + "</scan:ColorMode><pwg:DocumentFormat>" + j.format +
         "</pwg:DocumentFormat><scan:DocumentFormatExt>" + j.format + "</scan:DocumentFormatExt><scan:XResolution>" +
         n(j.xres) + "</scan:XResolution><scan:YResolution>" + n(j.yres) + "</scan:YResolution>" +
         (j.duplex ? "<scan:Duplex>true</scan:Duplex>" : "") + "</scan:ScanSettings>";
}

inline std::string ledm_settings(const JobSpec& j) {
  const auto n = [](int v) { return std::to_string(v); };
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ScanSettings xmlns=\"") + kLedmScanNs +
         "\"><XResolution>" + n(j.xres) + "</XResolution><YResolution>" + n(j.yres) + "</YResolution><XStart>" +
         n(j.x) + "</XStart><Width>" + n(j.width) + "</Width><YStart>" + n(j.y) + "</YStart><Height>" + n(j.height) +
         "</Height><Format>" + j.format + "</Format><CompressionQFactor>0</CompressionQFactor><ColorSpace>" + j.mode +
         "</ColorSpace><BitDepth>" + j.bit_depth + "</BitDepth><InputSource>" + j.source + "</InputSource>" +
         (j.duplex ? "<AdfOptions><AdfOption>Duplex</AdfOption></AdfOptions>" : "") + "</ScanSettings>";
}

// The first page of a job and the size the device reports for it (eSCL ScanImageInfo, LEDM the
// job's BufferInfo); post_status is the answer to the POST (201, or the refusal).
struct Page {
  int post_status = 0;
  std::string post_body;
  hpsim::Response page;
  int width = -1, height = -1, bytes_per_line = -1;
};

inline int number(const hpaio::xml::Element& e, const char* ns, const char* name) {
  const auto* c = e.find(ns, name);
  return c == nullptr ? -1 : std::atoi(c->text().c_str());
}

// Posts the job; on 201 fetches its first page (eSCL: NextDocument, 503s retried on the clock;
// LEDM: the job polled until ReadyToUpload, then its BinaryURL).
inline Page run_job(hpsim::Simulator& sim, const JobSpec& j, hpsim::Clock::time_point& now) {
  using namespace hpsim;
  Page out;
  const bool escl = sim.config().profile.protocol == Protocol::escl;
  const Response created =
      sim.handle(req("POST", escl ? "/eSCL/ScanJobs" : "/Scan/Jobs", escl ? escl_settings(j) : ledm_settings(j)), now);
  out.post_status = created.status;
  out.post_body = created.body;
  if (created.status != 201) return out;
  std::string job = created.header("Location");
  if (job.starts_with("http://")) job = job.substr(job.find('/', 7));
  if (job.ends_with("/")) job.pop_back();
  if (escl) {
    for (int i = 0; i < 10; ++i) {
      out.page = sim.handle(req("GET", job + "/NextDocument"), now);
      if (out.page.status != 503) break;
      now += std::chrono::seconds(1);
    }
    const Response info = sim.handle(req("GET", job + "/ScanImageInfo"), now);
    if (info.status == 200) {
      const auto doc = parse_xml(info.body);
      out.width = number(doc, kEsclScanNs, "ActualWidth");
      out.height = number(doc, kEsclScanNs, "ActualHeight");
      out.bytes_per_line = number(doc, kEsclScanNs, "ActualBytesPerLine");
    }
    return out;
  }
  for (int i = 0; i < 20; ++i) {
    const auto doc = parse_xml(sim.handle(req("GET", job), now).body);
    const auto* pre = doc.find(kLedmScanNs, "PreScanPage");
    if (pre == nullptr) break;
    if (pre->child_text(kLedmScanNs, "PageState").value_or("") != "ReadyToUpload") continue;
    out.width = number(*pre, kLedmScanNs, "ImageWidth");
    out.height = number(*pre, kLedmScanNs, "ImageHeight");
    out.bytes_per_line = number(*pre, kLedmScanNs, "BytesPerLine");
    out.page = sim.handle(req("GET", pre->child_text(kLedmScanNs, "BinaryURL").value_or("")), now);
    break;
  }
  return out;
}

inline int raw_bytes_per_line(hpsim::ScanMode m, int width) {
  switch (m) {
    case hpsim::ScanMode::grayscale8: return width;
    case hpsim::ScanMode::blackandwhite1: return (width + 7) / 8;
    case hpsim::ScanMode::rgb24:
    case hpsim::ScanMode::auto_color: return 3 * width;
  }
  return 0;
}

// The JPEG inside an application/pdf page (its DCTDecode image stream), or "" when there is none.
inline std::string pdf_jpeg(const std::string& pdf) {
  const auto dct = pdf.find("/Filter /DCTDecode");
  if (dct == std::string::npos) return {};
  const auto start = pdf.find("stream\n", dct);
  const auto end = pdf.find("\nendstream", start);
  if (start == std::string::npos || end == std::string::npos) return {};
  return pdf.substr(start + 7, end - start - 7);
}

// The page is a `format` image of w x h pixels in `mode`: JPEG and PDF decoded, raw counted as
// rows x bytes per line; its Content-Type names the format.
inline ::testing::AssertionResult page_is(const hpsim::Response& page, hpsim::Format format, hpsim::ScanMode mode,
                                          int w, int h) {
  using namespace hpsim;
  if (page.status != 200) return ::testing::AssertionFailure() << "page status " << page.status;
  if (page.header("Content-Type") != content_type(format)) {
    return ::testing::AssertionFailure() << "Content-Type " << page.header("Content-Type");
  }
  const int channels = mode == ScanMode::rgb24 || mode == ScanMode::auto_color ? 3 : 1;
  if (format == Format::raw) {
    const auto want = static_cast<std::size_t>(h) * static_cast<std::size_t>(raw_bytes_per_line(mode, w));
    if (page.body.size() != want) {
      return ::testing::AssertionFailure() << "raw page of " << page.body.size() << " bytes, expected " << h
                                           << " rows x " << raw_bytes_per_line(mode, w) << " = " << want;
    }
    return ::testing::AssertionSuccess();
  }
  std::string jpeg = page.body;
  if (format == Format::pdf) {
    if (!page.body.starts_with("%PDF-") || !page.body.ends_with("%%EOF\n")) {
      return ::testing::AssertionFailure() << "not a PDF from %PDF- to %%EOF";
    }
    jpeg = pdf_jpeg(page.body);
  }
  try {
    const Raster r = decode_jpeg(jpeg);
    if (r.width != w || r.height != h || r.channels != channels) {
      return ::testing::AssertionFailure() << "JPEG " << r.width << "x" << r.height << "x" << r.channels
                                           << ", expected " << w << "x" << h << "x" << channels;
    }
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "JPEG does not decode: " << e.what();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace simtest
