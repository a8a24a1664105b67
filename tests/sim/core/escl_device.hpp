// The eSCL half of the simulated device: ScannerCapabilities, ScannerStatus (job history and
// the state lags of real devices), POST ScanJobs (201 + Location in the shapes seen in the
// field), NextDocument (503s before a page, 404 after the last, 410 after DELETE or once the job
// is forgotten), ScanImageInfo, DELETE and eSclManifest.xml. Pure logic: requests in, responses out.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <variant>

#include "tests/sim/core/acceptance.hpp"
#include "tests/sim/core/page_cache.hpp"
#include "tests/sim/core/sim_config.hpp"

namespace hpsim {

inline constexpr const char* kPwgNs = "http://www.pwg.org/schemas/2010/12/sm";
inline constexpr const char* kEsclNs = "http://schemas.hp.com/imaging/escl/2011/05/03";
inline constexpr const char* kEsclLegacyNs = "http://schemas.hp.com/imaging/escl/2011/02/08";
// HP's own copy of the PWG namespace, used (as prefix pwg2) by old eSCL firmware.
inline constexpr const char* kPwgHpNs = "http://www.hp.com/schemas/imaging/con/pwg/sm/1.0/";

// The ScannerCapabilities document of a profile (SettingProfiles, or the older dialect).
std::string escl_capabilities(const Profile& p);

class EsclDevice {
 public:
  // Jobs are judged by `accept` (Simulator: the model of the capabilities document served).
  EsclDevice(const SimConfig& cfg, const Acceptance& accept, Feeder& feeder, PageCache& pages);

  // Handles /eSCL/*; nullopt if the path is not eSCL's.
  std::optional<Response> handle(const Request& req, Clock::time_point now);

  std::string capabilities() const;
  std::string status(Clock::time_point now) const;

  enum class JobState { processing, completed, canceled, aborted };
  struct Job {
    std::string id;  // path segment after /eSCL/ScanJobs/
    std::string uuid;
    ScanParams params;
    int images = 0;
    int delivered = 0;
    int actual_height = 0;  // rows of the last page delivered (ScanImageInfo)
    int busy_left = 0;      // 503s still to answer before the next page
    JobState state = JobState::processing;
    std::string reason = "JobScanning";
    bool deleted = false;
    bool info_available = false;
    Clock::time_point updated;
  };
  const Job* find_job(std::string_view id) const;
  // Whether a job with this id was forgotten (Profile::job_expiry_ms): its URLs answer 410.
  bool forgotten(std::string_view id) const { return gone_.contains(std::string(id)); }
  // A processing job nobody asked about for this long is aborted (the client went away).
  static constexpr std::chrono::seconds kAbandonAfter{30};
  // Whether the device is busy with a job of its other protocol (an LEDM device that also serves
  // eSCL): then State is Processing and POST ScanJobs answers 503.
  void set_peer_busy(std::function<bool(Clock::time_point)> f) { peer_busy_ = std::move(f); }
  // Whether this half has a job in progress, or is still winding one down (the State lag).
  bool own_busy(Clock::time_point now) const;

 private:
  void expire(Clock::time_point now);
  // ScanSettings (POST ScanJobs, PUT ScanBufferInfo): validated parameters, or the 400/409 answer.
  struct Settings {
    ScanParams params;
    ScanMode mode = ScanMode::rgb24;  // as asked for (params.mode is what is rendered)
  };
  using Parsed = std::variant<Settings, Response>;
  Parsed parse_settings(const Request& req) const;
  Response buffer_info(const Request& req) const;
  Response post_job(const Request& req, Clock::time_point now);
  Response next_document(Job& j, Clock::time_point now);
  Response image_info(Job& j);
  Response xml(std::string body) const;
  Job* job_by_id(std::string_view id);
  std::string location_for(const Job& j) const;
  bool busy(Clock::time_point now) const;  // own_busy, or busy with the other protocol
  bool warming_up(Clock::time_point now) const;
  std::string scanner_state(Clock::time_point now) const;  // Idle, Processing, Testing, Down
  void finish(Job& j, JobState s, std::string reason, Clock::time_point now);

  const SimConfig& cfg_;
  const Acceptance& accept_;
  Feeder& feeder_;
  PageCache& pages_;
  std::deque<Job> jobs_;  // newest first (ScannerStatus lists them in this order)
  int next_number_ = 1;
  Clock::time_point processing_until_{};         // the State lag after a job ends
  Clock::time_point refuse_jobs_until_{};        // 503 to POST after a DELETE
  std::optional<Clock::time_point> powered_on_;  // the first request
  std::set<std::string> gone_;                   // ids of forgotten jobs (410)
  std::function<bool(Clock::time_point)> peer_busy_;
};

}  // namespace hpsim
