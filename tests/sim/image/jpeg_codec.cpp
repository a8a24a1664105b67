#include "tests/sim/image/jpeg_codec.hpp"

#include <jpeglib.h>

#include <csetjmp>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace hpsim {

namespace {

struct ErrorManager {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) ++cinfo->err->num_warnings;  // corrupt-data warnings; no output
}

// Returns the offset of the first marker with this code in the header part of the stream.
std::optional<std::size_t> find_marker(std::string_view j, unsigned char code) {
  std::size_t i = 2;  // after SOI
  while (i + 4 <= j.size()) {
    if (static_cast<unsigned char>(j[i]) != 0xFF) return std::nullopt;
    const auto m = static_cast<unsigned char>(j[i + 1]);
    if (m == code) return i;
    if (m == 0xDA) return std::nullopt;  // start of scan: headers are over
    const std::size_t len = (static_cast<unsigned char>(j[i + 2]) << 8) | static_cast<unsigned char>(j[i + 3]);
    i += 2 + len;
  }
  return std::nullopt;
}

}  // namespace

std::string encode_jpeg(const Raster& raster, int quality) {
  if (raster.width <= 0 || raster.height <= 0) throw std::runtime_error("cannot encode an empty image");
  jpeg_compress_struct cinfo{};
  ErrorManager err{};
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_error;
  err.mgr.emit_message = on_message;
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  if (setjmp(err.jump) != 0) {
    jpeg_destroy_compress(&cinfo);
    std::free(out);
    throw std::runtime_error(std::string("JPEG encoding failed: ") + err.message);
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &out, &out_size);
  cinfo.image_width = static_cast<JDIMENSION>(raster.width);
  cinfo.image_height = static_cast<JDIMENSION>(raster.height);
  cinfo.input_components = raster.channels;
  cinfo.in_color_space = raster.channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  const std::size_t stride = static_cast<std::size_t>(raster.width) * static_cast<std::size_t>(raster.channels);
  while (cinfo.next_scanline < cinfo.image_height) {
    auto* row = reinterpret_cast<JSAMPROW>(const_cast<char*>(raster.pixels.data() + cinfo.next_scanline * stride));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::string result(reinterpret_cast<const char*>(out), out_size);
  jpeg_destroy_compress(&cinfo);
  std::free(out);
  return result;
}

std::optional<std::string> make_dnl_jpeg(std::string_view jpeg) {
  const auto sof = find_marker(jpeg, 0xC0);
  if (!sof || jpeg.size() < 4 || jpeg.substr(jpeg.size() - 2) != "\xFF\xD9") return std::nullopt;
  std::string out(jpeg);
  // SOF0: FF C0 len(2) precision(1) height(2) width(2) ...
  const std::size_t h = *sof + 5;
  const char hi = out[h];
  const char lo = out[h + 1];
  out[h] = static_cast<char>(0xFF);
  out[h + 1] = static_cast<char>(0xFF);
  const std::string dnl{static_cast<char>(0xFF), static_cast<char>(0xDC), 0, 4, hi, lo};
  out.insert(out.size() - 2, dnl);
  return out;
}

JpegHeights jpeg_heights(std::string_view j) {
  JpegHeights r;
  if (const auto sof = find_marker(j, 0xC0); sof && *sof + 9 <= j.size()) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(j[k]); };
    r.sof_height = (b(*sof + 5) << 8) | b(*sof + 6);
    r.width = (b(*sof + 7) << 8) | b(*sof + 8);
  }
  // DNL sits after the entropy-coded data, where FF is always followed by 00 or RSTn.
  for (std::size_t i = j.size() >= 8 ? j.size() - 8 : 0; i + 6 <= j.size() && i > 2; --i) {
    if (static_cast<unsigned char>(j[i]) == 0xFF && static_cast<unsigned char>(j[i + 1]) == 0xDC && j[i + 2] == 0 &&
        j[i + 3] == 4) {
      r.dnl_height = (static_cast<unsigned char>(j[i + 4]) << 8) | static_cast<unsigned char>(j[i + 5]);
      break;
    }
    if (j.size() - i > 64) break;
  }
  return r;
}

Raster decode_jpeg(std::string_view input) {
  std::string data(input);
  const JpegHeights hs = jpeg_heights(data);
  if (hs.sof_height == 0xFFFF && hs.dnl_height > 0) {
    const auto sof = find_marker(data, 0xC0);
    data[*sof + 5] = static_cast<char>(hs.dnl_height >> 8);
    data[*sof + 6] = static_cast<char>(hs.dnl_height & 0xFF);
  }
  jpeg_decompress_struct cinfo{};
  ErrorManager err{};
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_error;
  err.mgr.emit_message = on_message;
  Raster r;
  if (setjmp(err.jump) != 0) {
    jpeg_destroy_decompress(&cinfo);
    throw std::runtime_error(std::string("JPEG decoding failed: ") + err.message);
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(data.data()), static_cast<unsigned long>(data.size()));
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  r.width = static_cast<int>(cinfo.output_width);
  r.height = static_cast<int>(cinfo.output_height);
  r.channels = cinfo.output_components;
  const std::size_t stride = static_cast<std::size_t>(r.width) * static_cast<std::size_t>(r.channels);
  r.pixels.resize(stride * static_cast<std::size_t>(r.height));
  while (cinfo.output_scanline < cinfo.output_height) {
    auto* row = reinterpret_cast<JSAMPROW>(r.pixels.data() + cinfo.output_scanline * stride);
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  // A truncated stream only warns in libjpeg; treat it as corrupt here.
  const bool corrupt = cinfo.err->num_warnings > 0;
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (corrupt) throw std::runtime_error("JPEG decoding failed: corrupt or truncated data");
  return r;
}

}  // namespace hpsim
