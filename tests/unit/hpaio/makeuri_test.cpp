// hpaio-makeuri's pure parts: the SNMP query plan, URIs from what the device said, output formats.
#include <gtest/gtest.h>

#include <cstdlib>

#include "hpaio/cli/makeuri_format.hpp"
#include "models/model_database.hpp"
#include "snmp/device_id_query.hpp"

using namespace hpaio;

namespace {

const models::ModelDatabase& db() {
  static const models::ModelDatabase d = models::ModelDatabase::parse(
      "[officejet_pro_8600]\nmodel1=HP Officejet Pro 8600\nscan-type=7\nfax-type=6\n"
      "[hp_laserjet_mfp_m28-m31]\nmodel1=HP LaserJet Pro MFP M28w\nscan-type=9\n"
      "[hp_laserjet_1020]\nmodel1=HP LaserJet 1020\nscan-type=0\n"
      "[hp_scanjet_n6350]\nmodel1=HP Scanjet N6350\nscan-type=5\n",
      "test");
  return d;
}

DeviceFacts snmp_facts(std::string token) { return DeviceFacts{std::move(token), "", "snmp", "MFG:HP;", false, {}}; }

}  // namespace

TEST(SnmpPlan, V1ThenV2cCommunityThenPublic1) {
  using snmp::Attempt;
  using snmp::Version;
  EXPECT_EQ(
      snmp::device_id_attempts(1),
      (std::vector<Attempt>{
          {Version::v1, "public"}, {Version::v1, "public.1"}, {Version::v2c, "public"}, {Version::v2c, "public.1"}}));
  EXPECT_EQ(snmp::device_id_attempts(2), (std::vector<Attempt>{{Version::v1, "public.2"},
                                                               {Version::v1, "public.1"},
                                                               {Version::v2c, "public.2"},
                                                               {Version::v2c, "public.1"}}));
  EXPECT_EQ(snmp::jetdirect_community(3), "public.3");
}

TEST(SnmpPlan, PortFromEnvironment) {
  setenv("HPAIO_SNMP_PORT", "16161", 1);
  EXPECT_EQ(snmp::snmp_port_from_env(), 16161);
  setenv("HPAIO_SNMP_PORT", "70000", 1);
  EXPECT_FALSE(snmp::snmp_port_from_env());
  setenv("HPAIO_SNMP_PORT", "12x", 1);
  EXPECT_FALSE(snmp::snmp_port_from_env());
  unsetenv("HPAIO_SNMP_PORT");
  EXPECT_FALSE(snmp::snmp_port_from_env());
}

TEST(MakeUri, HplipLinesForAScannerWithFax) {
  models::ModelResolver r(db());
  const MadeUris u = make_uris(snmp_facts("Officejet_Pro_8600"), HostParam::ip, "192.168.1.5", 1, &r);
  const FormattedOutput out = format_uris(u, snmp_facts("Officejet_Pro_8600"), "192.168.1.5", OutputMode::all);
  EXPECT_EQ(out.text,
            "CUPS URI: hp:/net/Officejet_Pro_8600?ip=192.168.1.5\n"
            "SANE URI: hpaio:/net/Officejet_Pro_8600?ip=192.168.1.5\n"
            "HP Fax URI: hpfax:/net/Officejet_Pro_8600?ip=192.168.1.5\n");
  EXPECT_TRUE(out.error.empty());
  EXPECT_EQ(format_uris(u, {}, "", OutputMode::cups).text, "hp:/net/Officejet_Pro_8600?ip=192.168.1.5\n");
  EXPECT_EQ(format_uris(u, {}, "", OutputMode::sane).text, "hpaio:/net/Officejet_Pro_8600?ip=192.168.1.5\n");
  EXPECT_EQ(format_uris(u, {}, "", OutputMode::fax).text, "hpfax:/net/Officejet_Pro_8600?ip=192.168.1.5\n");
}

TEST(MakeUri, PortsHostNamesAndIpv6) {
  models::ModelResolver r(db());
  EXPECT_EQ(make_uris(snmp_facts("Officejet_Pro_8600"), HostParam::ip, "10.0.0.1", 2, &r).cups,
            "hp:/net/Officejet_Pro_8600?ip=10.0.0.1&port=2");
  EXPECT_EQ(make_uris(snmp_facts("Officejet_Pro_8600"), HostParam::zc, "NPI7C8A3E", 1, &r).cups,
            "hp:/net/Officejet_Pro_8600?zc=NPI7C8A3E");
  EXPECT_EQ(make_uris(snmp_facts("Officejet_Pro_8600"), HostParam::hostname, "printer.lan", 1, &r).sane,
            "hpaio:/net/Officejet_Pro_8600?hostname=printer.lan");
  EXPECT_EQ(make_uris(snmp_facts("HP_LaserJet_MFP_M28-M31"), HostParam::ip, "fe80::1%eth0", 1, &r).sane,
            "hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=fe80::1%25eth0");
}

TEST(MakeUri, SaneUriOnlyForProtocolsWeSpeak) {
  models::ModelResolver r(db());
  MadeUris printer = make_uris(snmp_facts("HP_LaserJet_1020"), HostParam::ip, "10.0.0.1", 1, &r);
  EXPECT_FALSE(printer.sane);
  EXPECT_FALSE(printer.fax);
  FormattedOutput s = format_uris(printer, {}, "", OutputMode::sane);
  EXPECT_TRUE(s.text.empty());
  EXPECT_NE(s.error.find("does not support scan"), std::string::npos);
  EXPECT_EQ(format_uris(printer, {}, "", OutputMode::all).text, "CUPS URI: hp:/net/HP_LaserJet_1020?ip=10.0.0.1\n");
  // SOAP-HT: HPLIP prints a SANE URI, our backend could not open it.
  EXPECT_FALSE(make_uris(snmp_facts("HP_Scanjet_N6350"), HostParam::ip, "10.0.0.1", 1, &r).sane);
  // A model models.dat does not know, which showed over HTTP that it speaks eSCL.
  DeviceFacts http{"HP_Brand_New_2030", "HP Brand New 2030", "http", "", true, "eSCL"};
  MadeUris fresh = make_uris(http, HostParam::ip, "10.0.0.1", 1, &r);
  EXPECT_EQ(fresh.sane, "hpaio:/net/HP_Brand_New_2030?ip=10.0.0.1");
  EXPECT_TRUE(fresh.models_section.empty());
}

TEST(MakeUri, Json) {
  models::ModelResolver r(db());
  DeviceFacts f{
      "HP_LaserJet_MFP_M28-M31", "HP LaserJet MFP M28-M31", "snmp", "MFG:HP;MDL:HP LaserJet MFP M28-M31;", false, {}};
  MadeUris u = make_uris(f, HostParam::ip, "127.0.0.1", 1, &r);
  EXPECT_EQ(
      format_uris(u, f, "127.0.0.1", OutputMode::json).text,
      "{\"address\": \"127.0.0.1\", \"model\": \"HP LaserJet MFP M28-M31\", \"token\": "
      "\"HP_LaserJet_MFP_M28-M31\", \"source\": \"snmp\", \"device_id\": \"MFG:HP;MDL:HP LaserJet MFP M28-M31;\", "
      "\"protocol\": null, \"models_dat\": \"hp_laserjet_mfp_m28-m31\", \"scan_type\": \"eSCL\", \"cups_uri\": "
      "\"hp:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1\", \"sane_uri\": "
      "\"hpaio:/net/HP_LaserJet_MFP_M28-M31?ip=127.0.0.1\", \"fax_uri\": null}\n");
}
