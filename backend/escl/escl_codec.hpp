// eSCL documents: decoders for what the device sends and builders for what we send. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/scan/scan_request.hpp"
#include "backend/scan/scanner_capabilities.hpp"

namespace hpaio::backend::escl {

struct Capabilities {
  ScannerCapabilities scanner;
  std::string scan_namespace;        // the eSCL namespace URI the device uses (current or legacy)
  bool document_format_ext = false;  // the device lists scan:DocumentFormatExt
};

// GET /eSCL/ScannerCapabilities. Throws ProtocolError when the document is not usable.
Capabilities decode_capabilities(std::string_view xml);

// The body of POST /eSCL/ScanJobs for `request` (its device_mode, and its region as it is), in
// the dialect of `caps`; the jpeg-quality maps onto the device's CompressionFactor range.
std::string encode_scan_settings(const ScanRequest& request, const Capabilities& caps);

struct JobInfo {
  std::string uri;
  std::string uuid;
  std::string state;                 // Pending, Processing, Completed, Canceled, Aborted, ...
  std::vector<std::string> reasons;  // JobStateReason values
  std::optional<int> images_completed;
  std::optional<int> images_to_transfer;
};

struct ScannerStatus {
  std::string state;      // Idle, Processing, Testing, Stopped, Down
  std::string adf_state;  // ScannerAdfLoaded, ScannerAdfEmpty, ScannerAdfJam, ... or empty
  std::vector<JobInfo> jobs;
  // The job whose JobUri names the same path as `job_path`, if listed.
  const JobInfo* job(std::string_view job_path) const;
};

// GET /eSCL/ScannerStatus. Throws ProtocolError.
ScannerStatus decode_status(std::string_view xml);

struct ImageInfo {
  int width = 0;
  int height = 0;
  int bytes_per_line = 0;
};

// GET {job}/ScanImageInfo. Throws ProtocolError.
ImageInfo decode_image_info(std::string_view xml);

}  // namespace hpaio::backend::escl
