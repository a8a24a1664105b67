#include "backend/ledm/ledm_codec.hpp"

#include <gtest/gtest.h>

#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"

using namespace hpaio;
using namespace hpaio::backend;
using namespace hpaio::backend::ledm;

namespace {

// Our own ScanCaps, shaped like an OfficeJet Pro inkjet's: K1 Raw only, Gray8 and Color8 in Raw
// and Jpeg; platen 75-1200 dpi; ADF 75-300 with a duplexer limited to 3508 lines.
constexpr const char* caps_adf_duplex = R"(<?xml version="1.0" encoding="UTF-8"?>
<ScanCaps xmlns="http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19">
 <DeviceCaps><ModelName>HP OfficeJet Pro 9010 series</ModelName><DerivativeNumber>1</DerivativeNumber></DeviceCaps>
 <ColorEntries>
  <ColorEntry><ColorType>K1</ColorType><Formats><Format>Raw</Format></Formats></ColorEntry>
  <ColorEntry><ColorType>Gray8</ColorType><Formats><Format>Raw</Format><Format>Jpeg</Format></Formats>
   <ImageTransforms><ImageTransform>ToneMap</ImageTransform></ImageTransforms></ColorEntry>
  <ColorEntry><ColorType>Color8</ColorType><Formats><Format>Raw</Format><Format>Jpeg</Format></Formats></ColorEntry>
 </ColorEntries>
 <Platen><InputSourceCaps>
  <MinWidth>8</MinWidth><MinHeight>8</MinHeight><MaxWidth>2550</MaxWidth><MaxHeight>3508</MaxHeight>
  <SupportedResolutions>
   <Resolution><XResolution>75</XResolution><YResolution>75</YResolution><ColorTypes><ColorType>K1</ColorType><ColorType>Gray8</ColorType><ColorType>Color8</ColorType></ColorTypes></Resolution>
   <Resolution><XResolution>300</XResolution><YResolution>300</YResolution></Resolution>
   <Resolution><XResolution>1200</XResolution><YResolution>1200</YResolution></Resolution>
  </SupportedResolutions>
 </InputSourceCaps></Platen>
 <Adf>
  <InputSourceCaps><MinWidth>8</MinWidth><MinHeight>8</MinHeight><MaxWidth>2550</MaxWidth><MaxHeight>4200</MaxHeight>
   <SupportedResolutions>
    <Resolution><XResolution>150</XResolution><YResolution>150</YResolution></Resolution>
    <Resolution><XResolution>300</XResolution><YResolution>300</YResolution></Resolution>
   </SupportedResolutions></InputSourceCaps>
  <FeederCapacity>35</FeederCapacity>
  <AdfDuplexer><AdfDuplexMaxWidth>2550</AdfDuplexMaxWidth><AdfDuplexMaxHeight>3508</AdfDuplexMaxHeight></AdfDuplexer>
 </Adf>
</ScanCaps>)";

// A prefixed variant in another order, with a comment and unknown elements; no ADF.
constexpr const char* caps_prefixed = R"(<s:ScanCaps xmlns:s="http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19"
   xmlns:o="urn:other">
 <o:Extra>1</o:Extra>
 <s:Platen><s:InputSourceCaps>
  <s:SupportedResolutions><s:Resolution><s:YResolution>200</s:YResolution><s:XResolution>200</s:XResolution></s:Resolution></s:SupportedResolutions>
  <!-- sizes after the resolutions -->
  <s:MaxHeight>3508</s:MaxHeight><s:MaxWidth>2550</s:MaxWidth>
 </s:InputSourceCaps></s:Platen>
 <s:ColorEntries><s:ColorEntry><s:Formats><s:Format>Jpeg</s:Format></s:Formats><s:ColorType>Color8</s:ColorType></s:ColorEntry></s:ColorEntries>
</s:ScanCaps>)";

}  // namespace

TEST(LedmCapabilities, DecodesInkjetWithDuplexer) {
  ScannerCapabilities c = decode_capabilities(caps_adf_duplex);
  EXPECT_EQ(c.make_and_model, "HP OfficeJet Pro 9010 series");
  ASSERT_TRUE(c.platen);
  EXPECT_EQ(c.platen->resolutions, (std::vector<int>{75, 300, 1200}));
  ASSERT_EQ(c.platen->modes.size(), 3u);
  EXPECT_EQ(c.platen->modes[0].mode, ColorMode::BlackAndWhite);
  EXPECT_FALSE(c.platen->modes[0].jpeg);
  EXPECT_TRUE(c.platen->modes[0].raw);
  EXPECT_TRUE(c.platen->modes[2].jpeg);
  ASSERT_TRUE(c.adf);
  EXPECT_EQ(c.adf->max_height, 4200);
  EXPECT_EQ(c.adf->resolutions, (std::vector<int>{150, 300}));
  ASSERT_TRUE(c.adf_duplex);
  EXPECT_EQ(c.adf_duplex->max_height, 3508);
  ASSERT_TRUE(c.brightness);
  EXPECT_EQ(c.brightness->normal, 1000);
  EXPECT_EQ(c.contrast->max, 2000);
}

TEST(LedmCapabilities, MatchesByNamespaceNotPrefixOrOrder) {
  ScannerCapabilities c = decode_capabilities(caps_prefixed);
  ASSERT_TRUE(c.platen);
  EXPECT_EQ(c.platen->max_width, 2550);
  EXPECT_EQ(c.platen->resolutions, (std::vector<int>{200}));
  ASSERT_EQ(c.platen->modes.size(), 1u);
  EXPECT_EQ(c.platen->modes[0].mode, ColorMode::Color);
  EXPECT_FALSE(c.adf);
  EXPECT_FALSE(c.adf_duplex);
  EXPECT_FALSE(c.brightness);  // no ToneMap transform
}

TEST(LedmCapabilities, UnusableDocumentsAreProtocolErrors) {
  const char* bad[] = {
      "",
      "<ScanCaps xmlns=\"http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19\">",  // truncated
      "<ScanCaps/>",
      // another namespace (node-hp-scan-to's mock dialect, not a real device)
      "<ScanCaps "
      "xmlns=\"http://www.hp.com/schemas/imaging/con/ledm/scancaps/2008/11/17\"><PlatenMaxWidth>1</PlatenMaxWidth></"
      "ScanCaps>",
      // no colour entries
      R"(<ScanCaps xmlns="http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19"><Platen><InputSourceCaps><MaxWidth>1</MaxWidth>
         <MaxHeight>1</MaxHeight><SupportedResolutions><Resolution><XResolution>300</XResolution></Resolution></SupportedResolutions>
         </InputSourceCaps></Platen></ScanCaps>)",
      // no source
      R"(<ScanCaps xmlns="http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19"><ColorEntries><ColorEntry><ColorType>Gray8</ColorType>
         <Formats><Format>Raw</Format></Formats></ColorEntry></ColorEntries></ScanCaps>)",
  };
  for (const char* doc : bad) EXPECT_THROW(decode_capabilities(doc), ProtocolError) << doc;
}

TEST(LedmScanSettings, CleanDocumentInTheScanNamespace) {
  ScanRequest s;
  s.source = InputSource::AdfDuplex;
  s.mode = ColorMode::BlackAndWhite;
  s.device_mode = ColorMode::BlackAndWhite;  // still requested as Gray
  s.format = ImageFormat::Raw;
  s.resolution = 150;
  s.region = {118, 0, 590, 1000};
  s.brightness = 1500;
  std::string body = encode_scan_settings(s);
  EXPECT_EQ(body.find("\r\n0\r\n"), std::string::npos);
  hpaio::xml::Element root = hpaio::xml::parse(body);
  using hpaio::ns::ledm_scan;
  ASSERT_TRUE(root.is(ledm_scan, "ScanSettings"));
  EXPECT_EQ(root.child(ledm_scan, "XResolution")->text(), "150");
  EXPECT_EQ(root.child(ledm_scan, "XStart")->text(), "118");
  EXPECT_EQ(root.child(ledm_scan, "Width")->text(), "590");
  EXPECT_EQ(root.child(ledm_scan, "Height")->text(), "1000");
  EXPECT_EQ(root.child(ledm_scan, "Format")->text(), "Raw");
  EXPECT_EQ(root.child(ledm_scan, "ColorSpace")->text(), "Gray");
  EXPECT_EQ(root.child(ledm_scan, "BitDepth")->text(), "8");
  EXPECT_EQ(root.child(ledm_scan, "InputSource")->text(), "Adf");
  EXPECT_EQ(root.child(ledm_scan, "AdfOptions")->child(ledm_scan, "AdfOption")->text(), "Duplex");
  EXPECT_EQ(root.child(ledm_scan, "ToneMap")->child(ledm_scan, "Brightness")->text(), "1500");
  EXPECT_EQ(root.child(ledm_scan, "ToneMap")->child(ledm_scan, "Contrast")->text(), "1000");
  EXPECT_EQ(root.child(ledm_scan, "CompressionQFactor")->text(), "0");

  s.source = InputSource::Platen;
  s.mode = s.device_mode = ColorMode::Color;
  s.format = ImageFormat::Jpeg;
  s.quality = 25;
  root = hpaio::xml::parse(encode_scan_settings(s));
  EXPECT_EQ(root.child(ledm_scan, "CompressionQFactor")->text(), "25");
  EXPECT_EQ(root.child(ledm_scan, "InputSource")->text(), "Platen");
  EXPECT_EQ(root.child(ledm_scan, "AdfOptions"), nullptr);
  EXPECT_EQ(root.child(ledm_scan, "ColorSpace")->text(), "Color");
  EXPECT_EQ(root.child(ledm_scan, "Format")->text(), "Jpeg");

  hpaio::xml::Element cancel = hpaio::xml::parse(encode_cancel_job());
  ASSERT_TRUE(cancel.is(hpaio::ns::ledm_jobs, "Job"));
  EXPECT_EQ(cancel.child(hpaio::ns::ledm_jobs, "JobState")->text(), "Canceled");
}

TEST(LedmStatus, Decodes) {
  ScanStatus s = decode_status(R"(<ScanStatus xmlns="http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19">
    <ScannerState>BusyWithScanJob</ScannerState><AdfState>Empty</AdfState></ScanStatus>)");
  EXPECT_EQ(s.scanner_state, "BusyWithScanJob");
  EXPECT_EQ(s.adf_state, "Empty");
  s = decode_status(
      R"(<x:ScanStatus xmlns:x="http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19"><x:ScannerState>Idle</x:ScannerState></x:ScanStatus>)");
  EXPECT_EQ(s.scanner_state, "Idle");
  EXPECT_EQ(s.adf_state, "");
  EXPECT_THROW(decode_status("<ScanStatus xmlns=\"http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19\"/>"),
               ProtocolError);
}

TEST(LedmJob, PagesOfAnAdfJob) {
  Job j = decode_job(R"(<?xml version="1.0" encoding="UTF-8"?>
<j:Job xmlns:j="http://www.hp.com/schemas/imaging/con/ledm/jobs/2009/04/30">
  <j:JobUrl>/Jobs/JobList/6</j:JobUrl><j:JobCategory>Scan</j:JobCategory><j:JobState>Processing</j:JobState>
  <ScanJob xmlns="http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19">
    <PostScanPage><PageNumber>1</PageNumber><PageState>UploadCompleted</PageState><TotalLines>3500</TotalLines></PostScanPage>
    <PreScanPage><PageNumber>2</PageNumber><PageState>ReadyToUpload</PageState>
      <BufferInfo><ImageWidth>2480</ImageWidth><ImageHeight>3508</ImageHeight><BytesPerLine>7440</BytesPerLine></BufferInfo>
      <BinaryURL>/Scan/Jobs/6/Pages/2</BinaryURL></PreScanPage>
  </ScanJob>
</j:Job>)");
  EXPECT_EQ(j.state, "Processing");
  ASSERT_TRUE(j.post_scan);
  EXPECT_EQ(j.post_scan->number, 1);
  EXPECT_EQ(j.post_scan->total_lines, 3500);
  ASSERT_TRUE(j.pre_scan);
  EXPECT_EQ(j.pre_scan->number, 2);
  EXPECT_EQ(j.pre_scan->state, "ReadyToUpload");
  EXPECT_EQ(j.pre_scan->binary_url, "/Scan/Jobs/6/Pages/2");
  EXPECT_EQ(j.pre_scan->image_width, 2480);
  EXPECT_EQ(j.pre_scan->bytes_per_line, 7440);

  j = decode_job(
      R"(<j:Job xmlns:j="http://www.hp.com/schemas/imaging/con/ledm/jobs/2009/04/30"><j:JobState>Completed</j:JobState></j:Job>)");
  EXPECT_EQ(j.state, "Completed");
  EXPECT_FALSE(j.pre_scan);
  EXPECT_THROW(decode_job("<Job/>"), ProtocolError);
}

TEST(LedmDiscoveryTree, NamesTheProtocols) {
  const char* both = R"(<ledm:DiscoveryTree xmlns:ledm="http://www.hp.com/schemas/imaging/con/ledm/2007/09/21"
      xmlns:dd="http://www.hp.com/schemas/imaging/con/dictionaries/1.0/">
    <ledm:SupportedTree><dd:ResourceURI>/DevMgmt/ProductConfigDyn.xml</dd:ResourceURI></ledm:SupportedTree>
    <ledm:SupportedIfc><ledm:ManifestURI>/Scan/ScanJobManifest.xml</ledm:ManifestURI><dd:ResourceType>ledm:hpLedmScanJobManifest</dd:ResourceType></ledm:SupportedIfc>
    <ledm:SupportedIfc><ledm:ManifestURI>/eSCL/eSclManifest.xml</ledm:ManifestURI><dd:ResourceType>eSCL:eSclManifest</dd:ResourceType></ledm:SupportedIfc>
  </ledm:DiscoveryTree>)";
  DiscoveryTree t = decode_discovery_tree(both);
  EXPECT_TRUE(t.ledm_scan);
  EXPECT_TRUE(t.escl);
  t = decode_discovery_tree(R"(<d:DiscoveryTree xmlns:d="http://www.hp.com/schemas/imaging/con/ledm/2007/09/21">
     <d:SupportedIfc><d:ManifestURI>/WalkupScan/WalkupScanManifest.xml</d:ManifestURI></d:SupportedIfc></d:DiscoveryTree>)");
  EXPECT_FALSE(t.ledm_scan);
  EXPECT_FALSE(t.escl);
  EXPECT_THROW(decode_discovery_tree("<html/>"), ProtocolError);
}
