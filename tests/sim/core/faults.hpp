// Fault injection for hpaio-sim (--fault NAME).
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpsim {

enum class Fault {
  stall_mid_image,       // image body stops half way; connection held open, then closed
  reset_mid_image,       // image body stops half way with a TCP reset
  truncated_jpeg,        // image response completes normally but holds only half the JPEG
  malformed_caps,        // capabilities document is broken XML
  huge_caps,             // capabilities document padded to 10 MB
  slow_drip,             // every response body trickles out in small pieces
  busy_forever,          // device busy: 503 / BusyWithScanJob for ever
  adf_jam,               // the second sheet jams in the ADF
  wrong_content_length,  // image responses declare a Content-Length 1000 bytes too large
  refuse_after_caps,     // once the capabilities were served, new connections are refused
  count_
};

struct FaultInfo {
  Fault fault;
  const char* name;
  const char* help;
};

const std::vector<FaultInfo>& all_faults();
std::optional<Fault> parse_fault(std::string_view name);
const char* fault_name(Fault f);

class FaultSet {
 public:
  void add(Fault f) { bits_.set(static_cast<std::size_t>(f)); }
  bool has(Fault f) const { return bits_.test(static_cast<std::size_t>(f)); }
  bool any() const { return bits_.any(); }

 private:
  std::bitset<static_cast<std::size_t>(Fault::count_)> bits_;
};

inline constexpr std::size_t kHugeCapsBytes = 10u * 1024u * 1024u;

}  // namespace hpsim
