// A small read-only XML element tree with namespaces resolved to URIs.
//
// Parsing is done by Boost.PropertyTree's XML parser; this module then resolves every
// `xmlns` / `xmlns:p` declaration in scope, so callers match elements by (namespace URI,
// local name) and never by prefix or by position. Before anything is handed to the parser
// the input is checked against a size bound and a nesting-depth bound, so hostile input
// cannot exhaust memory or the stack.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpaio::xml {

// Thrown for malformed XML, an unbound prefix, or input beyond the limits.
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Limits {
  std::size_t max_bytes = 4u * 1024u * 1024u;  // whole document
  std::size_t max_depth = 64;                  // element nesting
};

// The namespace declarations of one element, linked to its parent's (xml_tree.cpp).
struct NamespaceScope;

struct Attribute {
  std::string ns;    // namespace URI; empty for unprefixed attributes
  std::string name;  // local name
  std::string value;
};

class Element {
 public:
  const std::string& ns() const noexcept { return ns_; }
  const std::string& name() const noexcept { return name_; }
  // Character data directly inside this element, leading/trailing whitespace trimmed.
  const std::string& text() const noexcept { return text_; }
  const std::vector<Attribute>& attributes() const noexcept { return attributes_; }
  const std::vector<Element>& children() const noexcept { return children_; }

  bool is(std::string_view ns, std::string_view name) const noexcept { return ns_ == ns && name_ == name; }
  // First child with this namespace URI and local name, or nullptr.
  const Element* child(std::string_view ns, std::string_view name) const noexcept;
  // All children with this namespace URI and local name, in document order.
  std::vector<const Element*> children(std::string_view ns, std::string_view name) const;
  // Text of the first matching child, or nullopt when there is none.
  std::optional<std::string> child_text(std::string_view ns, std::string_view name) const;
  // First descendant (depth-first, document order) with this name, or nullptr.
  const Element* find(std::string_view ns, std::string_view name) const noexcept;
  std::optional<std::string> attribute(std::string_view ns, std::string_view name) const;
  // The namespace URI `prefix` ("" = the default namespace) is bound to where this element stands,
  // for QNames in text ("wscn:ScannerServiceType"); nullopt when it is unbound.
  std::optional<std::string> namespace_of(std::string_view prefix) const;
  // The text as a white-space separated list of QNames (WS-Discovery's Types), each resolved to
  // (namespace URI, local name) where this element stands (an unprefixed one in the default namespace,
  // or in none); a QName with an unbound prefix is left out.
  std::vector<std::pair<std::string, std::string>> text_qnames() const;

 private:
  friend class TreeBuilder;
  std::string ns_;
  std::string name_;
  std::string text_;
  std::vector<Attribute> attributes_;
  std::vector<Element> children_;
  // The namespaces in scope: this element's own declarations, then its ancestors' (the parent's node
  // when it declares none). Each declaration is stored once, however many elements it covers.
  std::shared_ptr<const NamespaceScope> scope_;
};

// Parses a whole document and returns its root element. Throws ParseError.
Element parse(std::string_view document, const Limits& limits = {});

// The same, reporting failure as nullopt plus a message instead of an exception.
std::optional<Element> try_parse(std::string_view document, std::string* error = nullptr, const Limits& limits = {});

}  // namespace hpaio::xml
