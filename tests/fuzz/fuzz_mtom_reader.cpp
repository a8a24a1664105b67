// RetrieveImage answers: a Content-Type header (the input's first line) and a multipart body,
// pushed in pieces of varying size and read out in pieces of varying size. Whatever the bytes, the
// reader gives at most the body's bytes as the image, ends, or throws ProtocolError; it never reads
// or writes out of bounds and never asks for input after the body ended.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "backend/scan/scanner_capabilities.hpp"
#include "backend/wsd/mtom_reader.hpp"
#include "fuzz_input.hpp"

using namespace hpaio;
using namespace hpaio::backend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  const std::uint8_t a = in.take_byte();
  const std::string_view text = in.rest_text();
  const std::size_t line = text.find('\n');
  if (line == std::string_view::npos) return 0;
  const std::string_view content_type = text.substr(0, line);
  const std::span<const std::uint8_t> body = in.rest().subspan(line + 1);
  try {
    wsd::MtomReader reader(content_type);
    std::vector<std::uint8_t> buf(1 + a % 61);
    std::size_t image = 0;
    const auto drain = [&] {
      for (std::size_t n; (n = reader.read_image(buf)) > 0;) image += n;
    };
    hpaio::fuzz::in_pieces(body, a, [&](std::span<const std::uint8_t> piece) {
      drain();
      reader.push(piece);
    });
    reader.end_of_input();
    drain();
    if (!reader.image_done() || reader.wants_input() || image > body.size()) std::abort();
  } catch (const ProtocolError&) {
  }
  return 0;
}
