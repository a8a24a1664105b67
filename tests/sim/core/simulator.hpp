// One simulated HP all-in-one: routes requests to its LEDM or eSCL half and serves
// /DevMgmt/DiscoveryTree.xml, which names the protocols the device has. Jobs are judged by the
// model of the capabilities document it serves: the --caps document when the simulator can read
// it, else the profile's own (acceptance.hpp).
#pragma once

#include "tests/sim/core/acceptance.hpp"
#include "tests/sim/core/escl_device.hpp"
#include "tests/sim/core/ledm_device.hpp"
#include "tests/sim/core/page_cache.hpp"
#include "tests/sim/core/sim_config.hpp"

namespace hpsim {

class Simulator {
 public:
  explicit Simulator(SimConfig cfg);
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  Response handle(const Request& req, Clock::time_point now);

  // True once the refuse-after-caps fault has been triggered.
  bool refusing_connections() const noexcept { return refusing_; }
  const SimConfig& config() const noexcept { return cfg_; }
  const Feeder& feeder() const noexcept { return feeder_; }
  // What jobs are judged by; its notes say what of the document is not simulated and, when the
  // --caps document could not be read, that the profile's capabilities judge instead.
  const Acceptance& acceptance() const noexcept { return accept_; }
  LedmDevice& ledm() noexcept { return ledm_; }
  EsclDevice& escl() noexcept { return escl_; }
  const PageCache& page_cache() const noexcept { return pages_; }
  std::string discovery_tree() const;

 private:
  SimConfig cfg_;
  Acceptance accept_;
  Feeder feeder_;
  PageCache pages_;
  LedmDevice ledm_;
  EsclDevice escl_;
  bool refusing_ = false;
};

}  // namespace hpsim
