// What the device says about a page it is about to send: what a job state machine hands the image
// pipeline.
#pragma once

#include <string>

#include "backend/scan/scanner_capabilities.hpp"

namespace hpaio::backend {

// What the device sends.
struct PageSource {
  ImageFormat format = ImageFormat::Jpeg;
  // Raw only (LEDM Raw, eSCL application/octet-stream). Rows of raw_bytes_per_line bytes (0: the least that holds
  // raw_width pixels; more means padding at the end of each row). Color = 8-bit RGB, Gray = 8-bit, BlackAndWhite = HP's
  // K1: 1 bit per pixel, MSB first, 1 = WHITE.
  ColorMode raw_mode = ColorMode::Color;
  int raw_width = 0;
  int raw_bytes_per_line = 0;
  int raw_lines = 0;  // rows the device announced (LEDM BufferInfo ImageHeight), 0 if unknown
  // The answer's Content-Type when the page is one part of a multipart answer (WS-Scan's MTOM
  // RetrieveImage): the driver reads the image part out of the body (backend/wsd/mtom_reader.hpp)
  // and hands only that to the decoder. Empty: the body is the page.
  std::string multipart_type;
};

}  // namespace hpaio::backend
