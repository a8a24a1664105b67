// The WS-Discovery codec: our Probe, ProbeMatches and XAddrs, the metadata of a GetResponse; all
// matched by namespace URI, whatever the prefixes.
#include <gtest/gtest.h>

#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"
#include "wsdd/device_metadata.hpp"
#include "wsdd/probe_message.hpp"
#include "wsdd_documents.hpp"

using namespace hpaio;
using namespace hpaio::wsdd;

namespace {
constexpr std::string_view id = "urn:uuid:0f1e2d3c-4b5a-4697-8877-665544332211";
}

TEST(WsddProbe, IsASoap12ProbeForScanDevices) {
  const xml::Element e = xml::parse(probe_message(id));
  ASSERT_TRUE(e.is(ns::soap12, "Envelope"));
  const xml::Element* header = e.child(ns::soap12, "Header");
  ASSERT_NE(header, nullptr);
  EXPECT_EQ(header->child_text(ns::wsa, "Action"), std::string(action_probe));
  EXPECT_EQ(header->child_text(ns::wsa, "MessageID"), std::string(id));
  EXPECT_EQ(header->child_text(ns::wsa, "To"), "urn:schemas-xmlsoap-org:ws:2005:04:discovery");
  const xml::Element* types = e.find(ns::ws_discovery, "Types");
  ASSERT_NE(types, nullptr);
  EXPECT_EQ(types->text_qnames(),
            (std::vector<std::pair<std::string, std::string>>{{std::string(ns::wsd_scan), "ScanDeviceType"}}));
}

TEST(WsddProbeMatches, ReadsEndpointXAddrsAndTypesByNamespace) {
  const auto pm = parse_probe_matches(wsdd_test::probe_matches(
      id, "http://192.0.2.10:3911/ http://[fe80::2%25eth0]:3911/dev ftp://x/ https://[2001:db8::a]/"));
  ASSERT_TRUE(pm);
  EXPECT_EQ(pm->relates_to, id);
  ASSERT_EQ(pm->matches.size(), 1u);
  const ProbeMatch& m = pm->matches[0];
  EXPECT_EQ(m.endpoint, "urn:uuid:4509a320-00a0-008f-00b6-002507510eca");
  EXPECT_TRUE(m.scanner);
  ASSERT_EQ(m.xaddrs.size(), 3u);  // ftp is no XAddr of ours
  EXPECT_EQ(m.xaddrs[0].host, "192.0.2.10");
  EXPECT_EQ(m.xaddrs[0].port, 3911);
  EXPECT_EQ(m.xaddrs[0].path, "/");
  EXPECT_EQ(m.xaddrs[1].host, "fe80::2%eth0");
  EXPECT_EQ(m.xaddrs[1].path, "/dev");
  EXPECT_EQ(m.xaddrs[2].host, "2001:db8::a");
  EXPECT_EQ(m.xaddrs[2].port, 443);
  EXPECT_TRUE(m.xaddrs[2].tls);
}

TEST(WsddProbeMatches, TheScannerTypeNeedsTheScanNamespaceNotThePrefix) {
  std::string doc = wsdd_test::probe_matches(id, "http://192.0.2.10/");
  // the prefix s bound to another namespace: ScanDeviceType of another schema
  const std::string_view scan = "http://schemas.microsoft.com/windows/2006/08/wdp/scan";
  doc.replace(doc.find(scan), scan.size(), "http://example.invalid/scan");
  const auto pm = parse_probe_matches(doc);
  ASSERT_TRUE(pm);
  ASSERT_EQ(pm->matches.size(), 1u);
  EXPECT_FALSE(pm->matches[0].scanner);
}

TEST(WsddProbeMatches, RejectsWhatIsNotAProbeMatches) {
  std::string error;
  EXPECT_FALSE(parse_probe_matches("", &error));
  EXPECT_FALSE(parse_probe_matches("\x01\x02garbage", &error));
  EXPECT_FALSE(parse_probe_matches("<a>", &error));
  EXPECT_FALSE(parse_probe_matches(probe_message(id), &error));  // a Probe (ours, looped back)
  EXPECT_EQ(error, "not a ProbeMatches");
  EXPECT_FALSE(parse_probe_matches(wsdd_test::metadata, &error));
  // An unbound prefix is malformed.
  EXPECT_FALSE(parse_probe_matches("<x:Envelope/>", &error));
}

TEST(WsddProbeMatches, LeavesOutAMatchWithoutEndpoint) {
  const auto pm = parse_probe_matches(wsdd_test::probe_matches(id, "http://192.0.2.10/", ""));
  ASSERT_TRUE(pm);
  EXPECT_TRUE(pm->matches.empty());
}

TEST(WsddProbeMatches, ADatagramNamesAtMostSixteenDevicesWithEightXAddrsEach) {
  // One datagram (under 64 KiB) naming 40 devices, each with 20 XAddrs: what is parsed stays bounded.
  std::string xaddrs;
  for (int i = 0; i < 20; ++i) xaddrs += "http://192.0.2." + std::to_string(i + 1) + "/ ";
  const std::string one = wsdd_test::probe_matches(id, xaddrs);
  const std::size_t from = one.find("<d:ProbeMatch>");
  const std::size_t to = one.find("</d:ProbeMatch>") + std::string("</d:ProbeMatch>").size();
  std::string many = one.substr(0, from);
  for (int i = 0; i < 40; ++i) {
    std::string m = one.substr(from, to - from);
    const std::size_t u = m.find("urn:uuid:");
    m.replace(u, 45, "urn:uuid:00000000-0000-4000-8000-" + std::to_string(100000000000LL + i));
    many += m;
  }
  many += one.substr(to);
  const auto pm = parse_probe_matches(many);
  ASSERT_TRUE(pm);
  ASSERT_EQ(pm->matches.size(), kMaxProbeMatches);
  EXPECT_EQ(pm->matches[15].endpoint, "urn:uuid:00000000-0000-4000-8000-100000000015");
  for (const ProbeMatch& m : pm->matches) EXPECT_EQ(m.xaddrs.size(), kMaxXAddrs);
  EXPECT_EQ(pm->matches[0].xaddrs[7].host, "192.0.2.8");
}

TEST(WsddXAddr, SplitsUrls) {
  EXPECT_FALSE(parse_xaddr("http://"));
  EXPECT_FALSE(parse_xaddr("http://host:0/"));
  EXPECT_FALSE(parse_xaddr("http://host:65536/"));
  EXPECT_FALSE(parse_xaddr("http://host:80x/"));
  EXPECT_FALSE(parse_xaddr("http://[fe80::1/"));
  EXPECT_FALSE(parse_xaddr("http://user@host/"));
  EXPECT_FALSE(parse_xaddr("http://ho st/"));
  const auto named = parse_xaddr("HTTP://printer.lan:53048");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->host, "printer.lan");
  EXPECT_EQ(named->port, 53048);
  EXPECT_EQ(named->path, "/");
}

TEST(WsddMetadata, ModelAndTheScanServiceByNamespace) {
  const auto m = parse_device_metadata(wsdd_test::metadata);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->manufacturer, "HP");  // the first of the localized ones
  EXPECT_EQ(m->model_name, "HP Color LaserJet MFP M477fdw");
  EXPECT_EQ(m->friendly_name, "HP Color LaserJet MFP M477fdw [8F0ECA]");
  EXPECT_EQ(m->serial_number, "CNB9K00000");
  EXPECT_EQ(m->scan_services, std::vector<std::string>{"http://192.0.2.10:3911/scanner"});
}

TEST(WsddMetadata, APrinterOnlyHasNoScanService) {
  std::string doc(wsdd_test::metadata);
  doc.replace(doc.find("sc:ScannerServiceType"), 21, "sc:OtherServiceTypeXY");
  const auto m = parse_device_metadata(doc);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->scan_services.empty());
}

TEST(WsddMetadata, RejectsWhatIsNoMetadata) {
  std::string error;
  EXPECT_FALSE(parse_device_metadata("not xml", &error));
  EXPECT_FALSE(parse_device_metadata("<a/>", &error));
  EXPECT_EQ(error, "not a SOAP envelope");
  EXPECT_FALSE(parse_device_metadata(
      R"(<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><x/></e:Body></e:Envelope>)", &error));
  EXPECT_EQ(error, "no ThisModel and no Hosted service in the metadata");
}
