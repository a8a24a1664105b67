// The device URIs of the CUPS print queues, asked through libcups (IPP CUPS-Get-Printers with
// requested-attributes device-uri, as HPLIP does), so CUPS_SERVER, IPP_PORT and client.conf are
// respected. Every wait is bounded: the connection by the deadline, and each read or write by an
// httpSetTimeout callback that gives up at the deadline.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "hpaio/discovery/print_queue.hpp"

namespace hpaio {

struct PrintQueuesResult {
  std::vector<PrintQueue> queues;
  std::string error;  // empty on success
};

PrintQueuesResult list_print_queues(std::chrono::milliseconds timeout);

}  // namespace hpaio
