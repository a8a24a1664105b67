// A walk over a JPEG stream's markers as its bytes arrive, for what libjpeg-turbo does not handle:
// HP ADF scans declare a height of 0xFFFF (or 0) in SOF and give the real one in a DNL marker after
// the scan data. Pure: bytes in, the heights out, SOF's height field rewritten in place.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace hpaio::backend {

// Whether a stream whose first bytes are `head` (at most two; none yet is fine) can still be a JPEG.
bool may_start_jpeg(std::span<const std::uint8_t> head);

// One walk per stream, fed each piece of it in order.
class JpegMarkerWalk {
 public:
  // The largest height libjpeg accepts (JPEG_MAX_DIMENSION 65500), rounded down to whole MCU rows.
  static constexpr int kPlaceholderHeight = 65488;

  // Walks buf[from..], the bytes that arrived since the last call; buf[0] is at stream offset `base`,
  // and buf[0..from) is what the previous calls saw and the decoder has not consumed yet. libjpeg
  // rejects both HP heights (0xFFFF is over its maximum, 0 means "DNL, not supported"), so in such an
  // SOF the height is rewritten to kPlaceholderHeight: pass the bytes here before libjpeg sees them.
  // True when this call found the DNL height.
  bool walk(std::span<std::uint8_t> buf, std::uint64_t base, std::size_t from);
  // Writes `height` over SOF's height field, if the whole segment is still in buf (buf[0] at `base`)
  // and the field has arrived: libjpeg then decodes to the real height.
  void write_sof_height(std::span<std::uint8_t> buf, std::uint64_t base, int height) const;

  // SOF's height as declared (before any rewrite); -1 before it arrived.
  int sof_height() const { return sof_height_; }
  // SOF declared 0xFFFF or 0: the height comes in DNL.
  bool dnl_mode() const { return sof_height_ == kSofHeightUnknown || sof_height_ == 0; }
  // The height from DNL; 0 until it arrived.
  int dnl_height() const { return dnl_height_; }
  bool dnl_pending() const { return dnl_mode() && dnl_height_ == 0; }

 private:
  static constexpr int kSofHeightUnknown = 0xFFFF;

  enum class State { Soi0, Soi1, Marker, Code, Len0, Len1, Body, Entropy, EntropyFF, Dnl, Stop };
  State after_segment() const;

  State state_ = State::Soi0;
  int marker_ = 0;
  int seg_len_ = 0;
  std::uint64_t seg_start_ = 0;  // stream offset of the segment's length field
  std::uint64_t seg_left_ = 0;
  std::uint64_t sof_len_at_ = 0;  // the same, for the first SOF
  bool sof_seen_ = false;
  int sof_height_ = -1;
  std::array<std::uint8_t, 4> dnl_bytes_{};
  int dnl_got_ = 0;
  int dnl_height_ = 0;
};

}  // namespace hpaio::backend
