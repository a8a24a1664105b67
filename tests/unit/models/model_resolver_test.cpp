#include "models/model_resolver.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

using namespace hpaio::models;

namespace {

constexpr const char* real_models_dat = "/usr/share/hplip/data/models/models.dat";

ModelDatabase synthetic() {
  return ModelDatabase::parse(
      "[officejet_pro_9010_series]\nscan-type=7\nmodel1=HP OfficeJet Pro All-in-One 9010\n"
      "[hp_officejet_pro_9010_series]\nscan-type=7\n"
      "[hp_laserjet_mfp_m28-m31]\nscan-type=9\nmodel1=HP LaserJet Pro MFP M28w\nmodel2=HP LaserJet Pro MFP M29w\n"
      "[hp_laserjet_pro_mfp_m127fn]\nscan-type=5\n"
      "[hp_color_laserjet_mfp_m480]\nscan-type=0\n"
      "[deskjet_3050_j610_series]\nscan-type=7\n"
      "[hp_scanjet_pro_4500_fn1]\nscan-type=9\n"
      "[officejet_8600]\nscan-type=7\n"
      "[officejet_pro_8600]\nscan-type=7\n",
      "synthetic");
}

struct Case {
  const char* reported;
  const char* section;
  const char* rule;
};

}  // namespace

TEST(ModelResolver, EachRuleOnASmallDatabase) {
  ModelDatabase db = synthetic();
  ModelResolver r(db);
  const Case cases[] = {
      {"OfficeJet_Pro_9010_Series", "officejet_pro_9010_series", "exact"},
      {"HP OfficeJet Pro 9010 series", "hp_officejet_pro_9010_series", "token"},  // MDL / ty
      {"OfficeJet Pro 9010", "officejet_pro_9010_series", "token"},               // no "series"
      {"hp_deskjet_3050_j610_series", "deskjet_3050_j610_series", "token"},       // extra hp_
      {"  Deskjet 3050  J610 series ", "deskjet_3050_j610_series", "token"},      // runs of blanks
      {"HP LaserJet  Pro MFP M127fn/M128fn ", "hp_laserjet_pro_mfp_m127fn", "alternative"},
      {"HP LaserJet Pro MFP M128fn/M127fn", "hp_laserjet_pro_mfp_m127fn", "alternative"},
      {"HP ScanJet Pro 4500 fn1 MFP", "hp_scanjet_pro_4500_fn1", "key"},
      {"HP LaserJet Pro MFP M29w", "hp_laserjet_mfp_m28-m31", "display-name"},
      {"HP LaserJet MFP M30cw", "hp_laserjet_mfp_m28-m31", "range"},
      {"HP Color LaserJet MFP M480f", "hp_color_laserjet_mfp_m480", "variant"},
      {"Officejet 8600", "officejet_8600", "token"},  // "pro" is never dropped
      {"Officejet Pro 8600", "officejet_pro_8600", "token"},
  };
  for (const Case& c : cases) {
    Resolution res = r.resolve(c.reported);
    ASSERT_TRUE(res) << c.reported;
    EXPECT_EQ(res.section->name(), c.section) << c.reported;
    EXPECT_EQ(res.rule, c.rule) << c.reported;
  }
}

TEST(ModelResolver, NothingFitsGivesNothing) {
  ModelDatabase db = synthetic();
  ModelResolver r(db);
  for (const char* name : {"", "   ", "Canon MF4500", "HP LaserJet MFP M32w", "HP LaserJet MFP M27w", "HP", "series",
                           "/", "//", "_/_", "HP LaserJet MFP M281w", "m28-m31"}) {
    EXPECT_FALSE(r.resolve(name)) << "'" << name << "' resolved to " << r.resolve(name).section->name();
  }
  EXPECT_FALSE(r.resolve(std::string(100000, 'a')));
  std::string binary("\x01\xff\x00HP\x80/\x7f", 8);
  EXPECT_FALSE(r.resolve(binary));
}

TEST(ModelResolver, RealModelStringsOnTheInstalledFile) {
  if (!std::filesystem::exists(real_models_dat)) {
    if (std::getenv("CI")) FAIL() << real_models_dat << " is missing; scripts/setup.sh installs it";
    GTEST_SKIP() << real_models_dat << " is not installed (scripts/setup.sh installs it)";
  }
  ModelDatabase db = ModelDatabase::load(real_models_dat);
  ModelResolver r(db);
  // Names as devices report them: IEEE-1284 MDL values, mDNS ty values, eSCL MakeAndModel, URI tokens.
  const Case cases[] = {
      {"officejet_pro_9010_series", "officejet_pro_9010_series", "exact"},
      {"HP OfficeJet Pro 9010 series", "hp_officejet_pro_9010_series", "token"},
      {"HP OfficeJet Pro 9010", "hp_officejet_pro_9010_series", "token"},
      {"HP ENVY 7640 series", "envy_7640_series", "token"},
      {"HP ENVY Photo 6200 series", "envy_photo_6200_series", "token"},
      {"Officejet 6500 E710n-z", "officejet_6500_e710n-z", "token"},
      {"Deskjet 3050 J610 series", "deskjet_3050_j610_series", "token"},
      {"Smart Tank Plus 570 series", "smart_tank_plus_570_series", "token"},
      {"HP PageWide Pro 477dw MFP", "hp_pagewide_pro_477dw_mfp", "token"},
      {"HP ScanJet Pro 4500 fn1", "hp_scanjet_pro_4500_fn1", "token"},
      {"HP LaserJet MFP M426fdn", "hp_laserjet_mfp_m426fdn", "token"},
      {"HP ColorLaserJet MFP M282-M285", "hp_colorlaserjet_mfp_m282-m285", "token"},
      {"HP Color LaserJet Pro M478f-9f", "hp_color_laserjet_pro_m478f-9f", "token"},
      {"HP LaserJet  Pro MFP M127fn/M128fn ", "hp_laserjet_pro_mfp_m127fn", "alternative"},
      {"HP LaserJet Pro MFP M28w", "hp_laserjet_mfp_m28-m31", "display-name"},
      {"HP LaserJet MFP M28w", "hp_laserjet_mfp_m28-m31", "range"},
      {"HP Color LaserJet MFP M283fdw", "hp_colorlaserjet_mfp_m282-m285", "range"},
      {"HP LaserJet MFP M140we", "hp_laserjet_mfp_m139-m142", "range"},
      {"HP Color LaserJet Pro MFP M479fdw", "hp_color_laserjet_pro_m478f-9f", "display-name"},
  };
  for (const Case& c : cases) {
    Resolution res = r.resolve(c.reported);
    ASSERT_TRUE(res) << c.reported;
    EXPECT_EQ(res.section->name(), c.section) << c.reported;
    EXPECT_EQ(res.rule, c.rule) << c.reported;
  }
  EXPECT_EQ(r.resolve("HP LaserJet MFP M28w").section->scan_type(), ScanType::Escl);
  EXPECT_EQ(r.resolve("HP OfficeJet Pro 9010 series").section->scan_type(), ScanType::Ledm);
  EXPECT_FALSE(r.resolve("Canon MF4500"));
}

TEST(ModelResolver, ModelKey) {
  EXPECT_EQ(model_key("HP Color LaserJet MFP M283fdw"), "colorlaserjetm283fdw");
  EXPECT_EQ(model_key("hp_colorlaserjet_mfp_m282-m285"), "colorlaserjetm282m285");
  EXPECT_EQ(model_key("Hewlett-Packard OfficeJet Pro 9010 series"), "officejetpro9010");
  EXPECT_EQ(model_key(""), "");
  EXPECT_EQ(model_key("--__//"), "");
}
