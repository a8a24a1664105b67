// One simulated HP all-in-one: routes requests to its LEDM or eSCL half (an LEDM profile with
// also_escl has both, sharing one feeder and one busy state) and serves /DevMgmt/DiscoveryTree.xml,
// which names the protocols the device has. Jobs are judged by the model of the capabilities
// document it serves: the --caps document when the simulator can read it, else the profile's own
// (acceptance.hpp); the eSCL half of an LEDM device by the eSCL document made from that model.
// Listeners named in SimConfig::escl_404_on answer 404 to every /eSCL/* request. A WS-Scan profile
// serves only its scan service (/scanner, or Profile::wsd_path) and its device endpoint /device
// (wsd_device.hpp); its jobs are judged by the eSCL document made from the profile.
#pragma once

#include "tests/sim/core/acceptance.hpp"
#include "tests/sim/core/escl_device.hpp"
#include "tests/sim/core/ledm_device.hpp"
#include "tests/sim/core/page_cache.hpp"
#include "tests/sim/core/sim_config.hpp"
#include "tests/sim/core/wsd_device.hpp"

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
  // What the eSCL half judges by (the same as acceptance() on an eSCL profile).
  const Acceptance& escl_acceptance() const noexcept { return escl_accept_; }
  // The eSCL half's configuration: an LEDM device's is its profile as its document describes it,
  // as an eSCL profile (K1 listed as BlackAndWhite1), without the --caps document.
  const SimConfig& escl_config() const noexcept { return escl_cfg_; }
  bool serves_escl() const noexcept { return cfg_.profile.protocol == Protocol::escl || cfg_.profile.also_escl; }
  bool serves_ledm() const noexcept { return cfg_.profile.protocol == Protocol::ledm; }
  bool serves_wsd() const noexcept { return cfg_.profile.protocol == Protocol::wsd; }
  // The profile as the capabilities document served describes it (profile_following), for the
  // mDNS TXT keys: the profile itself unless a --caps document was read.
  Profile advertised_profile() const;
  // What the device changed of its configuration, for hpaio-sim to say at start (--pages above
  // the FeederCapacity of the capabilities).
  const std::vector<std::string>& notes() const noexcept { return notes_; }
  LedmDevice& ledm() noexcept { return ledm_; }
  EsclDevice& escl() noexcept { return escl_; }
  WsdDevice& wsd() noexcept { return wsd_; }
  const PageCache& page_cache() const noexcept { return pages_; }
  std::string discovery_tree() const;

 private:
  bool escl_404(const Request& req) const;  // whether req came in on an escl_404_on listener

  SimConfig cfg_;
  Acceptance accept_;
  SimConfig escl_cfg_;
  Acceptance escl_accept_;
  Feeder feeder_;
  PageCache pages_;
  LedmDevice ledm_;
  EsclDevice escl_;
  WsdDevice wsd_;
  bool refusing_ = false;
  std::vector<std::string> notes_;
};

}  // namespace hpsim
