// base/: JSON strings, ASCII trimming, status names.
#include <gtest/gtest.h>

#include "base/ascii.hpp"
#include "base/json.hpp"
#include "base/status.hpp"

using namespace hpaio;

TEST(Json, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json_string("a\"b\\c\x01"), "\"a\\\"b\\\\c\\u0001\"");
  EXPECT_EQ(json_escape("tab\tnl\ncr\r"), "tab\\tnl\\ncr\\r");
  EXPECT_EQ(json_escape(std::string_view("\0", 1)), "\\u0000");
  EXPECT_EQ(json_escape("\x7f"), "\\u007f");
}

TEST(Json, KeepsValidUtf8AndEscapesInvalidBytes) {
  EXPECT_EQ(json_escape("Gr\xC3\xBC\xC3\x9F"
                        "e \xE2\x82\xAC \xF0\x9F\x96\xA8"),
            "Gr\xC3\xBC\xC3\x9F"
            "e \xE2\x82\xAC \xF0\x9F\x96\xA8");
  EXPECT_EQ(json_escape("\xC3"), "\\u00c3");                        // cut short
  EXPECT_EQ(json_escape("\xC0\xAF"), "\\u00c0\\u00af");             // overlong
  EXPECT_EQ(json_escape("\xED\xA0\x80"), "\\u00ed\\u00a0\\u0080");  // a surrogate
  EXPECT_EQ(json_escape("\xFF"), "\\u00ff");
  EXPECT_EQ(json_escape("\xFF\xBF\xBF"), "\\u00ff\\u00bf\\u00bf");  // no lead byte above F4
  EXPECT_EQ(json_escape("\xF8\x80\x80\x80"), "\\u00f8\\u0080\\u0080\\u0080");
  EXPECT_EQ(json_escape("\xF4\x90\x80\x80"), "\\u00f4\\u0090\\u0080\\u0080");  // beyond U+10FFFF
}

TEST(Ascii, TrimBlanksAndTrimIf) {
  EXPECT_EQ(trim_blanks(" \t a b \r\n"), "a b");
  EXPECT_EQ(trim_blanks("   "), "");
  EXPECT_EQ(trim_if("xxaxx", [](char c) { return c == 'x'; }), "a");
  EXPECT_TRUE(iequals("HP_Compact_Server", "hp_compact_server"));
  EXPECT_EQ(parse_int("+42"), 42);
  EXPECT_FALSE(parse_int("4x").has_value());
}

TEST(Status, NamesAreSaneStrstatusWords) {
  EXPECT_EQ(status_name(Status::no_docs), "Document feeder out of documents");
  EXPECT_EQ(status_name(Status::jammed), "Document feeder jammed");
  EXPECT_EQ(static_cast<int>(Status::access_denied), 11);
}
