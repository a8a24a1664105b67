// The LEDM half of the simulated device: /DevMgmt/DiscoveryTree.xml, /Scan/ScanCaps,
// /Scan/Status, POST /Scan/Jobs, job polling (/Jobs/JobList/N), pages (/Scan/Jobs/N/Pages/P)
// and PUT cancel. Pure logic: requests in, response descriptions out.
#pragma once

#include <functional>
#include <map>
#include <optional>

#include "tests/sim/core/acceptance.hpp"
#include "tests/sim/core/page_cache.hpp"
#include "tests/sim/core/sim_config.hpp"

namespace hpsim {

inline constexpr const char* kLedmScanNs = "http://www.hp.com/schemas/imaging/con/cnx/scan/2008/08/19";
inline constexpr const char* kLedmJobsNs = "http://www.hp.com/schemas/imaging/con/ledm/jobs/2009/04/30";
inline constexpr const char* kLedmDdNs = "http://www.hp.com/schemas/imaging/con/dictionaries/1.0/";
inline constexpr const char* kLedmTreeNs = "http://www.hp.com/schemas/imaging/con/ledm/2007/09/21";

// The ScanCaps document of a profile (one line, in the element order HPLIP walks).
std::string ledm_scan_caps(const Profile& p);

class LedmDevice {
 public:
  // Jobs are judged by `accept` (Simulator: the model of the capabilities document served).
  LedmDevice(const SimConfig& cfg, const Acceptance& accept, Feeder& feeder, PageCache& pages);

  // Handles /Scan/*, /Jobs/* and /DevMgmt/*; nullopt if the path is not LEDM's.
  std::optional<Response> handle(const Request& req, Clock::time_point now);

  std::string scan_caps() const;
  // BusyWithScanJob while a job of either protocol is active (`now`: for the eSCL half's State lag).
  std::string scan_status(Clock::time_point now = {}) const;
  bool job_active() const;
  // Whether the device is busy with a job of its other protocol (an LEDM device that also serves eSCL).
  void set_peer_busy(std::function<bool(Clock::time_point)> f) { peer_busy_ = std::move(f); }

  enum class JobState { processing, completed, canceled };
  enum class PageState { preparing, ready, uploaded, canceled_by_device, canceled_by_client };
  struct Job {
    int id = 0;
    ScanParams params;
    int images = 0;  // images in this job
    int page = 1;    // image being prepared/uploaded
    PageState page_state = PageState::preparing;
    int polls = 0;  // polls seen in the current PreparingScan
    int last_uploaded = 0;
    int last_lines = 0;
    JobState state = JobState::processing;
    int update = 1;
    Clock::time_point touched{};  // last request about this job
    Clock::time_point ended{};    // when it left Processing
  };
  // A processing job nobody asked about for this long is dropped (the client went away); with
  // Profile::job_expiry_ms, ended jobs are forgotten that long after (their URLs answer 404).
  static constexpr std::chrono::seconds kAbandonAfter{30};
  const Job* job(int id) const;

 private:
  void expire(Clock::time_point now);
  Response post_job(const Request& req, Clock::time_point now);
  Response get_job(int id, Clock::time_point now);
  Response put_job(int id, const Request& req, Clock::time_point now);
  Response get_page(int id, int page, Clock::time_point now);
  bool peer_busy(Clock::time_point now) const { return peer_busy_ && peer_busy_(now); }
  std::string job_document(const Job& j) const;
  std::string discovery_tree() const;
  Response xml(std::string body) const;
  std::string location_for(int id) const;

  const SimConfig& cfg_;
  const Acceptance& accept_;
  Feeder& feeder_;
  PageCache& pages_;
  std::map<int, Job> jobs_;
  int next_id_ = 1;
  std::function<bool(Clock::time_point)> peer_busy_;
};

}  // namespace hpsim
