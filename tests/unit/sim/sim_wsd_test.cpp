// WS-Scan (WSD) profiles of hpaio-sim through the simulator's request handler (no sockets):
// SOAP 1.2 + WS-Addressing answers, the capabilities, jobs judged by the capabilities, MTOM pages
// (BMP for dib, JPEG for jfif) that carry the page pattern, the feeder, faults.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "sim_test_util.hpp"
#include "tests/sim/core/simulator.hpp"
#include "tests/sim/core/wsd_discovery.hpp"
#include "tests/sim/core/wsd_messages.hpp"
#include "tests/sim/image/bmp_image.hpp"
#include "tests/sim/image/jpeg_codec.hpp"
#include "tests/sim/image/page_check.hpp"

using namespace hpsim;
using hpaio::xml::Element;
using simtest::config;
using simtest::parse_xml;

namespace {

const Clock::time_point t0{};

std::string envelope(const std::string& op, const std::string& body, const std::string& id = "urn:uuid:req-1") {
  // Prefixes unlike the simulator's own, to show that names are matched by namespace.
  return std::string("<?xml version=\"1.0\"?><e:Envelope xmlns:e=\"") + kSoap12Ns + "\" xmlns:w=\"" + kWsaNs +
         "\" xmlns:s=\"" + kWscnNs + "\"><e:Header><w:MessageID>" + id +
         "</w:MessageID><w:To>http://127.0.0.1:3911/scanner</w:To><w:Action>" + kWscnActionPrefix + op +
         "</w:Action></e:Header><e:Body>" + body + "</e:Body></e:Envelope>";
}

Response post(Simulator& sim, const std::string& op, const std::string& body, const std::string& id = "urn:uuid:r") {
  return sim.handle(simtest::req("POST", "/scanner", envelope(op, body, id),
                                 {{"Host", "127.0.0.1:3911"}, {"Content-Type", "application/soap+xml"}}),
                    t0);
}

const Element& body_of(const Element& env) {
  const Element* b = env.child(kSoap12Ns, "Body");
  EXPECT_NE(b, nullptr);
  EXPECT_FALSE(b == nullptr || b->children().empty());
  return b->children().front();
}

// The subcode of a fault answer ("ClientErrorNoImagesAvailable"), empty if it is none.
std::string fault_subcode(const Response& r) {
  const Element env = parse_xml(r.body);
  const Element* h = env.child(kSoap12Ns, "Header");
  if (h == nullptr || h->child_text(kWsaNs, "Action").value_or("") != kWsaFaultAction) return {};
  const Element* f = body_of(env).is(kSoap12Ns, "Fault") ? &body_of(env) : nullptr;
  if (f == nullptr) return {};
  const Element* sub = f->find(kSoap12Ns, "Subcode");
  return sub == nullptr ? std::string{} : std::string(qname_local(sub->child_text(kSoap12Ns, "Value").value_or("")));
}

std::string ticket(const std::string& format, const std::string& source, const std::string& color, int res,
                   int w = 8500, int h = 11000) {
  const std::string side = "<s:ColorProcessing>" + color + "</s:ColorProcessing><s:Resolution><s:Width>" +
                           std::to_string(res) + "</s:Width><s:Height>" + std::to_string(res) +
                           "</s:Height></s:Resolution><s:ScanRegion><s:ScanRegionXOffset>0</s:ScanRegionXOffset>"
                           "<s:ScanRegionYOffset>0</s:ScanRegionYOffset><s:ScanRegionWidth>" +
                           std::to_string(w) + "</s:ScanRegionWidth><s:ScanRegionHeight>" + std::to_string(h) +
                           "</s:ScanRegionHeight></s:ScanRegion>";
  return "<s:CreateScanJobRequest><s:ScanTicket><s:JobDescription><s:JobName>t</s:JobName></s:JobDescription>"
         "<s:DocumentParameters><s:Format>" +
         format + "</s:Format><s:ImagesToTransfer>0</s:ImagesToTransfer><s:InputSize><s:InputMediaSize><s:Width>" +
         std::to_string(w) + "</s:Width><s:Height>" + std::to_string(h) +
         "</s:Height></s:InputMediaSize></s:InputSize><s:InputSource>" + source +
         "</s:InputSource><s:MediaSides><s:MediaFront>" + side + "</s:MediaFront>" +
         (source == "ADFDuplex" ? "<s:MediaBack>" + side + "</s:MediaBack>" : "") +
         "</s:MediaSides></s:DocumentParameters></s:ScanTicket></s:CreateScanJobRequest>";
}

struct JobRef {
  std::string id, token;
};

JobRef create(Simulator& sim, const std::string& t) {
  const Response r = post(sim, "CreateScanJob", t);
  EXPECT_EQ(r.status, 200) << r.body;
  const Element env = parse_xml(r.body);
  const Element& b = body_of(env);
  EXPECT_TRUE(b.is(kWscnNs, "CreateScanJobResponse")) << r.body;
  return {b.child_text(kWscnNs, "JobId").value_or(""), b.child_text(kWscnNs, "JobToken").value_or("")};
}

Response retrieve(Simulator& sim, const JobRef& j) {
  return post(sim, "RetrieveImage",
              "<s:RetrieveImageRequest><s:DocumentDescription><s:DocumentName>IMAGE000.JPG</s:DocumentName>"
              "</s:DocumentDescription><s:JobId>" +
                  j.id + "</s:JobId><s:JobToken>" + j.token + "</s:JobToken></s:RetrieveImageRequest>");
}

// The parts of a multipart/related answer: {headers, body} each.
std::vector<std::pair<std::string, std::string>> parts(const Response& r) {
  const std::string ct = r.header("Content-Type");
  EXPECT_TRUE(ct.starts_with("multipart/related")) << ct;
  const auto b = ct.find("boundary=");
  std::string boundary = ct.substr(b + 9);
  boundary = boundary.substr(0, boundary.find(';'));
  const std::string delim = "--" + boundary;
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = r.body.find(delim);
  while (pos != std::string::npos) {
    pos += delim.size();
    if (r.body.compare(pos, 2, "--") == 0) break;
    pos += 2;  // CRLF
    const auto next = r.body.find("\r\n" + delim, pos);
    if (next == std::string::npos) break;
    const std::string part = r.body.substr(pos, next - pos);
    const auto split = part.find("\r\n\r\n");
    out.emplace_back(part.substr(0, split), part.substr(split + 4));
    pos = next + 2;
  }
  return out;
}

// A minimal reader of the BMPs encode_bmp writes (24-bit, or 8-bit with a palette), top-down rows out.
Raster read_bmp(const std::string& s) {
  const auto u32 = [&](std::size_t o) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[o])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(s[o + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(s[o + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(s[o + 3])) << 24;
  };
  Raster r;
  EXPECT_EQ(s.substr(0, 2), "BM");
  const std::uint32_t offset = u32(10);
  r.width = static_cast<int>(u32(18));
  r.height = static_cast<int>(u32(22));
  const int bits = static_cast<unsigned char>(s[28]);
  r.channels = bits == 24 ? 3 : 1;
  EXPECT_EQ(u32(30), 0u);  // BI_RGB
  EXPECT_EQ(offset, 14u + 40u + (bits == 8 ? 1024u : 0u));
  EXPECT_EQ(u32(46), bits == 8 ? 256u : 0u);
  const std::size_t stride = static_cast<std::size_t>(bmp_row_bytes(r.width, bits == 24));
  EXPECT_EQ(s.size(), offset + stride * static_cast<std::size_t>(r.height));
  for (int y = 0; y < r.height; ++y) {
    const std::size_t row = offset + stride * static_cast<std::size_t>(r.height - 1 - y);
    for (int x = 0; x < r.width; ++x) {
      if (bits == 24) {
        const std::size_t p = row + 3 * static_cast<std::size_t>(x);
        r.pixels += s[p + 2];
        r.pixels += s[p + 1];
        r.pixels += s[p];
      } else {
        r.pixels += s[row + static_cast<std::size_t>(x)];
      }
    }
  }
  return r;
}

}  // namespace

TEST(Wsd, ProfilesClaimRealModelsAndServeOnlyScanner) {
  for (const char* name : {"wsd-flatbed", "wsd-adf-duplex"}) {
    const Profile* p = find_profile(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ(p->protocol, Protocol::wsd);
    Simulator sim(config(name));
    EXPECT_EQ(sim.handle(simtest::req("GET", "/eSCL/ScannerCapabilities"), t0).status, 404);
    EXPECT_EQ(sim.handle(simtest::req("GET", "/scanner"), t0).status, 405);
  }
  EXPECT_EQ(find_profile("wsd-flatbed")->models_dat, "hp_laserjet_pro_mfp_m127fn");
}

TEST(Wsd, AnswersCarryRelatesToAndTheResponseAction) {
  Simulator sim(config("wsd-flatbed"));
  const Response r = post(sim, "GetScannerElements",
                          "<s:GetScannerElementsRequest><s:RequestedElements><s:Name>s:ScannerStatus</s:Name>"
                          "</s:RequestedElements></s:GetScannerElementsRequest>",
                          "urn:uuid:1234");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.header("Content-Type").starts_with("application/soap+xml"));
  const Element env = parse_xml(r.body);
  ASSERT_TRUE(env.is(kSoap12Ns, "Envelope"));
  const Element* h = env.child(kSoap12Ns, "Header");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->child_text(kWsaNs, "RelatesTo").value_or(""), "urn:uuid:1234");
  EXPECT_EQ(h->child_text(kWsaNs, "Action").value_or(""),
            std::string(kWscnActionPrefix) + "GetScannerElementsResponse");
  EXPECT_FALSE(h->child_text(kWsaNs, "MessageID").value_or("").empty());
  const Element* state = body_of(env).find(kWscnNs, "ScannerState");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->text(), "Idle");
}

TEST(Wsd, ConfigurationListsSourcesFormatsAndSizesInThousandths) {
  const std::string get =
      "<s:GetScannerElementsRequest><s:RequestedElements><s:Name>s:ScannerConfiguration</s:Name>"
      "<s:Name>s:ScannerDescription</s:Name><s:Name>s:DefaultScanTicket</s:Name></s:RequestedElements>"
      "</s:GetScannerElementsRequest>";
  {
    Simulator sim(config("wsd-flatbed"));
    const Element env = parse_xml(post(sim, "GetScannerElements", get).body);
    const Element* conf = body_of(env).find(kWscnNs, "ScannerConfiguration");
    ASSERT_NE(conf, nullptr);
    const Element* formats = conf->find(kWscnNs, "FormatsSupported");
    ASSERT_NE(formats, nullptr);
    ASSERT_EQ(formats->children(kWscnNs, "FormatValue").size(), 1u);
    EXPECT_EQ(formats->children(kWscnNs, "FormatValue")[0]->text(), "dib");
    const Element* platen = conf->child(kWscnNs, "Platen");
    ASSERT_NE(platen, nullptr);
    EXPECT_EQ(conf->child(kWscnNs, "ADF"), nullptr);
    const Element* max = platen->child(kWscnNs, "PlatenMaximumSize");
    ASSERT_NE(max, nullptr);
    EXPECT_EQ(max->child_text(kWscnNs, "Width").value_or(""), "8500");
    EXPECT_EQ(max->child_text(kWscnNs, "Height").value_or(""), "11693");
    const Element* widths = platen->find(kWscnNs, "Widths");
    ASSERT_NE(widths, nullptr);
    EXPECT_EQ(widths->children(kWscnNs, "Width").size(), 6u);
    EXPECT_EQ(platen->find(kWscnNs, "PlatenColor")->children(kWscnNs, "ColorEntry").size(), 2u);
    EXPECT_NE(body_of(env).find(kWscnNs, "ScannerName"), nullptr);
    EXPECT_NE(body_of(env).find(kWscnNs, "DefaultScanTicket"), nullptr);
  }
  {
    Simulator sim(config("wsd-adf-duplex"));
    const Element env = parse_xml(post(sim, "GetScannerElements", get).body);
    const Element* adf = body_of(env).find(kWscnNs, "ADF");
    ASSERT_NE(adf, nullptr);
    EXPECT_EQ(adf->child_text(kWscnNs, "ADFSupportsDuplex").value_or(""), "true");
    EXPECT_NE(adf->child(kWscnNs, "ADFFront"), nullptr);
    EXPECT_NE(adf->child(kWscnNs, "ADFBack"), nullptr);
    EXPECT_EQ(body_of(env).find(kWscnNs, "FormatsSupported")->children(kWscnNs, "FormatValue").size(), 2u);
  }
}

TEST(Wsd, FlatbedDibPagesAreBmpsWithThePattern) {
  for (const char* color : {"RGB24", "Grayscale8"}) {
    Simulator sim(config("wsd-flatbed"));
    const Response c = post(sim, "CreateScanJob", ticket("dib", "Platen", color, 100, 8500, 11000));
    ASSERT_EQ(c.status, 200) << c.body;
    const Element env = parse_xml(c.body);
    const Element* info = body_of(env).find(kWscnNs, "MediaFrontImageInfo");
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->child_text(kWscnNs, "PixelsPerLine").value_or(""), "850");
    EXPECT_EQ(info->child_text(kWscnNs, "NumberOfLines").value_or(""), "1100");
    EXPECT_EQ(info->child_text(kWscnNs, "BytesPerLine").value_or(""), std::string(color) == "RGB24" ? "2550" : "850");
    const JobRef j{body_of(env).child_text(kWscnNs, "JobId").value_or(""),
                   body_of(env).child_text(kWscnNs, "JobToken").value_or("")};
    const Response r = retrieve(sim, j);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 600);
    const auto p = parts(r);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_NE(p[0].first.find("application/xop+xml"), std::string::npos);
    const Element soap = parse_xml(p[0].second);
    const Element* inc = soap.find(kXopNs, "Include");
    ASSERT_NE(inc, nullptr);
    const std::string href = inc->attribute("", "href").value_or("");
    ASSERT_TRUE(href.starts_with("cid:"));
    EXPECT_NE(p[1].first.find("Content-ID: <" + href.substr(4) + ">"), std::string::npos);
    EXPECT_NE(p[1].first.find("application/binary"), std::string::npos);
    const Raster img = read_bmp(p[1].second);
    CheckSpec spec;
    spec.resolution = 100;
    spec.mode = std::string(color) == "RGB24" ? ColorMode::color : ColorMode::gray;
    spec.width_mm = 8.5 * 25.4;
    spec.height_mm = 11.0 * 25.4;
    const CheckResult res = check_page(img, spec);
    EXPECT_TRUE(res.ok) << res.message;
    // The platen job is over: no more images, and the job says Completed.
    EXPECT_EQ(fault_subcode(retrieve(sim, j)), "ClientErrorNoImagesAvailable");
    const Element je = parse_xml(post(sim, "GetJobElements",
                                      "<s:GetJobElementsRequest><s:JobId>" + j.id +
                                          "</s:JobId><s:RequestedElements><s:Name>s:JobStatus</s:Name>"
                                          "</s:RequestedElements></s:GetJobElementsRequest>")
                                     .body);
    ASSERT_NE(body_of(je).find(kWscnNs, "JobState"), nullptr);
    EXPECT_EQ(body_of(je).find(kWscnNs, "JobState")->text(), "Completed");
  }
}

TEST(Wsd, DuplexFeederJobGivesEverySideThenNoImagesAvailable) {
  Simulator sim(config("wsd-adf-duplex", 2));
  const JobRef j = create(sim, ticket("jfif", "ADFDuplex", "RGB24", 75, 8500, 11000));
  for (int image = 1; image <= 4; ++image) {
    const Response r = retrieve(sim, j);
    ASSERT_EQ(r.status, 200) << image << ": " << r.body.substr(0, 600);
    const auto p = parts(r);
    ASSERT_EQ(p.size(), 2u);
    const Raster img = decode_jpeg(p[1].second);
    CheckSpec spec;
    spec.resolution = 75;
    spec.page = (image + 1) / 2;
    spec.side = image % 2 == 0 ? Side::back : Side::front;
    const CheckResult res = check_page(img, spec);
    EXPECT_TRUE(res.ok) << image << ": " << res.message;
  }
  const Response end = retrieve(sim, j);
  EXPECT_EQ(end.status, 400);
  EXPECT_EQ(fault_subcode(end), "ClientErrorNoImagesAvailable");
  EXPECT_EQ(sim.feeder().sheets, 0);
  // An empty feeder takes no job; the scanner stays Idle (a client reads that as "no documents").
  EXPECT_EQ(fault_subcode(post(sim, "CreateScanJob", ticket("jfif", "ADF", "RGB24", 75))),
            "ServerErrorNotAcceptingJobs");
}

TEST(Wsd, TicketsTheCapabilitiesDoNotListAreRefused) {
  Simulator sim(config("wsd-flatbed"));
  EXPECT_EQ(fault_subcode(post(sim, "CreateScanJob", ticket("jfif", "Platen", "RGB24", 300))),
            "ClientErrorInvalidScanTicket");
  EXPECT_EQ(fault_subcode(post(sim, "CreateScanJob", ticket("dib", "Platen", "RGB24", 1200))),
            "ClientErrorInvalidScanTicket");
  EXPECT_EQ(fault_subcode(post(sim, "CreateScanJob", ticket("dib", "ADF", "RGB24", 300))),
            "ClientErrorInvalidScanTicket");
  EXPECT_EQ(fault_subcode(post(sim, "CreateScanJob", ticket("dib", "Platen", "BlackAndWhite1", 300))),
            "ClientErrorInvalidScanTicket");
  EXPECT_EQ(fault_subcode(post(sim, "CreateScanJob", ticket("dib", "Platen", "RGB24", 300, 9000, 11000))),
            "ClientErrorInvalidScanTicket");
  EXPECT_EQ(fault_subcode(post(sim, "Frobnicate", "<s:FrobnicateRequest/>")), "ActionNotSupported");
}

TEST(Wsd, BusyWhileAJobIsOpenAndCancelFreesTheScanner) {
  Simulator sim(config("wsd-adf-duplex"));
  const JobRef j = create(sim, ticket("dib", "Platen", "RGB24", 75));
  const Response busy = post(sim, "CreateScanJob", ticket("dib", "Platen", "RGB24", 75));
  EXPECT_EQ(busy.status, 500);
  EXPECT_EQ(fault_subcode(busy), "ServerErrorNotAcceptingJobs");
  const Element st = parse_xml(post(sim, "GetScannerElements",
                                    "<s:GetScannerElementsRequest><s:RequestedElements><s:Name>s:ScannerStatus</s:Name>"
                                    "</s:RequestedElements></s:GetScannerElementsRequest>")
                                   .body);
  EXPECT_EQ(body_of(st).find(kWscnNs, "ScannerState")->text(), "Processing");
  EXPECT_EQ(fault_subcode(retrieve(sim, {j.id, "wrong"})), "ClientErrorJobIdNotFound");
  const Response cancel =
      post(sim, "CancelJob", "<s:CancelJobRequest><s:JobId>" + j.id + "</s:JobId></s:CancelJobRequest>");
  EXPECT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(sim.wsd().find_job(std::stoi(j.id))->state, WsdDevice::JobState::canceled);
  create(sim, ticket("dib", "Platen", "RGB24", 75));
}

TEST(Wsd, CalibratingWhileWarmingUpThenJobsAreTaken) {
  SimConfig c = config("wsd-flatbed");
  c.profile.warmup_ms = 5000;
  Simulator sim(c);
  const std::string status_request =
      "<s:GetScannerElementsRequest><s:RequestedElements><s:Name>s:ScannerStatus</s:Name>"
      "</s:RequestedElements></s:GetScannerElementsRequest>";
  const auto status_at = [&](Clock::time_point now) {
    return parse_xml(sim.handle(simtest::req("POST", "/scanner", envelope("GetScannerElements", status_request),
                                             {{"Content-Type", "application/soap+xml"}}),
                                now)
                         .body);
  };
  // Powered on by this first request: calibrating.
  const Element warming = status_at(t0);
  EXPECT_EQ(body_of(warming).find(kWscnNs, "ScannerState")->text(), "Processing");
  EXPECT_EQ(body_of(warming).find(kWscnNs, "ScannerStateReason")->text(), "Calibrating");
  const Response refused = post(sim, "CreateScanJob", ticket("dib", "Platen", "RGB24", 75));
  EXPECT_EQ(refused.status, 500);
  EXPECT_EQ(fault_subcode(refused), "ServerErrorNotAcceptingJobs");
  const Element ready = status_at(t0 + std::chrono::milliseconds(5000));
  EXPECT_EQ(body_of(ready).find(kWscnNs, "ScannerState")->text(), "Idle");
  const Response taken =
      sim.handle(simtest::req("POST", "/scanner", envelope("CreateScanJob", ticket("dib", "Platen", "RGB24", 75)),
                              {{"Content-Type", "application/soap+xml"}}),
                 t0 + std::chrono::milliseconds(5000));
  EXPECT_EQ(taken.status, 200) << taken.body;
}

TEST(Wsd, LampWarmingIsTheReasonWhenTheProfileSaysSo) {
  SimConfig c = config("wsd-adf-duplex");
  c.profile.warmup_ms = 1000;
  c.profile.wsd_warmup_reason = "LampWarming";
  Simulator sim(c);
  const Response r = post(sim, "GetScannerElements",
                          "<s:GetScannerElementsRequest><s:RequestedElements><s:Name>s:ScannerStatus</s:Name>"
                          "</s:RequestedElements></s:GetScannerElementsRequest>");
  ASSERT_EQ(r.status, 200) << r.body;
  const Element env = parse_xml(r.body);
  EXPECT_EQ(body_of(env).find(kWscnNs, "ScannerState")->text(), "Processing");
  EXPECT_EQ(body_of(env).find(kWscnNs, "ScannerStateReason")->text(), "LampWarming");
  EXPECT_EQ(fault_subcode(post(sim, "CreateScanJob", ticket("jfif", "Platen", "RGB24", 75))),
            "ServerErrorNotAcceptingJobs");
}

// The M140w and M478f-9f serve WS-Scan at / on port 53048: the service path moves, the device
// endpoint stays, and the metadata names the new path.
TEST(Wsd, TheScanServiceCanBeServedAtAnotherPath) {
  SimConfig c = config("wsd-flatbed");
  c.profile.wsd_path = "/";
  c.authority = "127.0.0.1:53048";
  Simulator sim(c);
  const auto at = [&](const char* path, const std::string& body) {
    return sim.handle(simtest::req("POST", path, body, {{"Content-Type", "application/soap+xml"}}), t0);
  };
  const std::string elements =
      envelope("GetScannerElements",
               "<s:GetScannerElementsRequest><s:RequestedElements><s:Name>"
               "s:ScannerConfiguration</s:Name></s:RequestedElements></s:GetScannerElementsRequest>");
  EXPECT_EQ(at("/", elements).status, 200);
  EXPECT_EQ(at("/scanner", elements).status, 404);
  const std::string get = std::string("<soap:Envelope xmlns:soap=\"") + kSoap12Ns + "\" xmlns:wsa=\"" + kWsaNs +
                          "\"><soap:Header><wsa:Action>" + kTransferGetAction +
                          "</wsa:Action><wsa:MessageID>urn:uuid:g2</wsa:MessageID></soap:Header><soap:Body/>"
                          "</soap:Envelope>";
  const Response meta = at("/device", get);
  ASSERT_EQ(meta.status, 200) << meta.body;
  const Element env = parse_xml(meta.body);
  const Element* hosted = body_of(env).find(kDevprofNs, "Hosted");
  ASSERT_NE(hosted, nullptr);
  EXPECT_EQ(hosted->find(kWsaNs, "Address")->text(), "http://127.0.0.1:53048/");
}

TEST(Wsd, JammedFeederStopsTheScanner) {
  SimConfig cfg = config("wsd-adf-duplex", 3);
  cfg.faults.add(hpsim::Fault::adf_jam);
  Simulator sim(cfg);
  const JobRef j = create(sim, ticket("jfif", "ADF", "Grayscale8", 100));
  EXPECT_EQ(retrieve(sim, j).status, 200);
  const Response jam = retrieve(sim, j);
  EXPECT_EQ(jam.status, 500);
  EXPECT_EQ(fault_subcode(jam), "ServerErrorInternalError");
  const Element st = parse_xml(post(sim, "GetScannerElements",
                                    "<s:GetScannerElementsRequest><s:RequestedElements><s:Name>s:ScannerStatus</s:Name>"
                                    "</s:RequestedElements></s:GetScannerElementsRequest>")
                                   .body);
  EXPECT_EQ(body_of(st).find(kWscnNs, "ScannerState")->text(), "Stopped");
  EXPECT_EQ(body_of(st).find(kWscnNs, "ScannerStateReason")->text(), "MediaJam");
}

TEST(Wsd, MalformedCapsFaultBreaksTheConfigurationAnswer) {
  SimConfig cfg = config("wsd-flatbed");
  cfg.faults.add(hpsim::Fault::malformed_caps);
  Simulator sim(cfg);
  const Response r = post(sim, "GetScannerElements",
                          "<s:GetScannerElementsRequest><s:RequestedElements><s:Name>s:ScannerConfiguration</s:Name>"
                          "</s:RequestedElements></s:GetScannerElementsRequest>");
  EXPECT_FALSE(hpaio::xml::try_parse(r.body).has_value());
}

namespace {

std::string probe(const std::string& types) {
  return std::string("<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"") + kSoap12Ns + "\" xmlns:wsa=\"" + kWsaNs +
         "\" xmlns:wsd=\"" + kWsdDiscoveryNs + "\" xmlns:wsdp=\"" + kDevprofNs + "\" xmlns:sc=\"" + kWscnNs +
         "\"><soap:Header><wsa:Action>" + kWsdProbeAction +
         "</wsa:Action><wsa:MessageID>urn:uuid:p1</wsa:MessageID><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:"
         "discovery</wsa:To></soap:Header><soap:Body><wsd:Probe>" +
         (types.empty() ? "" : "<wsd:Types>" + types + "</wsd:Types>") + "</wsd:Probe></soap:Body></soap:Envelope>";
}

}  // namespace

TEST(WsdDiscovery, ProbeForADeviceOrAScannerGetsProbeMatchesWithXAddrs) {
  const Profile& p = *find_profile("wsd-adf-duplex");
  for (const std::string types : {"", "wsdp:Device", "sc:ScanDeviceType", "wsdp:Device sc:ScanDeviceType"}) {
    const auto m = wsd_probe_matches(probe(types), p, "127.0.0.1:3911", 4);
    ASSERT_TRUE(m.has_value()) << types;
    const Element env = parse_xml(*m);
    const Element* h = env.child(kSoap12Ns, "Header");
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->child_text(kWsaNs, "Action").value_or(""), kWsdProbeMatchesAction);
    EXPECT_EQ(h->child_text(kWsaNs, "RelatesTo").value_or(""), "urn:uuid:p1");
    const Element* match = body_of(env).find(kWsdDiscoveryNs, "ProbeMatch");
    ASSERT_NE(match, nullptr);
    EXPECT_EQ(match->child_text(kWsdDiscoveryNs, "XAddrs").value_or(""), "http://127.0.0.1:3911/device");
    EXPECT_EQ(match->find(kWsaNs, "Address")->text(), "urn:uuid:" + p.uuid);
  }
  EXPECT_FALSE(wsd_probe_matches(probe("wsdp:Printer"), p, "127.0.0.1:3911", 1).has_value());
  EXPECT_FALSE(wsd_probe_matches("<not-soap/>", p, "127.0.0.1:3911", 1).has_value());
  EXPECT_FALSE(wsd_probe_matches(envelope("GetScannerElements", "<s:X/>"), p, "127.0.0.1:3911", 1).has_value());
}

// A device names its link-local address without a zone: the zone is the receiver's interface.
TEST(WsdDiscovery, LinkLocalXAddrsCarryNoZone) {
  EXPECT_EQ(without_zone("[fe80::2%lo]:3911"), "[fe80::2]:3911");
  EXPECT_EQ(without_zone("[::1]:3911"), "[::1]:3911");
  EXPECT_EQ(without_zone("127.0.0.1:3911"), "127.0.0.1:3911");
  const Profile& p = *find_profile("wsd-flatbed");
  const auto m = wsd_probe_matches(probe("wsdp:Device"), p, "[fe80::2%lo]:3911", 1);
  ASSERT_TRUE(m.has_value());
  const Element env = parse_xml(*m);
  const Element* match = body_of(env).find(kWsdDiscoveryNs, "ProbeMatch");
  ASSERT_NE(match, nullptr);
  EXPECT_EQ(match->child_text(kWsdDiscoveryNs, "XAddrs").value_or(""), "http://[fe80::2]:3911/device");
  const Element meta = parse_xml(wsd_metadata(p, "[fe80::2%lo]:3911", "urn:uuid:g", "urn:uuid:m"));
  const Element* hosted = body_of(meta).find(kDevprofNs, "Hosted");
  ASSERT_NE(hosted, nullptr);
  EXPECT_EQ(hosted->find(kWsaNs, "Address")->text(), "http://[fe80::2]:3911/scanner");
}

TEST(WsdDiscovery, TransferGetAtTheXAddrNamesTheScanService) {
  SimConfig cfg = config("wsd-flatbed");
  cfg.authority = "127.0.0.1:3911";
  Simulator sim(cfg);
  const std::string get = std::string("<soap:Envelope xmlns:soap=\"") + kSoap12Ns + "\" xmlns:wsa=\"" + kWsaNs +
                          "\"><soap:Header><wsa:Action>" + kTransferGetAction +
                          "</wsa:Action><wsa:MessageID>urn:uuid:g1</wsa:MessageID><wsa:To>urn:uuid:x</wsa:To>"
                          "</soap:Header><soap:Body/></soap:Envelope>";
  const Response r = sim.handle(simtest::req("POST", "/device", get), t0);
  ASSERT_EQ(r.status, 200) << r.body;
  const Element env = parse_xml(r.body);
  EXPECT_EQ(env.child(kSoap12Ns, "Header")->child_text(kWsaNs, "RelatesTo").value_or(""), "urn:uuid:g1");
  const Element* hosted = body_of(env).find(kDevprofNs, "Hosted");
  ASSERT_NE(hosted, nullptr);
  EXPECT_EQ(hosted->find(kWsaNs, "Address")->text(), "http://127.0.0.1:3911/scanner");
  EXPECT_NE(hosted->child_text(kDevprofNs, "Types").value_or("").find("ScannerServiceType"), std::string::npos);
  EXPECT_EQ(body_of(env).find(kDevprofNs, "ModelName")->text(), "HP LaserJet Pro MFP M127fn");
  // Another action at the device endpoint is not served.
  EXPECT_EQ(fault_subcode(sim.handle(simtest::req("POST", "/device", envelope("GetScannerElements", "<s:X/>")), t0)),
            "ActionNotSupported");
}
