// WS-Scan (Microsoft's WSD Scan Service) messages: the requests we send, each a whole SOAP
// envelope (soap_envelope.hpp), and decoders for the answers. No I/O. WS-Scan lengths are in
// 1/1000 inch; the project's (ScannerCapabilities, ScanRequest) in 1/300 inch: the codec converts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/scan/scan_request.hpp"
#include "backend/scan/scanner_capabilities.hpp"
#include "backend/wsd/soap_envelope.hpp"
#include "base/status.hpp"

namespace hpaio::backend::wsd {

// What GetScannerElements' ScannerConfiguration (and ScannerDescription) say.
struct Capabilities {
  ScannerCapabilities scanner;       // the modes' jpeg flag: jfif or exif; raw: dib (Windows BMP)
  std::string jpeg_format;           // "jfif", else "exif", else empty: no JPEG
  bool dib = false;                  // "dib": uncompressed pages as Windows BMP
  std::vector<std::string> formats;  // every FormatValue the device listed
};

// A device condition (ScannerStatus ActiveConditions): what it is, and where.
struct Condition {
  std::string name;       // MediaJam, CoverOpen, InputTrayEmpty, Calibrating, ...
  std::string component;  // Platen, ADF, Film, MediaPath, ... (empty when not said)
  std::string severity;   // Informational, Warning, Critical
};

struct ScannerStatus {
  std::string state;                  // Idle, Processing, Stopped
  std::vector<std::string> reasons;   // ScannerStateReason values, without "None"
  std::vector<Condition> conditions;  // ActiveConditions

  // What stops a scan from `source`, or Status::good: a jam, an open cover, an empty feeder (for a
  // feeder scan), a lamp or storage failure, a scanner that waits for someone (AttentionRequired,
  // Paused). Warming up does not stop a scan.
  Status failure(InputSource source) const;
  // Calibrating or LampWarming: the scanner will take jobs soon.
  bool warming_up() const;
  // "Stopped (MediaJam, ADF InputTrayEmpty)", for messages.
  std::string describe() const;
};

struct ImageInfo {
  int pixels_per_line = 0;
  int lines = 0;  // 0 when not known (a feeder page)
  int bytes_per_line = 0;
};

// CreateScanJobResponse.
struct CreatedJob {
  std::string id;                  // JobId (a positive integer, kept as the device wrote it)
  std::string token;               // JobToken
  std::optional<ImageInfo> front;  // ImageInformation MediaFrontImageInfo
  std::optional<ImageInfo> back;
  std::string format;        // DocumentFinalParameters Format: what the pages will be (may be empty)
  std::string input_source;  // DocumentFinalParameters InputSource
};

struct JobStatus {
  std::string id;
  std::string state;                 // Pending, Processing, Completed, Aborted, Canceled, ...
  std::vector<std::string> reasons;  // JobStateReason values, without "None"
  std::optional<int> scans_completed;
};

// The elements GetScannerElements asks for.
enum class Elements { configuration_and_status, status };

// Requests. `to`: the service address and a new message ID for each.
std::string get_scanner_elements(const Addressing& to, Elements elements);
// CreateScanJob for `request` (its device_mode, source, resolution; its region as it is, in
// 1/300 inch, converted): Jpeg asks for caps.jpeg_format, Raw for dib, each falling back to the
// other when the device lacks it; quality becomes CompressionQualityFactor when the device has a
// range, brightness and contrast an ExposureSettings. Throws ProtocolError when the device offers
// neither JPEG nor dib.
std::string create_scan_job(const Addressing& to, const ScanRequest& request, const Capabilities& caps);
std::string retrieve_image(const Addressing& to, const CreatedJob& job);
std::string cancel_job(const Addressing& to, std::string_view job_id);
std::string get_job_elements(const Addressing& to, std::string_view job_id);

// The Format value create_scan_job() asks for: "jfif", "exif" or "dib"; empty when none fits.
std::string ticket_format(const ScanRequest& request, const Capabilities& caps);
// The page format of a WS-Scan Format value: Bmp for dib, Jpeg for jfif and exif, nullopt for the
// rest (tiff, png, pdf).
std::optional<ImageFormat> page_format(std::string_view format);

// Answers. Each throws ProtocolError when the document is not that answer (a Fault is described).
Capabilities decode_capabilities(std::string_view xml);  // also when no source is usable
ScannerStatus decode_scanner_status(std::string_view xml);
CreatedJob decode_created_job(std::string_view xml);  // also without a JobId or a JobToken
JobStatus decode_job_status(std::string_view xml);

}  // namespace hpaio::backend::wsd
