// BMP pages (WS-Scan's "dib") through the page decoder: headers of every kind, palettes, masks,
// top-down and bottom-up rows, pushed in pieces of varying size and read out in pieces of varying
// size. Whatever the bytes, the decoder delivers exactly the promised frame or throws ImageError;
// it never reads or writes out of bounds, and never holds more than its bound.
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
  const std::uint8_t a = in.take_byte(), b = in.take_byte(), c = in.take_byte();
  static const ColorMode modes[] = {ColorMode::Color, ColorMode::Gray, ColorMode::BlackAndWhite};
  PageSource src;
  src.format = ImageFormat::Bmp;
  FrameFormat out;
  out.mode = modes[a % 3];
  out.pixels_per_line = 1 + b % 64;  // small frames: the fuzzer explores data, not memory
  out.lines = 1 + c % 64;
  out.open_ended = (a & 4) != 0;
  try {
    PageDecoder dec(src, out);
    std::vector<std::uint8_t> buf(1 + (a >> 3) % 97);
    std::size_t delivered = 0;
    auto drain = [&] {
      for (std::size_t n; (n = dec.read(buf)) > 0;) delivered += n;
    };
    hpaio::fuzz::in_pieces(in.rest(), c, [&](std::span<const std::uint8_t> piece) {
      drain();
      dec.push(piece);
    });
    dec.end_of_input();
    drain();
    if (!dec.finished() || dec.lines() > out.lines || (!out.open_ended && dec.lines() != out.lines)) std::abort();
    if (delivered != static_cast<std::size_t>(out.bytes_per_line()) * static_cast<std::size_t>(dec.lines()))
      std::abort();
  } catch (const ImageError&) {
  }
  return 0;
}
