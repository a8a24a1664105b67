// The MTOM reader: the image part of a RetrieveImage answer, found through the root part's
// xop:Include and streamed out in whatever pieces the body arrives in.
#include "backend/wsd/mtom_reader.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <random>
#include <string>
#include <vector>

#include "backend/scan/scanner_capabilities.hpp"

using namespace hpaio;
using namespace hpaio::backend;
using namespace hpaio::backend::wsd;

namespace {

const std::string content_type =
    R"(multipart/related; type="application/xop+xml"; boundary="uuid:5f1c2a3e-0b7d-4e9a-8c11-2d3e4f5a6b7c"; )"
    R"(start="<root@hpaio.test>"; start-info="application/soap+xml")";
const std::string delimiter = "--uuid:5f1c2a3e-0b7d-4e9a-8c11-2d3e4f5a6b7c";

std::string root_part(std::string_view href = "cid:image%40hpaio.test", std::string_view id = "<root@hpaio.test>") {
  std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:sc="http://schemas.microsoft.com/windows/2006/08/wdp/scan"
  xmlns:xop="http://www.w3.org/2004/08/xop/include"><s:Body><sc:RetrieveImageResponse><sc:ScanData>
  <xop:Include href=")";
  xml += href;
  xml += R"("/></sc:ScanData></sc:RetrieveImageResponse></s:Body></s:Envelope>)";
  return "Content-Type: application/xop+xml; type=\"application/soap+xml\"; charset=utf-8\r\n"
         "Content-Transfer-Encoding: binary\r\nContent-ID: " +
         std::string(id) + "\r\n\r\n" + xml;
}

std::string image_part(const std::string& bytes, std::string_view id = "<image@hpaio.test>") {
  return "Content-Type: application/binary\r\nContent-Transfer-Encoding: binary\r\nContent-ID: " + std::string(id) +
         "\r\n\r\n" + bytes;
}

std::string body(const std::vector<std::string>& parts, std::string_view preamble = "") {
  std::string out(preamble);
  for (const std::string& p : parts) out += delimiter + "\r\n" + p + "\r\n";
  out += delimiter + "--\r\n";
  return out;
}

// Image bytes that look like delimiters in part: line breaks, dashes, a boundary cut short.
std::string tricky_image(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out;
  const std::string near_miss = "\r\n" + delimiter.substr(0, delimiter.size() - 1) + "X";
  while (out.size() < size) {
    switch (rng() % 5) {
      case 0: out += near_miss; break;
      case 1: out += "\r\n--"; break;
      case 2: out += '\r'; break;
      default: out += static_cast<char>(rng()); break;
    }
  }
  out.resize(size);
  return out;
}

struct Read {
  std::string image;
  bool truncated = false;
};

// Pushes `in` in random pieces as the reader asks, reading the image out in random pieces.
Read read_all(MtomReader& r, const std::string& in, unsigned seed, std::size_t max_piece = 700) {
  std::mt19937 rng(seed);
  Read out;
  std::vector<std::uint8_t> buf(1 + rng() % 300);
  std::size_t pos = 0;
  bool ended = false;
  for (int guard = 0; guard < 1000000 && !r.image_done(); ++guard) {
    const std::size_t n = r.read_image(std::span(buf.data(), 1 + rng() % buf.size()));
    out.image.append(reinterpret_cast<const char*>(buf.data()), n);
    if (n > 0 || r.image_done()) continue;
    EXPECT_TRUE(r.wants_input());
    if (pos < in.size()) {
      const std::size_t k = std::min<std::size_t>(1 + rng() % max_piece, in.size() - pos);
      r.push(std::span(reinterpret_cast<const std::uint8_t*>(in.data()) + pos, k));
      pos += k;
    } else if (!ended) {
      r.end_of_input();
      ended = true;
    } else {
      ADD_FAILURE() << "the reader wants more than the whole body";
      break;
    }
  }
  EXPECT_FALSE(r.wants_input());
  out.truncated = r.truncated();
  return out;
}

TEST(MtomReader, RootThenImageInAnyPieces) {
  const std::string image = tricky_image(20000, 1);
  const std::string in = body({root_part(), image_part(image)}, "This is a preamble.\r\n");
  for (unsigned seed = 1; seed <= 20; ++seed) {
    MtomReader r(content_type);
    const Read got = read_all(r, in, seed, seed % 2 ? 5 : 3000);
    ASSERT_EQ(got.image, image) << "seed " << seed;
    EXPECT_FALSE(got.truncated);
    EXPECT_EQ(r.image_id(), "image@hpaio.test");
    EXPECT_EQ(r.image_type(), "application/binary");
    EXPECT_NE(r.xml_part().find("RetrieveImageResponse"), std::string::npos);
  }
}

TEST(MtomReader, OneBytePiecesAndAnEmptyImage) {
  const std::string image = "\r\n--\r\n" + delimiter.substr(0, 10);
  MtomReader r(content_type);
  EXPECT_EQ(read_all(r, body({root_part(), image_part(image)}), 3, 1).image, image);
  MtomReader empty(content_type);
  const Read e = read_all(empty, body({root_part(), image_part("")}), 4, 1);
  EXPECT_EQ(e.image, "");
  EXPECT_FALSE(e.truncated);
}

TEST(MtomReader, WithoutStartTheFirstXmlPartIsTheRoot) {
  const std::string image = tricky_image(3000, 2);
  const std::string type =
      "Multipart/Related; boundary=uuid:5f1c2a3e-0b7d-4e9a-8c11-2d3e4f5a6b7c; type=application/xop+xml";
  MtomReader r(type);
  EXPECT_EQ(read_all(r, body({root_part(), image_part(image)}), 5).image, image);
  EXPECT_EQ(r.image_id(), "image@hpaio.test");
}

TEST(MtomReader, ImageBeforeTheRootOrWithoutAnId) {
  const std::string image = tricky_image(5000, 3);
  MtomReader before(content_type);
  EXPECT_EQ(read_all(before, body({image_part(image), root_part()}), 6).image, image);
  EXPECT_EQ(before.xml_part(), "");  // the root comes after: not read
  MtomReader no_id(content_type);
  const std::string anonymous = "Content-Type: image/bmp\r\n\r\n" + image;
  EXPECT_EQ(read_all(no_id, body({root_part(), anonymous}), 7).image, image);
  EXPECT_EQ(no_id.image_type(), "image/bmp");
}

TEST(MtomReader, PartsTheRootDoesNotNameAreSkipped) {
  const std::string image = tricky_image(4000, 4);
  const std::string thumbnail = image_part("not this one", "<thumb@hpaio.test>");
  MtomReader r(content_type);
  EXPECT_EQ(read_all(r, body({root_part(), thumbnail, image_part(image)}), 8).image, image);
  // Nor one whose name is not the href's.
  MtomReader missing(content_type);
  EXPECT_THROW(read_all(missing, body({root_part(), thumbnail}), 9), ProtocolError);
}

TEST(MtomReader, PartWithoutHeadersAndTransportPadding) {
  const std::string image = tricky_image(1000, 5);
  std::string in =
      delimiter + "  \t\r\n" + root_part() + "\r\n" + delimiter + "\r\n\r\n" + image + "\r\n" + delimiter + "--";
  MtomReader r(content_type);
  EXPECT_EQ(read_all(r, in, 10).image, image);
}

TEST(MtomReader, BodyEndingInsideTheImageIsTruncated) {
  const std::string image = tricky_image(6000, 6);
  std::string in = body({root_part(), image_part(image)});
  in.resize(in.find(image) + 2500);
  MtomReader r(content_type);
  const Read got = read_all(r, in, 11);
  EXPECT_TRUE(got.truncated);
  EXPECT_TRUE(r.image_done());
  // What arrived, less at most a delimiter's length held back in case one was starting.
  EXPECT_LE(got.image.size(), 2500u);
  EXPECT_GE(got.image.size(), 2500u - delimiter.size() - 2);
  EXPECT_EQ(got.image, image.substr(0, got.image.size()));
}

TEST(MtomReader, MalformedBodiesAreProtocolErrors) {
  EXPECT_THROW(MtomReader("application/soap+xml; charset=utf-8"), ProtocolError);
  EXPECT_THROW(MtomReader("multipart/related; type=\"application/xop+xml\""), ProtocolError);
  EXPECT_THROW(MtomReader("multipart/related; boundary=\"\""), ProtocolError);
  EXPECT_THROW(MtomReader("multipart/related; boundary=" + std::string(300, 'b')), ProtocolError);
  EXPECT_THROW(MtomReader(""), ProtocolError);
  {  // ends before any image part
    MtomReader r(content_type);
    EXPECT_THROW(read_all(r, body({root_part()}), 12), ProtocolError);
  }
  {  // not multipart at all, whatever the header said
    MtomReader r(content_type);
    EXPECT_THROW(read_all(r, "<html>oops</html>", 13), ProtocolError);
  }
  {  // a header block that never ends
    MtomReader r(content_type);
    const std::string in = delimiter + "\r\nX-Junk: " + std::string(40000, 'j');
    EXPECT_THROW(read_all(r, in, 14), ProtocolError);
  }
  {  // an XML part over its bound
    MtomReader r(content_type);
    const std::string in = delimiter + "\r\n" + root_part() + std::string(MtomReader::kMaxXmlPartBytes, ' ');
    EXPECT_THROW(read_all(r, in, 15, 60000), ProtocolError);
  }
}

TEST(MtomReader, LargeImageInBoundedMemory) {
  const std::size_t size = 24u << 20;
  const std::string head = delimiter + "\r\n" + root_part() + "\r\n" + delimiter + "\r\n" + image_part("");
  const std::string tail = "\r\n" + delimiter + "--\r\n";
  const auto heap = [] {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
  };
  const std::size_t base = heap();
  std::size_t peak = 0, got = 0;
  bool same = true;
  {
    MtomReader r(content_type);
    std::vector<std::uint8_t> chunk(64 * 1024), out(48 * 1024);
    const std::size_t total = head.size() + size + tail.size();
    std::size_t sent = 0;
    while (!r.image_done()) {
      const std::size_t n = r.read_image(out);
      for (std::size_t i = 0; i < n; ++i) same = same && out[i] == static_cast<std::uint8_t>((got + i) * 7);
      got += n;
      peak = std::max(peak, heap() - base);
      if (n > 0) continue;
      ASSERT_LT(sent, total);
      const std::size_t k = std::min(chunk.size(), total - sent);
      for (std::size_t i = 0; i < k; ++i) {
        const std::size_t at = sent + i;
        chunk[i] = at < head.size()          ? static_cast<std::uint8_t>(head[at])
                   : at < head.size() + size ? static_cast<std::uint8_t>((at - head.size()) * 7)
                                             : static_cast<std::uint8_t>(tail[at - head.size() - size]);
      }
      r.push(std::span(chunk.data(), k));
      sent += k;
    }
    EXPECT_FALSE(r.truncated());
  }
  EXPECT_EQ(got, size);
  EXPECT_TRUE(same);
  RecordProperty("peak_heap_growth", std::to_string(peak));
  EXPECT_LT(peak, 1u << 20) << peak;
}

}  // namespace
