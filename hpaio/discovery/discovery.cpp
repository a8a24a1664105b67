#include "hpaio/discovery/discovery.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "models/model_database.hpp"

namespace hpaio {
namespace {

using Finder = decltype(DiscoverySource::find);

// The sources' deadline: a little before the listing's, so that their results arrive in time.
Deadline source_deadline(Clock::time_point start, std::chrono::milliseconds listing) {
  const auto margin = std::min<std::chrono::milliseconds>(listing / 10, std::chrono::milliseconds(100));
  return start + listing - margin;
}

}  // namespace

// One network source and its worker thread. The thread owns a share of the state, so a worker
// stuck in a library call (libdbus has its own 25 s timeouts) can be left behind: the destructor
// waits for it briefly, then detaches it (libsane-hpaio is linked with -z nodelete, so its code
// stays mapped after the dll backend's dlclose).
class DeviceDiscovery::Source {
 public:
  Source(std::string name, Finder finder) : name_(std::move(name)), finder_(std::move(finder)) {}
  ~Source() {
    state_->cancel.raise();
    std::unique_lock lock(state_->mutex);
    const bool finished =
        state_->cv.wait_until(lock, deadline_in(std::chrono::milliseconds(200)), [this] { return !state_->running; });
    lock.unlock();
    if (!thread_.joinable()) return;
    if (finished) {
      thread_.join();
    } else {
      thread_.detach();
    }
  }

  const std::string& name() const { return name_; }

  // Starts a search that ends by `deadline`, unless one is running or the last result is still fresh.
  void refresh(Deadline deadline, std::chrono::milliseconds freshness) {
    std::lock_guard lock(state_->mutex);
    if (state_->running) return;
    if (state_->result && Clock::now() - state_->result_at < freshness) return;
    if (thread_.joinable()) thread_.join();  // finished: running is false
    state_->running = true;
    thread_ = std::thread([state = state_, finder = finder_, deadline] {
      std::string error;
      std::vector<DeviceCandidate> found;
      try {
        found = finder(deadline, &state->cancel, error);
      } catch (const std::exception& e) {
        error = e.what();
      }
      std::lock_guard inner(state->mutex);
      state->result = std::move(found);
      state->error = std::move(error);
      state->result_at = Clock::now();
      state->running = false;
      state->cv.notify_all();
    });
  }

  // The latest result (waiting for a running search until `deadline`), and whether it is late.
  std::optional<std::vector<DeviceCandidate>> take(Deadline deadline, std::string& error, bool& late) {
    std::unique_lock lock(state_->mutex);
    state_->cv.wait_until(lock, deadline, [this] { return !state_->running; });
    late = state_->running;
    error = state_->error;
    return state_->result;
  }

 private:
  struct State {
    CancelSignal cancel;  // raised by the destructor; shared, so a detached worker may still look
    std::mutex mutex;
    std::condition_variable cv;
    bool running = false;
    std::optional<std::vector<DeviceCandidate>> result;
    std::string error;
    Clock::time_point result_at{};
  };

  std::string name_;
  Finder finder_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::thread thread_;
};

DeviceDiscovery::DeviceDiscovery(DiscoveryOptions options) : options_(std::move(options)) {
  if (options_.network) {
    for (DiscoverySource& s : options_.sources) sources_.push_back(std::make_unique<Source>(s.name, s.find));
  }
}

DeviceDiscovery::~DeviceDiscovery() = default;

void DeviceDiscovery::log(int level, std::string_view message) const {
  if (options_.log) options_.log(level, message);
}

std::vector<ListedDevice> DeviceDiscovery::list() {
  const Clock::time_point start = Clock::now();
  const Deadline deadline = start + options_.deadline;
  for (auto& s : sources_) s->refresh(source_deadline(start, options_.deadline), options_.freshness);

  std::vector<std::string> notes;
  std::vector<DeviceCandidate> candidates = candidates_from_config(options_.configured, &notes);
  for (auto& s : sources_) {
    std::string error;
    bool late = false;
    auto found = s->take(deadline, error, late);
    if (late)
      log(3, s->name() + ": still searching at the listing deadline" + (found ? "; using the previous result" : ""));
    if (!error.empty()) log(3, s->name() + ": " + error);
    if (!found) continue;
    log(3, s->name() + ": " + std::to_string(found->size()) + " HP device(s)");
    candidates.insert(candidates.end(), std::make_move_iterator(found->begin()), std::make_move_iterator(found->end()));
  }

  if (!resolver_loaded_) {
    resolver_loaded_ = true;
    const models::ModelDatabase::Installed& installed = models::ModelDatabase::installed();
    if (installed.database) resolver_.emplace(*installed.database);
  }
  if (!resolver_) log(1, "models.dat: " + models::ModelDatabase::installed().error + "; listing every device found");
  std::vector<ListedDevice> devices = merge_devices(candidates, resolver_ ? &*resolver_ : nullptr, &notes);
  for (const std::string& n : notes) log(3, n);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  log(3, "listing: " + std::to_string(devices.size()) + " device(s) in " + std::to_string(ms) + " ms");
  return devices;
}

}  // namespace hpaio
