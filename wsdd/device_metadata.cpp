#include "wsdd/device_metadata.hpp"

#include <algorithm>

#include "base/ascii.hpp"
#include "hpaio/xml/soap_body.hpp"
#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpaio::wsdd {
namespace {

using xml::Element;

std::string text_of(const Element* e, std::string_view name) {
  if (e == nullptr) return {};
  return std::string(trim_blanks(e->child_text(ns::devprof, name).value_or("")));
}

// Every descendant {ns}name, depth-first in document order.
void collect(const Element& e, std::string_view uri, std::string_view name, std::vector<const Element*>& out) {
  for (const Element& c : e.children()) {
    if (c.is(uri, name)) out.push_back(&c);
    collect(c, uri, name, out);
  }
}

bool is_scanner_service(const Element& hosted) {
  const Element* types = hosted.child(ns::devprof, "Types");
  if (types == nullptr) return false;
  const auto qnames = types->text_qnames();
  return std::any_of(qnames.begin(), qnames.end(), [](const auto& q) {
    return q.second == "ScannerServiceType" &&
           std::find(ns::wsd_scan_any.begin(), ns::wsd_scan_any.end(), q.first) != ns::wsd_scan_any.end();
  });
}

}  // namespace

std::optional<DeviceMetadata> parse_device_metadata(std::string_view document, std::string* error) {
  const auto fail = [&](std::string why) -> std::optional<DeviceMetadata> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  std::string why;
  const std::optional<Element> root = xml::try_parse(document, &why, xml::Limits{1u << 20, 32});
  if (!root) return fail(why);
  const Element* body = xml::soap_body(*root);
  if (body == nullptr)
    return fail(root->name() == "Envelope" && root->child(root->ns(), "Body") == nullptr
                    ? "a SOAP envelope without a Body"
                    : "not a SOAP envelope");
  DeviceMetadata out;
  const Element* model = body->find(ns::devprof, "ThisModel");
  out.manufacturer = text_of(model, "Manufacturer");
  out.model_name = text_of(model, "ModelName");
  const Element* device = body->find(ns::devprof, "ThisDevice");
  out.friendly_name = text_of(device, "FriendlyName");
  out.serial_number = text_of(device, "SerialNumber");
  std::vector<const Element*> hosted;
  collect(*body, ns::devprof, "Hosted", hosted);
  for (const Element* h : hosted) {
    if (!is_scanner_service(*h)) continue;
    for (const Element* epr : h->children(ns::wsa, "EndpointReference")) {
      const std::string address(trim_blanks(epr->child_text(ns::wsa, "Address").value_or("")));
      if (!address.empty()) out.scan_services.push_back(address);
    }
  }
  if (model == nullptr && hosted.empty()) return fail("no ThisModel and no Hosted service in the metadata");
  return out;
}

}  // namespace hpaio::wsdd
