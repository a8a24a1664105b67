// The image pipeline: device bytes (JPEG, with or without HP's DNL height, or LEDM Raw) pushed in
// pieces of varying size, read out in pieces of varying size. Whatever the bytes, the decoder
// delivers exactly the promised frame or throws ImageError; it never reads or writes out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "backend/image/page_decoder.hpp"
#include "fuzz_input.hpp"

using namespace hpaio;
using namespace hpaio::backend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  std::uint8_t a = in.take_byte(), b = in.take_byte(), c = in.take_byte(), d = in.take_byte();
  static const ColorMode modes[] = {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite};
  PageSource src;
  src.format = (a & 1) ? ImageFormat::Raw : ImageFormat::Jpeg;
  src.raw_mode = modes[(a >> 1) % 3];
  src.raw_width = 1 + b % 64;
  src.raw_bytes_per_line = (a & 8) ? src.raw_width * 3 + c % 5 : 0;
  src.raw_lines = (a & 16) ? c % 70 : 0;
  FrameFormat out;
  out.mode = modes[(a >> 5) % 3];
  out.pixels_per_line = 1 + c % 64;  // small frames: the fuzzer explores data, not memory
  out.lines = 1 + d % 64;
  out.open_ended = (b & 128) != 0;  // a feeder page: ends with the source, at most out.lines rows
  try {
    PageDecoder dec(src, out);
    std::vector<std::uint8_t> buf(1 + d % 97);
    std::size_t delivered = 0;
    auto drain = [&] {
      for (std::size_t n; (n = dec.read(buf)) > 0;) delivered += n;
    };
    // As sane_start does for a feeder page (c & 128): read the header first; a height it states
    // makes the frame fixed, and the page must then have exactly that many rows.
    bool settling = out.open_ended && (c & 128) != 0;
    int settled = 0;
    const auto settle = [&] {
      if (!settling || !dec.settle_height()) return;
      settling = false;
      if (!dec.open_ended()) settled = dec.lines();
    };
    hpaio::fuzz::in_pieces(in.rest(), d, [&](std::span<const std::uint8_t> piece) {
      if (!settling) drain();
      dec.push(piece);
      settle();
    });
    dec.end_of_input();
    settle();
    drain();
    // The frame is always whole: all its rows, or an open-ended frame's rows up to the source's end.
    if (!dec.finished() || dec.lines() > out.lines || (!out.open_ended && dec.lines() != out.lines)) std::abort();
    if (settled > 0 && dec.lines() != settled) std::abort();
    if (delivered != static_cast<std::size_t>(out.bytes_per_line()) * static_cast<std::size_t>(dec.lines()))
      std::abort();
  } catch (const ImageError&) {
  }
  return 0;
}
