// TXT records of HP devices -> HP or not, model token (HPLIP's rule (c)) and readable name.
#include <gtest/gtest.h>

#include "mdns/records/hp_service.hpp"
#include "mdns/records/txt_record.hpp"

using namespace hpaio::mdns;

namespace {

TxtRecord txt(std::vector<std::string> entries) { return TxtRecord::parse(entries); }

}  // namespace

TEST(TxtRecord, KeysAreCaseInsensitiveAndFirstWins) {
  TxtRecord t = txt({"uuid=abc", "UUID=def", "usb_MFG=HP", "flag", "=junk", "ty=HP X"});
  EXPECT_EQ(t.get("UUID"), "abc");
  EXPECT_EQ(t.get("usb_mfg"), "HP");
  EXPECT_EQ(t.get("flag"), "");
  EXPECT_FALSE(t.get("missing"));
  EXPECT_EQ(t.entries().size(), 4u);
  EXPECT_EQ(t.first_of({"note", "flag", "ty"}), "HP X");  // empty values skipped
}

TEST(HpService, UscanRecordOfAnHpDeviceGivesHplipToken) {
  // sane-airscan/ScanBridge capture of an M283fdw (escl-ledm.md §1.8).
  auto m = hp_model(
      txt({"txtvers=1", "vers=2.63", "rs=eSCL", "ty=HP ColorLaserJet MFP M282-M285", "mdl=ColorLaserJet MFP M282-M285",
           "mfg=HP", "usb_MFG=HP", "usb_MDL=HP ColorLaserJet MFP M282-M285", "uuid=434e4252"}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->token, "colorlaserjet_mfp_m282-m285");
  EXPECT_EQ(m->name, "HP ColorLaserJet MFP M282-M285");
}

TEST(HpService, TyWithoutHpNeedsMfgHp) {
  auto m = hp_model(txt({"ty=Officejet Pro 8600", "mfg=HP"}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->token, "officejet_pro_8600");
  EXPECT_FALSE(hp_model(txt({"ty=PIXMA G3010", "mfg=Canon", "usb_MFG=Canon"})));
  EXPECT_FALSE(hp_model(txt({"ty=EPSON ET-2750"})));
}

TEST(HpService, OtherKeysRecogniseHpWhenHplipWouldNot) {
  // mfg in another spelling: HPLIP skips it; we take usb_MFG/mfg by DeviceId::is_hp rules.
  auto m = hp_model(txt({"ty=OfficeJet Pro 9010", "mfg=Hewlett-Packard"}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->token, "officejet_pro_9010");
  // No ty: usb_MDL, then product.
  m = hp_model(txt({"usb_MFG=HP", "usb_MDL=HP LaserJet MFP M28-M31"}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->token, "laserjet_mfp_m28-m31");
  EXPECT_EQ(m->name, "HP LaserJet MFP M28-M31");
  m = hp_model(txt({"product=(HP Color LaserJet Pro M478f-9f)"}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "HP Color LaserJet Pro M478f-9f");
  EXPECT_EQ(m->token, "color_laserjet_pro_m478f-9f");
  // HPRT is not HP.
  EXPECT_FALSE(hp_model(txt({"ty=HPRT PPTII", "mfg=HPRT"})));
  EXPECT_FALSE(hp_model(txt({"mfg=HP"})));  // no model at all
}

TEST(HpService, TokensHoldNothingThatBreaksAUri) {
  EXPECT_EQ(mdns_style_token("HP Weird?Model&x"), "weird_model_x");
  EXPECT_EQ(mdns_style_token("  hp  Tab\tModel "), "tab_model");
}

TEST(HpService, EsclServiceTypes) {
  EXPECT_TRUE(service_speaks_escl("_uscan._tcp"));
  EXPECT_TRUE(service_speaks_escl("_uscans._tcp"));
  EXPECT_FALSE(service_speaks_escl("_scanner._tcp"));
  EXPECT_FALSE(service_speaks_escl("_ipp._tcp"));
}
