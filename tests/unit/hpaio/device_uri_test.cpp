#include "hpaio/names/device_uri.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

namespace hpaio {
namespace {

// ---------------------------------------------------------------------------------------------
// Round trip: every valid form comes back exactly as written.

class RoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTrip, ParseThenFormatGivesTheInputBack) {
  const std::string text = GetParam();
  const DeviceUri uri = DeviceUri::parse(text);
  EXPECT_EQ(uri.to_string(), text);
  EXPECT_EQ(DeviceUri::parse(uri.to_string()), uri);
}

INSTANTIATE_TEST_SUITE_P(
    HplipForms, RoundTrip,
    ::testing::Values(
        // jd.c hpmud_make_net_uri, port 1 and 2..4
        "hp:/net/Officejet_Pro_8600?ip=10.0.0.5", "hp:/net/HP_LaserJet_Pro_MFP_M127fn_M128fn?ip=127.0.0.1",
        "hp:/net/Officejet_Pro_8600?ip=10.0.0.5&port=2", "hp:/net/Officejet_Pro_8600?ip=10.0.0.5&port=4",
        // hpmud_make_mdns_uri and makeURI's hostname form
        "hp:/net/Officejet_Pro_8600?zc=npi7c8a3e", "hp:/net/Officejet_Pro_8600?zc=npi7c8a3e&port=3",
        "hp:/net/Officejet_Pro_8600?hostname=printer.lan",
        "hp:/net/Officejet_Pro_8600?hostname=printer.example.com&port=2",
        // mDNS/Avahi discovery inside hpaio (3.16 kept '/' in the token)
        "hp:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false",
        "hp:/net/laserjet_m127fn/m128fn?ip=10.0.0.5&queue=false",
        // other schemes, the dummy D-Bus URI
        "hpaio:/net/Officejet_Pro_8600?ip=192.168.1.5", "hpfax:/net/Officejet_Pro_8600?ip=192.168.1.5",
        "hpaio:/net/HP_Scan_Devices?ip=1.1.1.1",
        // usb and parport
        "hp:/usb/Officejet_Pro_8600?serial=CN123", "hp:/usb/Deskjet_3050_J610_series?serial=0",
        "hpaio:/usb/HP_LaserJet_1020?serial=FN0ABC", "hp:/par/DeskJet_970C?device=/dev/parport0",
        // SANE device names (no scheme)
        "/net/Officejet_Pro_8600?ip=10.0.0.5", "/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false",
        "/usb/Officejet_Pro_8600?serial=CN123", "/par/DeskJet_970C?device=/dev/parport0"));

INSTANTIATE_TEST_SUITE_P(Ipv6, RoundTrip,
                         ::testing::Values("hp:/net/Officejet_Pro_8600?ip=::1",
                                           "hp:/net/Officejet_Pro_8600?ip=2001:db8::5&port=2",
                                           "hp:/net/Officejet_Pro_8600?ip=fe80::1%25eth0",
                                           "hp:/net/Officejet_Pro_8600?ip=FE80::AB:1%25wlp2s0",
                                           "hp:/net/Officejet_Pro_8600?ip=[2001:db8::1]",
                                           "hp:/net/Officejet_Pro_8600?ip=[fe80::1%25eth0]&port=2",
                                           "hp:/net/Officejet_Pro_8600?ip=::ffff:10.0.0.1",
                                           "/net/x?ip=fe80::1%253&queue=false"));

INSTANTIATE_TEST_SUITE_P(
    Leniency, RoundTrip,
    ::testing::Values("hp:/NET/Officejet_Pro_8600?IP=10.0.0.5&Queue=FALSE",  // names and bus in any case
                      "hp:/net/Officejet_Pro_8600?ip=10.0.0.5&port=1",       // explicit default port
                      "hp:/net/Officejet_Pro_8600?ip=10.0.0.5&queue=true",
                      "hp:/net/Officejet_Pro_8600?ip=10.0.0.5&snmp=v2c",    // unknown parameters kept
                      "hp:/net/Officejet_Pro_8600?x-note=a=b&ip=10.0.0.5",  // ... in their place
                      "hp:/net/Officejet_Pro_8600?hostname=printer.lan.",   // fully qualified
                      "hp:/net/Officejet_Pro_8600?hostname=10.0.0.5",
                      "hp:/usb/HP_Photosmart_C4380_(USB)?serial=MY8A%20B",  // verbatim, no decoding
                      "hp:/net/Officejet_Pro_8600?queue=false&port=2&ip=10.0.0.5"));

// ---------------------------------------------------------------------------------------------
// Fields

TEST(DeviceUri, NetFields) {
  const DeviceUri uri = DeviceUri::parse("hp:/net/Officejet_Pro_8600?ip=10.0.0.5&port=2");
  EXPECT_EQ(uri.scheme(), Scheme::hp);
  EXPECT_EQ(uri.bus(), Bus::net);
  EXPECT_EQ(uri.model(), "Officejet_Pro_8600");
  ASSERT_TRUE(uri.host());
  EXPECT_EQ(*uri.host(), (NetHost{NetHost::Kind::ipv4, "10.0.0.5", ""}));
  EXPECT_EQ(uri.port(), 2);
  EXPECT_TRUE(uri.queue());
  EXPECT_FALSE(uri.serial());
  EXPECT_FALSE(uri.device());
  EXPECT_EQ(uri.params(), (std::vector<QueryParam>{{"ip", "10.0.0.5"}, {"port", "2"}}));
}

TEST(DeviceUri, DefaultsAndQueue) {
  const DeviceUri plain = DeviceUri::parse("hp:/net/X?ip=10.0.0.5");
  EXPECT_EQ(plain.port(), 1);
  EXPECT_TRUE(plain.queue());
  EXPECT_FALSE(DeviceUri::parse("hp:/net/X?ip=10.0.0.5&queue=false").queue());
  EXPECT_FALSE(DeviceUri::parse("hp:/net/X?ip=10.0.0.5&QUEUE=False").queue());
  EXPECT_TRUE(DeviceUri::parse("hp:/net/X?ip=10.0.0.5&queue=true").queue());
}

TEST(DeviceUri, ParameterNamesAreCaseInsensitive) {
  const DeviceUri uri = DeviceUri::parse("hp:/NET/X?IP=10.0.0.5&Port=3");
  EXPECT_EQ(uri.bus(), Bus::net);
  EXPECT_EQ(uri.host()->kind, NetHost::Kind::ipv4);
  EXPECT_EQ(uri.port(), 3);
  EXPECT_EQ(uri.param("ip"), "10.0.0.5");
  EXPECT_EQ(uri.param("PORT"), "3");
  EXPECT_EQ(uri.params().front().name, "IP");  // as written
}

TEST(DeviceUri, HostKinds) {
  using K = NetHost::Kind;
  EXPECT_EQ(*DeviceUri::parse("hp:/net/X?hostname=Printer.LAN").host(), (NetHost{K::hostname, "Printer.LAN", ""}));
  EXPECT_EQ(*DeviceUri::parse("hp:/net/X?zc=npi7c8a3e").host(), (NetHost{K::mdns, "npi7c8a3e", ""}));
  EXPECT_EQ(*DeviceUri::parse("hp:/net/X?ip=::1").host(), (NetHost{K::ipv6, "::1", ""}));
  EXPECT_EQ(*DeviceUri::parse("hp:/net/X?ip=fe80::1%25eth0").host(), (NetHost{K::ipv6, "fe80::1", "eth0"}));
  EXPECT_EQ(*DeviceUri::parse("hp:/net/X?ip=[fe80::1%25eth0]").host(), (NetHost{K::ipv6, "fe80::1", "eth0"}));
  EXPECT_EQ(*DeviceUri::parse("hp:/net/X?ip=[2001:db8::1]").host(), (NetHost{K::ipv6, "2001:db8::1", ""}));
}

TEST(DeviceUri, ResolverName) {
  EXPECT_EQ(DeviceUri::parse("hp:/net/X?ip=10.0.0.5").host()->resolver_name(), "10.0.0.5");
  EXPECT_EQ(DeviceUri::parse("hp:/net/X?ip=fe80::1%25eth0").host()->resolver_name(), "fe80::1%eth0");
  EXPECT_EQ(DeviceUri::parse("hp:/net/X?ip=[2001:db8::1]").host()->resolver_name(), "2001:db8::1");
  EXPECT_EQ(DeviceUri::parse("hp:/net/X?hostname=printer.lan").host()->resolver_name(), "printer.lan");
  EXPECT_EQ(DeviceUri::parse("hp:/net/X?zc=npi7c8a3e").host()->resolver_name(), "npi7c8a3e.local");
  // HPLIP would look up "npi7c8a3e.local.local"; one ".local" is enough.
  EXPECT_EQ(DeviceUri::parse("hp:/net/X?zc=npi7c8a3e.local").host()->resolver_name(), "npi7c8a3e.local");
  // zc=host&port=2 is the host "host", not HPLIP's "host&port=2.local".
  EXPECT_EQ(DeviceUri::parse("hp:/net/X?zc=npi7c8a3e&port=2").host()->resolver_name(), "npi7c8a3e.local");
}

TEST(DeviceUri, UsbAndParFields) {
  const DeviceUri usb = DeviceUri::parse("hp:/usb/Officejet_Pro_8600?serial=CN123");
  EXPECT_EQ(usb.bus(), Bus::usb);
  EXPECT_EQ(usb.serial(), "CN123");
  EXPECT_FALSE(usb.host());
  EXPECT_EQ(usb.port(), 1);

  const DeviceUri par = DeviceUri::parse("hp:/par/DeskJet_970C?device=/dev/parport0");
  EXPECT_EQ(par.bus(), Bus::par);
  EXPECT_EQ(par.device(), "/dev/parport0");
  EXPECT_FALSE(par.host());
}

TEST(DeviceUri, ModelTokenRunsToTheFirstQuestionMark) {
  EXPECT_EQ(DeviceUri::parse("hp:/net/laserjet_m127fn/m128fn?ip=10.0.0.5").model(), "laserjet_m127fn/m128fn");
  EXPECT_EQ(DeviceUri::parse("hp:/usb/HP_Photosmart_C4380_(USB)?serial=1").model(), "HP_Photosmart_C4380_(USB)");
}

TEST(DeviceUri, UnknownParametersAreKeptInOrder) {
  const DeviceUri uri = DeviceUri::parse("hp:/net/X?a=1&ip=10.0.0.5&b=2");
  EXPECT_EQ(uri.params(), (std::vector<QueryParam>{{"a", "1"}, {"ip", "10.0.0.5"}, {"b", "2"}}));
  EXPECT_EQ(uri.param("b"), "2");
  EXPECT_FALSE(uri.param("c"));
}

// ---------------------------------------------------------------------------------------------
// Schemes and SANE names

TEST(DeviceUri, SaneNameHasNoScheme) {
  const DeviceUri uri = DeviceUri::parse("/net/Officejet_Pro_8600?ip=10.0.0.5&queue=false");
  EXPECT_EQ(uri.scheme(), Scheme::none);
  EXPECT_FALSE(uri.queue());
  EXPECT_EQ(uri.format(Scheme::hp), "hp:/net/Officejet_Pro_8600?ip=10.0.0.5&queue=false");
  EXPECT_EQ(uri.format(Scheme::hpaio), "hpaio:/net/Officejet_Pro_8600?ip=10.0.0.5&queue=false");
}

TEST(DeviceUri, ConvertsBetweenSchemes) {
  const DeviceUri cups = DeviceUri::parse("hp:/net/Officejet_Pro_8600?ip=192.168.1.5");
  EXPECT_EQ(cups.format(Scheme::hpaio), "hpaio:/net/Officejet_Pro_8600?ip=192.168.1.5");
  EXPECT_EQ(cups.format(Scheme::hpfax), "hpfax:/net/Officejet_Pro_8600?ip=192.168.1.5");
  EXPECT_EQ(cups.sane_name(), "/net/Officejet_Pro_8600?ip=192.168.1.5");
  EXPECT_EQ(cups.to_string(), "hp:/net/Officejet_Pro_8600?ip=192.168.1.5");

  const DeviceUri sane = cups.with_scheme(Scheme::hpaio);
  EXPECT_EQ(sane.scheme(), Scheme::hpaio);
  EXPECT_EQ(sane.to_string(), "hpaio:/net/Officejet_Pro_8600?ip=192.168.1.5");
  EXPECT_EQ(sane.with_scheme(Scheme::hp), cups);
  EXPECT_EQ(DeviceUri::parse(sane.sane_name()).with_scheme(Scheme::hp), cups);
}

TEST(DeviceUri, ConversionKeepsSpellingOfTheRest) {
  const DeviceUri uri = DeviceUri::parse("hp:/NET/X?IP=10.0.0.5&extra=1");
  EXPECT_EQ(uri.sane_name(), "/NET/X?IP=10.0.0.5&extra=1");
}

TEST(DeviceUri, SchemeNames) {
  EXPECT_EQ(to_string(Scheme::none), "");
  EXPECT_EQ(to_string(Scheme::hp), "hp");
  EXPECT_EQ(to_string(Scheme::hpaio), "hpaio");
  EXPECT_EQ(to_string(Scheme::hpfax), "hpfax");
  EXPECT_EQ(to_string(Bus::net), "net");
  EXPECT_EQ(to_string(Bus::usb), "usb");
  EXPECT_EQ(to_string(Bus::par), "par");
}

TEST(DeviceUri, StreamsAsWritten) {
  std::ostringstream out;
  out << DeviceUri::parse("/net/X?ip=10.0.0.5");
  EXPECT_EQ(out.str(), "/net/X?ip=10.0.0.5");
}

// ---------------------------------------------------------------------------------------------
// Builders: HPLIP's forms

TEST(DeviceUriMake, NetFormsMatchHplip) {
  EXPECT_EQ(DeviceUri::make_net("HP_LaserJet_Pro_MFP_M127fn_M128fn", HostParam::ip, "127.0.0.1").to_string(),
            "hp:/net/HP_LaserJet_Pro_MFP_M127fn_M128fn?ip=127.0.0.1");
  EXPECT_EQ(DeviceUri::make_net("Officejet_Pro_8600", HostParam::ip, "10.0.0.5", 2).to_string(),
            "hp:/net/Officejet_Pro_8600?ip=10.0.0.5&port=2");
  EXPECT_EQ(DeviceUri::make_net("Officejet_Pro_8600", HostParam::zc, "npi7c8a3e").to_string(),
            "hp:/net/Officejet_Pro_8600?zc=npi7c8a3e");
  EXPECT_EQ(DeviceUri::make_net("Officejet_Pro_8600", HostParam::hostname, "printer.lan", 3).to_string(),
            "hp:/net/Officejet_Pro_8600?hostname=printer.lan&port=3");
  EXPECT_EQ(DeviceUri::make_net("officejet_pro_9010_series", HostParam::ip, "127.0.0.1", 1, false).to_string(),
            "hp:/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false");
  EXPECT_EQ(
      DeviceUri::make_net("officejet_pro_9010_series", HostParam::ip, "127.0.0.1", 1, false, Scheme::none).to_string(),
      "/net/officejet_pro_9010_series?ip=127.0.0.1&queue=false");
  EXPECT_EQ(DeviceUri::make_net("X", HostParam::ip, "10.0.0.5", 1, true, Scheme::hpaio).to_string(),
            "hpaio:/net/X?ip=10.0.0.5");
}

TEST(DeviceUriMake, Ipv6ZoneIsPercentEncoded) {
  const DeviceUri uri = DeviceUri::make_net("X", HostParam::ip, "fe80::1%eth0", 1, false);
  EXPECT_EQ(uri.to_string(), "hp:/net/X?ip=fe80::1%25eth0&queue=false");
  EXPECT_EQ(uri.host()->resolver_name(), "fe80::1%eth0");
  EXPECT_EQ(DeviceUri::make_net("X", HostParam::ip, "2001:db8::1").to_string(), "hp:/net/X?ip=2001:db8::1");
}

TEST(DeviceUriMake, UsbAndPar) {
  EXPECT_EQ(DeviceUri::make_usb("Officejet_Pro_8600", "CN123").to_string(), "hp:/usb/Officejet_Pro_8600?serial=CN123");
  EXPECT_EQ(DeviceUri::make_usb("Officejet_Pro_8600", "CN123", Scheme::hpaio).to_string(),
            "hpaio:/usb/Officejet_Pro_8600?serial=CN123");
  EXPECT_EQ(DeviceUri::make_par("DeskJet_970C", "/dev/parport0").to_string(),
            "hp:/par/DeskJet_970C?device=/dev/parport0");
}

TEST(DeviceUriMake, RejectsWhatParseRejects) {
  EXPECT_THROW(DeviceUri::make_net("X", HostParam::ip, "10.0.0.5", 5), UriError);
  EXPECT_THROW(DeviceUri::make_net("X", HostParam::ip, "10.0.0.5", 0), UriError);
  EXPECT_THROW(DeviceUri::make_net("X", HostParam::ip, "printer.lan"), UriError);
  EXPECT_THROW(DeviceUri::make_net("Officejet Pro 8600", HostParam::ip, "10.0.0.5"), UriError);
  EXPECT_THROW(DeviceUri::make_net("", HostParam::ip, "10.0.0.5"), UriError);
  EXPECT_THROW(DeviceUri::make_net("X", HostParam::hostname, "bad_name"), UriError);
  EXPECT_THROW(DeviceUri::make_net("X", HostParam::zc, ""), UriError);
  EXPECT_THROW(DeviceUri::make_usb("X", ""), UriError);
  EXPECT_THROW(DeviceUri::make_par("X", "/dev/par port0"), UriError);
}

// ---------------------------------------------------------------------------------------------
// Device identity

DeviceIdentity id_of(const char* text) { return DeviceUri::parse(text).identity(); }

TEST(DeviceIdentity, PrefixOfAnotherAddressIsADifferentDevice) {
  // HPLIP's prefix compare drops ip=10.0.0.1 after seeing ip=10.0.0.12 (reference §3.1, §8 #29).
  const DeviceUri twelve = DeviceUri::parse("hp:/net/Officejet_Pro_8600?ip=10.0.0.12");
  const DeviceUri one = DeviceUri::parse("hp:/net/Officejet_Pro_8600?ip=10.0.0.1");
  EXPECT_FALSE(same_device(twelve, one));
  EXPECT_FALSE(same_device(one, twelve));
  EXPECT_NE(twelve.identity(), one.identity());
  EXPECT_FALSE(same_device(DeviceUri::parse("hp:/net/X?ip=10.0.0.12&queue=false"),
                           DeviceUri::parse("hp:/net/X?ip=10.0.0.1&queue=false")));
}

TEST(DeviceIdentity, DedupesHplipsListCorrectly) {
  // The CUPS answer of reference §3.1, with 10.0.0.12 listed before 10.0.0.1.
  const std::vector<std::string> found = {
      "hp:/net/Officejet_Pro_8600?ip=127.0.0.1",
      "hp:/net/Officejet_Pro_8600?ip=127.0.0.1",
      "hp:/net/HP_LaserJet_Professional_M1212nf_MFP?ip=10.0.0.12",
      "hp:/net/HP_LaserJet_Professional_M1212nf_MFP?ip=10.0.0.1",
      "hp:/net/officejet_pro_8600?ip=127.0.0.12",
      "hp:/net/Officejet_Pro_8600?hostname=printer.lan",
      "hp:/net/officejet_pro_8600?ip=127.0.0.1&queue=false",  // the same device seen by mDNS
  };
  std::unordered_set<DeviceIdentity> seen;
  std::vector<std::string> listed;
  for (const std::string& text : found) {
    const DeviceUri uri = DeviceUri::parse(text);
    if (seen.insert(uri.identity()).second) listed.push_back(uri.sane_name());
  }
  EXPECT_EQ(listed, (std::vector<std::string>{
                        "/net/Officejet_Pro_8600?ip=127.0.0.1",
                        "/net/HP_LaserJet_Professional_M1212nf_MFP?ip=10.0.0.12",
                        "/net/HP_LaserJet_Professional_M1212nf_MFP?ip=10.0.0.1",
                        "/net/officejet_pro_8600?ip=127.0.0.12",
                        "/net/Officejet_Pro_8600?hostname=printer.lan",
                    }));
}

TEST(DeviceIdentity, SameDevice) {
  const std::vector<std::pair<const char*, const char*>> same = {
      {"hp:/net/A?ip=10.0.0.5", "hpaio:/net/B?ip=10.0.0.5&queue=false"},  // model, scheme, queue
      {"hp:/net/A?ip=10.0.0.5", "/net/A?ip=10.0.0.5"},
      {"hp:/net/A?ip=10.0.0.5", "hp:/net/A?ip=10.0.0.5&port=1"},  // default port
      {"hp:/net/A?ip=10.0.0.5", "hp:/net/A?IP=10.0.0.5&note=x"},  // unknown parameters
      {"hp:/net/A?ip=10.0.0.5&port=2", "hp:/net/A?port=2&ip=10.0.0.5"},
      {"hp:/net/A?ip=::1", "hp:/net/A?ip=0:0::1"},  // IPv6 compared as addresses
      {"hp:/net/A?ip=::1", "hp:/net/A?ip=[::1]"},
      {"hp:/net/A?ip=2001:DB8::1", "hp:/net/A?ip=2001:db8:0:0:0:0:0:1"},
      {"hp:/net/A?ip=::ffff:10.0.0.1", "hp:/net/A?ip=10.0.0.1"},  // v4-mapped
      {"hp:/net/A?ip=fe80::1%25eth0", "hp:/net/A?ip=[fe80:0::1%25eth0]"},
      {"hp:/net/A?hostname=Printer.LAN", "hp:/net/A?hostname=printer.lan."},  // case, trailing dot
      {"hp:/net/A?hostname=10.0.0.5", "hp:/net/A?ip=10.0.0.5"},               // an address in hostname=
      {"hp:/net/A?zc=NPI7C8A3E", "hp:/net/A?zc=npi7c8a3e.local"},
      {"hp:/net/A?zc=npi7c8a3e", "hp:/net/A?hostname=npi7c8a3e.local"},
      {"hp:/usb/Officejet_Pro_8600?serial=CN123", "hpaio:/usb/officejet_pro_8600?serial=CN123"},
      {"hp:/par/A?device=/dev/parport0", "hp:/par/B?device=/dev/parport0"},
  };
  for (const auto& [a, b] : same) {
    EXPECT_TRUE(same_device(DeviceUri::parse(a), DeviceUri::parse(b))) << a << " vs " << b;
    EXPECT_EQ(std::hash<DeviceIdentity>{}(id_of(a)), std::hash<DeviceIdentity>{}(id_of(b))) << a << " vs " << b;
  }
}

TEST(DeviceIdentity, DifferentDevices) {
  const std::vector<std::pair<const char*, const char*>> different = {
      {"hp:/net/A?ip=10.0.0.5", "hp:/net/A?ip=10.0.0.5&port=2"},  // JetDirect ports are devices
      {"hp:/net/A?ip=10.0.0.5&port=2", "hp:/net/A?ip=10.0.0.5&port=3"},
      {"hp:/net/A?ip=10.0.0.5", "hp:/net/A?ip=10.0.0.50"},
      {"hp:/net/A?ip=::1", "hp:/net/A?ip=::10"},
      {"hp:/net/A?ip=fe80::1%25eth0", "hp:/net/A?ip=fe80::1%25eth1"},  // zones
      {"hp:/net/A?ip=fe80::1%25eth0", "hp:/net/A?ip=fe80::1"},
      {"hp:/net/A?ip=10.0.0.5", "hp:/net/A?hostname=printer.lan"},  // would take a DNS lookup
      {"hp:/net/A?hostname=printer.lan", "hp:/net/A?hostname=printer.lan2"},
      {"hp:/net/A?zc=npi7c8a3e", "hp:/net/A?hostname=npi7c8a3e"},
      {"hp:/usb/A?serial=CN123", "hp:/usb/A?serial=CN124"},
      {"hp:/usb/A?serial=0", "hp:/usb/B?serial=0"},  // "no serial" from two models
      {"hp:/usb/A?serial=10.0.0.5", "hp:/net/A?ip=10.0.0.5"},
      {"hp:/par/A?device=/dev/parport0", "hp:/par/A?device=/dev/parport1"},
  };
  for (const auto& [a, b] : different) {
    EXPECT_FALSE(same_device(DeviceUri::parse(a), DeviceUri::parse(b))) << a << " vs " << b;
  }
}

TEST(DeviceIdentity, KeysAreReadable) {
  EXPECT_EQ(id_of("hp:/net/A?ip=0:0::1&port=2"), (DeviceIdentity{Bus::net, "::1", 2}));
  EXPECT_EQ(id_of("hp:/net/A?ip=[FE80::1%25eth0]"), (DeviceIdentity{Bus::net, "fe80::1%eth0", 1}));
  EXPECT_EQ(id_of("hp:/net/A?hostname=Printer.Lan."), (DeviceIdentity{Bus::net, "printer.lan", 1}));
  EXPECT_EQ(id_of("hp:/net/A?zc=NPI7c8a3e"), (DeviceIdentity{Bus::net, "npi7c8a3e.local", 1}));
  EXPECT_EQ(id_of("hp:/usb/Officejet_Pro_8600?serial=CN123"),
            (DeviceIdentity{Bus::usb, "officejet_pro_8600/CN123", 1}));
  EXPECT_EQ(id_of("hp:/par/A?device=/dev/parport0"), (DeviceIdentity{Bus::par, "/dev/parport0", 1}));
}

TEST(DeviceIdentity, OrdersForSets) {
  const std::set<DeviceIdentity> ids = {id_of("hp:/net/A?ip=10.0.0.1"), id_of("hp:/net/B?ip=10.0.0.1&port=1"),
                                        id_of("hp:/net/A?ip=10.0.0.12")};
  EXPECT_EQ(ids.size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Malformed input: a UriError naming what is wrong.

struct Malformed {
  const char* text;
  const char* message;  // a part of the error message
};

void PrintTo(const Malformed& m, std::ostream* out) { *out << "'" << m.text << "'"; }

class MalformedUri : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedUri, ThrowsUriErrorNamingTheProblem) {
  const Malformed& m = GetParam();
  try {
    const DeviceUri uri = DeviceUri::parse(m.text);
    ADD_FAILURE() << "parsed as " << uri;
  } catch (const UriError& e) {
    EXPECT_NE(std::string(e.what()).find(m.message), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(std::string("device URI '") + m.text + "'"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Structure, MalformedUri,
    ::testing::Values(
        Malformed{"", "it is empty"},
        Malformed{"Officejet_Pro_8600", "expected '<scheme>:/<bus>/<model>?<parameters>'"},
        Malformed{"net/X?ip=10.0.0.5", "expected '<scheme>:/"}, Malformed{"hp:", "expected '/' after the scheme"},
        Malformed{"hp:net/X?ip=10.0.0.5", "expected '/' after the scheme"},
        Malformed{"ipp://x/ipp/print", "unknown scheme 'ipp' (expected hp, hpaio or hpfax)"},
        Malformed{"hpaioo:/net/X?ip=10.0.0.5", "unknown scheme 'hpaioo'"},
        Malformed{"HPAIO:/net/X?ip=10.0.0.5", "the scheme must be lowercase, got 'HPAIO'"},
        Malformed{"hp://net/X?ip=10.0.0.5", "missing bus"}, Malformed{"/", "missing bus"},
        Malformed{"hp:/bt/X?ip=10.0.0.5", "unknown bus 'bt' (expected net, usb or par)"},
        Malformed{"hp:/net?ip=10.0.0.5", "expected '/<model>' after the bus 'net'"},
        Malformed{"hp:/net", "expected '/<model>' after the bus 'net'"},
        Malformed{"hp:/net/?ip=10.0.0.5", "the model token is empty"},
        Malformed{"hp:/net//X?ip=10.0.0.5", "starts or ends with '/'"},
        Malformed{"hp:/net/X/?ip=10.0.0.5", "starts or ends with '/'"},
        Malformed{"hp:/net/Officejet Pro 8600?ip=10.0.0.5", "white space or a control character at offset 17"},
        Malformed{"hp:/net/X?ip=10.0.0.5\n", "white space or a control character at offset 21"},
        Malformed{"hp:/net/X?ip=10.0.0.5 ", "white space"},
        Malformed{"hp:/net/Officejet_Pro_8600", "no '?' and parameters after the model token"},
        Malformed{"hp:/net/X?", "no parameters after '?'"},
        Malformed{"hp:/net/X?ip=10.0.0.5&", "empty parameter (a stray '&')"},
        Malformed{"hp:/net/X?ip=10.0.0.5&&port=2", "stray '&'"}, Malformed{"hp:/net/X?&ip=10.0.0.5", "stray '&'"},
        Malformed{"hp:/net/X?ip=10.0.0.5&queue", "parameter 'queue' has no '=<value>'"},
        Malformed{"hp:/net/X?=10.0.0.5", "parameter '=10.0.0.5' has no name"},
        Malformed{"hp:/net/X?ip=10.0.0.5&a*b=1", "invalid parameter name 'a*b'"},
        Malformed{"hp:/net/X?ip=10.0.0.5?port=2", "parameter 'ip' contains a second '?'"}));

INSTANTIATE_TEST_SUITE_P(
    Parameters, MalformedUri,
    ::testing::Values(Malformed{"hp:/net/X?ip=", "parameter 'ip' has an empty value"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&port=", "parameter 'port' has an empty value"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&port=7", "port must be 1..4, got '7'"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&port=0", "port must be 1..4, got '0'"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&port=12", "port must be 1..4, got '12'"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&port=01", "port must be 1..4, got '01'"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&port=-1", "port must be 1..4, got '-1'"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&port=9100", "port must be 1..4, got '9100'"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&queue=no", "queue must be 'false' or 'true', got 'no'"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&ip=10.0.0.6", "parameter 'ip' is given more than once"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&IP=10.0.0.6", "parameter 'IP' is given more than once"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&port=2&port=2", "parameter 'port' is given more than once"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&note=a&note=b", "parameter 'note' is given more than once"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&zc=npi",
                                "more than one host parameter (one of ip=, hostname=, zc=), second is 'zc'"},
                      Malformed{"hp:/net/X?hostname=a.lan&ip=10.0.0.5", "more than one host parameter"},
                      Malformed{"hp:/net/X?port=2", "no host parameter (one of ip=, hostname=, zc=)"},
                      Malformed{"hp:/net/X?queue=false", "no host parameter"},
                      Malformed{"hp:/net/X?serial=CN1&ip=10.0.0.5", "parameter 'serial' is not valid on /net/ URIs"},
                      Malformed{"hp:/net/X?ip=10.0.0.5&device=/dev/parport0",
                                "parameter 'device' is not valid on /net/"},
                      Malformed{"hp:/usb/X?serial=CN1&ip=10.0.0.5", "parameter 'ip' is not valid on /usb/ URIs"},
                      Malformed{"hp:/usb/X?serial=CN1&queue=false", "parameter 'queue' is not valid on /usb/"},
                      Malformed{"hp:/usb/X?device=/dev/usb/lp0", "parameter 'device' is not valid on /usb/"},
                      Malformed{"hp:/usb/X?note=1", "no serial= parameter"},
                      Malformed{"hp:/par/X?serial=1", "parameter 'serial' is not valid on /par/"},
                      Malformed{"hp:/par/X?note=1", "no device= parameter"}));

INSTANTIATE_TEST_SUITE_P(
    Hosts, MalformedUri,
    ::testing::Values(Malformed{"hp:/net/X?ip=10.0.0.256", "ip= '10.0.0.256' is not a valid IPv4 address"},
                      Malformed{"hp:/net/X?ip=10.0.0", "'10.0.0' is not a valid IPv4 address"},
                      Malformed{"hp:/net/X?ip=10.0.0.5.6", "not a valid IPv4 address"},
                      Malformed{"hp:/net/X?ip=010.0.0.5", "not a valid IPv4 address"},
                      Malformed{"hp:/net/X?ip=printer.lan",
                                "ip= must be an IPv4 or IPv6 address, got 'printer.lan' (use hostname="},
                      Malformed{"hp:/net/X?IP=printer", "IP= must be an IPv4 or IPv6 address"},
                      Malformed{"hp:/net/X?ip=fe80:::1", "ip= 'fe80:::1' is not a valid IPv6 address"},
                      Malformed{"hp:/net/X?ip=2001:db8::g", "not a valid IPv6 address"},
                      Malformed{"hp:/net/X?ip=1:2:3:4:5:6:7:8:9", "not a valid IPv6 address"},
                      Malformed{"hp:/net/X?ip=fe80::1%eth0", "an IPv6 zone is written as '%25<zone>' (RFC 6874)"},
                      Malformed{"hp:/net/X?ip=fe80::1%2", "an IPv6 zone is written as '%25<zone>'"},
                      Malformed{"hp:/net/X?ip=fe80::1%25", "empty IPv6 zone after '%25'"},
                      Malformed{"hp:/net/X?ip=fe80::1%25eth%0", "IPv6 zone 'eth%0' may hold only"},
                      Malformed{"hp:/net/X?ip=[::1", "ip= '[::1' has no closing ']'"},
                      Malformed{"hp:/net/X?ip=[", "has no closing ']'"},
                      Malformed{"hp:/net/X?ip=[]", "brackets and zones are only for IPv6 addresses"},
                      Malformed{"hp:/net/X?ip=[10.0.0.5]", "brackets and zones are only for IPv6 addresses"},
                      Malformed{"hp:/net/X?ip=10.0.0.5%25eth0", "brackets and zones are only for IPv6 addresses"},
                      Malformed{"hp:/net/X?hostname=printer_1.lan",
                                "hostname= 'printer_1.lan' is not a valid host name: it contains '_'"},
                      Malformed{"hp:/net/X?hostname=-printer.lan", "label '-printer' starts or ends with '-'"},
                      Malformed{"hp:/net/X?hostname=printer-.lan", "label 'printer-' starts or ends with '-'"},
                      Malformed{"hp:/net/X?hostname=a..lan", "it has an empty label"},
                      Malformed{"hp:/net/X?hostname=.lan", "it has an empty label"},
                      Malformed{"hp:/net/X?hostname=.", "it is empty"},
                      Malformed{"hp:/net/X?hostname=::1", "is not a valid host name"},
                      Malformed{"hp:/net/X?hostname=a%20b", "it contains '%'"},
                      Malformed{"hp:/net/X?zc=npi_7c8a3e", "zc= 'npi_7c8a3e' is not a valid host name"},
                      Malformed{"hp:/net/X?zc=npi7c8a3e&port=5", "port must be 1..4, got '5'"}));

TEST(UriErrorMessage, FullMessage) {
  try {
    DeviceUri::parse("hp:/net/X?ip=10.0.0.5&port=7");
    FAIL() << "no error";
  } catch (const UriError& e) {
    EXPECT_STREQ(e.what(), "device URI 'hp:/net/X?ip=10.0.0.5&port=7': port must be 1..4, got '7'");
  }
}

TEST(UriErrorMessage, IsARuntimeError) { EXPECT_THROW(DeviceUri::parse("nonsense"), std::runtime_error); }

TEST(UriErrorMessage, HostNameLengthLimits) {
  const std::string label63(63, 'a');
  const std::string label64(64, 'a');
  EXPECT_NO_THROW(DeviceUri::parse("hp:/net/X?hostname=" + label63 + ".lan"));
  EXPECT_THROW(DeviceUri::parse("hp:/net/X?hostname=" + label64 + ".lan"), UriError);

  std::string name253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');  // 253 characters
  ASSERT_EQ(name253.size(), 253u);
  EXPECT_NO_THROW(DeviceUri::parse("hp:/net/X?hostname=" + name253));
  EXPECT_NO_THROW(DeviceUri::parse("hp:/net/X?hostname=" + name253 + "."));
  EXPECT_THROW(DeviceUri::parse("hp:/net/X?hostname=" + name253 + "b"), UriError);
}

TEST(UriErrorMessage, EmbeddedNul) {
  EXPECT_THROW(DeviceUri::parse(std::string("hp:/net/X?ip=10.0.0.5\0&port=2", 29)), UriError);
}

}  // namespace
}  // namespace hpaio
