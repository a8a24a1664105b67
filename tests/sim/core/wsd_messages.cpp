#include "tests/sim/core/wsd_messages.hpp"

#include <sstream>

namespace hpsim {

using hpaio::xml::Element;

std::optional<SoapRequest> parse_soap_request(std::string_view document, std::string* error) {
  const auto fail = [&](std::string why) -> std::optional<SoapRequest> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  std::string err;
  auto doc = hpaio::xml::try_parse(document, &err);
  if (!doc) return fail("not well-formed: " + err);
  if (!doc->is(kSoap12Ns, "Envelope")) return fail("not a SOAP 1.2 Envelope");
  SoapRequest r;
  if (const Element* h = doc->child(kSoap12Ns, "Header")) {
    r.action = h->child_text(kWsaNs, "Action").value_or("");
    r.message_id = h->child_text(kWsaNs, "MessageID").value_or("");
    r.to = h->child_text(kWsaNs, "To").value_or("");
  }
  const Element* body = doc->child(kSoap12Ns, "Body");
  if (body == nullptr) return fail("no soap:Body");
  // An empty Body (a WS-Transfer Get) is an element in no namespace named Empty.
  r.body = body->children().empty() ? hpaio::xml::parse("<Empty/>") : body->children().front();
  return r;
}

std::string wscn_operation(std::string_view action) {
  const std::string_view prefix = kWscnActionPrefix;
  if (!action.starts_with(prefix)) return {};
  return std::string(action.substr(prefix.size()));
}

std::string_view qname_local(std::string_view qname) {
  const auto c = qname.find(':');
  return c == std::string_view::npos ? qname : qname.substr(c + 1);
}

namespace {

std::string envelope_with(std::string_view action, std::string_view relates_to, std::string_view body,
                          std::string_view message_id) {
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soap:Envelope xmlns:soap=\"" << kSoap12Ns << "\" xmlns:wsa=\""
    << kWsaNs << "\" xmlns:wscn=\"" << kWscnNs << "\" xmlns:xop=\"" << kXopNs << "\"><soap:Header><wsa:To>"
    << kWsaAnonymous << "</wsa:To><wsa:Action>" << action << "</wsa:Action><wsa:MessageID>" << message_id
    << "</wsa:MessageID>";
  if (!relates_to.empty()) o << "<wsa:RelatesTo>" << relates_to << "</wsa:RelatesTo>";
  o << "</soap:Header><soap:Body>" << body << "</soap:Body></soap:Envelope>\n";
  return o.str();
}

}  // namespace

std::string soap_envelope(std::string_view action, std::string_view relates_to, std::string_view body,
                          std::string_view message_id) {
  return envelope_with(action, relates_to, body, message_id);
}

std::string soap_fault_envelope(std::string_view relates_to, bool client, std::string_view subcode,
                                std::string_view reason, std::string_view message_id) {
  std::ostringstream b;
  b << "<soap:Fault><soap:Code><soap:Value>" << (client ? "soap:Sender" : "soap:Receiver")
    << "</soap:Value><soap:Subcode><soap:Value>" << subcode
    << "</soap:Value></soap:Subcode></soap:Code><soap:Reason><soap:Text xml:lang=\"en\">" << reason
    << "</soap:Text></soap:Reason></soap:Fault>";
  return envelope_with(kWsaFaultAction, relates_to, b.str(), message_id);
}

Response soap_response(std::string envelope, int status) {
  Response r;
  r.status = status;
  r.body = std::move(envelope);
  r.set_header("Content-Type", "application/soap+xml; charset=utf-8");
  r.framing = Framing::content_length;
  return r;
}

Response mtom_response(std::string_view envelope, std::string_view cid, std::string_view image,
                       std::string_view boundary) {
  Response r;
  std::string& b = r.body;
  b.reserve(envelope.size() + image.size() + 512);
  b += "--";
  b += boundary;
  b += "\r\nContent-Type: application/xop+xml; charset=utf-8; type=\"application/soap+xml\"\r\n"
       "Content-Transfer-Encoding: binary\r\nContent-ID: <root.message@hpaio-sim>\r\n\r\n";
  b += envelope;
  b += "\r\n--";
  b += boundary;
  b += "\r\nContent-Type: application/binary\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <";
  b += cid;
  b += ">\r\n\r\n";
  b += image;
  b += "\r\n--";
  b += boundary;
  b += "--\r\n";
  r.set_header("Content-Type", "multipart/related; type=\"application/xop+xml\"; boundary=" + std::string(boundary) +
                                   "; start=\"<root.message@hpaio-sim>\"; start-info=\"application/soap+xml\"");
  r.set_header("MIME-Version", "1.0");
  r.framing = Framing::chunked;
  r.chunk_size = 32768;
  return r;
}

}  // namespace hpsim
