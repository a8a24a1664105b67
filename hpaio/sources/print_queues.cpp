#include "hpaio/sources/print_queues.hpp"

#include <cups/cups.h>
#include <cups/http.h>
#include <cups/ipp.h>

#include <algorithm>
#include <memory>

namespace hpaio {
namespace {

using Clock = std::chrono::steady_clock;

struct HttpCloser {
  void operator()(http_t* h) const { httpClose(h); }
};
struct IppDeleter {
  void operator()(ipp_t* i) const { ippDelete(i); }
};

// httpSetTimeout callback: 1 to keep waiting, 0 to give up.
int keep_waiting(http_t*, void* data) {
  const auto* deadline = static_cast<const Clock::time_point*>(data);
  return Clock::now() < *deadline ? 1 : 0;
}

}  // namespace

PrintQueuesResult list_print_queues(std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  PrintQueuesResult result;
  const char* server = cupsServer();
  const int port = ippPort();
  const int msec = static_cast<int>(std::max<long long>(1, timeout.count()));
  int cancel = 0;
  std::unique_ptr<http_t, HttpCloser> http(
      httpConnect2(server, port, nullptr, AF_UNSPEC, cupsEncryption(), 1, msec, &cancel));
  if (!http) {
    result.error = std::string("cannot connect to CUPS at ") + server +
                   (server[0] == '/' ? "" : ":" + std::to_string(port)) + ": " + cupsLastErrorString();
    return result;
  }
  // Short poll interval; the callback decides when to give up.
  httpSetTimeout(http.get(), 0.1, keep_waiting, &deadline);

  ipp_t* request = ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
  static const char* const attributes[] = {"printer-name", "device-uri"};
  ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, nullptr, attributes);
  std::unique_ptr<ipp_t, IppDeleter> response(cupsDoRequest(http.get(), request, "/"));  // frees request
  if (!response) {
    result.error = std::string("CUPS-Get-Printers: ") + cupsLastErrorString();
    return result;
  }
  if (ippGetStatusCode(response.get()) > IPP_STATUS_OK_CONFLICTING &&
      ippGetStatusCode(response.get()) != IPP_STATUS_ERROR_NOT_FOUND) {
    result.error = std::string("CUPS-Get-Printers: ") + ippErrorString(ippGetStatusCode(response.get()));
    return result;
  }
  PrintQueue current;
  auto flush = [&] {
    if (!current.device_uri.empty()) result.queues.push_back(current);
    current = {};
  };
  for (ipp_attribute_t* a = ippFirstAttribute(response.get()); a != nullptr; a = ippNextAttribute(response.get())) {
    const char* name = ippGetName(a);
    if (name == nullptr) {  // separator between printers
      flush();
      continue;
    }
    const std::string_view n(name);
    const char* value = ippGetString(a, 0, nullptr);
    if (value == nullptr) continue;
    if (n == "printer-name") current.name = value;
    if (n == "device-uri") current.device_uri = value;
  }
  flush();
  return result;
}

}  // namespace hpaio
