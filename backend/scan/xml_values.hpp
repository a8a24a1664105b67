// Typed reads from an hpaio::xml::Element tree, shared by the LEDM and eSCL decoders.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backend/scan/scanner_capabilities.hpp"
#include "base/ascii.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpaio::backend::xmlv {

using xml::Element;

// First child named `name` in any of `namespaces`.
inline const Element* child(const Element& e, std::span<const std::string_view> namespaces, std::string_view name) {
  for (const Element& c : e.children()) {
    if (c.name() != name) continue;
    for (std::string_view ns : namespaces) {
      if (c.ns() == ns) return &c;
    }
  }
  return nullptr;
}

inline const Element* child(const Element* e, std::span<const std::string_view> namespaces, std::string_view name) {
  return e ? child(*e, namespaces, name) : nullptr;
}

// Every child named `name` in any of `namespaces`, in document order.
inline std::vector<const Element*> children(const Element* e, std::span<const std::string_view> namespaces,
                                            std::string_view name) {
  std::vector<const Element*> out;
  if (!e) return out;
  for (const Element& c : e->children()) {
    if (c.name() != name) continue;
    for (std::string_view ns : namespaces) {
      if (c.ns() == ns) {
        out.push_back(&c);
        break;
      }
    }
  }
  return out;
}

inline std::optional<int> int_child(const Element* e, std::span<const std::string_view> namespaces,
                                    std::string_view name) {
  const Element* c = child(e, namespaces, name);
  return c ? parse_int(c->text()) : std::nullopt;
}

// A whole document, or ProtocolError naming `what` and the XML error.
inline Element parse_document(std::string_view xml, std::string_view what) {
  std::string error;
  std::optional<Element> root = xml::try_parse(xml, &error);
  if (!root) throw ProtocolError(std::string(what) + ": " + error);
  return std::move(*root);
}

inline std::string text_child(const Element* e, std::span<const std::string_view> namespaces, std::string_view name) {
  const Element* c = child(e, namespaces, name);
  return c ? c->text() : std::string();
}

}  // namespace hpaio::backend::xmlv
