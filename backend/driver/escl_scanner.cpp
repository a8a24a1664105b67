#include "backend/driver/escl_scanner.hpp"

#include "backend/escl/escl_job.hpp"
#include "base/ascii.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

bool model_needs_localhost(std::string_view model) {
  return model == "HP LaserJet MFP M630" || model == "HP Color LaserJet FlowMFP M578";
}

}  // namespace

EsclScanner::EsclScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts, std::string root)
    : JobScanner("eSCL", std::move(http), timeouts) {
  debug(log_protocol, "eSCL GET " + root + "/ScannerCapabilities");
  HttpRequest get;
  get.target = root + "/ScannerCapabilities";
  HttpResponse r = this->http().request(get, deadline_in(timeouts.request));
  if (r.status != 200) throw WrongProtocol("eSCL ScannerCapabilities: HTTP " + std::to_string(r.status));
  caps_ = escl::decode_capabilities(r.body);
  // Enterprise firmware (Server: HP_Compact_Server) creates jobs only for "Host: localhost".
  const bool localhost = iequals(r.header("Server").value_or(""), "HP_Compact_Server") ||
                         model_needs_localhost(caps_.scanner.make_and_model);
  if (localhost) debug(log_info, "eSCL: jobs will be created with Host: localhost");
  set_job(std::make_unique<EsclJob>(caps_, std::move(root), localhost, timeouts.page));
}

}  // namespace hpaio::backend
