// WS-Scan answers for the tests, written for this project after Microsoft's schema: shaped like an
// HP LaserJet Pro MFP's (scan-types 4, 5, 8), each with prefixes of its own, since answers are read
// by namespace URI.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hpaio::test::wsd {

// An answer's SOAP 1.2 envelope around `body`, whose elements use the prefix "sc" for the scan
// namespace.
inline std::string envelope(std::string_view body, std::string_view action = "") {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
    xmlns:adr="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:sc="http://schemas.microsoft.com/windows/2006/08/wdp/scan">
  <env:Header>
    <adr:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</adr:To>
    <adr:Action>)";
  out += action;
  out += R"(</adr:Action>
    <adr:MessageID>urn:uuid:0b5c3f9e-2d41-4c7e-9a55-7f1e6a2b9c10</adr:MessageID>
    <adr:RelatesTo>urn:uuid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee</adr:RelatesTo>
  </env:Header>
  <env:Body>)";
  out += body;
  out += "</env:Body>\n</env:Envelope>\n";
  return out;
}

// A flatbed-only model that offers nothing but dib (as the M127fn does): 75-1200 dpi widths, up to
// 600 dpi heights, A4/letter glass.
inline const std::string caps_flatbed_dib = envelope(R"(
<sc:GetScannerElementsResponse><sc:ScannerElements>
 <sc:ElementData Name="sc:ScannerDescription" Valid="true"><sc:ScannerDescription>
   <sc:ScannerName xml:lang="en">HP LaserJet MFP M127fn</sc:ScannerName>
   <sc:ScannerInfo xml:lang="en">Scanner</sc:ScannerInfo>
 </sc:ScannerDescription></sc:ElementData>
 <sc:ElementData Name="sc:ScannerConfiguration" Valid="true"><sc:ScannerConfiguration>
  <sc:DeviceSettings>
   <sc:FormatsSupported><sc:FormatValue>dib</sc:FormatValue></sc:FormatsSupported>
   <sc:ContentTypesSupported><sc:ContentTypeValue>Auto</sc:ContentTypeValue></sc:ContentTypesSupported>
   <sc:DocumentSizeAutoDetectSupported>false</sc:DocumentSizeAutoDetectSupported>
   <sc:AutoExposureSupported>false</sc:AutoExposureSupported>
   <sc:BrightnessSupported>false</sc:BrightnessSupported>
   <sc:ContrastSupported>false</sc:ContrastSupported>
  </sc:DeviceSettings>
  <sc:Platen>
   <sc:PlatenOpticalResolution><sc:Width>1200</sc:Width><sc:Height>1200</sc:Height></sc:PlatenOpticalResolution>
   <sc:PlatenResolutions>
    <sc:Widths><sc:Width>75</sc:Width><sc:Width>100</sc:Width><sc:Width>150</sc:Width><sc:Width>200</sc:Width>
      <sc:Width>300</sc:Width><sc:Width>600</sc:Width><sc:Width>1200</sc:Width></sc:Widths>
    <sc:Heights><sc:Height>75</sc:Height><sc:Height>100</sc:Height><sc:Height>150</sc:Height><sc:Height>200</sc:Height>
      <sc:Height>300</sc:Height><sc:Height>600</sc:Height></sc:Heights>
   </sc:PlatenResolutions>
   <sc:PlatenColor><sc:ColorEntry>BlackAndWhite1</sc:ColorEntry><sc:ColorEntry>Grayscale8</sc:ColorEntry>
     <sc:ColorEntry>RGB24</sc:ColorEntry><sc:ColorEntry>RGB48</sc:ColorEntry></sc:PlatenColor>
   <sc:PlatenMinimumSize><sc:Width>10</sc:Width><sc:Height>10</sc:Height></sc:PlatenMinimumSize>
   <sc:PlatenMaximumSize><sc:Width>8500</sc:Width><sc:Height>11693</sc:Height></sc:PlatenMaximumSize>
  </sc:Platen>
 </sc:ScannerConfiguration></sc:ElementData>
 <sc:ElementData Name="sc:ScannerStatus" Valid="true"><sc:ScannerStatus>
   <sc:ScannerCurrentTime>2024-05-01T10:00:00Z</sc:ScannerCurrentTime>
   <sc:ScannerState>Idle</sc:ScannerState>
   <sc:ScannerStateReasons><sc:ScannerStateReason>None</sc:ScannerStateReason></sc:ScannerStateReasons>
 </sc:ScannerStatus></sc:ElementData>
</sc:ScannerElements></sc:GetScannerElementsResponse>)",
                                                     "http://schemas.microsoft.com/windows/2006/08/wdp/scan/"
                                                     "GetScannerElementsResponse");

// A model with a glass and a duplex feeder (front and back described), JPEG (exif and jfif), dib,
// a quality range and exposure settings. Its scan namespace prefix is the default one.
inline const std::string caps_duplex_feeder = R"(<?xml version="1.0" encoding="utf-8"?>
<s12:Envelope xmlns:s12="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing">
 <s12:Header><a:Action>http://schemas.microsoft.com/windows/2006/08/wdp/scan/GetScannerElementsResponse</a:Action></s12:Header>
 <s12:Body>
 <GetScannerElementsResponse xmlns="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><ScannerElements>
  <ElementData Name="wscn:ScannerConfiguration" Valid="true"><ScannerConfiguration>
   <DeviceSettings>
    <FormatsSupported><FormatValue>exif</FormatValue><FormatValue>jfif</FormatValue><FormatValue>dib</FormatValue>
      <FormatValue>pdf-a</FormatValue></FormatsSupported>
    <CompressionQualityFactorSupported><MinValue>1</MinValue><MaxValue>100</MaxValue></CompressionQualityFactorSupported>
    <BrightnessSupported>true</BrightnessSupported>
    <ContrastSupported>1</ContrastSupported>
   </DeviceSettings>
   <Platen>
    <PlatenResolutions><Widths><Width>150</Width><Width>300</Width><Width>600</Width></Widths>
      <Heights><Height>150</Height><Height>300</Height><Height>600</Height></Heights></PlatenResolutions>
    <PlatenColor><ColorEntry>RGB24</ColorEntry><ColorEntry>Grayscale8</ColorEntry></PlatenColor>
    <PlatenMinimumSize><Width>1000</Width><Height>1000</Height></PlatenMinimumSize>
    <PlatenMaximumSize><Width>8500</Width><Height>14000</Height></PlatenMaximumSize>
   </Platen>
   <ADF>
    <ADFSupportsDuplex>false</ADFSupportsDuplex>
    <ADFFront>
     <ADFResolutions><Widths><Width>150</Width><Width>300</Width></Widths><Heights><Height>150</Height><Height>300</Height></Heights></ADFResolutions>
     <ADFColor><ColorEntry>BlackAndWhite1</ColorEntry><ColorEntry>Grayscale8</ColorEntry><ColorEntry>RGB24</ColorEntry></ADFColor>
     <ADFMinimumSize><Width>4000</Width><Height>5000</Height></ADFMinimumSize>
     <ADFMaximumSize><Width>8500</Width><Height>14000</Height></ADFMaximumSize>
    </ADFFront>
    <ADFBack>
     <ADFResolutions><Widths><Width>300</Width></Widths><Heights><Height>300</Height></Heights></ADFResolutions>
     <ADFColor><ColorEntry>Grayscale8</ColorEntry><ColorEntry>RGB24</ColorEntry></ADFColor>
     <ADFMinimumSize><Width>4000</Width><Height>5000</Height></ADFMinimumSize>
     <ADFMaximumSize><Width>8500</Width><Height>11693</Height></ADFMaximumSize>
    </ADFBack>
   </ADF>
  </ScannerConfiguration></ElementData>
  <ElementData Name="wscn:ScannerDescription" Valid="true"><ScannerDescription>
    <ScannerName>HP Color LaserJet Pro MFP M477fdw</ScannerName></ScannerDescription></ElementData>
 </ScannerElements></GetScannerElementsResponse>
 </s12:Body>
</s12:Envelope>
)";

// A ScannerStatus answer.
inline std::string scanner_status(std::string_view state, const std::vector<std::string>& reasons = {},
                                  const std::vector<std::pair<std::string, std::string>>& conditions = {}) {
  std::string body = R"(<sc:GetScannerElementsResponse><sc:ScannerElements>
 <sc:ElementData Name="sc:ScannerStatus" Valid="true"><sc:ScannerStatus>
  <sc:ScannerCurrentTime>2024-05-01T10:00:00Z</sc:ScannerCurrentTime>
  <sc:ScannerState>)";
  body += state;
  body += "</sc:ScannerState>\n";
  if (!conditions.empty()) {
    body += "  <sc:ActiveConditions>";
    for (const auto& [component, name] : conditions) {
      body += R"(<sc:DeviceCondition><sc:Time>2024-05-01T09:59:00Z</sc:Time><sc:Name>)" + name +
              "</sc:Name><sc:Component>" + component + "</sc:Component><sc:Severity>Critical</sc:Severity>" +
              "</sc:DeviceCondition>";
    }
    body += "</sc:ActiveConditions>\n";
  }
  body += "  <sc:ScannerStateReasons>";
  if (reasons.empty()) body += "<sc:ScannerStateReason>None</sc:ScannerStateReason>";
  for (const std::string& r : reasons) body += "<sc:ScannerStateReason>" + r + "</sc:ScannerStateReason>";
  body +=
      "</sc:ScannerStateReasons>\n "
      "</sc:ScannerStatus></sc:ElementData>\n</sc:ScannerElements></sc:GetScannerElementsResponse>";
  return envelope(body);
}

// A CreateScanJobResponse.
inline std::string created_job(std::string_view id, std::string_view token, std::string_view format = "dib",
                               std::string_view source = "Platen") {
  std::string body = "<sc:CreateScanJobResponse><sc:JobId>";
  body += id;
  body += "</sc:JobId><sc:JobToken>";
  body += token;
  body += R"(</sc:JobToken>
 <sc:ImageInformation><sc:MediaFrontImageInfo><sc:PixelsPerLine>2550</sc:PixelsPerLine>
   <sc:NumberOfLines>3507</sc:NumberOfLines><sc:BytesPerLine>7652</sc:BytesPerLine></sc:MediaFrontImageInfo></sc:ImageInformation>
 <sc:DocumentFinalParameters>
  <sc:Format>)";
  body += format;
  body += "</sc:Format><sc:ImagesToTransfer>1</sc:ImagesToTransfer><sc:InputSource>";
  body += source;
  body += R"(</sc:InputSource>
  <sc:MediaSides><sc:MediaFront><sc:ColorProcessing>RGB24</sc:ColorProcessing>
   <sc:Resolution><sc:Width>300</sc:Width><sc:Height>300</sc:Height></sc:Resolution></sc:MediaFront></sc:MediaSides>
 </sc:DocumentFinalParameters>
</sc:CreateScanJobResponse>)";
  return envelope(body);
}

// A SOAP 1.2 fault: Code/Value `code` (Sender, Receiver), Subcode/Value sc:`subcode`.
inline std::string fault(std::string_view code, std::string_view subcode, std::string_view reason = "") {
  std::string body = "<env:Fault><env:Code><env:Value>env:";
  body += code;
  body += "</env:Value><env:Subcode><env:Value>sc:";
  body += subcode;
  body += "</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang=\"en\">";
  body += reason;
  body += "</env:Text></env:Reason><env:Detail/></env:Fault>";
  return envelope(body, "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault");
}

// A GetJobElements answer with the job's JobStatus.
inline std::string job_status(std::string_view id, std::string_view state, std::string_view reason = "None") {
  std::string body = R"(<sc:GetJobElementsResponse><sc:JobElements><sc:ElementData Name="sc:JobStatus" Valid="true">
 <sc:JobStatus><sc:JobId>)";
  body += id;
  body += "</sc:JobId><sc:JobState>";
  body += state;
  body += "</sc:JobState><sc:JobStateReasons><sc:JobStateReason>";
  body += reason;
  body +=
      "</sc:JobStateReason></sc:JobStateReasons><sc:ScansCompleted>2</sc:ScansCompleted>"
      "</sc:JobStatus></sc:ElementData></sc:JobElements></sc:GetJobElementsResponse>";
  return envelope(body);
}

}  // namespace hpaio::test::wsd
