// --page-cache: the pages a device has rendered and encoded, kept in memory and served again to
// a later identical request instead of rendering and encoding anew. Models a device that serves
// a pre-encoded page, so a benchmark measures clients against transfer and decode only.
// The key holds everything that determines a page's bytes; faults are applied afterwards to a
// copy, so a cached page is truncated, stalled or reset like a fresh one.
#pragma once

#include <compare>
#include <cstddef>
#include <map>
#include <string>

#include "tests/sim/core/sim_config.hpp"

namespace hpsim {

// Everything a page body depends on: the protocol, every scan setting, which sheet and side,
// whether it is sent HP-DNL style and whether it comes rotated.
struct PageKey {
  Protocol protocol = Protocol::ledm;
  ScanParams params;
  int sheet = 0;
  Side side = Side::front;
  bool dnl = false;
  bool rotated = false;

  auto operator<=>(const PageKey&) const = default;
};

PageKey page_key(Protocol protocol, const ScanParams& p, int image, bool dnl, bool rotated = false);

class PageCache {
 public:
  // Disabled: every page is rendered (make_image). Pages beyond max_bytes in all are not kept.
  explicit PageCache(bool enabled, std::size_t max_bytes = kDefaultMaxBytes)
      : enabled_(enabled), max_bytes_(max_bytes) {}

  // The body of image n (1-based) of a job with these settings (make_image).
  std::string image(Protocol protocol, const ScanParams& p, int image, bool dnl, bool rotated = false);

  bool enabled() const noexcept { return enabled_; }
  std::size_t hits() const noexcept { return hits_; }
  std::size_t pages() const noexcept { return pages_.size(); }
  std::size_t bytes() const noexcept { return bytes_; }

  static constexpr std::size_t kDefaultMaxBytes = std::size_t{1} << 30;  // 1 GiB

 private:
  bool enabled_;
  std::size_t max_bytes_;
  std::map<PageKey, std::string> pages_;
  std::size_t bytes_ = 0;
  std::size_t hits_ = 0;
};

}  // namespace hpsim
