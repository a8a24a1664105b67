// The WS-Scan (WSD) device: SOAP 1.2 over HTTP POST at Profile::wsd_path (HP's /scanner on port
// 3911, or / on port 53048), the operations GetScannerElements (ScannerDescription, ScannerConfiguration,
// ScannerStatus, DefaultScanTicket), CreateScanJob (the ScanTicket judged by the acceptance model), RetrieveImage (one
// page per request, MTOM, "dib" pages as BMP, "jfif" as JPEG; ClientErrorNoImagesAvailable once a job has no more),
// CancelJob and GetJobElements (JobStatus). Sizes are in 1/1000 inch on the wire and 1/300 inch inside (ScanParams).
// Pure logic: requests in, responses out.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <variant>

#include "tests/sim/core/acceptance.hpp"
#include "tests/sim/core/page_cache.hpp"
#include "tests/sim/core/sim_config.hpp"
#include "tests/sim/core/wsd_messages.hpp"

namespace hpsim {

class WsdDevice {
 public:
  WsdDevice(const SimConfig& cfg, const Acceptance& accept, Feeder& feeder, PageCache& pages);

  // Handles the scan service's path (Profile::wsd_path) and the device's own endpoint
  // (kWsdDevicePath); nullopt for another path.
  std::optional<Response> handle(const Request& req, Clock::time_point now);

  enum class JobState { pending, processing, completed, aborted, canceled };
  struct Job {
    int id = 0;
    std::string token;
    ScanParams params;
    ScanMode mode = ScanMode::rgb24;
    int images = 0;
    int delivered = 0;
    JobState state = JobState::pending;
    std::string reason = "None";
    Clock::time_point updated;
  };
  const Job* find_job(int id) const;
  bool busy(Clock::time_point now) const;
  // --warmup-ms: warming up from the first request on, for that long (ScannerStateReason
  // Profile::wsd_warmup_reason, CreateScanJob refused with ServerErrorNotAcceptingJobs).
  bool warming_up(Clock::time_point now) const;
  // Whether the last answer carried the ScannerConfiguration (for the refuse-after-caps fault).
  bool served_configuration() const noexcept { return served_configuration_; }
  static constexpr std::chrono::seconds kAbandonAfter{30};

  // The parts of GetScannerElementsResponse, for tests.
  std::string scanner_configuration() const;
  std::string scanner_status(Clock::time_point now) const;

 private:
  struct Fault {
    bool client;
    std::string subcode;
    std::string reason;
  };
  using Answer = std::variant<std::string, Fault, Response>;  // Body content, fault, or a whole response
  Answer get_scanner_elements(const SoapRequest& req, Clock::time_point now);
  Answer create_scan_job(const SoapRequest& req, Clock::time_point now);
  Answer retrieve_image(const SoapRequest& req, Clock::time_point now);
  Answer cancel_job(const SoapRequest& req, Clock::time_point now);
  Answer get_job_elements(const SoapRequest& req, Clock::time_point now);
  std::string job_status(const Job& j) const;
  Job* job_for(const hpaio::xml::Element& op);
  void finish(Job& j, JobState s, std::string reason, Clock::time_point now);
  void expire(Clock::time_point now);
  std::string next_message_id();

  std::optional<Clock::time_point> powered_on_;  // the first request
  const SimConfig& cfg_;
  const Acceptance& accept_;
  Feeder& feeder_;
  PageCache& pages_;
  std::deque<Job> jobs_;  // newest first
  int next_job_ = 1;
  long long next_message_ = 1;
  bool served_configuration_ = false;
};

}  // namespace hpsim
