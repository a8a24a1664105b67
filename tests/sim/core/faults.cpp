#include "tests/sim/core/faults.hpp"

namespace hpsim {

const std::vector<FaultInfo>& all_faults() {
  static const std::vector<FaultInfo> faults = {
      {Fault::stall_mid_image, "stall-mid-image",
       "send half of each image body, then send nothing more; the connection is closed after "
       "--stall-seconds"},
      {Fault::reset_mid_image, "reset-mid-image", "send half of each image body, then reset the connection (RST)"},
      {Fault::truncated_jpeg, "truncated-jpeg",
       "image responses are complete HTTP messages holding only the first half of the image (no EOI)"},
      {Fault::malformed_caps, "malformed-caps",
       "ScanCaps / ScannerCapabilities is broken XML (cut inside a tag, unclosed elements)"},
      {Fault::huge_caps, "huge-caps", "the capabilities document is padded to 10 MB (valid XML, one huge comment)"},
      {Fault::slow_drip, "slow-drip", "every response body is written --drip-bytes at a time, --drip-ms apart"},
      {Fault::busy_forever, "busy-forever",
       "the scanner never becomes idle: eSCL State Processing and 503 on ScanJobs/NextDocument, "
       "LEDM ScannerState BusyWithScanJob and 503 on POST /Scan/Jobs"},
      {Fault::adf_jam, "adf-jam",
       "the second ADF sheet jams: eSCL AdfState ScannerAdfJam, job Aborted, NextDocument 500; "
       "LEDM AdfState Jammed, job Canceled with PageState CanceledByDevice"},
      {Fault::wrong_content_length, "wrong-content-length",
       "image responses use Content-Length framing claiming 1000 bytes more than are sent; the "
       "connection is closed after the body"},
      {Fault::refuse_after_caps, "refuse-after-caps",
       "after the first capabilities response the listening sockets are closed, so new "
       "connections are refused"},
  };
  return faults;
}

std::optional<Fault> parse_fault(std::string_view name) {
  for (const auto& f : all_faults()) {
    if (name == f.name) return f.fault;
  }
  return std::nullopt;
}

const char* fault_name(Fault f) {
  for (const auto& i : all_faults()) {
    if (i.fault == f) return i.name;
  }
  return "?";
}

}  // namespace hpsim
