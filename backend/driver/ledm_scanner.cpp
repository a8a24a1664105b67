#include "backend/driver/ledm_scanner.hpp"

#include "backend/ledm/ledm_codec.hpp"
#include "backend/ledm/ledm_job.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {

LedmScanner::LedmScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts)
    : JobScanner("LEDM", std::move(http), timeouts) {
  debug(log_protocol, "LEDM GET /Scan/ScanCaps");
  HttpRequest get;
  get.target = "/Scan/ScanCaps";
  get.headers.push_back({"Accept", ledm::accept_header});
  HttpResponse r = this->http().request(get, deadline_in(timeouts.request));
  if (r.status != 200) throw WrongProtocol("LEDM ScanCaps: HTTP " + std::to_string(r.status));
  caps_ = ledm::decode_capabilities(r.body);
  set_job(std::make_unique<LedmJob>(timeouts.page));
}

}  // namespace hpaio::backend
