// A JPEG page's rows in the frame's format: libjpeg(-turbo) in suspending mode, fed the device's bytes
// as they arrive, with HP's DNL height (jpeg_markers.hpp) and an input that ends early handled.
#pragma once

#include <array>
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>
// Apart from the sorted block: jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include "backend/image/jpeg_markers.hpp"
#include "backend/image/page_decoder.hpp"

namespace hpaio::backend {

class JpegRows {
 public:
  // Throws ImageError when libjpeg cannot be set up.
  explicit JpegRows(const FrameFormat& out);
  ~JpegRows();
  // libjpeg holds pointers into this object: it never moves.
  JpegRows(const JpegRows&) = delete;
  JpegRows& operator=(const JpegRows&) = delete;

  // Every byte pushed to the page, used or not: the first two tell a stream cut short in its header
  // from one that never was a JPEG.
  void saw(std::span<const std::uint8_t> bytes);
  // The next device bytes, while the page takes input.
  void push(std::span<const std::uint8_t> bytes);
  // The device sent all it will send: from now on libjpeg reads an EOI where the data stops.
  void end_of_input();

  // Decodes up to max_rows frame rows straight into dst (bytes_per_line() apart) when no conversion is
  // needed. Returns the rows written, 0 when more input is needed, -1 when next_row() must handle what
  // comes next. Throws ImageError when the data is not a JPEG we can decode.
  int direct_rows(std::uint8_t* dst, int max_rows);
  // Writes the next frame row to dst: the image's, or white once the source has no more rows. False
  // when more input is needed first. Throws ImageError when the data is not a JPEG we can decode.
  bool next_row(std::uint8_t* dst);

  // Reads the header from the bytes pushed so far, once; false while more input is needed. Throws
  // ImageError like next_row(). A stream that ends inside its header is done() and truncated().
  bool read_header();

  // No more source rows: the rest of the frame is white.
  bool done() const { return stage_ == Stage::Done; }
  bool header_ready() const { return header_ready_; }
  // The source image's size; 0 while not known (before the header, or before an HP DNL height).
  int width() const;
  int height() const;
  bool truncated() const { return truncated_; }
  int warnings() const { return err_.warnings; }

 private:
  struct ErrorManager {
    jpeg_error_mgr pub;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    int warnings;
  };
  struct SourceManager {
    jpeg_source_mgr pub;
    JpegRows* self;
  };
  enum class Stage { Header, Starting, Rows, Done };
  enum class Produced { Row, White, NeedInput };

  template <typename F>
  bool guarded(F&& f);
  static void on_error_exit(j_common_ptr c);
  static void on_emit_message(j_common_ptr c, int level);
  static boolean on_fill_input_buffer(j_decompress_ptr c);
  static void on_skip_input_data(j_decompress_ptr c, long count);

  [[noreturn]] static void fail(const std::string& message);
  [[noreturn]] void fail_jpeg() const;
  int source_rows() const;
  bool start();
  bool hit_marker() const;
  JDIMENSION read_scanlines(JSAMPARRAY rows, JDIMENSION count);
  Produced row(std::uint8_t* dst);

  FrameFormat out_;
  std::size_t bpl_ = 0;
  ColorMode decoded_ = ColorMode::Color;  // what libjpeg hands us: RGB or gray
  Stage stage_ = Stage::Header;
  bool eof_ = false;
  bool truncated_ = false;

  // The first bytes pushed, and how many there were.
  std::array<std::uint8_t, 2> prefix_{};
  std::uint64_t total_pushed_ = 0;

  // Input not consumed yet: its last src_.pub.bytes_in_buffer bytes are what libjpeg has not committed
  // to. `base_` is the stream offset of in_[0].
  std::vector<std::uint8_t> in_;
  std::uint64_t base_ = 0;
  std::size_t pending_skip_ = 0;  // bytes libjpeg skipped that have not arrived yet
  JpegMarkerWalk markers_;

  jpeg_decompress_struct cinfo_{};
  ErrorManager err_{};
  SourceManager src_{};
  bool created_ = false;
  bool header_ready_ = false;
  bool fake_eoi_ = false;
  std::vector<std::uint8_t> src_row_;
  bool held_ = false;  // src_row_ holds a row that may lie below an HP DNL height not received yet
  int held_index_ = 0;
  bool straight_ = false;  // the last row was decoded straight into the caller's row: no conversion
};

}  // namespace hpaio::backend
