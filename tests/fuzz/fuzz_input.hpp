// Helpers shared by the libFuzzer targets: the input split into a selector and the rest, and into
// pieces of varying size, as a network delivers it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace hpaio::fuzz {

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  // One byte taken from the front (0 when none is left).
  std::uint8_t take_byte() {
    if (size_ == 0) return 0;
    --size_;
    return *data_++;
  }
  std::span<const std::uint8_t> rest() const { return {data_, size_}; }
  std::string_view rest_text() const { return {reinterpret_cast<const char*>(data_), size_}; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

// Calls deliver(piece) for consecutive pieces of bytes whose sizes cycle through sizes (1..256),
// so that every boundary a TCP stream can put in the data gets exercised.
template <typename Deliver>
void in_pieces(std::span<const std::uint8_t> bytes, std::uint8_t seed, Deliver deliver) {
  std::size_t step = 1 + seed % 7, i = 0;
  std::size_t size = 1 + seed;
  while (i < bytes.size()) {
    std::size_t n = std::min(size, bytes.size() - i);
    deliver(bytes.subspan(i, n));
    i += n;
    size = 1 + (size * 5 + step) % 256;
  }
}

}  // namespace hpaio::fuzz
