#include "tests/sim/core/page_cache.hpp"

namespace hpsim {

PageKey page_key(Protocol protocol, const ScanParams& p, int image, bool dnl, bool rotated) {
  return PageKey{protocol, p, sheet_of(p, image), side_of(p, image), dnl, rotated};
}

std::string PageCache::image(Protocol protocol, const ScanParams& p, int image, bool dnl, bool rotated) {
  if (!enabled_) return make_image(p, image, dnl, rotated);
  const PageKey key = page_key(protocol, p, image, dnl, rotated);
  if (const auto it = pages_.find(key); it != pages_.end()) {
    ++hits_;
    return it->second;
  }
  std::string body = make_image(p, image, dnl, rotated);
  if (bytes_ + body.size() <= max_bytes_) {
    bytes_ += body.size();
    pages_.emplace(key, body);
  }
  return body;
}

}  // namespace hpsim
