// WS-Scan answers from a device: GetScannerElements (configuration, status), CreateScanJob,
// GetJobElements and faults decode or throw ProtocolError; what decodes also goes into the requests
// the backend would build from it.
#include <cstddef>
#include <cstdint>

#include "backend/wsd/wsd_codec.hpp"
#include "fuzz_input.hpp"
#include "hpaio/xml/xml_tree.hpp"

using namespace hpaio;
using namespace hpaio::backend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hpaio::fuzz::Input in(data, size);
  const std::uint8_t which = in.take_byte();
  const wsd::Addressing to{"http://192.0.2.10:3911/", "urn:uuid:00000000-0000-4000-8000-000000000000"};
  try {
    switch (which % 5) {
      case 0: {
        const wsd::Capabilities caps = wsd::decode_capabilities(in.rest_text());
        for (InputSource s : caps.scanner.sources()) {
          const SourceCapabilities* src = caps.scanner.source(s);
          if (src == nullptr || src->resolutions.empty() || src->modes.empty()) continue;
          ScanRequest req;
          req.source = s;
          req.resolution = src->resolutions.back();
          req.device_mode = src->modes.front().mode;
          req.format = (which & 8) ? ImageFormat::Raw : ImageFormat::Jpeg;
          req.region = {0, 0, src->max_width, src->max_height};
          req.quality = 50;
          static_cast<void>(wsd::create_scan_job(to, req, caps));
        }
        break;
      }
      case 1: {
        const wsd::ScannerStatus s = wsd::decode_scanner_status(in.rest_text());
        static_cast<void>(s.failure(InputSource::Platen));
        static_cast<void>(s.failure(InputSource::Adf));
        static_cast<void>(s.warming_up());
        static_cast<void>(s.describe());
        break;
      }
      case 2: {
        const wsd::CreatedJob job = wsd::decode_created_job(in.rest_text());
        static_cast<void>(wsd::retrieve_image(to, job));
        static_cast<void>(wsd::cancel_job(to, job.id));
        static_cast<void>(wsd::page_format(job.format));
        break;
      }
      case 3: static_cast<void>(wsd::decode_job_status(in.rest_text())); break;
      default:
        if (const std::optional<wsd::Fault> f = wsd::find_fault(in.rest_text())) static_cast<void>(f->describe());
        break;
    }
  } catch (const ProtocolError&) {
  } catch (const hpaio::xml::ParseError&) {
  }
  return 0;
}
