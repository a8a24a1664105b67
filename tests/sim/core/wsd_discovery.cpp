#include "tests/sim/core/wsd_discovery.hpp"

#include <sstream>
#include <vector>

#include "base/ascii.hpp"
#include "hpaio/xml/xml_tree.hpp"
#include "tests/sim/core/sim_config.hpp"
#include "tests/sim/core/wsd_messages.hpp"

namespace hpsim {

std::string wsd_endpoint(const Profile& p) { return "urn:uuid:" + p.uuid; }

std::string without_zone(std::string_view authority) {
  const auto percent = authority.find('%');
  const auto bracket = authority.find(']');
  if (percent == std::string_view::npos || bracket == std::string_view::npos || percent > bracket) {
    return std::string(authority);
  }
  return std::string(authority.substr(0, percent)) + std::string(authority.substr(bracket));
}

namespace {

// Whether a Probe's Types (a list of QNames) names only types the device has. The xml reader keeps
// no namespace declarations, so a QName's prefix is looked up in the Probe text itself.
bool types_match(std::string_view probe, std::string_view types) {
  std::istringstream in{std::string(types)};
  std::string qname;
  while (in >> qname) {
    const auto colon = qname.find(':');
    const std::string prefix = colon == std::string::npos ? "" : qname.substr(0, colon);
    const std::string local = colon == std::string::npos ? qname : qname.substr(colon + 1);
    std::string ns;
    if (!prefix.empty()) {
      const std::string decl = "xmlns:" + prefix + "=\"";
      const auto at = probe.find(decl);
      if (at != std::string_view::npos) {
        const auto start = at + decl.size();
        ns = std::string(probe.substr(start, probe.find('"', start) - start));
      }
    }
    const bool device = local == "Device" && (ns.empty() || ns == kDevprofNs);
    const bool scanner = local == "ScanDeviceType" && (ns.empty() || ns == kWscnNs);
    if (!device && !scanner) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> wsd_probe_matches(std::string_view probe, const Profile& p, std::string_view authority,
                                             unsigned message_number) {
  const auto doc = hpaio::xml::try_parse(probe);
  if (!doc || !doc->is(kSoap12Ns, "Envelope")) return std::nullopt;
  const auto* header = doc->child(kSoap12Ns, "Header");
  const auto* body = doc->child(kSoap12Ns, "Body");
  if (header == nullptr || body == nullptr) return std::nullopt;
  if (hpaio::trim_blanks(header->child_text(kWsaNs, "Action").value_or("")) != kWsdProbeAction) return std::nullopt;
  const auto* pr = body->child(kWsdDiscoveryNs, "Probe");
  if (pr == nullptr) return std::nullopt;
  if (const auto types = pr->child_text(kWsdDiscoveryNs, "Types"); types && !types_match(probe, *types)) {
    return std::nullopt;
  }
  const std::string relates = std::string(hpaio::trim_blanks(header->child_text(kWsaNs, "MessageID").value_or("")));
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soap:Envelope xmlns:soap=\"" << kSoap12Ns << "\" xmlns:wsa=\""
    << kWsaNs << "\" xmlns:wsd=\"" << kWsdDiscoveryNs << "\" xmlns:wsdp=\"" << kDevprofNs << "\" xmlns:wscn=\""
    << kWscnNs << "\"><soap:Header><wsa:To>" << kWsaAnonymous << "</wsa:To><wsa:Action>" << kWsdProbeMatchesAction
    << "</wsa:Action><wsa:MessageID>urn:uuid:5a1e0000-d15c-4c0d-9e1f-" << std::hex
    << (0x100000000000ull + message_number) << std::dec << "</wsa:MessageID>";
  if (!relates.empty()) o << "<wsa:RelatesTo>" << xml_escape(relates) << "</wsa:RelatesTo>";
  o << "<wsd:AppSequence InstanceId=\"1\" MessageNumber=\"" << message_number << "\"/></soap:Header><soap:Body>"
    << "<wsd:ProbeMatches><wsd:ProbeMatch><wsa:EndpointReference><wsa:Address>" << wsd_endpoint(p)
    << "</wsa:Address></wsa:EndpointReference><wsd:Types>wsdp:Device wscn:ScanDeviceType</wsd:Types>"
    << "<wsd:XAddrs>http://" << without_zone(authority) << kWsdDevicePath << "</wsd:XAddrs>"
    << "<wsd:MetadataVersion>1</wsd:MetadataVersion></wsd:ProbeMatch></wsd:ProbeMatches></soap:Body>"
    << "</soap:Envelope>\n";
  return o.str();
}

std::string wsd_metadata(const Profile& p, std::string_view authority, std::string_view relates_to,
                         std::string_view message_id) {
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soap:Envelope xmlns:soap=\"" << kSoap12Ns << "\" xmlns:wsa=\""
    << kWsaNs << "\" xmlns:mex=\"" << kMexNs << "\" xmlns:wsdp=\"" << kDevprofNs << "\" xmlns:wscn=\"" << kWscnNs
    << "\"><soap:Header><wsa:To>" << kWsaAnonymous << "</wsa:To><wsa:Action>" << kTransferGetResponseAction
    << "</wsa:Action><wsa:MessageID>" << message_id << "</wsa:MessageID>";
  if (!relates_to.empty()) o << "<wsa:RelatesTo>" << xml_escape(relates_to) << "</wsa:RelatesTo>";
  o << "</soap:Header><soap:Body><mex:Metadata>"
    << "<mex:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisModel\"><wsdp:ThisModel>"
    << "<wsdp:Manufacturer xml:lang=\"en\">HP</wsdp:Manufacturer><wsdp:ModelName xml:lang=\"en\">"
    << xml_escape(p.make_and_model) << "</wsdp:ModelName></wsdp:ThisModel></mex:MetadataSection>"
    << "<mex:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/ThisDevice\"><wsdp:ThisDevice>"
    << "<wsdp:FriendlyName xml:lang=\"en\">" << xml_escape(p.make_and_model) << " [" << p.serial
    << "]</wsdp:FriendlyName><wsdp:SerialNumber>" << p.serial << "</wsdp:SerialNumber></wsdp:ThisDevice>"
    << "</mex:MetadataSection>"
    << "<mex:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/Relationship\">"
    << "<wsdp:Relationship Type=\"http://schemas.xmlsoap.org/ws/2006/02/devprof/host\"><wsdp:Host>"
    << "<wsa:EndpointReference><wsa:Address>" << wsd_endpoint(p) << "</wsa:Address></wsa:EndpointReference>"
    << "<wsdp:Types>wsdp:Device wscn:ScanDeviceType</wsdp:Types><wsdp:ServiceId>" << wsd_endpoint(p)
    << "</wsdp:ServiceId></wsdp:Host><wsdp:Hosted><wsa:EndpointReference><wsa:Address>http://"
    << without_zone(authority) << p.wsd_path
    << "</wsa:Address></wsa:EndpointReference><wsdp:Types>wscn:ScannerServiceType</wsdp:Types>"
    << "<wsdp:ServiceId>uri:" << p.uuid << "/WSDScanner</wsdp:ServiceId></wsdp:Hosted></wsdp:Relationship>"
    << "</mex:MetadataSection></mex:Metadata></soap:Body></soap:Envelope>\n";
  return o.str();
}

}  // namespace hpsim
