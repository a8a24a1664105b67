// WS-Scan (WSD) scanning over HTTP: reads the scanner's elements (configuration and status) from
// its scan service when opened; its jobs are WsdJob (backend/wsd/wsd_job.hpp) driven by
// JobScanner. A page comes as one part of a multipart (MTOM) RetrieveImage answer: read_page gives
// only that part's bytes (backend/wsd/mtom_reader.hpp), then reads the rest of the answer away.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "backend/driver/job_scanner.hpp"
#include "backend/wsd/mtom_reader.hpp"
#include "backend/wsd/wsd_codec.hpp"

namespace hpaio::backend {

class WsdScanner final : public JobScanner {
 public:
  // `service`: the scan service's address ("http://192.0.2.10:3911/scanner"); its path is where
  // requests go. Throws HttpError, ProtocolError, or WrongProtocol when nothing there speaks WS-Scan.
  WsdScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts, std::string service);

  const ScannerCapabilities& capabilities() const override { return caps_.scanner; }
  bool quality_supported() const override { return caps_.scanner.compression_factor.has_value(); }
  std::optional<PageSource> next_page() override;
  std::size_t read_page(std::span<std::uint8_t> out) override;

 private:
  wsd::Capabilities caps_;
  std::optional<wsd::MtomReader> image_;  // the open page's answer, when it is multipart
  std::vector<std::uint8_t> body_;        // answer bytes read for the multipart reader
};

}  // namespace hpaio::backend
