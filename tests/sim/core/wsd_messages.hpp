// WS-Scan (WSD) messages: SOAP 1.2 envelopes with WS-Addressing 2004/08 headers, SOAP faults, and
// the MTOM/XOP multipart/related answer that carries a scanned image. Elements are matched by
// namespace URI. Pure: strings in, strings out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hpaio/xml/xml_tree.hpp"
#include "tests/sim/core/http_message.hpp"

namespace hpsim {

inline constexpr const char* kSoap12Ns = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr const char* kWsaNs = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
inline constexpr const char* kWscnNs = "http://schemas.microsoft.com/windows/2006/08/wdp/scan";
inline constexpr const char* kXopNs = "http://www.w3.org/2004/08/xop/include";
// Actions are this prefix + the operation name; answers add "Response".
inline constexpr const char* kWscnActionPrefix = "http://schemas.microsoft.com/windows/2006/08/wdp/scan/";
inline constexpr const char* kWsaFaultAction = "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault";
inline constexpr const char* kWsaAnonymous = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";

// A request envelope: its WS-Addressing headers and the first element of its Body.
struct SoapRequest {
  std::string action;
  std::string message_id;
  std::string to;
  hpaio::xml::Element body;  // the operation element (e.g. wscn:CreateScanJobRequest); <Empty/> for none
};

// Parses a SOAP 1.2 envelope; nullopt and *error when it is not one (not well-formed, no Body).
std::optional<SoapRequest> parse_soap_request(std::string_view document, std::string* error);

// The operation name of a WS-Scan action ("CreateScanJob"), empty for another namespace.
std::string wscn_operation(std::string_view action);

// An answer envelope: Action, a fresh MessageID, RelatesTo = the request's MessageID, To anonymous;
// `body` is the Body's content (elements using the prefixes soap, wsa, wscn, declared on the root).
std::string soap_envelope(std::string_view action, std::string_view relates_to, std::string_view body,
                          std::string_view message_id);

// A SOAP 1.2 fault: Code soap:Sender (client) or soap:Receiver, Subcode `subcode` (a QName with the
// prefix wscn or wsa: "wscn:ClientErrorNoImagesAvailable"), Reason.
std::string soap_fault_envelope(std::string_view relates_to, bool client, std::string_view subcode,
                                std::string_view reason, std::string_view message_id);

// The HTTP answers: application/soap+xml (faults: 400 for Sender, 500 for Receiver, as SOAP 1.2's
// HTTP binding says), and the MTOM one for an image.
Response soap_response(std::string envelope, int status = 200);
// multipart/related; type="application/xop+xml": the envelope (application/xop+xml) whose
// xop:Include names the second part by `cid`, then `image` as application/binary.
Response mtom_response(std::string_view envelope, std::string_view cid, std::string_view image,
                       std::string_view boundary);

// The text value of a QName in element content ("wscn:ScannerStatus" -> "ScannerStatus").
std::string_view qname_local(std::string_view qname);

}  // namespace hpsim
