// What a simulated device accepts: one model per device, read from the capabilities document it
// serves (the profile's own, or the --caps file), and the one function that judges a job by it.
//
// Per input source (platen, ADF simplex, ADF duplex): present or not, the size limits in 1/300
// inch, and setting profiles; a job is accepted when one profile of its source lists its colour
// mode, its document format and its resolution together (an eSCL SettingProfile; LEDM: one per
// ColorEntry, with the resolutions whose ColorTypes name that colour type).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/sim/core/profiles.hpp"
#include "tests/sim/core/sim_config.hpp"

namespace hpsim {

struct Resolution {
  int x = 0, y = 0;
  auto operator<=>(const Resolution&) const = default;
};

// An eSCL ResolutionRange axis: min..max in steps of step from min.
struct ResolutionRange {
  int min = 0, max = 0, step = 1;
  bool contains(int v) const { return v >= min && v <= max && (step <= 1 || (v - min) % step == 0); }
};

struct SettingProfile {
  std::vector<ScanMode> modes;
  std::vector<Format> formats;
  std::vector<Resolution> resolutions;  // discrete (all HP captures)
  std::optional<ResolutionRange> x_range, y_range;

  bool has(ScanMode m) const;
  bool has(Format f) const;
  bool has_resolution(int x, int y) const;
};

struct InputCaps {
  bool present = false;
  int min_width = 1, max_width = 0, min_height = 1, max_height = 0;  // 1/300 inch
  std::vector<SettingProfile> profiles;

  // Every mode, format and discrete resolution some profile lists, in first-seen (resp. ascending) order.
  std::vector<ScanMode> modes() const;
  std::vector<Format> formats(ScanMode with) const;
  std::vector<Resolution> resolutions(ScanMode with, Format and_format) const;
};

struct Acceptance {
  Protocol protocol = Protocol::escl;
  InputCaps platen, adf_simplex, adf_duplex;
  int feeder_capacity = 0;
  std::string mopria_certified;  // eSCL Certifications: the mopria-certified-scan Version, if listed
  // Values the document lists that the simulator cannot produce (refused), and how the model was
  // obtained when not from the document served; hpaio-sim prints them at start.
  std::vector<std::string> notes;

  bool has_feeder() const { return adf_simplex.present || adf_duplex.present; }
  const InputCaps& input(Source s, bool duplex) const;
  // Why a job is refused (the 409 body), or nullopt when it is accepted. p.mode is not consulted:
  // `mode` is what was asked for.
  std::optional<std::string> refusal(const ScanParams& p, ScanMode mode) const;
};

// Reads an eSCL ScannerCapabilities (both dialects) or an LEDM ScanCaps document; nullopt and
// *error when the document is not well-formed or not the protocol's capabilities document.
std::optional<Acceptance> read_capabilities(Protocol protocol, std::string_view document, std::string* error);

// The sheets in the feeder at start, and after a refill (Profile::refill_feeder): SimConfig::pages,
// at most the FeederCapacity the document names; none without a feeder.
int feeder_load(const SimConfig& cfg, const Acceptance& a);

// The profile as the document describes it, for what is generated from a profile besides the
// document itself (an LEDM device's eSCL capabilities, the mDNS TXT keys): its sources, sizes,
// resolutions (every discrete square one any setting profile lists), duplexer, feeder capacity,
// colour modes and formats. What the document does not say keeps the profile's value.
Profile profile_following(Profile p, const Acceptance& a);

// One line per input source, for hpaio-sim's start message and test output:
// "platen 8x8..2550x3508, RGB24 jpeg,pdf 75..1200 dpi; Grayscale8 ...".
std::string describe(const Acceptance& a);

}  // namespace hpsim
