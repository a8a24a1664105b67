#include "backend/wsd/soap_envelope.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>

#include "backend/scan/xml_values.hpp"
#include "base/ascii.hpp"
#include "hpaio/xml/soap_body.hpp"
#include "hpaio/xml/xml_namespaces.hpp"

namespace hpaio::backend::wsd {
namespace {

using xml::Element;

constexpr std::span<const std::string_view> soap_ns{ns::soap_any};
constexpr std::string_view anonymous = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";

// The local part of a QName in element text ("wscn:ClientErrorNoImagesAvailable").
std::string local_part(std::string_view qname) {
  qname = trim_blanks(qname);
  const std::size_t colon = qname.rfind(':');
  return std::string(colon == std::string_view::npos ? qname : qname.substr(colon + 1));
}

bool in(std::span<const std::string_view> namespaces, std::string_view uri) {
  return std::find(namespaces.begin(), namespaces.end(), uri) != namespaces.end();
}

const Element* first_child(const Element* e) {
  return e == nullptr || e->children().empty() ? nullptr : &e->children().front();
}

Fault read_fault(const Element& f) {
  Fault out;
  if (f.ns() == ns::soap12) {
    const Element* code = f.child(f.ns(), "Code");
    out.code = local_part(xmlv::text_child(code, soap_ns, "Value"));
    out.subcode = local_part(xmlv::text_child(xmlv::child(code, soap_ns, "Subcode"), soap_ns, "Value"));
    out.reason = xmlv::text_child(xmlv::child(&f, soap_ns, "Reason"), soap_ns, "Text");
  } else {
    // SOAP 1.1: faultcode and faultstring, unqualified (or, wrongly, in the envelope's namespace);
    // a WS-Scan fault names itself in faultcode.
    const auto text = [&](std::string_view name) {
      return f.child_text("", name).value_or(f.child_text(f.ns(), name).value_or(""));
    };
    const std::string code = local_part(text("faultcode"));
    static constexpr std::array<std::string_view, 4> generic{"Client", "Server", "VersionMismatch", "MustUnderstand"};
    if (std::find(generic.begin(), generic.end(), code) != generic.end()) {
      out.code = code;
    } else {
      out.subcode = code;
    }
    out.reason = text("faultstring");
  }
  out.kind = fault_kind(out.subcode);
  return out;
}

}  // namespace

std::string new_message_id() {
  std::random_device rd;
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < b.size(); i += 4) {
    const std::uint32_t v = rd();
    for (std::size_t k = 0; k < 4; ++k) b[i + k] = static_cast<std::uint8_t>(v >> (8 * k));
  }
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "urn:uuid:";
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 15];
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c; break;
    }
  }
  return out;
}

std::string envelope(const Addressing& to, std::string_view action, std::string_view body) {
  std::string out;
  out.reserve(body.size() + 900);
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<soap:Envelope xmlns:soap=\"";
  out += ns::soap12;
  out += "\" xmlns:wsa=\"";
  out += ns::wsa;
  out += "\" xmlns:wscn=\"";
  out += ns::wsd_scan;
  out += "\"><soap:Header><wsa:MessageID>";
  out += xml_escape(to.message_id);
  out += "</wsa:MessageID><wsa:To>";
  out += xml_escape(to.to);
  out += "</wsa:To><wsa:ReplyTo><wsa:Address>";
  out += anonymous;
  out += "</wsa:Address></wsa:ReplyTo><wsa:Action>";
  out += xml_escape(action);
  out += "</wsa:Action></soap:Header><soap:Body>";
  out += body;
  out += "</soap:Body></soap:Envelope>\n";
  return out;
}

Fault::Kind fault_kind(std::string_view s) {
  using K = Fault::Kind;
  if (s == "ClientErrorNoImagesAvailable") return K::no_images_available;
  if (s == "ServerErrorNotAcceptingJobs") return K::not_accepting_jobs;
  if (s == "ServerErrorTemporaryError") return K::temporary_error;
  if (s == "ClientErrorJobIdNotFound") return K::job_id_not_found;
  if (s == "ClientErrorInvalidJobToken") return K::invalid_job_token;
  if (s == "ClientErrorJobCancelled" || s == "ClientErrorJobCanceled") return K::job_cancelled;
  if (s == "ServerErrorInternalError") return K::internal_error;
  // The rest of the client errors say the request was wrong (a ticket value out of range, a format
  // not supported).
  if (s == "InvalidArgs" || s.starts_with("ClientError")) return K::invalid_args;
  return K::other;
}

std::string Fault::describe() const {
  std::string out = subcode.empty() ? (code.empty() ? std::string("SOAP fault") : code) : subcode;
  if (!reason.empty()) out += " (" + reason + ")";
  return out;
}

std::optional<Fault> find_fault(std::string_view xml) {
  std::optional<Element> root = xml::try_parse(xml);
  if (!root) return std::nullopt;
  const Element* body = xml::soap_body(*root);
  if (body == nullptr) return std::nullopt;
  const Element* fault = body->child(root->ns(), "Fault");
  if (fault == nullptr) return std::nullopt;
  return read_fault(*fault);
}

Element body_element(std::string_view xml, std::span<const std::string_view> namespaces, std::string_view name,
                     std::string_view what) {
  const Element root = xmlv::parse_document(xml, what);
  const Element* body = xml::soap_body(root);
  if (body == nullptr) throw ProtocolError(std::string(what) + ": not a SOAP envelope with a Body");
  const Element* e = first_child(body);
  if (e == nullptr) throw ProtocolError(std::string(what) + ": an empty SOAP Body");
  if (e->name() == "Fault" && e->ns() == root.ns()) {
    throw ProtocolError(std::string(what) + ": SOAP fault " + read_fault(*e).describe());
  }
  if (e->name() != name || !in(namespaces, e->ns())) {
    throw ProtocolError(std::string(what) + ": the SOAP Body holds {" + e->ns() + "}" + e->name());
  }
  return *e;
}

}  // namespace hpaio::backend::wsd
