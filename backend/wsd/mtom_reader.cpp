#include "backend/wsd/mtom_reader.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "backend/scan/scanner_capabilities.hpp"
#include "base/ascii.hpp"
#include "hpaio/xml/xml_namespaces.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpaio::backend::wsd {
namespace {

constexpr std::size_t kMaxBoundary = 200;  // RFC 2046 allows 70; some devices use a UUID and more
constexpr std::size_t kCompactAt = 64 * 1024;

struct Parameter {
  std::string name;  // lower case
  std::string value;
};

// "type/subtype; a=b; c="d;e"" split into the media type (lower case) and its parameters.
std::string split_content_type(std::string_view v, std::vector<Parameter>& params) {
  std::size_t i = v.find(';');
  std::string type = ascii_lower(trim_blanks(v.substr(0, i)));
  while (i != std::string_view::npos && i < v.size()) {
    ++i;
    const std::size_t eq = v.find('=', i);
    if (eq == std::string_view::npos) break;
    Parameter p{ascii_lower(trim_blanks(v.substr(i, eq - i))), {}};
    std::size_t j = eq + 1;
    while (j < v.size() && is_ascii_blank(v[j])) ++j;
    if (j < v.size() && v[j] == '"') {
      const std::size_t close = v.find('"', j + 1);
      p.value = std::string(v.substr(j + 1, close == std::string_view::npos ? std::string_view::npos : close - j - 1));
      i = close == std::string_view::npos ? close : v.find(';', close);
    } else {
      i = v.find(';', j);
      p.value = std::string(trim_blanks(v.substr(j, i == std::string_view::npos ? std::string_view::npos : i - j)));
    }
    params.push_back(std::move(p));
  }
  return type;
}

// A Content-ID as compared: without blanks and the angle brackets around it.
std::string bare_id(std::string_view id) {
  id = trim_blanks(id);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return std::string(trim_blanks(id));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// "cid:a%40b" as the Content-ID it names: "a@b" (RFC 2392).
std::string cid_target(std::string_view href) {
  href = trim_blanks(href);
  if (istarts_with(href, "cid:")) href.remove_prefix(4);
  std::string out;
  for (std::size_t i = 0; i < href.size(); ++i) {
    if (href[i] == '%' && i + 2 < href.size() && hex_value(href[i + 1]) >= 0 && hex_value(href[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(href[i + 1]) * 16 + hex_value(href[i + 2]));
      i += 2;
    } else {
      out += href[i];
    }
  }
  return out;
}

bool is_xml_type(std::string_view type) {
  return type.empty() || type == "application/xop+xml" || type == "application/soap+xml" || type == "text/xml" ||
         type == "application/xml";
}

}  // namespace

MtomReader::MtomReader(std::string_view content_type) {
  std::vector<Parameter> params;
  const std::string type = split_content_type(content_type, params);
  if (!type.starts_with("multipart/")) {
    throw ProtocolError("WS-Scan RetrieveImage: the answer is " + (type.empty() ? std::string("untyped") : type) +
                        ", not multipart/related");
  }
  std::string boundary;
  for (const Parameter& p : params) {
    if (p.name == "boundary") boundary = p.value;
    if (p.name == "start") start_ = bare_id(p.value);
  }
  if (boundary.empty() || boundary.size() > kMaxBoundary) {
    throw ProtocolError("WS-Scan RetrieveImage: multipart answer without a usable boundary");
  }
  delimiter_ = "\r\n--" + boundary;
  buf_ = "\r\n";  // the first delimiter may open the body, without a line break before it
}

void MtomReader::push(std::span<const std::uint8_t> bytes) {
  if (image_done_ || eof_ || bytes.empty()) return;
  if (pos_ >= kCompactAt && pos_ * 2 >= buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  need_input_ = false;
}

void MtomReader::end_of_input() {
  eof_ = true;
  need_input_ = false;
}

std::size_t MtomReader::safe_end() const {
  const std::size_t keep = delimiter_.size() - 1;
  return buf_.size() > pos_ + keep ? buf_.size() - keep : pos_;
}

void MtomReader::begin_part(std::string_view block) {
  std::string id, type;
  // Header lines; a line that starts with a blank continues the one before.
  std::string name, value;
  const auto flush = [&] {
    if (name == "content-id") id = bare_id(value);
    if (name == "content-type") {
      std::vector<Parameter> ignored;
      type = split_content_type(value, ignored);
    }
    name.clear();
    value.clear();
  };
  std::size_t i = 0;
  while (i < block.size()) {
    std::size_t end = block.find("\r\n", i);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(i, end - i);
    i = end + 2;
    if (!line.empty() && is_ascii_blank(line.front())) {
      value += ' ';
      value += trim_blanks(line);
      continue;
    }
    flush();
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    name = ascii_lower(trim_blanks(line.substr(0, colon)));
    value = std::string(trim_blanks(line.substr(colon + 1)));
  }
  flush();

  const bool root = !root_done_ && (start_.empty() ? is_xml_type(type) : id == start_);
  if (root) {
    part_ = Part::Root;
    xml_.clear();
  } else if (!image_started_ && (!root_done_ || href_.empty() || id.empty() || id == href_)) {
    part_ = Part::Image;
    image_started_ = true;
    image_type_ = type;
  } else {
    part_ = Part::Skip;
  }
}

void MtomReader::end_root_part() {
  root_done_ = true;
  std::optional<xml::Element> doc = xml::try_parse(xml_);
  if (!doc) return;  // not XML: the image is then whatever part comes
  if (const xml::Element* include = doc->find(ns::xop, "Include")) {
    href_ = cid_target(include->attribute("", "href").value_or(""));
  }
}

bool MtomReader::step() {
  switch (state_) {
    case State::Preamble:
    case State::Body: {
      const std::size_t found = buf_.find(delimiter_, pos_);
      const std::size_t end = found == std::string::npos ? safe_end() : found;
      if (state_ == State::Body && part_ == Part::Root) {
        if (xml_.size() + (end - pos_) > kMaxXmlPartBytes) {
          throw ProtocolError("WS-Scan RetrieveImage: the XML part is over " + std::to_string(kMaxXmlPartBytes >> 10) +
                              " KiB");
        }
        xml_.append(buf_, pos_, end - pos_);
      }
      pos_ = end;
      if (found == std::string::npos) return false;
      if (state_ == State::Body && part_ == Part::Root) end_root_part();
      pos_ = found + delimiter_.size();
      state_ = State::Delimiter;
      return true;
    }
    case State::Delimiter: {
      if (buf_.size() - pos_ < 2) return false;
      if (buf_.compare(pos_, 2, "--") == 0) {
        state_ = State::Epilogue;
        return true;
      }
      // The rest of the boundary line (blanks, by the rules) up to its CRLF, which stays in front
      // of the header block.
      const std::size_t crlf = buf_.find("\r\n", pos_);
      if (crlf == std::string::npos) {
        if (buf_.size() - pos_ > kMaxHeaderBytes)
          throw ProtocolError("WS-Scan RetrieveImage: a malformed boundary line");
        return false;
      }
      pos_ = crlf;
      state_ = State::Headers;
      return true;
    }
    case State::Headers: {
      const std::size_t end = buf_.find("\r\n\r\n", pos_);
      if (end == std::string::npos) {
        if (buf_.size() - pos_ > kMaxHeaderBytes) {
          throw ProtocolError("WS-Scan RetrieveImage: a part's header block is over " +
                              std::to_string(kMaxHeaderBytes >> 10) + " KiB");
        }
        return false;
      }
      // The block starts after the boundary line's CRLF; a part without headers has none.
      begin_part(end == pos_ ? std::string_view() : std::string_view(buf_).substr(pos_ + 2, end - pos_ - 2));
      pos_ = end + 4;
      state_ = State::Body;
      return true;
    }
    case State::Epilogue: pos_ = buf_.size(); return false;
  }
  return false;
}

std::size_t MtomReader::image_bytes(std::span<std::uint8_t> dst) {
  const std::size_t found = buf_.find(delimiter_, pos_);
  const std::size_t end = found == std::string::npos ? safe_end() : found;
  const std::size_t n = std::min(dst.size(), end - pos_);
  std::memcpy(dst.data(), buf_.data() + pos_, n);
  pos_ += n;
  if (found != std::string::npos && pos_ == found) {
    image_done_ = true;
    pos_ = found + delimiter_.size();
    state_ = State::Delimiter;
  }
  return n;
}

std::size_t MtomReader::read_image(std::span<std::uint8_t> out) {
  std::size_t n = 0;
  while (n < out.size() && !image_done_) {
    if (state_ == State::Body && part_ == Part::Image) {
      const std::size_t k = image_bytes(out.subspan(n));
      n += k;
      if (k > 0 || image_done_) continue;
    } else if (step()) {
      continue;
    }
    // Nothing more to be had from what arrived.
    if (!eof_) {
      need_input_ = true;
      break;
    }
    if (image_started_) {
      truncated_ = true;  // the body ended inside the image part
      image_done_ = true;
      break;
    }
    if (root_done_ && !href_.empty()) {
      throw ProtocolError("WS-Scan RetrieveImage: the answer has no part cid:" + href_);
    }
    throw ProtocolError("WS-Scan RetrieveImage: the answer ended without an image part");
  }
  return n;
}

}  // namespace hpaio::backend::wsd
