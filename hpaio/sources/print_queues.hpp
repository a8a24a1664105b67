// The device URIs of the CUPS print queues, asked through libcups (IPP CUPS-Get-Printers with
// requested-attributes device-uri, as HPLIP does), so CUPS_SERVER, IPP_PORT and client.conf are
// respected. Waits end by the deadline: the connection with a timeout of the time left, and the
// reads and writes inside libcups through httpSetTimeout, armed with the time left and re-armed by
// its callback until the deadline has passed. libcups waits on its socket only, so `cancel` is
// seen when a wait ends, and a wait begun after part of the answer came (armed with what was left
// at the last arming) can end later than the deadline by up to the time the answer took so far.
#pragma once

#include <string>
#include <vector>

#include "base/cancel_signal.hpp"
#include "base/clock.hpp"
#include "hpaio/discovery/print_queue.hpp"

namespace hpaio {

struct PrintQueuesResult {
  std::vector<PrintQueue> queues;
  std::string error;  // empty on success
};

// `cancel` may be null.
PrintQueuesResult list_print_queues(Deadline deadline, const CancelSignal* cancel = nullptr);

}  // namespace hpaio
