// The WS-Scan codec: the envelopes we send, read back by namespace URI, and the answers we decode.
#include "backend/wsd/wsd_codec.hpp"

#include <gtest/gtest.h>

#include <set>

#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"
#include "wsd_documents.hpp"

using namespace hpaio;
using namespace hpaio::backend;
using namespace hpaio::backend::wsd;
namespace doc = hpaio::test::wsd;

namespace {

const Addressing to{"http://192.0.2.10:3911/scanner", "urn:uuid:11111111-2222-4333-8444-555555555555"};

// A request as the device reads it: the envelope, its headers, and the body's one element.
struct Sent {
  xml::Element root;
  const xml::Element* header = nullptr;
  const xml::Element* request = nullptr;
  std::string header_text(std::string_view name) const { return header->child_text(ns::wsa, name).value_or(""); }
  std::string text(std::initializer_list<std::string_view> path) const {
    const xml::Element* e = request;
    for (std::string_view name : path) {
      e = e ? e->child(ns::wsd_scan, name) : nullptr;
    }
    return e ? e->text() : "<missing>";
  }
};

Sent sent(const std::string& envelope) {
  Sent s{xml::parse(envelope)};
  EXPECT_TRUE(s.root.is(ns::soap12, "Envelope"));
  s.header = s.root.child(ns::soap12, "Header");
  const xml::Element* body = s.root.child(ns::soap12, "Body");
  EXPECT_NE(s.header, nullptr);
  EXPECT_NE(body, nullptr);
  EXPECT_EQ(body->children().size(), 1u);
  s.request = &body->children().front();
  EXPECT_EQ(s.request->ns(), ns::wsd_scan);
  return s;
}

TEST(WsdRequests, EnvelopeCarriesTheAddressingHeaders) {
  const Sent s = sent(get_scanner_elements(to, Elements::configuration_and_status));
  EXPECT_EQ(s.header_text("MessageID"), to.message_id);
  EXPECT_EQ(s.header_text("To"), to.to);
  EXPECT_EQ(s.header_text("Action"), "http://schemas.microsoft.com/windows/2006/08/wdp/scan/GetScannerElements");
  const xml::Element* reply_to = s.header->child(ns::wsa, "ReplyTo");
  ASSERT_NE(reply_to, nullptr);
  EXPECT_EQ(reply_to->child_text(ns::wsa, "Address"),
            "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous");
  EXPECT_EQ(s.request->name(), "GetScannerElementsRequest");
  std::vector<std::string> names;
  for (const xml::Element* n : s.request->child(ns::wsd_scan, "RequestedElements")->children(ns::wsd_scan, "Name")) {
    names.push_back(n->text());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"wscn:ScannerDescription", "wscn:ScannerConfiguration",
                                             "wscn:DefaultScanTicket", "wscn:ScannerStatus"}));
  const Sent status = sent(get_scanner_elements(to, Elements::status));
  EXPECT_EQ(status.request->child(ns::wsd_scan, "RequestedElements")->children().size(), 1u);
  EXPECT_EQ(status.text({"RequestedElements", "Name"}), "wscn:ScannerStatus");
}

TEST(WsdRequests, AddressesAndTokensAreEscaped) {
  const Addressing odd{"http://[fe80::1%25eth0]:3911/?a=1&b=<2>", "urn:uuid:x"};
  CreatedJob job;
  job.id = "7";
  job.token = "tok&<en>\"'";
  const Sent s = sent(retrieve_image(odd, job));
  EXPECT_EQ(s.header_text("To"), odd.to);
  EXPECT_EQ(s.text({"JobToken"}), job.token);
  EXPECT_EQ(s.text({"JobId"}), "7");
  EXPECT_EQ(s.text({"DocumentDescription", "DocumentName"}), "hpaio-page");
  EXPECT_EQ(s.header_text("Action"), "http://schemas.microsoft.com/windows/2006/08/wdp/scan/RetrieveImage");
}

TEST(WsdRequests, CancelAndJobElementsNameTheJob) {
  const Sent cancel = sent(cancel_job(to, "42"));
  EXPECT_EQ(cancel.request->name(), "CancelJobRequest");
  EXPECT_EQ(cancel.text({"JobId"}), "42");
  EXPECT_EQ(cancel.header_text("Action"), "http://schemas.microsoft.com/windows/2006/08/wdp/scan/CancelJob");
  const Sent job = sent(get_job_elements(to, "42"));
  EXPECT_EQ(job.request->name(), "GetJobElementsRequest");
  EXPECT_EQ(job.text({"JobId"}), "42");
  EXPECT_EQ(job.text({"RequestedElements", "Name"}), "wscn:JobStatus");
  EXPECT_EQ(job.header_text("Action"), "http://schemas.microsoft.com/windows/2006/08/wdp/scan/GetJobElements");
}

TEST(WsdRequests, MessageIdsAreFreshVersion4Uuids) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string id = new_message_id();
    ASSERT_EQ(id.size(), 9u + 36u) << id;
    EXPECT_EQ(id.substr(0, 9), "urn:uuid:");
    EXPECT_EQ(id[9 + 14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[9 + 19]), std::string::npos) << id;
    for (std::size_t k : {8u, 13u, 18u, 23u}) EXPECT_EQ(id[9 + k], '-');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 50u);
}

ScanRequest request(InputSource source, ImageFormat format, ColorMode mode = ColorMode::Color) {
  ScanRequest r;
  r.source = source;
  r.format = format;
  r.mode = r.device_mode = mode;
  r.resolution = 300;
  r.region = {30, 60, 2550, 3300};  // 1/300 inch: 0.1", 0.2", 8.5" x 11"
  return r;
}

TEST(WsdRequests, CreateScanJobTicket) {
  const Capabilities caps = decode_capabilities(doc::caps_duplex_feeder);
  ScanRequest r = request(InputSource::Platen, ImageFormat::Jpeg, ColorMode::Gray);
  r.quality = 50;
  const Sent s = sent(create_scan_job(to, r, caps));
  EXPECT_EQ(s.header_text("Action"), "http://schemas.microsoft.com/windows/2006/08/wdp/scan/CreateScanJob");
  EXPECT_EQ(s.request->name(), "CreateScanJobRequest");
  EXPECT_EQ(s.text({"ScanTicket", "JobDescription", "JobName"}), "hpaio");
  EXPECT_EQ(s.text({"ScanTicket", "JobDescription", "JobInformation"}), "hpaio");
  const auto param = [&](std::initializer_list<std::string_view> path) {
    std::vector<std::string_view> full{"ScanTicket", "DocumentParameters"};
    full.insert(full.end(), path);
    const xml::Element* e = s.request;
    for (std::string_view n : full) e = e ? e->child(ns::wsd_scan, n) : nullptr;
    return e ? e->text() : std::string("<missing>");
  };
  EXPECT_EQ(param({"Format"}), "jfif");  // preferred over exif
  EXPECT_EQ(param({"CompressionQualityFactor"}), "50");
  EXPECT_EQ(param({"ImagesToTransfer"}), "1");
  EXPECT_EQ(param({"InputSource"}), "Platen");
  EXPECT_EQ(param({"InputSize", "InputMediaSize", "Width"}), "8500");
  EXPECT_EQ(param({"InputSize", "InputMediaSize", "Height"}), "11000");
  EXPECT_EQ(param({"MediaSides", "MediaFront", "ColorProcessing"}), "Grayscale8");
  EXPECT_EQ(param({"MediaSides", "MediaFront", "Resolution", "Width"}), "300");
  EXPECT_EQ(param({"MediaSides", "MediaFront", "Resolution", "Height"}), "300");
  EXPECT_EQ(param({"MediaSides", "MediaFront", "ScanRegion", "ScanRegionXOffset"}), "100");
  EXPECT_EQ(param({"MediaSides", "MediaFront", "ScanRegion", "ScanRegionYOffset"}), "200");
  EXPECT_EQ(param({"MediaSides", "MediaFront", "ScanRegion", "ScanRegionWidth"}), "8500");
  EXPECT_EQ(param({"MediaSides", "MediaFront", "ScanRegion", "ScanRegionHeight"}), "11000");
  EXPECT_EQ(param({"MediaSides", "MediaBack"}), "<missing>");
  EXPECT_EQ(param({"Exposure"}), "<missing>");

  // Raw is dib; a feeder transfers every sheet; duplex describes the back too; exposure when set.
  r = request(InputSource::AdfDuplex, ImageFormat::Raw, ColorMode::BlackAndWhite);
  r.quality = 80;
  r.brightness = -200;
  r.contrast = 5000;
  const Sent d = sent(create_scan_job(to, r, caps));
  const auto dparam = [&](std::initializer_list<std::string_view> path) {
    const xml::Element* e = d.request->child(ns::wsd_scan, "ScanTicket")->child(ns::wsd_scan, "DocumentParameters");
    for (std::string_view n : path) e = e ? e->child(ns::wsd_scan, n) : nullptr;
    return e ? e->text() : std::string("<missing>");
  };
  EXPECT_EQ(dparam({"Format"}), "dib");
  EXPECT_EQ(dparam({"CompressionQualityFactor"}), "<missing>");
  EXPECT_EQ(dparam({"ImagesToTransfer"}), "0");
  EXPECT_EQ(dparam({"InputSource"}), "ADFDuplex");
  EXPECT_EQ(dparam({"Exposure", "ExposureSettings", "Brightness"}), "-200");
  EXPECT_EQ(dparam({"Exposure", "ExposureSettings", "Contrast"}), "1000");  // clamped to WS-Scan's range
  EXPECT_EQ(dparam({"MediaSides", "MediaFront", "ColorProcessing"}), "BlackAndWhite1");
  EXPECT_EQ(dparam({"MediaSides", "MediaBack", "ColorProcessing"}), "BlackAndWhite1");
  EXPECT_EQ(dparam({"MediaSides", "MediaBack", "ScanRegion", "ScanRegionWidth"}), "8500");
  EXPECT_EQ(dparam({"InputSource"}), "ADFDuplex");
  EXPECT_EQ(sent(create_scan_job(to, request(InputSource::Adf, ImageFormat::Jpeg), caps))
                .text({"ScanTicket", "DocumentParameters", "InputSource"}),
            "ADF");
}

TEST(WsdRequests, FormatFallsBackToWhatTheDeviceHas) {
  Capabilities dib_only = decode_capabilities(doc::caps_flatbed_dib);
  EXPECT_EQ(ticket_format(request(InputSource::Platen, ImageFormat::Jpeg), dib_only), "dib");
  Capabilities exif_only = dib_only;
  exif_only.dib = false;
  exif_only.jpeg_format = "exif";
  EXPECT_EQ(ticket_format(request(InputSource::Platen, ImageFormat::Raw), exif_only), "exif");
  Capabilities none = exif_only;
  none.jpeg_format.clear();
  EXPECT_EQ(ticket_format(request(InputSource::Platen, ImageFormat::Raw), none), "");
  EXPECT_THROW(create_scan_job(to, request(InputSource::Platen, ImageFormat::Raw), none), ProtocolError);

  EXPECT_EQ(page_format("dib"), ImageFormat::Bmp);
  EXPECT_EQ(page_format(" JFIF "), ImageFormat::Jpeg);
  EXPECT_EQ(page_format("exif"), ImageFormat::Jpeg);
  EXPECT_EQ(page_format("tiff-single-g4"), std::nullopt);
  EXPECT_EQ(page_format(""), std::nullopt);
}

TEST(WsdCapabilities, FlatbedThatOffersOnlyDib) {
  const Capabilities c = decode_capabilities(doc::caps_flatbed_dib);
  EXPECT_EQ(c.scanner.make_and_model, "HP LaserJet MFP M127fn");
  EXPECT_TRUE(c.dib);
  EXPECT_EQ(c.jpeg_format, "");
  EXPECT_EQ(c.formats, std::vector<std::string>{"dib"});
  ASSERT_TRUE(c.scanner.platen);
  EXPECT_FALSE(c.scanner.adf);
  EXPECT_FALSE(c.scanner.adf_duplex);
  const SourceCapabilities& p = *c.scanner.platen;
  EXPECT_EQ(p.resolutions, (std::vector<int>{75, 100, 150, 200, 300, 600}));  // 1200 is a width only
  ASSERT_EQ(p.modes.size(), 3u);                                              // RGB48 is not offered
  EXPECT_EQ(p.modes[0].mode, ColorMode::BlackAndWhite);
  EXPECT_EQ(p.modes[1].mode, ColorMode::Gray);
  EXPECT_EQ(p.modes[2].mode, ColorMode::Color);
  EXPECT_FALSE(p.modes[2].jpeg);
  EXPECT_TRUE(p.modes[2].raw);
  // 1/1000 inch to 1/300: minimums up, maximums down.
  EXPECT_EQ(p.min_width, 3);
  EXPECT_EQ(p.max_width, 2550);
  EXPECT_EQ(p.max_height, 3507);
  EXPECT_FALSE(c.scanner.brightness);
  EXPECT_FALSE(c.scanner.contrast);
  EXPECT_FALSE(c.scanner.compression_factor);
}

TEST(WsdCapabilities, GlassAndDuplexFeeder) {
  const Capabilities c = decode_capabilities(doc::caps_duplex_feeder);
  EXPECT_EQ(c.scanner.make_and_model, "HP Color LaserJet Pro MFP M477fdw");
  EXPECT_EQ(c.jpeg_format, "jfif");
  EXPECT_TRUE(c.dib);
  EXPECT_EQ(c.scanner.sources(),
            (std::vector<InputSource>{InputSource::Platen, InputSource::Adf, InputSource::AdfDuplex}));
  const SourceCapabilities& platen = *c.scanner.platen;
  EXPECT_EQ(platen.resolutions, (std::vector<int>{150, 300, 600}));
  ASSERT_EQ(platen.modes.size(), 2u);
  EXPECT_TRUE(platen.modes[0].jpeg && platen.modes[0].raw);
  EXPECT_EQ(platen.max_height, 4200);
  const SourceCapabilities& adf = *c.scanner.adf;
  EXPECT_EQ(adf.resolutions, (std::vector<int>{150, 300}));
  EXPECT_EQ(adf.modes.size(), 3u);
  EXPECT_EQ(adf.min_width, 1200);
  // ADFSupportsDuplex says false, but the feeder describes a back side: both sides' common ground.
  const SourceCapabilities& duplex = *c.scanner.adf_duplex;
  EXPECT_EQ(duplex.resolutions, std::vector<int>{300});
  ASSERT_EQ(duplex.modes.size(), 2u);
  EXPECT_EQ(duplex.modes[0].mode, ColorMode::Gray);
  EXPECT_EQ(duplex.max_height, 3507);
  ASSERT_TRUE(c.scanner.brightness);
  EXPECT_EQ(c.scanner.brightness->min, -1000);
  EXPECT_EQ(c.scanner.brightness->max, 1000);
  EXPECT_EQ(c.scanner.brightness->normal, 0);
  ASSERT_TRUE(c.scanner.contrast);
  ASSERT_TRUE(c.scanner.compression_factor);
  EXPECT_EQ(c.scanner.compression_factor->min, 1);
  EXPECT_EQ(c.scanner.compression_factor->max, 100);
}

TEST(WsdCapabilities, DuplexFlagWithoutABackCopiesTheFront) {
  std::string xml = doc::caps_duplex_feeder;
  const std::size_t back = xml.find("<ADFBack>"), back_end = xml.find("</ADFBack>") + 10;
  xml.erase(back, back_end - back);
  Capabilities c = decode_capabilities(xml);
  EXPECT_FALSE(c.scanner.adf_duplex);
  xml.replace(xml.find("<ADFSupportsDuplex>false"), 24, "<ADFSupportsDuplex>true");
  c = decode_capabilities(xml);
  ASSERT_TRUE(c.scanner.adf_duplex);
  EXPECT_EQ(c.scanner.adf_duplex->resolutions, (std::vector<int>{150, 300}));
}

TEST(WsdCapabilities, UnusableAnswersAreProtocolErrors) {
  EXPECT_THROW(decode_capabilities("not xml"), ProtocolError);
  EXPECT_THROW(decode_capabilities("<a/>"), ProtocolError);
  EXPECT_THROW(decode_capabilities(doc::envelope("")), ProtocolError);
  // The configuration marked not valid, or missing.
  std::string invalid = doc::caps_flatbed_dib;
  invalid.replace(invalid.find("Name=\"sc:ScannerConfiguration\" Valid=\"true\""), 43,
                  "Name=\"sc:ScannerConfiguration\" Valid=\"false\"");
  EXPECT_THROW(decode_capabilities(invalid), ProtocolError);
  EXPECT_THROW(decode_capabilities(doc::scanner_status("Idle")), ProtocolError);
  // The scan namespace matters, not the prefix.
  std::string other_ns = doc::caps_flatbed_dib;
  other_ns.replace(other_ns.find("2006/08/wdp/scan\""), 16, "2099/01/wdp/scan");
  EXPECT_THROW(decode_capabilities(other_ns), ProtocolError);
  // Formats we cannot decode: the error lists what there is.
  std::string pdf = doc::caps_flatbed_dib;
  pdf.replace(pdf.find("<sc:FormatValue>dib"), 19, "<sc:FormatValue>pdf-a</sc:FormatValue><sc:FormatValue>png");
  try {
    decode_capabilities(pdf);
    ADD_FAILURE() << "no error";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("pdf-a, png"), std::string::npos) << e.what();
  }
  // No sizes: no usable source.
  std::string sizeless = doc::caps_flatbed_dib;
  sizeless.replace(sizeless.find("<sc:Width>8500"), 14, "<sc:Width>x");
  EXPECT_THROW(decode_capabilities(sizeless), ProtocolError);
  // A fault is named.
  try {
    decode_capabilities(doc::fault("Receiver", "ServerErrorInternalError", "boom"));
    ADD_FAILURE() << "no error";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("ServerErrorInternalError (boom)"), std::string::npos) << e.what();
  }
}

TEST(WsdStatus, StateReasonsAndConditions) {
  ScannerStatus s = decode_scanner_status(doc::caps_flatbed_dib);  // the answer to all four elements
  EXPECT_EQ(s.state, "Idle");
  EXPECT_TRUE(s.reasons.empty());  // "None" is no reason
  EXPECT_EQ(s.failure(InputSource::Platen), Status::good);

  s = decode_scanner_status(doc::scanner_status("Idle", {}, {{"ADF", "InputTrayEmpty"}}));
  ASSERT_EQ(s.conditions.size(), 1u);
  EXPECT_EQ(s.conditions[0].name, "InputTrayEmpty");
  EXPECT_EQ(s.conditions[0].component, "ADF");
  EXPECT_EQ(s.conditions[0].severity, "Critical");
  EXPECT_EQ(s.failure(InputSource::Adf), Status::no_docs);
  EXPECT_EQ(s.failure(InputSource::Platen), Status::good);  // the glass does not need paper
  EXPECT_EQ(s.describe(), "Idle (ADF InputTrayEmpty)");

  s = decode_scanner_status(doc::scanner_status("Stopped", {"MediaJam"}));
  EXPECT_EQ(s.failure(InputSource::Adf), Status::jammed);
  EXPECT_EQ(s.describe(), "Stopped (MediaJam)");
  EXPECT_EQ(decode_scanner_status(doc::scanner_status("Stopped", {"CoverOpen"})).failure(InputSource::Platen),
            Status::cover_open);
  EXPECT_EQ(decode_scanner_status(doc::scanner_status("Idle", {}, {{"ADF", "MultipleFeedError"}}))
                .failure(InputSource::AdfDuplex),
            Status::jammed);
  EXPECT_EQ(decode_scanner_status(doc::scanner_status("Stopped", {"LampError"})).failure(InputSource::Platen),
            Status::io_error);
  EXPECT_EQ(decode_scanner_status(doc::scanner_status("Stopped", {"AttentionRequired"})).failure(InputSource::Platen),
            Status::device_busy);
  EXPECT_EQ(decode_scanner_status(doc::scanner_status("Stopped")).failure(InputSource::Platen), Status::device_busy);

  s = decode_scanner_status(doc::scanner_status("Processing", {"Calibrating"}));
  EXPECT_TRUE(s.warming_up());
  EXPECT_EQ(s.failure(InputSource::Platen), Status::good);
  EXPECT_TRUE(decode_scanner_status(doc::scanner_status("Idle", {}, {{"Platen", "LampWarming"}})).warming_up());
  EXPECT_FALSE(decode_scanner_status(doc::scanner_status("Processing")).warming_up());

  EXPECT_THROW(decode_scanner_status(doc::caps_duplex_feeder), ProtocolError);  // no ScannerStatus
  EXPECT_THROW(decode_scanner_status(doc::scanner_status("")), ProtocolError);
}

TEST(WsdJobAnswers, CreatedJob) {
  const CreatedJob j = decode_created_job(doc::created_job("12", "tok-12", "DIB", "ADF"));
  EXPECT_EQ(j.id, "12");
  EXPECT_EQ(j.token, "tok-12");
  EXPECT_EQ(j.format, "dib");
  EXPECT_EQ(j.input_source, "ADF");
  ASSERT_TRUE(j.front);
  EXPECT_EQ(j.front->pixels_per_line, 2550);
  EXPECT_EQ(j.front->lines, 3507);
  EXPECT_EQ(j.front->bytes_per_line, 7652);
  EXPECT_FALSE(j.back);

  EXPECT_THROW(decode_created_job(doc::created_job("", "t")), ProtocolError);
  EXPECT_THROW(decode_created_job(doc::created_job("0", "t")), ProtocolError);
  EXPECT_THROW(decode_created_job(doc::created_job("x1", "t")), ProtocolError);
  EXPECT_THROW(decode_created_job(doc::created_job("3", "")), ProtocolError);
  EXPECT_THROW(decode_created_job(doc::fault("Receiver", "ServerErrorNotAcceptingJobs")), ProtocolError);
  EXPECT_THROW(decode_created_job(doc::scanner_status("Idle")), ProtocolError);
}

TEST(WsdJobAnswers, JobStatus) {
  const JobStatus s = decode_job_status(doc::job_status("12", "Aborted", "JobCompletedWithErrors"));
  EXPECT_EQ(s.id, "12");
  EXPECT_EQ(s.state, "Aborted");
  EXPECT_EQ(s.reasons, std::vector<std::string>{"JobCompletedWithErrors"});
  EXPECT_EQ(s.scans_completed, 2);
  EXPECT_TRUE(decode_job_status(doc::job_status("12", "Processing")).reasons.empty());
  EXPECT_THROW(decode_job_status(doc::job_status("12", "")), ProtocolError);
  EXPECT_THROW(decode_job_status(doc::created_job("1", "t")), ProtocolError);
}

TEST(WsdFaults, Soap12FaultWithItsSubcode) {
  const std::optional<Fault> f = find_fault(doc::fault("Sender", "ClientErrorNoImagesAvailable", "No images."));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, Fault::Kind::no_images_available);
  EXPECT_EQ(f->code, "Sender");
  EXPECT_EQ(f->subcode, "ClientErrorNoImagesAvailable");
  EXPECT_EQ(f->reason, "No images.");
  EXPECT_EQ(f->describe(), "ClientErrorNoImagesAvailable (No images.)");
}

TEST(WsdFaults, Soap11FaultAndNonFaults) {
  const std::string soap11 = R"(<?xml version="1.0"?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:w="http://schemas.microsoft.com/windows/2006/08/wdp/scan">
 <S:Body><S:Fault><faultcode>w:ServerErrorNotAcceptingJobs</faultcode><faultstring>busy</faultstring></S:Fault></S:Body>
</S:Envelope>)";
  const std::optional<Fault> f = find_fault(soap11);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, Fault::Kind::not_accepting_jobs);
  EXPECT_EQ(f->reason, "busy");
  const std::optional<Fault> generic = find_fault(
      R"(<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>S:Server</faultcode></S:Fault></S:Body></S:Envelope>)");
  ASSERT_TRUE(generic);
  EXPECT_EQ(generic->code, "Server");
  EXPECT_EQ(generic->subcode, "");
  EXPECT_EQ(generic->kind, Fault::Kind::other);

  EXPECT_FALSE(find_fault(doc::caps_flatbed_dib));
  EXPECT_FALSE(find_fault("<html>503</html>"));
  EXPECT_FALSE(find_fault(""));
  EXPECT_FALSE(find_fault("\x01\x02 not xml <<<"));
}

TEST(WsdFaults, Kinds) {
  using K = Fault::Kind;
  EXPECT_EQ(fault_kind("ServerErrorNotAcceptingJobs"), K::not_accepting_jobs);
  EXPECT_EQ(fault_kind("ServerErrorTemporaryError"), K::temporary_error);
  EXPECT_EQ(fault_kind("ClientErrorJobIdNotFound"), K::job_id_not_found);
  EXPECT_EQ(fault_kind("ClientErrorInvalidJobToken"), K::invalid_job_token);
  EXPECT_EQ(fault_kind("ClientErrorJobCancelled"), K::job_cancelled);
  EXPECT_EQ(fault_kind("ServerErrorInternalError"), K::internal_error);
  EXPECT_EQ(fault_kind("InvalidArgs"), K::invalid_args);
  EXPECT_EQ(fault_kind("ClientErrorFormatNotSupported"), K::invalid_args);
  EXPECT_EQ(fault_kind("OperationFailed"), K::other);
  EXPECT_EQ(fault_kind(""), K::other);
}

}  // namespace
