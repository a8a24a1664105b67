// The image out of an MTOM answer (RetrieveImageResponse: a multipart/related body whose root part
// is the SOAP envelope and whose xop:Include href="cid:..." names the part that holds the image),
// streaming: body bytes in as the HTTP layer reads them, the image part's bytes out for the page
// decoder, in bounded memory (the image part is never held whole). No I/O.
//
// The root part is the one `start` names, or else the first XML part (application/xop+xml,
// application/soap+xml, text/xml or no type). The image is the part whose Content-ID the root's
// xop:Include names; a part that comes before the root (so before the name is known) is taken as
// the image, as is one without a Content-ID. Other parts are skipped. The body after the image part
// is not read: the caller drains what is left of the HTTP body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace hpaio::backend::wsd {

class MtomReader {
 public:
  // Limits on what is held: a part's header block, and the root (XML) part.
  static constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
  static constexpr std::size_t kMaxXmlPartBytes = 1024 * 1024;

  // `content_type`: the answer's Content-Type header. Throws ProtocolError when it is not a
  // multipart type with a usable boundary.
  explicit MtomReader(std::string_view content_type);

  // The next body bytes, in order (ignored once the image part has ended).
  void push(std::span<const std::uint8_t> bytes);
  // The body ended.
  void end_of_input();
  // Up to out.size() bytes of the image part. 0 when more input is needed first (wants_input()) or
  // the image part has ended (image_done()). Throws ProtocolError when the body is malformed (a
  // header block or XML part over its limit) or ends before an image part began.
  std::size_t read_image(std::span<std::uint8_t> out);

  bool wants_input() const { return need_input_ && !image_done_; }
  // The image part's last byte was read (or the body ended inside the image part: truncated()).
  bool image_done() const { return image_done_; }
  // The body ended inside the image part.
  bool truncated() const { return truncated_; }
  // The image part began (its header block was read).
  bool image_started() const { return image_started_; }
  // The image part's Content-Type, lower case, without parameters ("application/binary", ...).
  const std::string& image_type() const { return image_type_; }
  // The root part's body (the SOAP envelope), once it was read whole; empty before.
  const std::string& xml_part() const { return xml_; }
  // The Content-ID the root's xop:Include names (without "cid:"), once the root was read.
  const std::string& image_id() const { return href_; }

 private:
  enum class State { Preamble, Delimiter, Headers, Body, Epilogue };
  enum class Part { Root, Image, Skip };

  // One step of the parse outside the image part's body; false when more input is needed.
  bool step();
  // Image bytes into dst; 0 when none are ready.
  std::size_t image_bytes(std::span<std::uint8_t> dst);
  void begin_part(std::string_view headers);
  void end_root_part();
  // Bytes of buf_ from pos_ that cannot be the start of a delimiter, when no delimiter was found.
  std::size_t safe_end() const;

  std::string delimiter_;  // "\r\n--" boundary
  std::string start_;      // the root's Content-ID, without <>; empty when not given
  std::string buf_;
  std::size_t pos_ = 0;
  State state_ = State::Preamble;
  Part part_ = Part::Skip;
  bool eof_ = false;
  bool need_input_ = true;
  bool root_done_ = false;
  bool image_started_ = false;
  bool image_done_ = false;
  bool truncated_ = false;
  std::string xml_;
  std::string href_;
  std::string image_type_;
};

}  // namespace hpaio::backend::wsd
