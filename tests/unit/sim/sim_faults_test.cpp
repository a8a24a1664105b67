// Every --fault of hpaio-sim, at the protocol level (what the response description says).
// The wire side of the same faults is in sim_server_test.cpp.
#include <gtest/gtest.h>

#include "hpaio/xml/xml_tree.hpp"
#include "sim_test_util.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/image/jpeg_codec.hpp"

using namespace hpsim;
using simtest::config;
using simtest::parse_xml;
using simtest::req;

namespace {

constexpr const char* kLedmScan = "http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19";
constexpr const char* kJobs = "http://www.hp.com/schemas/imaging/con/ledm/jobs/2009/04/30";

std::string escl_settings(const std::string& source) {
  return "<scan:ScanSettings xmlns:scan=\"http://schemas.hp.com/imaging/escl/2011/05/03\" "
         "xmlns:pwg=\"http://www.pwg.org/schemas/2010/12/sm\"><pwg:InputSource>" +
         source +
         "</pwg:InputSource><scan:ColorMode>RGB24</scan:ColorMode><scan:XResolution>75</scan:XResolution>"
         "<scan:YResolution>75</scan:YResolution><pwg:ScanRegions><pwg:ScanRegion><pwg:Width>1200</pwg:Width>"
         "<pwg:Height>1200</pwg:Height></pwg:ScanRegion></pwg:ScanRegions></scan:ScanSettings>";
}

std::string ledm_settings(const std::string& source) {
  return std::string("<ScanSettings xmlns=\"") + kLedmScan +
         "\"><XResolution>75</XResolution><YResolution>75"
         "</YResolution><Width>1200</Width><Height>1200</Height><Format>Jpeg</Format><ColorSpace>Color</ColorSpace>"
         "<InputSource>" +
         source + "</InputSource></ScanSettings>";
}

SimConfig with(const std::string& profile, Fault f) {
  SimConfig c = config(profile);
  c.faults.add(f);
  c.profile.busy_before_page = 0;
  c.profile.ledm_prepare_polls = 0;
  return c;
}

// The first page of a platen job, eSCL or LEDM.
Response first_page(Simulator& sim, Clock::time_point now) {
  if (sim.config().profile.protocol == Protocol::escl) {
    const Response created = sim.handle(req("POST", "/eSCL/ScanJobs", escl_settings("Platen")), now);
    EXPECT_EQ(created.status, 201);
    std::string loc = created.header("Location");
    if (loc.starts_with("http://")) loc = loc.substr(loc.find('/', 7));
    if (loc.ends_with("/")) loc.pop_back();
    return sim.handle(req("GET", loc + "/NextDocument"), now);
  }
  EXPECT_EQ(sim.handle(req("POST", "/Scan/Jobs", ledm_settings("Platen")), now).status, 201);
  EXPECT_EQ(sim.handle(req("GET", "/Jobs/JobList/1"), now).status, 200);
  return sim.handle(req("GET", "/Scan/Jobs/1/Pages/1"), now);
}

const char* kProfiles[] = {"escl-adf-duplex", "ledm-adf-duplex"};

TEST(SimFaults, EveryFaultIsDocumentedAndParses) {
  EXPECT_EQ(all_faults().size(), static_cast<std::size_t>(Fault::count_));
  for (const auto& f : all_faults()) {
    EXPECT_EQ(parse_fault(f.name), f.fault);
    EXPECT_GT(std::string(f.help).size(), 20u) << f.name;
  }
  EXPECT_FALSE(parse_fault("no-such-fault"));
}

TEST(SimFaults, StallAndResetMidImage) {
  for (const char* p : kProfiles) {
    Simulator stall(with(p, Fault::stall_mid_image));
    const Response a = first_page(stall, Clock::now());
    ASSERT_EQ(a.status, 200) << p;
    ASSERT_TRUE(a.delivery.stall_after) << p;
    EXPECT_EQ(*a.delivery.stall_after, a.body.size() / 2);
    EXPECT_NO_THROW(decode_jpeg(a.body));  // the image itself is whole; only its delivery stops
    Simulator reset(with(p, Fault::reset_mid_image));
    const Response b = first_page(reset, Clock::now());
    ASSERT_TRUE(b.delivery.reset_after) << p;
    EXPECT_GT(*b.delivery.reset_after, 0u);
    EXPECT_LT(*b.delivery.reset_after, b.body.size());
  }
}

TEST(SimFaults, TruncatedJpeg) {
  for (const char* p : kProfiles) {
    Simulator sim(with(p, Fault::truncated_jpeg));
    const Response r = first_page(sim, Clock::now());
    ASSERT_EQ(r.status, 200) << p;
    EXPECT_FALSE(r.body.ends_with("\xFF\xD9")) << p;
    EXPECT_THROW(decode_jpeg(r.body), std::runtime_error) << p;
    EXPECT_FALSE(r.delivery.stall_after || r.delivery.reset_after || r.delivery.declared_length);
  }
}

TEST(SimFaults, MalformedCapabilities) {
  const std::pair<const char*, const char*> cases[] = {{"escl-flatbed", "/eSCL/ScannerCapabilities"},
                                                       {"ledm-flatbed", "/Scan/ScanCaps"}};
  for (const auto& [profile, path] : cases) {
    Simulator sim(with(profile, Fault::malformed_caps));
    const Response r = sim.handle(req("GET", path), Clock::now());
    EXPECT_EQ(r.status, 200);
    std::string err;
    EXPECT_FALSE(hpaio::xml::try_parse(r.body, &err)) << profile;
    // Other documents stay fine.
    Simulator ok(config(profile));
    EXPECT_TRUE(hpaio::xml::try_parse(ok.handle(req("GET", path), Clock::now()).body, &err)) << err;
  }
}

TEST(SimFaults, HugeCapabilities) {
  Simulator sim(with("escl-flatbed", Fault::huge_caps));
  const Response r = sim.handle(req("GET", "/eSCL/ScannerCapabilities"), Clock::now());
  EXPECT_GE(r.body.size(), kHugeCapsBytes - 16);
  EXPECT_LE(r.body.size(), kHugeCapsBytes + 16);
  // Still well-formed: a client needs a size limit, not a parser error, to refuse it.
  EXPECT_THROW(hpaio::xml::parse(r.body), hpaio::xml::ParseError);  // default 4 MiB limit
  const auto doc = hpaio::xml::parse(r.body, hpaio::xml::Limits{16u << 20, 64});
  EXPECT_EQ(doc.name(), "ScannerCapabilities");
}

TEST(SimFaults, CapsOverrideFromFile) {
  SimConfig c = config("ledm-flatbed");
  c.caps_file_content = "<ScanCaps xmlns=\"http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19\"/>";
  Simulator sim(c);
  EXPECT_EQ(sim.handle(req("GET", "/Scan/ScanCaps"), Clock::now()).body, *c.caps_file_content);
}

TEST(SimFaults, SlowDripOnEveryResponse) {
  SimConfig c = with("escl-flatbed", Fault::slow_drip);
  c.drip_bytes = 7;
  c.drip_ms = 3;
  Simulator sim(c);
  for (const char* path : {"/eSCL/ScannerCapabilities", "/eSCL/ScannerStatus", "/nope"}) {
    const Response r = sim.handle(req("GET", path), Clock::now());
    EXPECT_EQ(r.delivery.drip_bytes, 7u) << path;
    EXPECT_EQ(r.delivery.drip_interval, std::chrono::milliseconds(3));
  }
}

TEST(SimFaults, BusyForeverEscl) {
  Simulator sim(with("escl-adf-duplex", Fault::busy_forever));
  auto now = Clock::now();
  for (int i = 0; i < 5; ++i) {
    const auto st = parse_xml(sim.handle(req("GET", "/eSCL/ScannerStatus"), now).body);
    EXPECT_EQ(st.child_text("http://www.pwg.org/schemas/2010/12/sm", "State").value_or(""), "Processing");
    EXPECT_EQ(sim.handle(req("POST", "/eSCL/ScanJobs", escl_settings("Platen")), now).status, 503);
    now += std::chrono::minutes(10);
  }
}

TEST(SimFaults, BusyForeverLedm) {
  Simulator sim(with("ledm-adf-duplex", Fault::busy_forever));
  auto now = Clock::now();
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(sim.handle(req("GET", "/Scan/Status"), now).body.find("BusyWithScanJob"), std::string::npos);
    EXPECT_EQ(sim.handle(req("POST", "/Scan/Jobs", ledm_settings("Platen")), now).status, 503);
    now += std::chrono::minutes(10);
  }
}

TEST(SimFaults, AdfJamEscl) {
  Simulator sim(with("escl-adf-duplex", Fault::adf_jam));
  const auto now = Clock::now();
  const Response created = sim.handle(req("POST", "/eSCL/ScanJobs", escl_settings("Feeder")), now);
  ASSERT_EQ(created.status, 201);
  std::string job = created.header("Location");
  job.pop_back();                                                             // trailing slash
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 200);  // sheet 1
  EXPECT_EQ(sim.handle(req("GET", job + "/NextDocument"), now).status, 500);  // sheet 2 jams
  const std::string st = sim.handle(req("GET", "/eSCL/ScannerStatus"), now).body;
  EXPECT_NE(st.find("<scan:AdfState>ScannerAdfJam</scan:AdfState>"), std::string::npos) << st;
  EXPECT_NE(st.find("Aborted"), std::string::npos);
  EXPECT_EQ(sim.handle(req("POST", "/eSCL/ScanJobs", escl_settings("Feeder")), now + std::chrono::seconds(5)).status,
            409);
}

TEST(SimFaults, AdfJamLedm) {
  Simulator sim(with("ledm-adf-duplex", Fault::adf_jam));
  const auto now = Clock::now();
  ASSERT_EQ(sim.handle(req("POST", "/Scan/Jobs", ledm_settings("Adf")), now).status, 201);
  EXPECT_EQ(sim.handle(req("GET", "/Jobs/JobList/1"), now).status, 200);
  EXPECT_EQ(sim.handle(req("GET", "/Scan/Jobs/1/Pages/1"), now).status, 200);
  const auto doc = parse_xml(sim.handle(req("GET", "/Jobs/JobList/1"), now).body);
  EXPECT_EQ(doc.child_text(kJobs, "JobState").value_or(""), "Canceled");
  EXPECT_EQ(doc.find(kLedmScan, "PreScanPage")->child_text(kLedmScan, "PageState").value_or(""), "CanceledByDevice");
  EXPECT_NE(sim.handle(req("GET", "/Scan/Status"), now).body.find("<AdfState>Jammed</AdfState>"), std::string::npos);
  EXPECT_EQ(sim.handle(req("GET", "/Scan/Jobs/1/Pages/2"), now).status, 404);
}

TEST(SimFaults, WrongContentLength) {
  for (const char* p : kProfiles) {
    Simulator sim(with(p, Fault::wrong_content_length));
    const Response r = first_page(sim, Clock::now());
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.framing, Framing::content_length);
    ASSERT_TRUE(r.delivery.declared_length);
    EXPECT_EQ(*r.delivery.declared_length, static_cast<long long>(r.body.size()) + 1000);
    EXPECT_TRUE(r.delivery.close_after);
    EXPECT_NE(serialize(r).head.find("Content-Length: " + std::to_string(r.body.size() + 1000)), std::string::npos);
  }
}

TEST(SimFaults, RefuseAfterCaps) {
  for (const auto& [profile, path] :
       {std::pair{"escl-flatbed", "/eSCL/ScannerCapabilities"}, std::pair{"ledm-flatbed", "/Scan/ScanCaps"}}) {
    Simulator sim(with(profile, Fault::refuse_after_caps));
    EXPECT_FALSE(sim.refusing_connections());
    sim.handle(req("GET", "/DevMgmt/DiscoveryTree.xml"), Clock::now());
    EXPECT_FALSE(sim.refusing_connections());
    EXPECT_EQ(sim.handle(req("GET", path), Clock::now()).status, 200);
    EXPECT_TRUE(sim.refusing_connections()) << profile;
  }
}

TEST(SimFaults, NoFaultMeansCleanDelivery) {
  for (const char* p : kProfiles) {
    SimConfig c = config(p);
    c.profile.busy_before_page = 0;
    c.profile.ledm_prepare_polls = 0;
    Simulator sim(c);
    const Response r = first_page(sim, Clock::now());
    ASSERT_EQ(r.status, 200) << p;
    EXPECT_FALSE(r.delivery.stall_after || r.delivery.reset_after || r.delivery.declared_length ||
                 r.delivery.drip_bytes || r.delivery.close_after)
        << p;
    EXPECT_NO_THROW(decode_jpeg(r.body));
  }
}

}  // namespace

namespace {

TEST(SimFraming, ContentLengthSelectable) {
  SimConfig c = config("escl-adf-duplex");
  c.profile.busy_before_page = 0;
  Simulator chunked(c);
  EXPECT_EQ(chunked.handle(req("GET", "/eSCL/ScannerStatus"), Clock::now()).framing, Framing::chunked);
  c.profile.chunked_xml = false;
  c.profile.chunked_images = false;  // both, as --content-length says
  Simulator plain(c);
  EXPECT_EQ(plain.handle(req("GET", "/eSCL/ScannerStatus"), Clock::now()).framing, Framing::content_length);
  const Response page = first_page(plain, Clock::now());
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.framing, Framing::content_length);
  EXPECT_NE(serialize(page).head.find("Content-Length: " + std::to_string(page.body.size()) + "\r\n"),
            std::string::npos);
}

}  // namespace
