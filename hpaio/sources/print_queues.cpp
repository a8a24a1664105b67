#include "hpaio/sources/print_queues.hpp"

#include <cups/cups.h>
#include <cups/http.h>
#include <cups/ipp.h>

#include <algorithm>
#include <memory>

namespace hpaio {
namespace {

struct HttpCloser {
  void operator()(http_t* h) const { httpClose(h); }
};
struct IppDeleter {
  void operator()(ipp_t* i) const { ippDelete(i); }
};

struct Wait {
  Deadline deadline;
  const CancelSignal* cancel;
};

double seconds_left(Deadline deadline) { return std::chrono::duration<double>(deadline - Clock::now()).count(); }

// A wait to arm: what is left of the deadline, but at least 1 ms (libcups turns a wait under 1 ms
// into its 60 s default) and at most 0.25 s, so a wait armed long ago, that began after part of the
// answer had come, cannot overrun the deadline by more than that.
double wait_seconds(Deadline deadline) { return std::clamp(seconds_left(deadline), 0.001, 0.25); }

// httpSetTimeout callback, called when an armed wait has passed: 0 to give up (the deadline has
// passed, or a cancel), else 1 to wait again, re-armed.
int keep_waiting(http_t* http, void* data) {
  const auto* wait = static_cast<const Wait*>(data);
  if (wait->cancel != nullptr && wait->cancel->raised()) return 0;
  const double left = seconds_left(wait->deadline);
  if (left <= 0) return 0;
  httpSetTimeout(http, wait_seconds(wait->deadline), keep_waiting, data);
  return 1;
}

}  // namespace

PrintQueuesResult list_print_queues(Deadline deadline, const CancelSignal* cancel) {
  Wait wait{deadline, cancel};
  PrintQueuesResult result;
  const char* server = cupsServer();
  const int port = ippPort();
  const int msec = std::max(1, poll_timeout_ms(deadline));
  int no_cancel = 0;  // libcups's own cancel flag, checked inside its connect loop; ours is checked after it
  std::unique_ptr<http_t, HttpCloser> http(
      httpConnect2(server, port, nullptr, AF_UNSPEC, cupsEncryption(), 1, msec, &no_cancel));
  if (!http) {
    result.error = std::string("cannot connect to CUPS at ") + server +
                   (server[0] == '/' ? "" : ":" + std::to_string(port)) + ": " + cupsLastErrorString();
    return result;
  }
  if (cancel != nullptr && cancel->raised()) {
    result.error = "cancelled";
    return result;
  }
  httpSetTimeout(http.get(), wait_seconds(deadline), keep_waiting, &wait);

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
