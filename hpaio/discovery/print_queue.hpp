// One CUPS print queue as the listing sees it (hpaio/sources/print_queues.hpp asks CUPS).
#pragma once

#include <string>

namespace hpaio {

struct PrintQueue {
  std::string name;        // printer-name
  std::string device_uri;  // device-uri, verbatim
};

}  // namespace hpaio
