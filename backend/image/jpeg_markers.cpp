#include "backend/image/jpeg_markers.hpp"

#include <algorithm>
#include <cstring>

namespace hpaio::backend {

namespace {

constexpr std::uint8_t kSoi = 0xD8;
constexpr std::uint8_t kEoi = 0xD9;
constexpr std::uint8_t kSos = 0xDA;
constexpr std::uint8_t kDnl = 0xDC;

bool is_sof(int m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

}  // namespace

bool may_start_jpeg(std::span<const std::uint8_t> head) {
  return head.empty() || (head[0] == 0xFF && (head.size() == 1 || head[1] == kSoi));
}

// After SOS comes entropy-coded data, worth scanning for DNL only when SOF announced one.
JpegMarkerWalk::State JpegMarkerWalk::after_segment() const {
  if (marker_ != kSos) return State::Marker;
  return dnl_mode() ? State::Entropy : State::Stop;
}

bool JpegMarkerWalk::walk(std::span<std::uint8_t> buf, std::uint64_t base, std::size_t from) {
  std::size_t i = from;
  while (i < buf.size()) {
    const std::uint8_t b = buf[i];
    const std::uint64_t at = base + i;
    switch (state_) {
      case State::Soi0: state_ = b == 0xFF ? State::Soi1 : State::Stop; break;
      case State::Soi1: state_ = b == kSoi ? State::Marker : State::Stop; break;
      case State::Marker: state_ = b == 0xFF ? State::Code : State::Stop; break;
      case State::Code:
        if (b == 0xFF) break;  // fill byte
        if (b == kEoi) {
          state_ = State::Stop;
        } else if (b == 0x01 || (b >= 0xD0 && b <= 0xD8)) {
          state_ = State::Marker;  // TEM, RSTn, SOI: no length
        } else {
          marker_ = b;
          state_ = State::Len0;
        }
        break;
      case State::Len0:
        seg_len_ = b << 8;
        seg_start_ = at;
        state_ = State::Len1;
        break;
      case State::Len1:
        seg_len_ |= b;
        if (seg_len_ < 2) {
          state_ = State::Stop;
          break;
        }
        seg_left_ = static_cast<std::uint64_t>(seg_len_ - 2);
        if (is_sof(marker_) && !sof_seen_) {
          sof_seen_ = true;
          sof_len_at_ = seg_start_;
        }
        state_ = seg_left_ > 0 ? State::Body : after_segment();
        break;
      case State::Body: {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(seg_left_, buf.size() - i));
        // SOF: length(2) precision(1) height(2): look at the height once both bytes are here (libjpeg
        // commits to a marker segment only as a whole, so the first one is still buffered too).
        const std::uint64_t height_lo = sof_len_at_ + 4;
        const bool height_here = at <= height_lo && height_lo < at + n && height_lo > base;
        if (is_sof(marker_) && seg_start_ == sof_len_at_ && height_here) {
          const std::size_t lo = static_cast<std::size_t>(height_lo - base);
          sof_height_ = buf[lo - 1] << 8 | buf[lo];
          // Let libjpeg decode up to a placeholder height; the decoder stops at the DNL height itself.
          if (dnl_mode()) {
            buf[lo - 1] = static_cast<std::uint8_t>(kPlaceholderHeight >> 8);
            buf[lo] = static_cast<std::uint8_t>(kPlaceholderHeight & 0xFF);
          }
        }
        seg_left_ -= n;
        i += n;
        if (seg_left_ == 0) state_ = after_segment();
        continue;
      }
      case State::Entropy: {
        const void* ff = std::memchr(buf.data() + i, 0xFF, buf.size() - i);
        if (ff == nullptr) return false;
        i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(ff) - buf.data()) + 1;
        state_ = State::EntropyFF;
        continue;
      }
      case State::EntropyFF:
        // Inside entropy-coded data FF is followed by 00 or RSTn, so FF DC can only be DNL.
        if (b == kDnl) {
          state_ = State::Dnl;
          dnl_got_ = 0;
        } else if (b != 0xFF) {
          state_ = State::Entropy;
        }
        break;
      case State::Dnl:
        dnl_bytes_[dnl_got_++] = b;
        if (dnl_got_ == 4) {
          const int len = dnl_bytes_[0] << 8 | dnl_bytes_[1];
          const int height = dnl_bytes_[2] << 8 | dnl_bytes_[3];
          if (len == 4 && height > 0 && dnl_mode()) {
            dnl_height_ = height;
            state_ = State::Stop;
            return true;
          }
          state_ = State::Entropy;
        }
        break;
      case State::Stop: return false;
    }
    ++i;
  }
  return false;
}

void JpegMarkerWalk::write_sof_height(std::span<std::uint8_t> buf, std::uint64_t base, int height) const {
  // libjpeg re-reads a marker segment after suspending inside it, so one still buffered from its
  // length field on is not committed to yet.
  if (!sof_seen_ || sof_len_at_ < base) return;
  const std::size_t at = static_cast<std::size_t>(sof_len_at_ - base) + 3;
  if (at + 1 < buf.size()) {
    buf[at] = static_cast<std::uint8_t>(height >> 8);
    buf[at + 1] = static_cast<std::uint8_t>(height & 0xFF);
  }
}

}  // namespace hpaio::backend
