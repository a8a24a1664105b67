#include "hpaio/names/device_id.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hpaio/names/device_uri.hpp"

namespace hpaio {
namespace {

// A real OfficeJet Pro 9010 SNMP device ID (shape as HP firmware sends it).
constexpr std::string_view officejet_9010 =
    "MFG:HP;MDL:HP OfficeJet Pro 9010 series;CMD:PCL3GUI,PJL,Automatic,JPEG,PCLM,AppleRaster,PWGRaster,DW-PCL,"
    "802.11,DESKJET,DYN;CLS:PRINTER;DES:1KR53A;CID:HPIJVIPAV8;LEDMDIS:USB#FF#CC#00,USB#07#01#02;"
    "SN:TH12345678;S:038080C484a01021002c0000045c0004c;Z:05000009000009,12000,17000000000000,181;";

// ---------------------------------------------------------------------------------------------
// Parsing

TEST(DeviceId, ParsesAnHpDeviceId) {
  const DeviceId id = DeviceId::parse(officejet_9010);
  EXPECT_EQ(id.manufacturer(), "HP");
  EXPECT_EQ(id.model(), "HP OfficeJet Pro 9010 series");
  EXPECT_EQ(id.device_class(), "PRINTER");
  EXPECT_EQ(id.description(), "1KR53A");
  EXPECT_EQ(id.serial_number(), "TH12345678");
  EXPECT_EQ(id.get("CID"), "HPIJVIPAV8");
  EXPECT_EQ(id.get("LEDMDIS"), "USB#FF#CC#00,USB#07#01#02");
  EXPECT_EQ(id.get("Z"), "05000009000009,12000,17000000000000,181");
  EXPECT_EQ(id.fields().size(), 10u);
  EXPECT_EQ(id.text(), officejet_9010);
  EXPECT_TRUE(id.is_hp());
  EXPECT_FALSE(id.empty());
}

TEST(DeviceId, KeepsEveryPairInOrder) {
  const DeviceId id = DeviceId::parse("MFG:HP;MDL:X;CLS:PRINTER;");
  EXPECT_EQ(id.fields(), (std::vector<DeviceIdField>{{"MFG", "HP"}, {"MDL", "X"}, {"CLS", "PRINTER"}}));
}

TEST(DeviceId, LongKeys) {
  const DeviceId id = DeviceId::parse(
      "MANUFACTURER:Hewlett-Packard;MODEL:Officejet Pro 8600;COMMAND SET:PCL,PJL;CLASS:PRINTER;"
      "DESCRIPTION:HP Officejet Pro 8600;SERIALNUMBER:CN123;");
  EXPECT_EQ(id.manufacturer(), "Hewlett-Packard");
  EXPECT_EQ(id.model(), "Officejet Pro 8600");
  EXPECT_EQ(id.command_set(), "PCL,PJL");
  EXPECT_EQ(id.device_class(), "PRINTER");
  EXPECT_EQ(id.description(), "HP Officejet Pro 8600");
  EXPECT_EQ(id.serial_number(), "CN123");
  EXPECT_TRUE(id.is_hp());
}

TEST(DeviceId, SernKey) {
  EXPECT_EQ(DeviceId::parse("MFG:HP;SERN:ABC;").serial_number(), "ABC");
  EXPECT_EQ(DeviceId::parse("SERN:ABC;SN:DEF;").serial_number(), "DEF");  // SN is looked up first
}

TEST(DeviceId, KeysAreCaseInsensitive) {
  const DeviceId id = DeviceId::parse("mfg:HP;Mdl:LaserJet 1020;cmd:ZJS;cls:PRINTER;des:d;sn:1;");
  EXPECT_EQ(id.manufacturer(), "HP");
  EXPECT_EQ(id.model(), "LaserJet 1020");
  EXPECT_EQ(id.command_set(), "ZJS");
  EXPECT_EQ(id.device_class(), "PRINTER");
  EXPECT_EQ(id.description(), "d");
  EXPECT_EQ(id.serial_number(), "1");
  EXPECT_EQ(id.get("MDL"), "LaserJet 1020");
  EXPECT_EQ(id.fields().front().key, "mfg");  // as written
}

TEST(DeviceId, TrimsKeysAndValues) {
  const DeviceId id = DeviceId::parse("  MFG : HP ;\tMDL:  LaserJet  Pro \r\n;");
  EXPECT_EQ(id.manufacturer(), "HP");
  EXPECT_EQ(id.model(), "LaserJet  Pro");  // inside is kept
  EXPECT_EQ(id.fields().front().key, "MFG");
}

TEST(DeviceId, ToleratesMissingTrailingSemicolon) {
  const DeviceId id = DeviceId::parse("MFG:HP;MDL:Officejet Pro 8600");
  EXPECT_EQ(id.model(), "Officejet Pro 8600");
  EXPECT_EQ(id.fields().size(), 2u);
}

TEST(DeviceId, SkipsJunk) {
  const DeviceId id = DeviceId::parse("garbage;;MFG:HP;:no key;  ;MDL:X;trailing junk");
  EXPECT_EQ(id.fields(), (std::vector<DeviceIdField>{{"MFG", "HP"}, {"MDL", "X"}}));
}

TEST(DeviceId, EmptyAndBlankInput) {
  for (const std::string_view text :
       {std::string_view(""), std::string_view(";;;"), std::string_view("   "), std::string_view("no pairs at all")}) {
    const DeviceId id = DeviceId::parse(text);
    EXPECT_TRUE(id.empty()) << text;
    EXPECT_FALSE(id.manufacturer()) << text;
    EXPECT_FALSE(id.model()) << text;
    EXPECT_FALSE(id.is_hp()) << text;
    EXPECT_TRUE(id.commands().empty()) << text;
  }
}

TEST(DeviceId, ValueMayHoldColons) {
  EXPECT_EQ(DeviceId::parse("DES:HP: Color LaserJet;").description(), "HP: Color LaserJet");
  EXPECT_EQ(DeviceId::parse("MDL:;").model(), "");  // present but empty
}

TEST(DeviceId, RepeatedKeysFirstWins) {
  const DeviceId id = DeviceId::parse("MDL:First;MDL:Second;");
  EXPECT_EQ(id.model(), "First");
  EXPECT_EQ(id.fields().size(), 2u);
}

TEST(DeviceId, ShortKeyWinsOverLongKey) {
  EXPECT_EQ(DeviceId::parse("MODEL:Long;MDL:Short;").model(), "Short");
  EXPECT_EQ(DeviceId::parse("MANUFACTURER:Long;MFG:Short;").manufacturer(), "Short");
  EXPECT_EQ(DeviceId::parse("MODEL:Long;").model(), "Long");
}

TEST(DeviceId, NulPaddingAndControlCharactersAreTrimmed) {
  const std::string padded("MFG:HP;MDL:Deskjet 3050;\0\0\0", 27);
  const DeviceId id = DeviceId::parse(padded);
  EXPECT_EQ(id.model(), "Deskjet 3050");
  EXPECT_EQ(id.fields().size(), 2u);
  EXPECT_EQ(DeviceId::parse(std::string("MDL:X\0;", 7)).model(), "X");
}

TEST(DeviceId, Commands) {
  const DeviceId id = DeviceId::parse(officejet_9010);
  const std::vector<std::string_view> commands = id.commands();
  ASSERT_EQ(commands.size(), 11u);
  EXPECT_EQ(commands.front(), "PCL3GUI");
  EXPECT_EQ(commands.back(), "DYN");
  EXPECT_EQ(DeviceId::parse("CMD: PCL , ,PJL,;").commands(), (std::vector<std::string_view>{"PCL", "PJL"}));
  EXPECT_EQ(DeviceId::parse("COMMAND SET:LEDM").commands(), (std::vector<std::string_view>{"LEDM"}));
}

// ---------------------------------------------------------------------------------------------
// The HP check

TEST(DeviceIdIsHp, Manufacturers) {
  for (const char* mfg : {"HP", "hp", "Hp", "HP Inc.", "HP-Inc", "Hewlett-Packard", "HEWLETT-PACKARD",
                          "hewlett-packard company", "Hewlett Packard", "Apollo", "APOLLO"}) {
    EXPECT_TRUE(DeviceId::parse(std::string("MFG:") + mfg + ";MDL:X;").is_hp()) << mfg;
    EXPECT_TRUE(DeviceId::parse(std::string("MANUFACTURER:") + mfg + ";").is_hp()) << mfg;
  }
  for (const char* mfg : {"Canon", "EPSON", "Brother", "HPRT", "HPE", "Hewlett", "", "XHP", "Samsung"}) {
    EXPECT_FALSE(DeviceId::parse(std::string("MFG:") + mfg + ";MDL:HP LaserJet;").is_hp()) << mfg;
  }
}

TEST(DeviceIdIsHp, ModelOnlyWhenManufacturerIsMissing) {
  EXPECT_TRUE(DeviceId::parse("MDL:HP LaserJet 1020;CLS:PRINTER;").is_hp());
  EXPECT_TRUE(DeviceId::parse("MODEL:hp deskjet 5550;").is_hp());
  EXPECT_FALSE(DeviceId::parse("MDL:Officejet Pro 8600;").is_hp());
  EXPECT_FALSE(DeviceId::parse("MDL:HPRT TP80;").is_hp());
  EXPECT_FALSE(DeviceId::parse("MFG:Canon;MDL:HP LaserJet 1020;").is_hp());  // a manufacturer decides
}

// ---------------------------------------------------------------------------------------------
// Model token, rule (a): from an IEEE-1284 MDL (reference §1.3 (a))

TEST(DeviceIdModelToken, ReferenceExamples) {
  EXPECT_EQ(DeviceId::parse("MDL:HP LaserJet  Pro MFP M127fn/M128fn ;").model_token(),
            "HP_LaserJet_Pro_MFP_M127fn_M128fn");
  EXPECT_EQ(DeviceId::parse("MODEL:Officejet Pro 8600;").model_token(), "Officejet_Pro_8600");
  EXPECT_EQ(DeviceId::parse("MDL: Deskjet 3050 J610 series;").model_token(), "Deskjet_3050_J610_series");
}

TEST(DeviceIdModelToken, FromTheRawValue) {
  EXPECT_EQ(device_id_model_token("HP LaserJet  Pro MFP M127fn/M128fn "), "HP_LaserJet_Pro_MFP_M127fn_M128fn");
  EXPECT_EQ(device_id_model_token(" Deskjet 3050 J610 series;CLS:PRINTER;"), "Deskjet_3050_J610_series");  // cut at ';'
  EXPECT_EQ(device_id_model_token(std::string_view("Deskjet 3050\0junk", 17)), "Deskjet_3050");            // cut at NUL
  EXPECT_EQ(device_id_model_token("LaserJet M1 / M2"), "LaserJet_M1_M2");  // a mixed run is one '_'
  EXPECT_EQ(device_id_model_token("LaserJet//M2"), "LaserJet_M2");
  EXPECT_EQ(device_id_model_token("LaserJet M2/ /"), "LaserJet_M2");  // trailing '_' removed
  EXPECT_EQ(device_id_model_token("HP Color LaserJet MFP M283fdw"),
            "HP_Color_LaserJet_MFP_M283fdw");  // case, "HP" kept
  EXPECT_EQ(device_id_model_token("already_a_token"), "already_a_token");
  EXPECT_EQ(device_id_model_token("Tab\tSeparated"), "Tab\tSeparated");  // only ' ' and '/' are separators
  EXPECT_EQ(device_id_model_token("/leading"), "_leading");              // only spaces are skipped at the start
  EXPECT_EQ(device_id_model_token(""), "");
  EXPECT_EQ(device_id_model_token("   "), "");
  EXPECT_EQ(device_id_model_token(" / "), "");
}

TEST(DeviceIdModelToken, ErrorsNameTheProblem) {
  try {
    (void)DeviceId::parse("MFG:HP;CLS:PRINTER;").model_token();
    FAIL() << "no error";
  } catch (const DeviceIdError& e) {
    EXPECT_STREQ(e.what(), "device ID 'MFG:HP;CLS:PRINTER;': no MDL or MODEL field");
  }
  try {
    (void)DeviceId::parse("MFG:HP;MDL: / ;").model_token();
    FAIL() << "no error";
  } catch (const DeviceIdError& e) {
    EXPECT_NE(std::string(e.what()).find("gives an empty token"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)DeviceId::parse("").model_token(), DeviceIdError);
  EXPECT_THROW((void)DeviceId::parse("").model_token(), std::runtime_error);
}

TEST(DeviceIdModelToken, MakesHplipsNetUri) {
  // hpmud_make_net_uri("127.0.0.1", 1) against the simulated SNMP responder (reference §1.3).
  const DeviceId id = DeviceId::parse("MFG:HP;MDL:HP LaserJet  Pro MFP M127fn/M128fn ;CLS:PRINTER;");
  ASSERT_TRUE(id.is_hp());
  EXPECT_EQ(DeviceUri::make_net(id.model_token(), HostParam::ip, "127.0.0.1").to_string(),
            "hp:/net/HP_LaserJet_Pro_MFP_M127fn_M128fn?ip=127.0.0.1");
}

// ---------------------------------------------------------------------------------------------
// Model token, rule (c): from Avahi TXT ty= and mfg= (reference §1.3 (c))

TEST(AvahiModelToken, ReferenceExample) {
  EXPECT_EQ(avahi_model_token("HP OfficeJet Pro 9010 series", ""), "officejet_pro_9010_series");
  EXPECT_EQ(avahi_model_token("HP OfficeJet Pro 9010 series", "HP"), "officejet_pro_9010_series");
}

TEST(AvahiModelToken, TyWithoutHpNeedsAnHpMfg) {
  EXPECT_EQ(avahi_model_token("Officejet Pro 8600", "HP"), "officejet_pro_8600");
  EXPECT_EQ(avahi_model_token("Officejet Pro 8600", "HP Inc."), "officejet_pro_8600");
  EXPECT_EQ(avahi_model_token("Officejet Pro 8600", ""), std::nullopt);
  EXPECT_EQ(avahi_model_token("Officejet Pro 8600", "Hewlett-Packard"), std::nullopt);  // must start with "HP"
  EXPECT_EQ(avahi_model_token("Officejet Pro 8600", "hp"), std::nullopt);               // case-sensitive
  EXPECT_EQ(avahi_model_token("Canon MG3600 series", "Canon"), std::nullopt);
}

TEST(AvahiModelToken, WhiteSpaceIsNotCollapsedAndSlashIsKept) {
  EXPECT_EQ(avahi_model_token("HP Color  LaserJet\tMFP M283fdw", ""), "color__laserjet_mfp_m283fdw");
  EXPECT_EQ(avahi_model_token("HP LaserJet Pro MFP M127fn/M128fn", ""), "laserjet_pro_mfp_m127fn/m128fn");
  EXPECT_EQ(avahi_model_token("HP Smart Tank 7600 ", ""), "smart_tank_7600_");
}

TEST(AvahiModelToken, HplipDropsThreeCharactersAfterHp) {
  // HPLIP assumes "HP " and skips three characters, whatever they are.
  EXPECT_EQ(avahi_model_token("HP  ENVY 6000", ""), "_envy_6000");
  EXPECT_EQ(avahi_model_token("HPENVY 6000", ""), "nvy_6000");
  EXPECT_EQ(avahi_model_token("hp envy 6000", "HP"), "hp_envy_6000");  // lowercase "hp" is not the prefix
}

TEST(AvahiModelToken, NothingLeft) {
  EXPECT_EQ(avahi_model_token("HP", ""), std::nullopt);
  EXPECT_EQ(avahi_model_token("HP ", ""), std::nullopt);
  EXPECT_EQ(avahi_model_token("", "HP"), std::nullopt);
  EXPECT_EQ(avahi_model_token("", ""), std::nullopt);
}

TEST(AvahiModelToken, MakesHplipsAvahiUri) {
  // avahiDiscovery.c: hp:/net/%s?ip=%s&queue=false
  const auto token = avahi_model_token("HP OfficeJet Pro 9010 series", "HP");
  ASSERT_TRUE(token);
  const DeviceUri uri = DeviceUri::make_net(*token, HostParam::ip, "127.0.0.1", 1, false);
  EXPECT_EQ(uri.to_string(), "hp:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false");
  EXPECT_EQ(uri.sane_name(), "/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false");
}

}  // namespace
}  // namespace hpaio
