// WS-Discovery messages of our own, shaped as HP devices send them, for the wsdd tests.
#pragma once

#include <string>
#include <string_view>

namespace wsdd_test {

// ProbeMatches relating to `relates_to`, prefixes chosen unlike ours, SOAP 1.2.
inline std::string probe_matches(std::string_view relates_to, std::string_view xaddrs,
                                 std::string_view endpoint = "urn:uuid:4509a320-00a0-008f-00b6-002507510eca") {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"
  xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"
  xmlns:dp="http://schemas.xmlsoap.org/ws/2006/02/devprof" xmlns:s="http://schemas.microsoft.com/windows/2006/08/wdp/scan">
 <SOAP-ENV:Header><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>
  <a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action>
  <a:MessageID>urn:uuid:2d3e0000-0000-4000-8000-000000000001</a:MessageID>
  <a:RelatesTo>)") +
         std::string(relates_to) + R"(</a:RelatesTo>
  <d:AppSequence InstanceId="7" MessageNumber="1"/></SOAP-ENV:Header>
 <SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>
  <a:EndpointReference><a:Address>)" +
         std::string(endpoint) + R"(</a:Address></a:EndpointReference>
  <d:Types>dp:Device s:ScanDeviceType</d:Types>
  <d:XAddrs>)" +
         std::string(xaddrs) + R"(</d:XAddrs>
  <d:MetadataVersion>3</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>
)";
}

// A GetResponse: ThisModel, ThisDevice, a Host and two Hosted services (print, then scan).
inline constexpr std::string_view metadata = R"(<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
  xmlns:mex="http://schemas.xmlsoap.org/ws/2004/09/mex" xmlns:dpws="http://schemas.xmlsoap.org/ws/2006/02/devprof">
 <env:Header><wsa:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</wsa:Action></env:Header>
 <env:Body><mex:Metadata>
  <mex:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisModel"><dpws:ThisModel>
   <dpws:Manufacturer xml:lang="en">HP</dpws:Manufacturer><dpws:Manufacturer xml:lang="de">HP Inc.</dpws:Manufacturer>
   <dpws:ModelName xml:lang="en">HP Color LaserJet MFP M477fdw</dpws:ModelName></dpws:ThisModel></mex:MetadataSection>
  <mex:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisDevice"><dpws:ThisDevice>
   <dpws:FriendlyName>HP Color LaserJet MFP M477fdw [8F0ECA]</dpws:FriendlyName>
   <dpws:SerialNumber>CNB9K00000</dpws:SerialNumber></dpws:ThisDevice></mex:MetadataSection>
  <mex:MetadataSection Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/Relationship">
   <dpws:Relationship Type="http://schemas.xmlsoap.org/ws/2006/02/devprof/host">
    <dpws:Host><wsa:EndpointReference><wsa:Address>urn:uuid:4509a320-00a0-008f-00b6-002507510eca</wsa:Address></wsa:EndpointReference>
     <dpws:Types xmlns:p="http://schemas.microsoft.com/windows/2006/08/wdp/print">dpws:Device p:PrintDeviceType</dpws:Types></dpws:Host>
    <dpws:Hosted xmlns:p="http://schemas.microsoft.com/windows/2006/08/wdp/print"><wsa:EndpointReference><wsa:Address>http://192.0.2.10:3911/</wsa:Address></wsa:EndpointReference>
     <dpws:Types>p:PrinterServiceType</dpws:Types></dpws:Hosted>
    <dpws:Hosted xmlns:sc="http://schemas.microsoft.com/windows/2006/08/wdp/scan"><wsa:EndpointReference><wsa:Address>http://192.0.2.10:3911/scanner</wsa:Address></wsa:EndpointReference>
     <dpws:Types>sc:ScannerServiceType</dpws:Types></dpws:Hosted>
   </dpws:Relationship></mex:MetadataSection>
 </mex:Metadata></env:Body></env:Envelope>
)";

}  // namespace wsdd_test
