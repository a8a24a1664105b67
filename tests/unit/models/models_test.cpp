#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>

#include "models/model_database.hpp"
#include "models/models_location.hpp"

using namespace hpaio::models;

namespace {

constexpr const char* real_models_dat = "/usr/share/hplip/data/models/models.dat";

// The real file is installed by scripts/setup.sh; outside CI a missing one skips with a reason.
bool have_real_file() { return std::filesystem::exists(real_models_dat); }
#define REQUIRE_REAL_MODELS_DAT()                                                                      \
  do {                                                                                                 \
    if (!have_real_file()) {                                                                           \
      if (std::getenv("CI")) FAIL() << real_models_dat << " is missing; scripts/setup.sh installs it"; \
      GTEST_SKIP() << real_models_dat << " is not installed (scripts/setup.sh installs it)";           \
    }                                                                                                  \
  } while (0)

// Independent count: lines that look like "[...]" and the key=value lines under them, read with
// plain std::getline, nothing shared with the parser.
struct IndependentCount {
  std::size_t sections = 0;
  std::set<std::string> unique;
  std::map<int, std::size_t> scan_types;
};

IndependentCount count_independently(const std::string& path) {
  IndependentCount c;
  std::ifstream in(path);
  std::string line;
  bool have_scan_type = true;
  auto close_section = [&] {
    if (!have_scan_type) ++c.scan_types[0];
  };
  while (std::getline(in, line)) {
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      close_section();
      ++c.sections;
      std::string name = line.substr(1, line.size() - 2);
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      c.unique.insert(name);
      have_scan_type = false;
    } else if (line.rfind("scan-type=", 0) == 0) {
      ++c.scan_types[std::stoi(line.substr(10))];
      have_scan_type = true;
    }
  }
  close_section();
  return c;
}

ModelDatabase parse(const std::string& text) { return ModelDatabase::parse(text, "test"); }

}  // namespace

TEST(ModelsDat, RealFileCountsMatchAnIndependentCount) {
  REQUIRE_REAL_MODELS_DAT();
  ModelDatabase db = ModelDatabase::load(real_models_dat);
  IndependentCount expected = count_independently(real_models_dat);
  EXPECT_EQ(db.sections().size(), expected.sections);
  EXPECT_EQ(db.unique_names(), expected.unique.size());
  std::map<int, std::size_t> got;
  for (const ModelSection& s : db.sections()) ++got[static_cast<int>(s.scan_type())];
  EXPECT_EQ(got, expected.scan_types);
  // Debian 12's HPLIP 3.22.10 file, as the reference counted it.
  if (expected.sections == 1395) {
    EXPECT_EQ(db.unique_names(), 1342u);
    EXPECT_EQ(got[7], 139u);
    EXPECT_EQ(got[9], 181u);
    EXPECT_EQ(got[-2], 23u);
    EXPECT_EQ(got[12], 1u);
  }
  EXPECT_TRUE(db.notes().empty()) << db.notes()[0].line << ": " << db.notes()[0].message;
}

TEST(ModelsDat, RealFileTypedAttributes) {
  REQUIRE_REAL_MODELS_DAT();
  ModelDatabase db = ModelDatabase::load(real_models_dat);
  const ModelSection* s = db.find("OFFICEJET_PRO_9010_SERIES");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->name(), "officejet_pro_9010_series");
  EXPECT_EQ(s->scan_type(), ScanType::Ledm);
  EXPECT_EQ(s->scan_sources(), scan_source::flatbed | scan_source::adf);
  EXPECT_EQ(s->io_support(), io_support::usb | io_support::network | io_support::wireless);
  EXPECT_EQ(s->plugin(), PluginType::None);
  EXPECT_EQ(s->support_type(), SupportType::Hplip);
  EXPECT_TRUE(s->has_fax());
  ASSERT_FALSE(s->display_names().empty());
  EXPECT_EQ(s->display_names()[0], "HP OfficeJet Pro All-in-One 9010");
  EXPECT_EQ(s->get("tech-class").value_or(""), "SPDOfficejetProAsize");

  const ModelSection* m28 = db.find("hp_laserjet_mfp_m28-m31");
  ASSERT_NE(m28, nullptr);
  EXPECT_EQ(m28->scan_type(), ScanType::Escl);
  EXPECT_EQ(m28->display_names().size(), 6u);
  EXPECT_EQ(m28->display_names()[3], "HP LaserJet Pro MFP M29w");
}

// What the backend keeps resident: the same sections, names and typed values as the whole file,
// without the keys nothing in the library reads.
TEST(ModelsDat, ScanningKeysAgreeWithTheWholeFile) {
  REQUIRE_REAL_MODELS_DAT();
  const ModelDatabase all = ModelDatabase::load(real_models_dat);
  const ModelDatabase kept = ModelDatabase::load(real_models_dat, Keys::scanning);
  ASSERT_EQ(kept.sections().size(), all.sections().size());
  EXPECT_EQ(kept.unique_names(), all.unique_names());
  std::size_t all_lines = 0, kept_lines = 0;
  for (std::size_t i = 0; i < all.sections().size(); ++i) {
    const ModelSection& a = all.sections()[i];
    const ModelSection& k = kept.sections()[i];
    ASSERT_EQ(k.name(), a.name());
    EXPECT_EQ(k.scan_type(), a.scan_type()) << a.name();
    EXPECT_EQ(k.scan_sources(), a.scan_sources()) << a.name();
    EXPECT_EQ(k.io_support(), a.io_support()) << a.name();
    EXPECT_EQ(k.plugin(), a.plugin()) << a.name();
    EXPECT_EQ(k.support_type(), a.support_type()) << a.name();
    EXPECT_EQ(k.has_fax(), a.has_fax()) << a.name();
    EXPECT_EQ(k.display_names(), a.display_names()) << a.name();
    all_lines += a.attributes().size();
    kept_lines += k.attributes().size();
  }
  EXPECT_LT(kept_lines * 4, all_lines);
  const ModelSection* s = kept.find("officejet_pro_9010_series");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(s->get("tech-class").has_value());
  EXPECT_EQ(s->get("scan-type").value_or(""), "7");
}

TEST(ModelsDat, ScanningKeysOutliveTheText) {
  ModelDatabase db = ModelDatabase::parse(std::string("[A_b]\nscan-type=9\nmodel2=Two\nmodel1=One\nusb-pid=0x1\n"), "t",
                                          Keys::scanning);
  ModelDatabase moved = std::move(db);
  const ModelSection* s = moved.find("a_B");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->name(), "A_b");
  EXPECT_EQ(s->scan_type(), ScanType::Escl);
  EXPECT_EQ(s->display_names(), (std::vector<std::string_view>{"One", "Two"}));
  EXPECT_EQ(s->attributes().size(), 3u);
}

TEST(ModelsDat, FirstOfDuplicatedNamesWins) {
  ModelDatabase db = parse("[Dup]\nscan-type=7\n[other]\nscan-type=1\n[dup]\nscan-type=9\n");
  EXPECT_EQ(db.sections().size(), 3u);
  EXPECT_EQ(db.unique_names(), 2u);
  ASSERT_NE(db.find("DUP"), nullptr);
  EXPECT_EQ(db.find("dup")->scan_type(), ScanType::Ledm);
  EXPECT_EQ(db.find("dup")->name(), "Dup");
  EXPECT_EQ(db.find("nothing"), nullptr);
}

TEST(ModelsDat, EveryScanTypeHasAName) {
  EXPECT_EQ(scan_type_name(ScanType::Ledm), "LEDM");
  EXPECT_EQ(scan_type_name(ScanType::Escl), "eSCL");
  EXPECT_EQ(scan_type_name(ScanType::SoapHt), "SOAPHT");
  EXPECT_EQ(scan_type_name(ScanType::DigitalSender), "DIGITAL_SENDER");
  EXPECT_EQ(scan_type_name(ScanType::NotSupported), "NOT_SUPPORTED");
  EXPECT_EQ(scan_type_name(ScanType::Orblite), "ORBLITE");
  EXPECT_EQ(scan_type_name(ScanType::Unassigned12), "UNASSIGNED_12");
  EXPECT_EQ(scan_type_name(static_cast<ScanType>(11)), "SCAN_TYPE_11");
  for (int v = -2; v <= 13; ++v) {
    auto t = static_cast<ScanType>(v);
    EXPECT_EQ(parse_scan_type(scan_type_name(t)), t) << v;
  }
  EXPECT_EQ(parse_scan_type("escl"), ScanType::Escl);
  EXPECT_EQ(parse_scan_type("7"), ScanType::Ledm);
  EXPECT_EQ(parse_scan_type("-2"), ScanType::DigitalSender);
  EXPECT_FALSE(parse_scan_type("webscan"));
  EXPECT_FALSE(parse_scan_type(""));
}

TEST(ModelsDat, ToleratesCrlfBlanksCommentsAndLeadingSpaces) {
  ModelDatabase db = parse(
      "# comment\r\n"
      "; another comment\r\n"
      "[crlf_model]  \r\n"
      "scan-type = 9 \r\n"
      "scan-src=3\t\r\n"
      " scan-type=1\r\n"  // HPLIP skips lines that start with a space
      "model1=HP Thing  \r\n"
      "\r\n"
      "[ spaced ]\n"
      "scan-type=7\n");
  ASSERT_EQ(db.sections().size(), 2u);
  const ModelSection* s = db.find("crlf_model");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->scan_type(), ScanType::Escl);
  EXPECT_EQ(s->scan_sources(), 3u);
  EXPECT_EQ(s->display_names(), std::vector<std::string_view>{"HP Thing"});
  EXPECT_EQ(s->attributes().size(), 3u);
  ASSERT_NE(db.find("spaced"), nullptr);
  EXPECT_EQ(db.find("spaced")->scan_type(), ScanType::Ledm);
}

TEST(ModelsDat, BrokenHeaderDropsItsKeysAndIsReported) {
  ModelDatabase db = parse("[good]\nscan-type=7\n[broken\nscan-type=9\nplugin=1\n[]\nx=y\n[after]\nscan-type=1\n");
  ASSERT_EQ(db.sections().size(), 2u);
  EXPECT_EQ(db.find("good")->scan_type(), ScanType::Ledm);
  EXPECT_EQ(db.find("good")->plugin(), PluginType::None);
  EXPECT_EQ(db.find("after")->scan_type(), ScanType::Scl);
  ASSERT_EQ(db.notes().size(), 2u);
  EXPECT_EQ(db.notes()[0].line, 3u);
  EXPECT_NE(db.notes()[0].message.find("']'"), std::string::npos);
  EXPECT_EQ(db.notes()[1].line, 6u);
}

TEST(ModelsDat, NonNumericValuesReadAsDefaults) {
  ModelDatabase db = parse("[m]\nscan-type=seven\nscan-src=\nio-support=-4\nplugin=9\nfax-type=x\n");
  const ModelSection* s = db.find("m");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->scan_type(), ScanType::None);
  EXPECT_EQ(s->scan_sources(), 0u);
  EXPECT_EQ(s->io_support(), 0u);
  EXPECT_EQ(s->plugin(), PluginType::None);
  EXPECT_FALSE(s->has_fax());
  EXPECT_EQ(s->get("scan-type").value_or(""), "seven");
}

TEST(ModelsDat, EmptyOrSectionlessInputIsAClearError) {
  EXPECT_THROW(parse(""), ModelsError);
  EXPECT_THROW(parse("\n\n# only comments\nkey=value\n"), ModelsError);
  try {
    parse("no sections here");
    FAIL() << "no exception";
  } catch (const ModelsError& e) {
    EXPECT_NE(std::string(e.what()).find("no [section]"), std::string::npos) << e.what();
  }
}

TEST(ModelsDat, UnreadableFileIsAClearError) {
  try {
    ModelDatabase::load("/nonexistent/dir/models.dat");
    FAIL() << "no exception";
  } catch (const ModelsError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/models.dat"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ModelDatabase::load("/"), ModelsError);
}

TEST(ModelsDat, BinaryJunkNeverCrashes) {
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 200; ++round) {
    std::string junk(static_cast<std::size_t>(round) * 37, '\0');
    for (char& c : junk) c = static_cast<char>(byte(rng));
    if (round % 2) junk = "[s]\n" + junk;  // half of them have a section, then junk
    try {
      ModelDatabase db = parse(junk);
      for (const ModelSection& s : db.sections()) {
        (void)s.scan_type();
        (void)s.display_names();
      }
      EXPECT_LE(db.notes().size(), 100u);
    } catch (const ModelsError&) {
      // no section in the junk: the clear error is the right answer
    }
  }
  std::string nul_inside("[a\0b]\nscan-type=7\n", 18);
  ModelDatabase db = parse(nul_inside);
  EXPECT_EQ(db.sections().size(), 1u);
}

TEST(ModelsLocation, HplipConfHomeAndOverride) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "hpaio-models-location-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "hplip.conf")
      << "[hplip]\nversion=3.22.10\nhome=/wrong\n\n[dirs]\nhome = /opt/hplip \nrun=/var/run\n";
  EXPECT_EQ(hplip_home_from_conf(dir / "hplip.conf"), "/opt/hplip");
  EXPECT_EQ(hplip_home_from_conf(dir / "absent.conf"), "");

  ::setenv(hplip_conf_env, (dir / "hplip.conf").c_str(), 1);
  ::unsetenv(models_dat_env);
  EXPECT_EQ(locate_models_dat(), "/opt/hplip/data/models/models.dat");
  ::setenv(models_dat_env, "/tmp/custom/models.dat", 1);
  EXPECT_EQ(locate_models_dat(), "/tmp/custom/models.dat");
  ::setenv(hplip_conf_env, (dir / "absent.conf").c_str(), 1);
  ::unsetenv(models_dat_env);
  EXPECT_EQ(locate_models_dat(), "/usr/share/hplip/data/models/models.dat");
  ::unsetenv(hplip_conf_env);
  std::filesystem::remove_all(dir);
}

// Opening a device reads only its own section: the same typed values as the whole file's parse.
TEST(ModelsDat, OneSectionAloneAgreesWithTheWholeFile) {
  REQUIRE_REAL_MODELS_DAT();
  std::ifstream in(real_models_dat, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ModelDatabase all = ModelDatabase::parse(text, "models.dat", Keys::scanning);
  const auto sections = all.sections();
  ASSERT_GT(sections.size(), 100u);
  std::size_t checked = 0;
  std::vector<std::size_t> picks;  // every 25th section, and the last
  for (std::size_t i = 0; i < sections.size(); i += 25) picks.push_back(i);
  picks.push_back(sections.size() - 1);
  for (std::size_t i : picks) {
    const ModelSection& a = *all.find(sections[i].name());  // the first of a duplicated name
    const std::string_view one_text = ModelDatabase::section_text(text, a.name());
    ASSERT_FALSE(one_text.empty()) << a.name();
    const ModelDatabase one = ModelDatabase::parse(std::string(one_text), "one", Keys::scanning);
    ASSERT_EQ(one.sections().size(), 1u) << a.name();
    const ModelSection& o = one.sections()[0];
    EXPECT_EQ(o.name(), a.name());
    EXPECT_EQ(o.scan_type(), a.scan_type()) << a.name();
    EXPECT_EQ(o.scan_sources(), a.scan_sources()) << a.name();
    EXPECT_EQ(o.display_names(), a.display_names()) << a.name();
    ++checked;
  }
  EXPECT_EQ(checked, picks.size());
  // Names compare case-insensitively, as find() does; an unknown name has no text.
  EXPECT_EQ(ModelDatabase::section_text(text, "HP_LaserJet_MFP_M28-M31"),
            ModelDatabase::section_text(text, "hp_laserjet_mfp_m28-m31"));
  EXPECT_TRUE(ModelDatabase::section_text(text, "no_such_model_anywhere").empty());
  EXPECT_TRUE(ModelDatabase::section_text(text, "hp_laserjet_mfp_m28").empty());  // a prefix is not the name
}

TEST(ModelsDat, SectionTextEdges) {
  const std::string text =
      "[first]\nscan-type=7\n\n[Dup]\nscan-type=9\r\nx=[not a section]\n[dup]\nscan-type=1\n[last]\nscan-type=5";
  EXPECT_EQ(ModelDatabase::section_text(text, "first"), "[first]\nscan-type=7\n\n");
  EXPECT_EQ(ModelDatabase::section_text(text, "DUP"), "[Dup]\nscan-type=9\r\nx=[not a section]\n");
  EXPECT_EQ(ModelDatabase::section_text(text, "last"), "[last]\nscan-type=5");
  EXPECT_TRUE(ModelDatabase::section_text(text, "not a section").empty());
  EXPECT_TRUE(ModelDatabase::section_text("", "x").empty());
}
