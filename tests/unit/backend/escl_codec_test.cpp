#include "backend/escl/escl_codec.hpp"

#include <gtest/gtest.h>

#include "backend/scan/job_location.hpp"
#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"

using namespace hpaio;
using namespace hpaio::backend;
using namespace hpaio::backend::escl;

namespace {

// Our own documents, shaped like HP's: platen 75-1200 dpi, ADF 75-300 with a duplex unit.
constexpr const char* caps_adf_duplex = R"(<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>HP Color LaserJet Pro M479fdw</pwg:MakeAndModel>
  <scan:UUID>11111111-2222-3333-4444-555555555555</scan:UUID>
  <scan:Platen><scan:PlatenInputCaps>
    <scan:MinWidth>8</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth>
    <scan:MinHeight>8</scan:MinHeight><scan:MaxHeight>3508</scan:MaxHeight>
    <scan:SettingProfiles><scan:SettingProfile>
      <scan:ColorModes><scan:ColorMode>BlackAndWhite1</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
      <scan:DocumentFormats><pwg:DocumentFormat>application/pdf</pwg:DocumentFormat><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat>
        <scan:DocumentFormatExt>image/jpeg</scan:DocumentFormatExt></scan:DocumentFormats>
      <scan:SupportedResolutions><scan:DiscreteResolutions>
        <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
        <scan:DiscreteResolution><scan:XResolution>75</scan:XResolution><scan:YResolution>75</scan:YResolution></scan:DiscreteResolution>
        <scan:DiscreteResolution><scan:XResolution>1200</scan:XResolution><scan:YResolution>1200</scan:YResolution></scan:DiscreteResolution>
        <scan:DiscreteResolution><scan:XResolution>600</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
        <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
      </scan:DiscreteResolutions></scan:SupportedResolutions>
    </scan:SettingProfile></scan:SettingProfiles>
  </scan:PlatenInputCaps></scan:Platen>
  <scan:Adf>
    <scan:AdfSimplexInputCaps>
      <scan:MinWidth>1200</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth><scan:MinHeight>1800</scan:MinHeight><scan:MaxHeight>4200</scan:MaxHeight>
      <scan:SettingProfiles><scan:SettingProfile>
        <scan:ColorModes><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
        <scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat></scan:DocumentFormats>
        <scan:SupportedResolutions><scan:DiscreteResolutions>
          <scan:DiscreteResolution><scan:XResolution>150</scan:XResolution><scan:YResolution>150</scan:YResolution></scan:DiscreteResolution>
          <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
        </scan:DiscreteResolutions></scan:SupportedResolutions>
      </scan:SettingProfile></scan:SettingProfiles>
    </scan:AdfSimplexInputCaps>
    <scan:AdfDuplexInputCaps>
      <scan:MinWidth>1200</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth><scan:MinHeight>1800</scan:MinHeight><scan:MaxHeight>3508</scan:MaxHeight>
      <scan:SettingProfiles><scan:SettingProfile>
        <scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
        <scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat></scan:DocumentFormats>
        <scan:SupportedResolutions><scan:DiscreteResolutions>
          <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
        </scan:DiscreteResolutions></scan:SupportedResolutions>
      </scan:SettingProfile></scan:SettingProfiles>
    </scan:AdfDuplexInputCaps>
    <scan:FeederCapacity>50</scan:FeederCapacity>
    <scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption><scan:AdfOption>Duplex</scan:AdfOption></scan:AdfOptions>
  </scan:Adf>
  <scan:BrightnessSupport><scan:Min>0</scan:Min><scan:Max>2000</scan:Max><scan:Normal>1000</scan:Normal><scan:Step>1</scan:Step></scan:BrightnessSupport>
  <scan:ContrastSupport><scan:Min>-127</scan:Min><scan:Max>127</scan:Max><scan:Normal>0</scan:Normal><scan:Step>1</scan:Step></scan:ContrastSupport>
</scan:ScannerCapabilities>)";

// The same kind of device written with other prefixes (a default namespace for eSCL, "sm" for
// PWG), elements in another order, comments, unknown elements and extra white space.
constexpr const char* caps_other_prefixes = R"(<?xml version="1.0"?>
<!-- a comment before the root -->
<ScannerCapabilities xmlns="http://schemas.hp.com/imaging/escl/2011/05/03"
    xmlns:sm="http://www.pwg.org/schemas/2010/12/sm" xmlns:x="urn:example:junk">
  <x:Vendor><x:Thing>ignored</x:Thing></x:Vendor>
  <Adf>
    <FeederCapacity>35</FeederCapacity>
    <AdfOptions><AdfOption>Duplex</AdfOption></AdfOptions>
    <AdfSimplexInputCaps>
      <SettingProfiles><SettingProfile>
        <SupportedResolutions><DiscreteResolutions>
          <DiscreteResolution><YResolution>200</YResolution><XResolution>200</XResolution></DiscreteResolution>
        </DiscreteResolutions></SupportedResolutions>
        <DocumentFormats><sm:DocumentFormat>  image/jpeg  </sm:DocumentFormat></DocumentFormats>
        <ColorModes><ColorMode>RGB24</ColorMode></ColorModes>
      </SettingProfile></SettingProfiles>
      <MaxHeight>4200</MaxHeight><MaxWidth>2550</MaxWidth>
    </AdfSimplexInputCaps>
  </Adf>
  <sm:MakeAndModel>  HP Something  </sm:MakeAndModel>
  <Platen>
    <PlatenInputCaps>
      <MaxHeight> 3508 </MaxHeight>
      <SettingProfiles>
        <SettingProfile>
          <ColorModes><ColorMode>Grayscale16</ColorMode><ColorMode>Grayscale8</ColorMode></ColorModes>
          <SupportedResolutions><DiscreteResolutions>
            <DiscreteResolution><XResolution>100</XResolution><YResolution>100</YResolution></DiscreteResolution>
          </DiscreteResolutions></SupportedResolutions>
        </SettingProfile>
        <SettingProfile>
          <ColorModes><ColorMode>RGB24</ColorMode></ColorModes>
          <SupportedResolutions><DiscreteResolutions>
            <DiscreteResolution><XResolution>600</XResolution><YResolution>600</YResolution></DiscreteResolution>
          </DiscreteResolutions></SupportedResolutions>
        </SettingProfile>
      </SettingProfiles>
      <MaxWidth>2550</MaxWidth>
    </PlatenInputCaps>
  </Platen>
  <sm:Version>2.5</sm:Version>
</ScannerCapabilities>
)";

// Old firmware: the 2011/02/08 namespace, HP's own PWG namespace, version 1.0, no SettingProfiles.
constexpr const char* caps_legacy = R"(<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/02/08" xmlns:pwg2="http://www.hp.com/schemas/imaging/con/pwg/sm/1.0/">
  <pwg2:Version>1.0</pwg2:Version>
  <pwg2:MakeAndModel>HP LaserJet Pro MFP M521dn</pwg2:MakeAndModel>
  <scan:Platen><scan:PlatenInputCaps>
    <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth><scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>3508</scan:MaxHeight>
    <scan:ColorModes><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
    <scan:SupportedResolutions>
      <scan:Resolution><scan:XResolution>150</scan:XResolution><scan:YResolution>150</scan:YResolution></scan:Resolution>
      <scan:Resolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:Resolution>
    </scan:SupportedResolutions>
  </scan:PlatenInputCaps></scan:Platen>
</scan:ScannerCapabilities>)";

constexpr const char* caps_range =
    R"(<scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <scan:Platen><scan:PlatenInputCaps><scan:MaxWidth>2550</scan:MaxWidth><scan:MaxHeight>3508</scan:MaxHeight>
    <scan:SettingProfiles><scan:SettingProfile>
      <scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
      <scan:SupportedResolutions><scan:ResolutionRange>
        <scan:XResolutionRange><scan:Min>100</scan:Min><scan:Max>600</scan:Max><scan:Normal>300</scan:Normal><scan:Step>50</scan:Step></scan:XResolutionRange>
        <scan:YResolutionRange><scan:Min>100</scan:Min><scan:Max>600</scan:Max><scan:Normal>300</scan:Normal><scan:Step>50</scan:Step></scan:YResolutionRange>
      </scan:ResolutionRange></scan:SupportedResolutions>
    </scan:SettingProfile></scan:SettingProfiles>
  </scan:PlatenInputCaps></scan:Platen>
</scan:ScannerCapabilities>)";

std::vector<int> ints(std::initializer_list<int> v) { return v; }

}  // namespace

TEST(EsclCapabilities, DecodesHpShapedDocument) {
  Capabilities c = decode_capabilities(caps_adf_duplex);
  EXPECT_EQ(c.scan_namespace, hpaio::ns::escl);
  EXPECT_TRUE(c.document_format_ext);
  EXPECT_EQ(c.scanner.version, "2.63");
  EXPECT_EQ(c.scanner.make_and_model, "HP Color LaserJet Pro M479fdw");
  EXPECT_EQ(c.scanner.uuid, "11111111-2222-3333-4444-555555555555");
  ASSERT_TRUE(c.scanner.platen);
  EXPECT_EQ(c.scanner.platen->max_width, 2550);
  EXPECT_EQ(c.scanner.platen->max_height, 3508);
  EXPECT_EQ(c.scanner.platen->min_width, 8);
  EXPECT_EQ(c.scanner.platen->resolutions, ints({75, 300, 1200}));  // 600x300 is not square
  ASSERT_EQ(c.scanner.platen->modes.size(), 3u);
  EXPECT_EQ(c.scanner.platen->modes[0].mode, ColorMode::BlackAndWhite);
  EXPECT_TRUE(c.scanner.platen->modes[2].jpeg);
  EXPECT_FALSE(c.scanner.platen->modes[2].raw);
  ASSERT_TRUE(c.scanner.adf);
  EXPECT_EQ(c.scanner.adf->resolutions, ints({150, 300}));
  EXPECT_EQ(c.scanner.adf->max_height, 4200);
  ASSERT_TRUE(c.scanner.adf_duplex);
  EXPECT_EQ(c.scanner.adf_duplex->max_height, 3508);
  EXPECT_EQ(c.scanner.adf_duplex->resolutions, ints({300}));
  EXPECT_EQ(c.scanner.sources(),
            (std::vector<InputSource>{InputSource::Platen, InputSource::Adf, InputSource::AdfDuplex}));
  ASSERT_TRUE(c.scanner.brightness);
  EXPECT_EQ(c.scanner.brightness->max, 2000);
  ASSERT_TRUE(c.scanner.contrast);
  EXPECT_EQ(c.scanner.contrast->min, -127);
  EXPECT_EQ(c.scanner.contrast->normal, 0);
  EXPECT_FALSE(c.scanner.compression_factor);
}

TEST(EsclCapabilities, MatchesByNamespaceNotPrefixOrOrder) {
  Capabilities c = decode_capabilities(caps_other_prefixes);
  EXPECT_EQ(c.scanner.version, "2.5");
  EXPECT_EQ(c.scanner.make_and_model, "HP Something");
  ASSERT_TRUE(c.scanner.platen);
  EXPECT_EQ(c.scanner.platen->max_height, 3508);
  EXPECT_EQ(c.scanner.platen->resolutions, ints({100, 600}));  // profiles merged
  ASSERT_EQ(c.scanner.platen->modes.size(), 2u);               // Grayscale16 is not offered
  EXPECT_EQ(c.scanner.platen->modes[0].mode, ColorMode::Gray);
  EXPECT_EQ(c.scanner.platen->modes[1].mode, ColorMode::Color);
  ASSERT_TRUE(c.scanner.adf);
  EXPECT_EQ(c.scanner.adf->resolutions, ints({200}));
  ASSERT_TRUE(c.scanner.adf_duplex);  // AdfOption Duplex without AdfDuplexInputCaps
  EXPECT_EQ(c.scanner.adf_duplex->max_height, 4200);
  EXPECT_FALSE(c.document_format_ext);
}

TEST(EsclCapabilities, LegacyFirmwareDialect) {
  Capabilities c = decode_capabilities(caps_legacy);
  EXPECT_EQ(c.scan_namespace, hpaio::ns::escl_legacy);
  EXPECT_EQ(c.scanner.version, "1.0");
  EXPECT_EQ(c.scanner.make_and_model, "HP LaserJet Pro MFP M521dn");
  ASSERT_TRUE(c.scanner.platen);
  EXPECT_EQ(c.scanner.platen->resolutions, ints({150, 300}));
  EXPECT_EQ(c.scanner.platen->modes.size(), 2u);
  EXPECT_FALSE(c.scanner.adf);

  ScanRequest s;
  s.region = {0, 0, 2550, 3508};
  std::string body = encode_scan_settings(s, c);
  hpaio::xml::Element root = hpaio::xml::parse(body);
  EXPECT_EQ(root.ns(), hpaio::ns::escl_legacy);
  EXPECT_EQ(root.child(hpaio::ns::pwg, "Version")->text(), "1.0");
}

TEST(EsclCapabilities, ResolutionRangeBecomesUsualValues) {
  Capabilities c = decode_capabilities(caps_range);
  ASSERT_TRUE(c.scanner.platen);
  EXPECT_EQ(c.scanner.platen->resolutions, ints({100, 150, 200, 300, 400, 600}));
}

TEST(EsclCapabilities, UnusableDocumentsAreProtocolErrors) {
  const char* bad[] = {
      "",
      "not xml at all",
      "<scan:ScannerCapabilities xmlns:scan=\"http://schemas.hp.com/imaging/escl/2011/05/03\">",  // truncated
      "<ScannerCapabilities/>",                                                                   // no namespace
      "<scan:ScannerStatus xmlns:scan=\"http://schemas.hp.com/imaging/escl/2011/05/03\"/>",
      // a platen without resolutions
      R"(<s:ScannerCapabilities xmlns:s="http://schemas.hp.com/imaging/escl/2011/05/03"><s:Platen><s:PlatenInputCaps>
         <s:MaxWidth>2550</s:MaxWidth><s:MaxHeight>3508</s:MaxHeight></s:PlatenInputCaps></s:Platen></s:ScannerCapabilities>)",
      // sizes that are not numbers
      R"(<s:ScannerCapabilities xmlns:s="http://schemas.hp.com/imaging/escl/2011/05/03"><s:Platen><s:PlatenInputCaps>
         <s:MaxWidth>wide</s:MaxWidth><s:MaxHeight>99999999999999</s:MaxHeight><s:ColorModes><s:ColorMode>RGB24</s:ColorMode></s:ColorModes>
         <s:SupportedResolutions><s:Resolution><s:XResolution>300</s:XResolution></s:Resolution></s:SupportedResolutions>
         </s:PlatenInputCaps></s:Platen></s:ScannerCapabilities>)",
  };
  for (const char* doc : bad) EXPECT_THROW(decode_capabilities(doc), ProtocolError) << doc;
}

TEST(EsclScanSettings, HasWhatHpFirmwareExpects) {
  Capabilities caps = decode_capabilities(caps_adf_duplex);
  ScanRequest s;
  s.source = InputSource::AdfDuplex;
  s.mode = ColorMode::BlackAndWhite;  // what SANE gets; the device is asked for device_mode
  s.device_mode = ColorMode::Gray;
  s.resolution = 300;
  s.region = {118, 0, 590, 3508};
  s.brightness = 1200;
  s.quality = 50;  // no CompressionFactorSupport in these capabilities: not sent
  std::string body = encode_scan_settings(s, caps);
  hpaio::xml::Element root = hpaio::xml::parse(body);
  using hpaio::ns::escl;
  using hpaio::ns::pwg;
  EXPECT_TRUE(root.is(escl, "ScanSettings"));
  const auto* region = root.child(pwg, "ScanRegions")->child(pwg, "ScanRegion");
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->child(pwg, "XOffset")->text(), "118");
  EXPECT_EQ(region->child(pwg, "Width")->text(), "590");
  EXPECT_EQ(region->child(pwg, "Height")->text(), "3508");
  EXPECT_EQ(region->child(pwg, "ContentRegionUnits")->text(), "escl:ThreeHundredthsOfInches");
  EXPECT_EQ(root.child(pwg, "InputSource")->text(), "Feeder");
  EXPECT_EQ(root.child(escl, "InputSource"), nullptr);  // HP firmware rejects scan:InputSource
  EXPECT_EQ(root.child(escl, "Duplex")->text(), "true");
  EXPECT_EQ(root.child(escl, "ColorMode")->text(), "Grayscale8");
  EXPECT_EQ(root.child(pwg, "DocumentFormat")->text(), "image/jpeg");
  EXPECT_EQ(root.child(escl, "DocumentFormatExt")->text(), "image/jpeg");
  EXPECT_EQ(root.child(escl, "XResolution")->text(), "300");
  EXPECT_EQ(root.child(escl, "YResolution")->text(), "300");
  EXPECT_EQ(root.child(escl, "Brightness")->text(), "1200");
  EXPECT_EQ(root.child(escl, "Contrast"), nullptr);
  EXPECT_EQ(root.child(escl, "CompressionFactor"), nullptr);
  EXPECT_EQ(root.child(pwg, "Version")->text(), "2.63");

  caps.scanner.compression_factor = Range{0, 200, 0, 1};
  root = hpaio::xml::parse(encode_scan_settings(s, caps));
  EXPECT_EQ(root.child(escl, "CompressionFactor")->text(), "100");

  s.source = InputSource::Platen;
  root = hpaio::xml::parse(encode_scan_settings(s, caps));
  EXPECT_EQ(root.child(pwg, "InputSource")->text(), "Platen");
  EXPECT_EQ(root.child(escl, "Duplex"), nullptr);
}

TEST(EsclStatus, DecodesStateAdfAndJobs) {
  const char* doc = R"(<?xml version="1.0"?>
<scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version><pwg:State>Processing</pwg:State><scan:AdfState>ScannerAdfEmpty</scan:AdfState>
  <scan:Jobs>
    <scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/2</pwg:JobUri><pwg:JobUuid>1876-0002</pwg:JobUuid><scan:Age>1</scan:Age>
      <pwg:ImagesCompleted>1</pwg:ImagesCompleted><pwg:ImagesToTransfer>0</pwg:ImagesToTransfer>
      <pwg:JobState>Processing</pwg:JobState><pwg:JobStateReasons><pwg:JobStateReason>JobScanning</pwg:JobStateReason></pwg:JobStateReasons></scan:JobInfo>
    <scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/1</pwg:JobUri><pwg:JobState>Completed</pwg:JobState></scan:JobInfo>
  </scan:Jobs>
</scan:ScannerStatus>)";
  ScannerStatus s = decode_status(doc);
  EXPECT_EQ(s.state, "Processing");
  EXPECT_EQ(s.adf_state, "ScannerAdfEmpty");
  ASSERT_EQ(s.jobs.size(), 2u);
  EXPECT_EQ(s.jobs[0].uuid, "1876-0002");
  EXPECT_EQ(s.jobs[0].images_completed, 1);
  EXPECT_EQ(s.jobs[0].reasons, std::vector<std::string>{"JobScanning"});
  ASSERT_NE(s.job("/eSCL/ScanJobs/2"), nullptr);
  EXPECT_EQ(s.job("/eSCL/ScanJobs/2")->state, "Processing");
  EXPECT_EQ(s.job("/eSCL/ScanJobs/1")->state, "Completed");
  EXPECT_EQ(s.job("/eSCL/ScanJobs/3"), nullptr);
  EXPECT_THROW(decode_status("<scan:ScannerStatus xmlns:scan=\"http://schemas.hp.com/imaging/escl/2011/05/03\"/>"),
               ProtocolError);
  EXPECT_THROW(decode_status("<html><body>404</body></html>"), ProtocolError);
}

TEST(EsclImageInfo, Decodes) {
  ImageInfo i = decode_image_info(R"(<scan:ScanImageInfo xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03"
    xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:JobUri>/eSCL/ScanJobs/7</pwg:JobUri>
    <scan:ActualWidth>1700</scan:ActualWidth><scan:ActualHeight>2420</scan:ActualHeight>
    <scan:ActualBytesPerLine>5248</scan:ActualBytesPerLine></scan:ScanImageInfo>)");
  EXPECT_EQ(i.width, 1700);
  EXPECT_EQ(i.height, 2420);
  EXPECT_EQ(i.bytes_per_line, 5248);
  EXPECT_THROW(decode_image_info("<x/>"), ProtocolError);
}

TEST(EsclLocation, EveryShapeSeenInTheField) {
  EXPECT_EQ(job_path_from_location("http://192.168.0.20/eSCL/ScanJobs/1cdb8df1-2898-1f0a-9962-3822e23ba011"),
            "/eSCL/ScanJobs/1cdb8df1-2898-1f0a-9962-3822e23ba011");
  EXPECT_EQ(job_path_from_location("http://192.168.4.71:80/eSCL/ScanJobs/usiejrug-n5h4"),
            "/eSCL/ScanJobs/usiejrug-n5h4");
  EXPECT_EQ(job_path_from_location("/eSCL/ScanJobs/2/"), "/eSCL/ScanJobs/2");
  EXPECT_EQ(job_path_from_location("/eSCL/ScanJobs/1005"), "/eSCL/ScanJobs/1005");
  EXPECT_EQ(job_path_from_location("http://CN26F178X605SZ.03f011b0.hpLedmUSB/eSCL/ScanJobs/9"), "/eSCL/ScanJobs/9");
  EXPECT_EQ(job_path_from_location("http://[fe80/eSCL/ScanJobs/4060"), "/eSCL/ScanJobs/4060");
  EXPECT_EQ(job_path_from_location("https://[fe80::1%25eth0]:443/eSCL/ScanJobs/5"), "/eSCL/ScanJobs/5");
  EXPECT_EQ(job_path_from_location("  /eSCL/ScanJobs/6?x=1 "), "/eSCL/ScanJobs/6");
  EXPECT_FALSE(job_path_from_location(""));
  EXPECT_FALSE(job_path_from_location("http://host"));
  EXPECT_FALSE(job_path_from_location("/"));
  EXPECT_FALSE(job_path_from_location("relative/path"));
  EXPECT_FALSE(job_path_from_location("/eSCL/Scan Jobs/1"));
}

TEST(EsclCapabilities, LegacyResolutionListAndColorReferences) {
  // One scan:Resolution listing several values, colour modes as ColorReferences.
  Capabilities c =
      decode_capabilities(R"(<scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/02/08"
      xmlns:pwg2="http://www.hp.com/schemas/imaging/con/pwg/sm/1.0/"><scan:Platen><scan:PlatenInputCaps>
      <scan:MaxWidth>2550</scan:MaxWidth><scan:MaxHeight>3508</scan:MaxHeight>
      <scan:SupportedResolutions><scan:Resolution><scan:XResolution>600</scan:XResolution><scan:XResolution>75</scan:XResolution>
        <scan:XResolution>300</scan:XResolution></scan:Resolution></scan:SupportedResolutions>
      <scan:ColorReferences><scan:ColorReference>RGB24</scan:ColorReference><scan:ColorReference>Grayscale8</scan:ColorReference></scan:ColorReferences>
      <scan:DocumentFormats><pwg2:DocumentFormat>image/jpeg</pwg2:DocumentFormat></scan:DocumentFormats>
    </scan:PlatenInputCaps></scan:Platen></scan:ScannerCapabilities>)");
  ASSERT_TRUE(c.scanner.platen);
  EXPECT_EQ(c.scanner.platen->resolutions, ints({75, 300, 600}));
  ASSERT_EQ(c.scanner.platen->modes.size(), 2u);
  EXPECT_TRUE(c.scanner.platen->mode(ColorMode::Gray));
  EXPECT_TRUE(c.scanner.platen->mode(ColorMode::Color)->jpeg);
}
