// HTTP responses as the backend reads them: Beast's response parser with the backend's header
// limit, the bytes arriving in pieces of varying size, then what the backend takes from the head
// (status, headers) and the job path it reads from a Location header.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "backend/http/asio_connection.hpp"
#include "backend/scan/job_location.hpp"
#include "fuzz_input.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  std::uint8_t seed = in.take_byte();
  http::response_parser<http::buffer_body> parser;
  parser.header_limit(hpaio::backend::connection::header_limit);
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  char body[4096];
  std::string pending;
  boost::beast::error_code ec;
  bool head_done = false;
  hpaio::fuzz::in_pieces(in.rest(), seed, [&](std::span<const std::uint8_t> piece) {
    if (ec) return;
    pending.append(reinterpret_cast<const char*>(piece.data()), piece.size());
    while (!ec && !pending.empty() && !parser.is_done()) {
      parser.get().body().data = body;
      parser.get().body().size = sizeof body;
      std::size_t used = parser.put(boost::asio::buffer(pending), ec);
      if (ec == http::error::need_buffer) ec = {};
      if (ec == http::error::need_more) {
        ec = {};
        break;
      }
      pending.erase(0, used);
      if (used == 0 && !ec) break;
    }
    if (!ec && !head_done && parser.is_header_done()) {
      head_done = true;
      const auto& h = parser.get();
      static_cast<void>(h.result_int());
      for (const auto& f : h) {
        if (f.name() == http::field::location)
          static_cast<void>(
              hpaio::backend::job_path_from_location(std::string_view(f.value().data(), f.value().size())));
      }
    }
  });
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  return 0;
}
