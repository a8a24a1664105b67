// Decodes every real device document in ../shared/reference/captures (reference data kept
// outside this repository; never copied into it). Skips, saying so, when that folder is absent.
#include "backend/escl_codec.hpp"
#include "backend/ledm_codec.hpp"
#include "hpaio/xml_tree.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace hpaio::backend;

namespace {

fs::path captures_dir() {
  if (const char* dir = std::getenv("HPAIO_CAPTURES_DIR"); dir && *dir) return dir;
  return fs::path(HPAIO_SOURCE_DIR) / ".." / "shared" / "reference" / "captures";
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST(CapturesConformance, EveryRealDocumentDecodes) {
  fs::path dir = captures_dir();
  if (!fs::is_directory(dir)) {
    GTEST_SKIP() << "SKIPPED LOUDLY: no real device captures at " << dir
                 << " (set HPAIO_CAPTURES_DIR, or keep the shared/ folder beside the repository)";
  }
  int decoded = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.path().extension() != ".xml") continue;
    SCOPED_TRACE(name);
    std::string doc = read(e.path());
    if (contains(name, "MALFORMED")) {
      EXPECT_THROW(ledm::decode_capabilities(doc), ProtocolError);
      ++decoded;
      continue;
    }
    if (contains(name, "-escl-ScannerCapabilities")) {
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
    } else if (contains(name, "-escl-ScannerStatus")) {
      escl::ScannerStatus s = escl::decode_status(doc);
      EXPECT_TRUE(s.state == "Idle" || s.state == "Processing") << s.state;
    } else if (contains(name, "ScanImageInfo")) {
      escl::ImageInfo i = escl::decode_image_info(doc);
      EXPECT_GT(i.width, 0);
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
    } else if (contains(name, "-ledm-ScanStatus")) {
      ledm::ScanStatus s = ledm::decode_status(doc);
      EXPECT_FALSE(s.scanner_state.empty());
    } else if (contains(name, "-ledm-Job")) {
      ledm::Job j = ledm::decode_job(doc);
      EXPECT_FALSE(j.state.empty());
      EXPECT_TRUE(j.pre_scan || j.post_scan);
    } else if (contains(name, "DiscoveryTree")) {
      ledm::DiscoveryTree t = ledm::decode_discovery_tree(doc);
      EXPECT_TRUE(t.ledm_scan || t.escl);
      if (contains(name, "-escl")) {
        EXPECT_TRUE(t.escl);
      }
    } else {
      // Requests and other documents: they must at least parse.
      EXPECT_NO_THROW(hpaio::xml::parse(doc));
    }
    ++decoded;
  }
  EXPECT_GE(decoded, 40) << "fewer capture documents than expected in " << dir;
}
