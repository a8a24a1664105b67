// The page pump: device bytes read ahead by its thread, decoded in the reader's; how a page ends
// when the transfer fails before, or only after, the image was all there. A scripted Scanner plays
// the device; no sockets.
#include "backend/driver/page_pump.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

using namespace hpaio;
using namespace hpaio::backend;

namespace {

// Serves `body` in pieces of at most `piece` bytes, then throws `fail` (if any) instead of ending.
class ScriptedScanner : public Scanner {
 public:
  ScriptedScanner(std::vector<std::uint8_t> body, std::optional<HttpError::Kind> fail)
      : body_(std::move(body)), fail_(fail) {}
  std::string_view protocol() const override { return "test"; }
  const ScannerCapabilities& capabilities() const override { return caps_; }
  bool quality_supported() const override { return false; }
  void start_job(const ScanRequest&) override {}
  std::optional<PageSource> next_page() override { return std::nullopt; }
  std::size_t read_page(std::span<std::uint8_t> out) override {
    if (at_ == body_.size()) {
      if (fail_) throw HttpError(*fail_, "the device closed the connection in the middle of a body");
      return 0;
    }
    const std::size_t n = std::min({out.size(), body_.size() - at_, std::size_t{1000}});
    std::copy_n(body_.begin() + static_cast<std::ptrdiff_t>(at_), n, out.begin());
    at_ += n;
    return n;
  }
  bool job_active() const override { return false; }
  void cancel_job() override {}
  void forget_job() override {}

 private:
  ScannerCapabilities caps_;
  std::vector<std::uint8_t> body_;
  std::size_t at_ = 0;
  std::optional<HttpError::Kind> fail_;
};

constexpr int kWidth = 100, kLines = 50;

// A raw gray page's first `rows` rows (row r is filled with the value r).
std::vector<std::uint8_t> raw_rows(int rows) {
  std::vector<std::uint8_t> v;
  for (int r = 0; r < rows; ++r) v.insert(v.end(), kWidth, static_cast<std::uint8_t>(r));
  return v;
}

struct Page {
  std::vector<std::uint8_t> frame;
  PagePump::Outcome outcome;
};

// Reads the whole page after giving the thread time to read (and fail) ahead.
Page pump_page(std::vector<std::uint8_t> body, std::optional<HttpError::Kind> fail) {
  ScriptedScanner scanner(std::move(body), fail);
  PageSource src;
  src.format = ImageFormat::Raw;
  src.raw_mode = ColorMode::Gray;
  src.raw_width = kWidth;
  src.raw_lines = kLines;  // announced, as LEDM does: fewer rows are a truncated page
  FrameFormat out;
  out.mode = ColorMode::Gray;
  out.pixels_per_line = kWidth;
  out.lines = kLines;
  CancelSignal cancel;
  PagePump pump(scanner, std::make_unique<PageDecoder>(src, out), cancel);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the thread reaches the body's end first
  Page page;
  std::vector<std::uint8_t> buf(333);
  for (;;) {
    std::size_t n = 0;
    if (pump.read(buf, n) == PagePump::Read::end) break;
    page.frame.insert(page.frame.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  }
  page.outcome = pump.finish();
  return page;
}

TEST(PagePump, AWholeBodyIsAGoodPage) {
  const Page p = pump_page(raw_rows(kLines), std::nullopt);
  EXPECT_EQ(p.outcome.status, Status::eof) << p.outcome.message;
  EXPECT_EQ(p.frame, raw_rows(kLines));
}

// The thread reads ahead: the connection may fail after the last image byte was read but before
// the reader decoded it. The image was all there: a good page.
TEST(PagePump, ATransferThatFailsAfterTheImageStillGivesTheImage) {
  const Page p = pump_page(raw_rows(kLines), HttpError::Kind::closed);
  EXPECT_EQ(p.outcome.status, Status::eof) << p.outcome.message;
  EXPECT_EQ(p.frame, raw_rows(kLines));
}

// A failure before the image's end: the rows that came, white below, and the transfer's reason.
TEST(PagePump, ATransferThatFailsMidImageSaysWhy) {
  const Page p = pump_page(raw_rows(20), HttpError::Kind::closed);
  EXPECT_EQ(p.outcome.status, status_of(HttpError(HttpError::Kind::closed, "")));
  EXPECT_NE(p.outcome.status, Status::eof);
  EXPECT_NE(p.outcome.message.find("in the middle of a body"), std::string::npos) << p.outcome.message;
  ASSERT_EQ(p.frame.size(), static_cast<std::size_t>(kWidth * kLines));
  const std::vector<std::uint8_t> head(p.frame.begin(), p.frame.begin() + 20 * kWidth);
  EXPECT_EQ(head, raw_rows(20));
  EXPECT_EQ(p.frame.back(), 255);  // padded white
}

// A body that simply ends early: padded, and said so.
TEST(PagePump, ABodyThatEndsEarlyIsTruncated) {
  const Page p = pump_page(raw_rows(20), std::nullopt);
  EXPECT_EQ(p.outcome.status, Status::io_error);
  EXPECT_NE(p.outcome.message.find("padded with white"), std::string::npos) << p.outcome.message;
}

}  // namespace
