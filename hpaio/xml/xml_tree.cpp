#include "hpaio/xml/xml_tree.hpp"

#include <algorithm>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <map>
#include <sstream>
#include <vector>

#include "base/ascii.hpp"

namespace hpaio::xml {

namespace {

namespace pt = boost::property_tree;

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

std::string trim(std::string_view s) { return std::string(trim_blanks(s)); }

// Lexical pre-scan: rejects documents nested deeper than the limit (before the recursive
// parser sees them), end tags that do not match their start tag (Boost's parser does not check
// this), DOCTYPE declarations (entity definitions) and unterminated markup.
void check_structure(std::string_view doc, std::size_t max_depth) {
  std::vector<std::string_view> open;  // names of the open elements, at most max_depth
  std::size_t i = 0;
  const auto skip_to = [&](std::string_view end, const char* what) {
    const auto pos = doc.find(end, i);
    if (pos == std::string_view::npos) throw ParseError(std::string("malformed XML: unterminated ") + what);
    i = pos + end.size();
  };
  const auto is_name_end = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>';
  };
  while (i < doc.size()) {
    if (doc[i] != '<') {
      ++i;
      continue;
    }
    const std::string_view rest = doc.substr(i);
    if (rest.starts_with("<!--")) {
      skip_to("-->", "comment");
    } else if (rest.starts_with("<![CDATA[")) {
      skip_to("]]>", "CDATA section");
    } else if (rest.starts_with("<?")) {
      skip_to("?>", "processing instruction");
    } else if (rest.starts_with("<!")) {
      throw ParseError("DOCTYPE and other declarations are not accepted");
    } else if (rest.starts_with("</")) {
      const std::size_t name_begin = i + 2;
      skip_to(">", "end tag");
      std::string_view name = doc.substr(name_begin, i - 1 - name_begin);
      while (!name.empty() &&
             (name.back() == ' ' || name.back() == '\t' || name.back() == '\r' || name.back() == '\n')) {
        name.remove_suffix(1);
      }
      if (open.empty()) throw ParseError("malformed XML: end tag </" + std::string(name) + "> without start tag");
      if (name != open.back()) {
        throw ParseError("malformed XML: end tag </" + std::string(name) + "> does not close <" +
                         std::string(open.back()) + ">");
      }
      open.pop_back();
    } else {
      // Start tag: its name, then its '>' outside quoted attribute values.
      std::size_t n = i + 1;
      while (n < doc.size() && !is_name_end(doc[n])) ++n;
      const std::string_view name = doc.substr(i + 1, n - i - 1);
      char quote = 0;
      std::size_t j = n;
      for (; j < doc.size(); ++j) {
        const char c = doc[j];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (j >= doc.size()) throw ParseError("malformed XML: unterminated start tag");
      const bool self_closing = doc[j - 1] == '/';
      if (!self_closing) {
        if (open.size() >= max_depth) {
          throw ParseError("elements nested deeper than " + std::to_string(max_depth));
        }
        open.push_back(name);
      }
      i = j + 1;
    }
  }
  if (!open.empty()) throw ParseError("malformed XML: element <" + std::string(open.back()) + "> is not closed");
}

std::pair<std::string_view, std::string_view> split_qname(std::string_view qname) {
  const auto colon = qname.find(':');
  if (colon == std::string_view::npos) return {std::string_view{}, qname};
  return {qname.substr(0, colon), qname.substr(colon + 1)};
}

}  // namespace

struct NamespaceScope {
  std::map<std::string, std::string, std::less<>> declared;  // prefix ("" = default) -> URI, on one element
  std::shared_ptr<const NamespaceScope> parent;

  // The URI `prefix` is bound to here, the innermost declaration first; nullptr when unbound.
  const std::string* find(std::string_view prefix) const {
    for (const NamespaceScope* s = this; s != nullptr; s = s->parent.get()) {
      if (const auto it = s->declared.find(prefix); it != s->declared.end()) return &it->second;
    }
    return nullptr;
  }
};

class TreeBuilder {
 public:
  static Element build(const std::string& qname, const pt::ptree& node,
                       const std::shared_ptr<const NamespaceScope>& parent) {
    std::shared_ptr<const NamespaceScope> shared = parent;
    const auto attrs = node.get_child_optional("<xmlattr>");
    if (attrs) {
      std::shared_ptr<NamespaceScope> declared;
      for (const auto& [key, value] : *attrs) {
        if (key != "xmlns" && !key.starts_with("xmlns:")) continue;
        if (!declared) {
          declared = std::make_shared<NamespaceScope>();
          declared->parent = parent;
        }
        if (key == "xmlns") {
          declared->declared[""] = value.data();
        } else {
          if (value.data().empty()) throw ParseError("empty namespace URI for prefix " + key.substr(6));
          declared->declared[key.substr(6)] = value.data();
        }
      }
      if (declared) shared = std::move(declared);
    }
    const NamespaceScope& scope = *shared;
    Element e;
    e.scope_ = shared;
    const auto [prefix, local] = split_qname(qname);
    if (local.empty()) throw ParseError("empty element name '" + qname + "'");
    e.name_ = std::string(local);
    e.ns_ = resolve(scope, prefix, qname, /*is_attribute=*/false);
    if (attrs) {
      for (const auto& [key, value] : *attrs) {
        if (key == "xmlns" || key.starts_with("xmlns:")) continue;
        const auto [ap, al] = split_qname(key);
        e.attributes_.push_back(
            Attribute{resolve(scope, ap, key, /*is_attribute=*/true), std::string(al), value.data()});
      }
    }
    e.text_ = trim(node.data());
    for (const auto& [key, child] : node) {
      if (key == "<xmlattr>" || key == "<xmlcomment>" || key == "<xmltext>") continue;
      e.children_.push_back(build(key, child, shared));
    }
    return e;
  }

 private:
  static std::string resolve(const NamespaceScope& scope, std::string_view prefix, const std::string& qname,
                             bool is_attribute) {
    if (prefix.empty()) {
      if (is_attribute) return {};
      const std::string* uri = scope.find(std::string_view{});
      return uri == nullptr ? std::string{} : *uri;
    }
    if (prefix == "xml") return std::string(kXmlNamespace);
    const std::string* uri = scope.find(prefix);
    if (uri == nullptr) throw ParseError("unbound namespace prefix in '" + qname + "'");
    return *uri;
  }
};

const Element* Element::child(std::string_view ns, std::string_view name) const noexcept {
  for (const auto& c : children_) {
    if (c.is(ns, name)) return &c;
  }
  return nullptr;
}

std::vector<const Element*> Element::children(std::string_view ns, std::string_view name) const {
  std::vector<const Element*> out;
  for (const auto& c : children_) {
    if (c.is(ns, name)) out.push_back(&c);
  }
  return out;
}

std::optional<std::string> Element::child_text(std::string_view ns, std::string_view name) const {
  const Element* c = child(ns, name);
  if (c == nullptr) return std::nullopt;
  return c->text();
}

const Element* Element::find(std::string_view ns, std::string_view name) const noexcept {
  for (const auto& c : children_) {
    if (c.is(ns, name)) return &c;
    if (const Element* d = c.find(ns, name)) return d;
  }
  return nullptr;
}

std::optional<std::string> Element::namespace_of(std::string_view prefix) const {
  if (prefix == "xml") return std::string(kXmlNamespace);
  if (scope_ == nullptr) return std::nullopt;
  const std::string* uri = scope_->find(prefix);
  if (uri == nullptr) return std::nullopt;
  return *uri;
}

std::vector<std::pair<std::string, std::string>> Element::text_qnames() const {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view rest = text_;
  while (!rest.empty()) {
    const std::size_t begin = rest.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) break;
    rest.remove_prefix(begin);
    const std::size_t end = std::min(rest.find_first_of(" \t\r\n"), rest.size());
    const auto [prefix, local] = split_qname(rest.substr(0, end));
    rest.remove_prefix(end);
    if (local.empty()) continue;
    // An unprefixed QName is in the default namespace, or in none.
    auto uri = prefix.empty() ? namespace_of(prefix).value_or("") : namespace_of(prefix);
    if (uri) out.emplace_back(std::move(*uri), std::string(local));
  }
  return out;
}

std::optional<std::string> Element::attribute(std::string_view ns, std::string_view name) const {
  for (const auto& a : attributes_) {
    if (a.ns == ns && a.name == name) return a.value;
  }
  return std::nullopt;
}

Element parse(std::string_view document, const Limits& limits) {
  if (document.size() > limits.max_bytes) {
    throw ParseError("document of " + std::to_string(document.size()) + " bytes exceeds the limit of " +
                     std::to_string(limits.max_bytes));
  }
  check_structure(document, limits.max_depth);
  pt::ptree tree;
  try {
    std::istringstream in{std::string(document)};
    pt::read_xml(in, tree, pt::xml_parser::no_comments);
  } catch (const pt::xml_parser_error& e) {
    throw ParseError(std::string("malformed XML: ") + e.message() + " (line " + std::to_string(e.line()) + ")");
  } catch (const pt::ptree_error& e) {
    throw ParseError(std::string("malformed XML: ") + e.what());
  }
  const pt::ptree* root = nullptr;
  std::string root_name;
  for (const auto& [key, child] : tree) {
    if (key == "<xmlcomment>") continue;
    if (root != nullptr) throw ParseError("more than one root element");
    root = &child;
    root_name = key;
  }
  if (root == nullptr) throw ParseError("no root element");
  if (!trim(tree.data()).empty()) throw ParseError("text outside the root element");
  return TreeBuilder::build(root_name, *root, std::make_shared<const NamespaceScope>());
}

std::optional<Element> try_parse(std::string_view document, std::string* error, const Limits& limits) {
  try {
    return parse(document, limits);
  } catch (const ParseError& e) {
    if (error != nullptr) *error = e.what();
  } catch (const std::exception& e) {
    if (error != nullptr) *error = std::string("XML parser failure: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace hpaio::xml
