// The Body of a SOAP envelope (1.2 or 1.1), matched by namespace URI: what WS-Scan answers and
// WS-Discovery messages carry.
#pragma once

#include <algorithm>

#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpaio::xml {

// The envelope's Body, or nullptr when `root` is not a SOAP envelope with one.
inline const Element* soap_body(const Element& root) {
  if (root.name() != "Envelope" || std::find(ns::soap_any.begin(), ns::soap_any.end(), root.ns()) == ns::soap_any.end())
    return nullptr;
  return root.child(root.ns(), "Body");
}

}  // namespace hpaio::xml
