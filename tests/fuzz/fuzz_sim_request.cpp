// hpaio-sim's request parser: what clients send to the simulator, in pieces of varying size; every
// complete request's target is split as the simulator routes it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "tests/sim/core/request_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  std::uint8_t seed = in.take_byte();
  hpsim::ParserLimits limits;
  limits.max_head = 4096;
  limits.max_body = 65536;
  hpsim::RequestParser parser(limits);
  hpaio::fuzz::in_pieces(in.rest(), seed, [&](std::span<const std::uint8_t> piece) {
    if (parser.failed()) return;
    parser.feed(std::string_view(reinterpret_cast<const char*>(piece.data()), piece.size()));
    static_cast<void>(parser.take_continue_request());
    while (auto req = parser.next()) {
      std::string path, query;
      hpsim::split_target(req->target, path, query);
      static_cast<void>(req->header("Host"));
    }
  });
  return 0;
}
