// LEDM documents: decoders for what the device sends and builders for what we send. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/scan/scan_request.hpp"
#include "backend/scan/scanner_capabilities.hpp"

namespace hpaio::backend::ledm {

// GET /Scan/ScanCaps. Throws ProtocolError when the document is not usable.
ScannerCapabilities decode_capabilities(std::string_view xml);

// The body of POST /Scan/Jobs for `request` (its device_mode; BlackAndWhite is requested as
// Gray, which the host thresholds). Brightness and contrast default to neutral (1000), the
// jpeg-quality becomes CompressionQFactor.
std::string encode_scan_settings(const ScanRequest& request);
// The Accept header of every LEDM request (HPLIP's).
inline constexpr const char* accept_header = "text/xml, */*";
// The body of PUT <job> that cancels it.
std::string encode_cancel_job();

struct ScanStatus {
  std::string scanner_state;  // Idle, BusyWithScanJob, ...
  std::string adf_state;      // Loaded, Empty, Jammed, ... or empty when the device has no ADF
};

// GET /Scan/Status. Throws ProtocolError.
ScanStatus decode_status(std::string_view xml);

struct Page {
  int number = 0;
  std::string state;       // PreparingScan, ReadyToUpload, UploadCompleted, CanceledByDevice, ...
  std::string binary_url;  // PreScanPage only
  int image_width = 0;     // PreScanPage BufferInfo, 0 when absent
  int image_height = 0;
  int bytes_per_line = 0;
  int total_lines = 0;  // PostScanPage only
};

struct Job {
  std::string state;  // Processing, Completed, Canceled, Blocked
  std::optional<Page> pre_scan;
  std::optional<Page> post_scan;
};

// GET /Jobs/JobList/N. Throws ProtocolError.
Job decode_job(std::string_view xml);

// What /DevMgmt/DiscoveryTree.xml says the device speaks.
struct DiscoveryTree {
  bool ledm_scan = false;
  bool escl = false;
};
DiscoveryTree decode_discovery_tree(std::string_view xml);

}  // namespace hpaio::backend::ledm
