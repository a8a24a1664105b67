#include "hpaio/xml/xml_tree.hpp"

#include <gtest/gtest.h>

#include <string>

using hpaio::xml::Element;
using hpaio::xml::Limits;
using hpaio::xml::parse;
using hpaio::xml::ParseError;
using hpaio::xml::try_parse;

namespace {

constexpr const char* kScan = "http://schemas.hp.com/imaging/escl/2011/05/03";
constexpr const char* kPwg = "http://www.pwg.org/schemas/2010/12/sm";

TEST(XmlTree, ResolvesPrefixesToNamespaceUris) {
  const Element root = parse(
      "<?xml version=\"1.0\"?><scan:ScanSettings xmlns:scan=\"http://schemas.hp.com/imaging/escl/2011/05/03\" "
      "xmlns:pwg=\"http://www.pwg.org/schemas/2010/12/sm\"><pwg:Version>2.0</pwg:Version>"
      "<scan:XResolution> 300 </scan:XResolution></scan:ScanSettings>");
  EXPECT_EQ(root.ns(), kScan);
  EXPECT_EQ(root.name(), "ScanSettings");
  EXPECT_EQ(root.child_text(kPwg, "Version").value_or(""), "2.0");
  EXPECT_EQ(root.child_text(kScan, "XResolution").value_or(""), "300");  // trimmed
  EXPECT_EQ(root.child(kScan, "Version"), nullptr);                      // right name, wrong namespace
}

TEST(XmlTree, OtherPrefixesMatchTheSameElements) {
  const Element a = parse(
      "<escl:ScanSettings xmlns:escl=\"http://schemas.hp.com/imaging/escl/2011/05/03\" "
      "xmlns:p=\"http://www.pwg.org/schemas/2010/12/sm\"><p:InputSource>Feeder</p:InputSource>"
      "</escl:ScanSettings>");
  EXPECT_TRUE(a.is(kScan, "ScanSettings"));
  EXPECT_EQ(a.child_text(kPwg, "InputSource").value_or(""), "Feeder");
}

TEST(XmlTree, DefaultNamespaceAndItsRedefinition) {
  const Element root = parse(
      "<ScanCaps xmlns=\"urn:a\"><Platen><MaxWidth>2550</MaxWidth></Platen>"
      "<Other xmlns=\"urn:b\"><MaxWidth>1</MaxWidth></Other><x:Y xmlns:x=\"urn:c\"/></ScanCaps>");
  EXPECT_EQ(root.ns(), "urn:a");
  ASSERT_NE(root.child("urn:a", "Platen"), nullptr);
  EXPECT_EQ(root.child("urn:a", "Platen")->child_text("urn:a", "MaxWidth").value_or(""), "2550");
  const Element* other = root.child("urn:b", "Other");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->child_text("urn:b", "MaxWidth").value_or(""), "1");
  EXPECT_EQ(other->child("urn:a", "MaxWidth"), nullptr);
  EXPECT_NE(root.child("urn:c", "Y"), nullptr);
}

TEST(XmlTree, NoNamespaceWhenNoneDeclared) {
  const Element root = parse("<a><b>t</b></a>");
  EXPECT_EQ(root.ns(), "");
  EXPECT_EQ(root.child_text("", "b").value_or(""), "t");
}

TEST(XmlTree, ReorderedElementsAreFoundByName) {
  const Element root = parse(
      "<s:R xmlns:s=\"urn:s\"><s:Height>2</s:Height><s:Junk/><s:Width>1</s:Width>"
      "<s:Width>3</s:Width></s:R>");
  EXPECT_EQ(root.child_text("urn:s", "Width").value_or(""), "1");
  EXPECT_EQ(root.child_text("urn:s", "Height").value_or(""), "2");
  const auto widths = root.children("urn:s", "Width");
  ASSERT_EQ(widths.size(), 2u);
  EXPECT_EQ(widths[1]->text(), "3");
  EXPECT_EQ(root.children().size(), 4u);
}

TEST(XmlTree, AttributesAndFind) {
  const Element root =
      parse("<a xmlns=\"urn:a\" xmlns:q=\"urn:q\" plain=\"1\" q:qual=\"2\"><b><c q:x=\"&amp;\">deep</c></b></a>");
  EXPECT_EQ(root.attribute("", "plain").value_or(""), "1");  // unprefixed attributes have no namespace
  EXPECT_EQ(root.attribute("urn:q", "qual").value_or(""), "2");
  EXPECT_FALSE(root.attribute("urn:a", "plain").has_value());
  EXPECT_EQ(root.attributes().size(), 2u);  // xmlns declarations are not attributes
  const Element* c = root.find("urn:a", "c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->text(), "deep");
  EXPECT_EQ(c->attribute("urn:q", "x").value_or(""), "&");
}

TEST(XmlTree, CommentsAreIgnored) {
  const Element root = parse("<!-- head --><a><!-- inside --><b>1</b></a><!-- tail -->");
  EXPECT_EQ(root.children().size(), 1u);
}

TEST(XmlTree, MalformedXmlIsAParseError) {
  EXPECT_THROW(parse("<a><b></a>"), ParseError);
  EXPECT_THROW(parse("<a>"), ParseError);
  EXPECT_THROW(parse(""), ParseError);
  EXPECT_THROW(parse("just text"), ParseError);
  EXPECT_THROW(parse("<a></a><b></b>"), ParseError);  // two roots
  EXPECT_THROW(parse("<a></a>junk"), ParseError);     // text after the root
  EXPECT_THROW(parse("<a attr=\"unterminated></a>"), ParseError);
}

TEST(XmlTree, UnboundPrefixIsAParseError) {
  EXPECT_THROW(parse("<p:a/>"), ParseError);
  EXPECT_THROW(parse("<a><p:b/></a>"), ParseError);
  // A prefix declared on a sibling is not in scope.
  EXPECT_THROW(parse("<a><b xmlns:p=\"urn:p\"/><p:c/></a>"), ParseError);
}

TEST(XmlTree, DoctypeIsRejected) { EXPECT_THROW(parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"), ParseError); }

TEST(XmlTree, TooDeepIsRejectedBeforeParsing) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  for (int i = 0; i < 100000; ++i) deep += "</a>";
  try {
    parse(deep);
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("deeper"), std::string::npos) << e.what();
  }
  std::string ok;
  for (int i = 0; i < 10; ++i) ok += "<a>";
  for (int i = 0; i < 10; ++i) ok += "</a>";
  EXPECT_NO_THROW(parse(ok, Limits{1024, 10}));
  EXPECT_THROW(parse(ok, Limits{1024, 9}), ParseError);
}

TEST(XmlTree, SelfClosingAndQuotedBracketsDoNotCountAsDepth) {
  std::string doc = "<a>";
  for (int i = 0; i < 1000; ++i) doc += "<b v=\"<c>\"/>";
  doc += "</a>";
  const Element root = parse(doc, Limits{1 << 20, 2});
  EXPECT_EQ(root.children().size(), 1000u);
}

TEST(XmlTree, TooLargeIsRejected) {
  const std::string big = "<a>" + std::string(2000, 'x') + "</a>";
  EXPECT_THROW(parse(big, Limits{1000, 64}), ParseError);
  EXPECT_NO_THROW(parse(big, Limits{4000, 64}));
}

TEST(XmlTree, TryParseReportsTheError) {
  std::string err;
  EXPECT_FALSE(try_parse("<a><b></a>", &err).has_value());
  EXPECT_NE(err.find("malformed"), std::string::npos) << err;
  const auto ok = try_parse("<a/>", &err);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->name(), "a");
}

TEST(XmlTree, JunkBytesNeverCrash) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919 + 13) % 256);
  std::string err;
  EXPECT_FALSE(try_parse(junk, &err).has_value());
  EXPECT_FALSE(try_parse("<", &err).has_value());
  EXPECT_FALSE(try_parse("<a", &err).has_value());
  EXPECT_FALSE(try_parse("<!--", &err).has_value());
  EXPECT_FALSE(try_parse("<![CDATA[", &err).has_value());
  EXPECT_NO_THROW((void)try_parse(std::string("<a>\0</a>", 8), &err));
}

}  // namespace

TEST(XmlTree, EndTagsMustCloseTheirElement) {
  // The parser underneath would take these; real firmware once sent </RiskyBottomMa1896rgin>.
  std::string err;
  EXPECT_FALSE(try_parse("<a><b>1</c></a>", &err).has_value());
  EXPECT_NE(err.find("</c> does not close <b>"), std::string::npos) << err;
  EXPECT_FALSE(try_parse("<s:a xmlns:s=\"urn:x\"><s:b></b></s:a>", &err).has_value());
  EXPECT_TRUE(try_parse("<s:a xmlns:s=\"urn:x\"><s:b x='>'>t</s:b ><c/></s:a>", &err).has_value()) << err;
}

namespace {

TEST(XmlTree, MismatchedEndTagIsAParseError) {
  // Boost's parser alone accepts this; a corrupted real capture looks like it.
  EXPECT_THROW(parse("<a><b>24</bX></a>"), ParseError);
  EXPECT_THROW(parse("<s:a xmlns:s=\"urn:s\"><s:b></b></s:a>"), ParseError);  // prefix is part of the name
  try {
    parse("<ScanCaps><RiskyBottomMargin>24</RiskyBottomMa1896rgin></ScanCaps>");
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("RiskyBottomMa1896rgin"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(parse("<a><b >1</b ><c/></a\n>"));
}

}  // namespace

TEST(XmlTree, QNamesInTextResolveWhereTheElementStands) {
  const Element e =
      parse(R"(<r xmlns="urn:default" xmlns:a="urn:a"><t xmlns:b="urn:b">a:One  b:Two Three c:Unbound xml:Four</t>)"
            R"(<u xmlns="">Five</u></r>)");
  const Element* t = e.child("urn:default", "t");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->text_qnames(),
            (std::vector<std::pair<std::string, std::string>>{{"urn:a", "One"},
                                                              {"urn:b", "Two"},
                                                              {"urn:default", "Three"},
                                                              {"http://www.w3.org/XML/1998/namespace", "Four"}}));
  EXPECT_EQ(t->namespace_of("b"), "urn:b");
  EXPECT_EQ(e.namespace_of("b"), std::nullopt);  // declared below the root only
  const Element* u = e.child("", "u");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->text_qnames(), (std::vector<std::pair<std::string, std::string>>{{"", "Five"}}));
}

// Every element declaring a namespace below a root that declares many: each declaration is kept once
// (the scopes are linked, not copied), and every element still resolves its own and its ancestors'.
// Copied scopes made this 2000 x 2000 document hold four million map entries.
TEST(XmlTree, ManyDeclarationsOnManyElementsAreEachKeptOnce) {
  std::string doc = "<r";
  for (int i = 0; i < 2000; ++i) doc += " xmlns:a" + std::to_string(i) + "=\"urn:a" + std::to_string(i) + "\"";
  doc += ">";
  for (int i = 0; i < 2000; ++i) doc += "<a7:b xmlns:c=\"urn:c" + std::to_string(i) + "\">c:T</a7:b>";
  doc += "</r>";
  const Element e = parse(doc, Limits{1 << 20, 8});
  const auto kids = e.children("urn:a7", "b");
  ASSERT_EQ(kids.size(), 2000u);
  EXPECT_EQ(kids[1234]->namespace_of("c"), "urn:c1234");
  EXPECT_EQ(kids[1234]->namespace_of("a1999"), "urn:a1999");
  EXPECT_EQ(kids[5]->text_qnames(), (std::vector<std::pair<std::string, std::string>>{{"urn:c5", "T"}}));
  EXPECT_EQ(e.namespace_of("c"), std::nullopt);
}
