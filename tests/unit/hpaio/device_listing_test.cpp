// merge_devices and the per-source candidates: dedupe by host and port, stable names, the model
// filter, readable models.
#include "hpaio/discovery/device_listing.hpp"

#include <gtest/gtest.h>

#include "models/model_database.hpp"

using namespace hpaio;

namespace {

const models::ModelDatabase& db() {
  static const models::ModelDatabase d = models::ModelDatabase::parse(
      "[officejet_pro_8600]\nmodel1=HP Officejet Pro 8600\nscan-type=7\nfax-type=6\n"
      "[hp_laserjet_mfp_m28-m31]\nmodel1=HP LaserJet Pro MFP M28w\nmodel2=HP LaserJet Pro MFP M29w\nscan-type=9\n"
      "[deskjet_1000_j110_series]\nmodel1=HP Deskjet 1000 J110\nscan-type=0\n"
      "[hp_officejet_pro_9010_series]\nmodel1=HP OfficeJet Pro 9010 series\nscan-type=7\n",
      "test");
  return d;
}

mdns::ResolvedService service(std::string type, std::string host, std::string address, std::vector<std::string> txt,
                              bool ipv6 = false, std::string zone = {}) {
  mdns::ResolvedService s;
  s.type = std::move(type);
  s.name = "HP device";
  s.host_name = std::move(host);
  s.address = std::move(address);
  s.ipv6 = ipv6;
  s.zone = std::move(zone);
  s.port = 8080;
  s.txt = mdns::TxtRecord::parse(txt);
  return s;
}

std::vector<std::string> names(const std::vector<ListedDevice>& v) {
  std::vector<std::string> out;
  for (const auto& d : v) out.push_back(d.name);
  return out;
}

}  // namespace

TEST(DeviceListing, QueuesLikeHplipButWithoutThePrefixBug) {
  // reference §3.1's CUPS list, and 10.0.0.12 before 10.0.0.1 (HPLIP dropped the latter).
  std::vector<PrintQueue> q{
      {"a", "hp:/net/Officejet_Pro_8600?ip=10.0.0.12"},      {"b", "hp:/net/Officejet_Pro_8600?ip=10.0.0.1"},
      {"c", "hp:/net/Officejet_Pro_8600?ip=10.0.0.1"},       {"d", "hp:/usb/Officejet_Pro_8600?serial=CN123"},
      {"e", "hp:/net/Deskjet_1000_J110_series?ip=10.0.0.7"}, {"f", "ipp://x/ipp/print"},
      {"g", "hp:/net/Officejet Pro 8600?ip=10.0.0.8"},       {"h", "HP:/NET/Officejet_Pro_8600?hostname=printer.lan"}};
  std::vector<std::string> notes;
  auto c = candidates_from_queues(q, &notes);
  EXPECT_EQ(c.size(), 5u);  // usb, ipp and the one with spaces are not candidates
  models::ModelResolver r(db());
  auto listed = merge_devices(c, &r, &notes);
  EXPECT_EQ(names(listed),
            (std::vector<std::string>{"/net/Officejet_Pro_8600?ip=10.0.0.12", "/net/Officejet_Pro_8600?ip=10.0.0.1",
                                      "/NET/Officejet_Pro_8600?hostname=printer.lan"}));
  EXPECT_EQ(listed[0].model, "HP Officejet Pro 8600");
  EXPECT_EQ(listed[0].source, DeviceSource::print_queue);
}

TEST(DeviceListing, ConfiguredWinsOverQueueWinsOverMdns) {
  models::ModelResolver r(db());
  auto config = candidates_from_config({"hpaio:/net/officejet_pro_8600?ip=10.0.0.5&queue=false", "not a uri"});
  ASSERT_EQ(config.size(), 1u);
  auto queues = candidates_from_queues(
      {{"q", "hp:/net/Officejet_Pro_8600?ip=10.0.0.5"}, {"r", "hp:/net/HP_LaserJet_MFP_M28-M31?zc=NPI7C8A3E"}});
  auto mdns = candidates_from_mdns(
      {service("_uscan._tcp", "NPI7C8A3E.local", "10.0.0.9", {"ty=HP LaserJet MFP M28-M31", "mfg=HP"}),
       service("_uscan._tcp", "OJ.local", "10.0.0.5", {"ty=HP Officejet Pro 8600", "mfg=HP"}),
       service("_uscan._tcp", "new.local", "10.0.0.20", {"ty=HP Brand New 2030", "mfg=HP"})});
  std::vector<DeviceCandidate> all = mdns;  // order of the input does not matter
  all.insert(all.end(), queues.begin(), queues.end());
  all.insert(all.end(), config.begin(), config.end());
  auto listed = merge_devices(all, &r);
  EXPECT_EQ(names(listed), (std::vector<std::string>{"/net/officejet_pro_8600?ip=10.0.0.5&queue=false",
                                                     "/net/HP_LaserJet_MFP_M28-M31?zc=NPI7C8A3E",
                                                     "/net/brand_new_2030?ip=10.0.0.20&queue=false"}));
  // The mDNS ty is the readable name when the device gave one.
  EXPECT_EQ(listed[1].model, "HP LaserJet MFP M28-M31");
  EXPECT_EQ(listed[2].model, "HP Brand New 2030");  // unknown to models.dat, but _uscan says eSCL
  EXPECT_EQ(listed[2].source, DeviceSource::mdns);
}

TEST(DeviceListing, ModelFilter) {
  models::ModelResolver r(db());
  auto c = candidates_from_mdns(
      {service("_ipp._tcp", "dj.local", "10.0.0.7", {"ty=HP Deskjet 1000 J110 series", "usb_MFG=HP"}),
       service("_ipp._tcp", "unknown.local", "10.0.0.8", {"ty=HP Unknown Printer 1", "usb_MFG=HP"}),
       service("_ipp._tcp", "oj.local", "10.0.0.9", {"ty=HP OfficeJet Pro 9010 series", "usb_MFG=HP"}),
       service("_ipp._tcp", "canon.local", "10.0.0.10", {"ty=Canon G3010", "usb_MFG=Canon"})});
  ASSERT_EQ(c.size(), 3u);
  std::vector<std::string> notes;
  auto listed = merge_devices(c, &r, &notes);
  EXPECT_EQ(names(listed), (std::vector<std::string>{"/net/officejet_pro_9010_series?ip=10.0.0.9&queue=false"}));
  EXPECT_EQ(notes.size(), 2u);
  // Without models.dat everything found is listed; configured devices always are.
  EXPECT_EQ(merge_devices(c, nullptr).size(), 3u);
  auto config = candidates_from_config({"/net/Deskjet_1000_J110_series?ip=10.0.0.7"});
  EXPECT_EQ(merge_devices(config, &r).size(), 1u);
}

TEST(DeviceListing, MdnsOneDevicePerHostPreferringIpv4) {
  auto c = candidates_from_mdns(
      {service("_scanner._tcp", "HP1.local", "fe80::1", {"ty=HP OfficeJet Pro 9010 series", "mfg=HP"}, true, "eth0"),
       service("_uscan._tcp", "HP1.local", "2001:db8::1", {"ty=HP OfficeJet Pro 9010 series", "mfg=HP"}, true),
       service("_uscan._tcp", "hp1.local", "10.0.0.3", {"ty=HP OfficeJet Pro 9010 series", "mfg=HP"}),
       service("_uscan._tcp", "HP2.local", "fe80::2", {"ty=HP OfficeJet Pro 9010 series", "mfg=HP"}, true, "eth0")});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].uri.sane_name(), "/net/officejet_pro_9010_series?ip=10.0.0.3&queue=false");
  EXPECT_TRUE(c[0].advertises_scan);
  EXPECT_EQ(c[0].aliases.size(), 3u);  // two IPv6 addresses and hp1.local
  EXPECT_EQ(c[1].uri.sane_name(), "/net/officejet_pro_9010_series?ip=fe80::2%25eth0&queue=false");
  // The same device as a CUPS queue at its IPv6 address: one entry, the queue's name.
  auto q = candidates_from_queues({{"q", "hp:/net/HP_OfficeJet_Pro_9010_series?ip=2001:db8::1"}});
  q.insert(q.end(), c.begin(), c.end());
  models::ModelResolver r(db());
  auto listed = merge_devices(q, &r);
  EXPECT_EQ(names(listed), (std::vector<std::string>{"/net/HP_OfficeJet_Pro_9010_series?ip=2001:db8::1",
                                                     "/net/officejet_pro_9010_series?ip=fe80::2%25eth0&queue=false"}));
}

TEST(DeviceListing, MdnsIpv6OnlyDeviceIsListedAtItsIpv6Address) {
  // A host with only an IPv6 address (the resolve over IPv4 gave its AAAA record).
  auto c = candidates_from_mdns(
      {service("_scanner._tcp", "hpfleet51.local", "fd00::51", {"ty=HP OfficeJet Pro 9010 series", "mfg=HP"}, true)});
  ASSERT_EQ(c.size(), 1u);
  models::ModelResolver r(db());
  EXPECT_EQ(names(merge_devices(c, &r)),
            (std::vector<std::string>{"/net/officejet_pro_9010_series?ip=fd00::51&queue=false"}));
}

TEST(DeviceListing, MdnsEsclFromAnotherTypeOfTheSameInstance) {
  // Resolved once, as _scanner._tcp; the same instance was also found as _uscan._tcp.
  mdns::ResolvedService s = service("_scanner._tcp", "new.local", "10.0.0.20", {"ty=HP Brand New 2030", "mfg=HP"});
  models::ModelResolver r(db());
  EXPECT_TRUE(merge_devices(candidates_from_mdns({s}), &r).empty());  // unknown model, no eSCL seen
  s.also_types = {"_ipp._tcp", "_uscan._tcp"};
  auto c = candidates_from_mdns({s});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(c[0].advertises_scan);
  EXPECT_EQ(names(merge_devices(c, &r)), (std::vector<std::string>{"/net/brand_new_2030?ip=10.0.0.20&queue=false"}));
}

TEST(DeviceListing, JetDirectPortsAreDifferentDevices) {
  auto c = candidates_from_queues(
      {{"a", "hp:/net/Officejet_Pro_8600?ip=10.0.0.1"}, {"b", "hp:/net/Officejet_Pro_8600?ip=10.0.0.1&port=2"}});
  models::ModelResolver r(db());
  EXPECT_EQ(merge_devices(c, &r).size(), 2u);
  EXPECT_EQ(readable_token("HP_LaserJet_MFP_M28-M31"), "HP LaserJet MFP M28-M31");
}

namespace {

WsdDevice wsd_device(std::vector<std::string> addresses, std::string model = "HP LaserJet Pro MFP M127fn",
                     std::string manufacturer = "HP", bool scanner = true) {
  WsdDevice d;
  d.endpoint = "urn:uuid:5a1e0c3b-0127-4e1d-8a55-00163e0127a7";
  d.addresses = std::move(addresses);
  d.metadata.manufacturer = std::move(manufacturer);
  d.metadata.model_name = std::move(model);
  if (scanner) d.metadata.scan_services = {"http://192.0.2.10:3911/scanner"};
  return d;
}

}  // namespace

TEST(DeviceListing, WsdDevicesNamedAsMdnsNamesThem) {
  const auto c = candidates_from_wsd({wsd_device({"fe80::2%lo", "2001:db8::7", "192.0.2.10"}),
                                      wsd_device({"::1"}, "Color LaserJet MFP M477fdw", "Hewlett-Packard")});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].uri.sane_name(), "/net/color_laserjet_mfp_m477fdw?ip=::1&queue=false");
  EXPECT_EQ(c[0].source, DeviceSource::wsd);
  EXPECT_TRUE(c[0].advertises_scan);
  // IPv4 first, the other addresses are aliases
  EXPECT_EQ(c[1].uri.sane_name(), "/net/laserjet_pro_mfp_m127fn?ip=192.0.2.10&queue=false");
  EXPECT_EQ(c[1].model_name, "HP LaserJet Pro MFP M127fn");
  EXPECT_EQ(c[1].aliases.size(), 2u);
}

TEST(DeviceListing, WsdLeavesOutPrintersAndOtherMakers) {
  EXPECT_TRUE(
      candidates_from_wsd({wsd_device({"192.0.2.10"}, "HP LaserJet M110we", "HP", false),
                           wsd_device({"192.0.2.11"}, "ET-4850 Series", "EPSON"), wsd_device({"192.0.2.12"}, "", "HP")})
          .empty());
}

TEST(DeviceListing, OneEntryForADeviceMdnsAndWsdBothFind) {
  models::ModelResolver r(db());
  std::vector<DeviceCandidate> all = candidates_from_mdns(
      {service("_uscan._tcp", "m28.local", "192.0.2.10", {"ty=HP LaserJet MFP M28-M31", "mfg=HP"})});
  for (DeviceCandidate& c : candidates_from_wsd(
           {wsd_device({"fe80::9%eth0", "192.0.2.10"}, "HP LaserJet MFP M28w"), wsd_device({"192.0.2.20"})})) {
    all.push_back(std::move(c));
  }
  std::vector<std::string> notes;
  const auto listed = merge_devices(all, &r, &notes);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "/net/laserjet_mfp_m28-m31?ip=192.0.2.10&queue=false");  // mDNS's name wins
  EXPECT_EQ(listed[0].source, DeviceSource::mdns);
  // A WS-Scan model models.dat does not know: listed, as the device has a scan service.
  EXPECT_EQ(listed[1].name, "/net/laserjet_pro_mfp_m127fn?ip=192.0.2.20&queue=false");
  EXPECT_EQ(listed[1].model, "HP LaserJet Pro MFP M127fn");
  EXPECT_EQ(listed[1].source, DeviceSource::wsd);
  EXPECT_EQ(to_string(DeviceSource::wsd), "WS-Discovery");
}
