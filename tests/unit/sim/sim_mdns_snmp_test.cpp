// What --mdns publishes and what --snmpd-conf writes, per profile.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "tests/sim/core/profiles.hpp"
#include "tests/sim/server/mdns_publisher.hpp"
#include "tests/sim/server/snmpd_config.hpp"

using namespace hpsim;

namespace {

std::string value(const TxtRecord& t, const std::string& key) {
  for (const auto& [k, v] : t) {
    if (k == key) return v;
  }
  return "<absent>";
}

TEST(SimProfiles, AllEightWithUniqueNamesAndRealModelsDatSections) {
  std::set<std::string> names;
  for (const auto& p : all_profiles()) names.insert(p.name);
  EXPECT_EQ(names, (std::set<std::string>{"ledm-adf-duplex", "ledm-flatbed", "escl-flatbed", "escl-adf-duplex",
                                          "escl-legacy", "escl-enterprise", "wsd-flatbed", "wsd-adf-duplex"}));
  // Each claimed model has a models.dat section with the protocol the profile speaks.
  std::ifstream in("/usr/share/hplip/data/models/models.dat");
  if (!in) GTEST_FAIL() << "HPLIP's models.dat is not installed (scripts/setup.sh --peers)";
  std::map<std::string, std::string> scan_type;
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.starts_with("[")) section = line.substr(1, line.find(']') - 1);
    if (line.starts_with("scan-type=") && !scan_type.count(section)) scan_type[section] = line.substr(10);
  }
  for (const auto& p : all_profiles()) {
    ASSERT_TRUE(scan_type.count(p.models_dat)) << p.name << ": no [" << p.models_dat << "]";
    // WS-Scan has no scan-type: its profiles claim their model's section (M127fn: 5, M232-M237: 9).
    const std::string want = p.protocol == Protocol::ledm ? "7" : p.name == "wsd-flatbed" ? "5" : "9";
    EXPECT_EQ(scan_type[p.models_dat], want) << p.name;
    EXPECT_NE(p.device_id.find("MDL:" + p.make_and_model + ";"), std::string::npos) << p.name;
    EXPECT_FALSE(p.mdns_ty.empty());
  }
}

TEST(SimMdns, UscanTxtHasHpKeysWithLowercaseUuid) {
  const Profile& p = *find_profile("escl-adf-duplex");
  const TxtRecord t = uscan_txt(p);
  EXPECT_EQ(value(t, "uuid"), p.uuid);
  EXPECT_EQ(value(t, "UUID"), "<absent>");
  EXPECT_EQ(value(t, "rs"), "eSCL");
  EXPECT_EQ(value(t, "ty"), "HP Color LaserJet Pro M478f-9f");
  EXPECT_EQ(value(t, "is"), "platen,adf");
  EXPECT_EQ(value(t, "duplex"), "T");
  EXPECT_EQ(value(t, "cs"), "color,grayscale");
  EXPECT_EQ(value(t, "vers"), "2.63");
  EXPECT_EQ(value(uscan_txt(*find_profile("escl-flatbed")), "is"), "platen");
  const TxtRecord s = scanner_txt(*find_profile("ledm-adf-duplex"));
  EXPECT_EQ(value(s, "ty"), "HP OfficeJet Pro 9010 series");
  EXPECT_EQ(value(s, "feeder"), "T");
  EXPECT_EQ(mdns_instance_name(p), "HP Color LaserJet Pro M478f-9f [479D04]");
}

TEST(SimMdns, MdnsHostNameIsQualifiedInLocal) {
  EXPECT_EQ(mdns_host_name("hpaio-sim-a"), "hpaio-sim-a.local");
  EXPECT_EQ(mdns_host_name("hpaio-sim-a.local"), "hpaio-sim-a.local");
  EXPECT_EQ(mdns_host_name("hpaio-sim-a.local."), "hpaio-sim-a.local");
  EXPECT_EQ(mdns_host_name("printer.example"), "printer.example");
}

TEST(SimSnmp, ConfigAnswersTheHpDeviceIdOidOnLoopback) {
  const Profile& p = *find_profile("ledm-adf-duplex");
  const std::string conf = snmpd_config(p, 16161);
  EXPECT_NE(conf.find("agentaddress udp:127.0.0.1:16161\n"), std::string::npos);
  EXPECT_NE(conf.find("override .1.3.6.1.4.1.11.2.3.9.1.1.7.0 octet_str \"MFG:HP;MDL:HP OfficeJet Pro 9010 series;"),
            std::string::npos)
      << conf;
  EXPECT_NE(conf.find("rocommunity public 127.0.0.1\n"), std::string::npos);
}

}  // namespace
