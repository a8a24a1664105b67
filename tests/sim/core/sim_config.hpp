// Configuration and state shared by the LEDM and eSCL halves of one simulated device.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "tests/sim/core/faults.hpp"
#include "tests/sim/core/http_message.hpp"
#include "tests/sim/core/profiles.hpp"
#include "tests/sim/image/page_pattern.hpp"

namespace hpsim {

using Clock = hpaio::Clock;  // the same clock as the backend's (base/clock.hpp)

// (Simulator's escl_config_of copies these fields one by one for an LEDM device's eSCL half.)
struct SimConfig {
  Profile profile;
  int pages = 3;  // sheets in the ADF at start
  FaultSet faults;
  // --caps: served instead of the profile's document, and (when the simulator can read it) what jobs
  // are judged by; see acceptance.hpp.
  std::optional<std::string> caps_file_content;
  // This device's own address and port ("127.0.0.1:8080", "[::1]:8080"), as its absolute Location
  // URLs name it: like a real device, never the client's Host header.
  std::string authority = "127.0.0.1:8080";
  int drip_bytes = 256;
  int drip_ms = 20;
  bool page_cache = false;  // --page-cache: serve identical pages again from memory
  // Listener addresses ("127.0.0.1:80", "[::1]:80"; an unspecified address matches its port on
  // any address) on which every /eSCL/* request answers 404, as port 80 of an M283fdw does while
  // eSCL is served on 8080. The socket layer names the address a request came in on (Request::local).
  std::vector<std::string> escl_404_on;
};

// Whether a request that came in on `local` ("127.0.0.1:80") was sent to the listener `configured`.
bool same_listener(std::string_view configured, std::string_view local);

// The sheets in the automatic document feeder.
struct Feeder {
  int sheets = 0;
  bool jammed = false;
};

enum class Source { platen, adf };
// eSCL image/jpeg, application/octet-stream, application/pdf; LEDM Jpeg, Raw, Pdf.
enum class Format { jpeg, raw, pdf };
// The colour modes a job can ask for: eSCL RGB24, Grayscale8, BlackAndWhite1 and the ScanJet's
// AutoColorDetection (the pattern has colour, so it scans as RGB24); LEDM Color8, Gray8, K1.
enum class ScanMode { rgb24, grayscale8, blackandwhite1, auto_color };
ColorMode render_mode(ScanMode m);
const char* escl_mode_name(ScanMode m);  // "RGB24", ..., "AutoColorDetection"
const char* ledm_mode_name(ScanMode m);  // "Color8", "Gray8", "K1" (auto_color: "Color8")
const char* escl_format_name(Format f);  // "image/jpeg", "application/octet-stream", "application/pdf"
const char* ledm_format_name(Format f);  // "Jpeg", "Raw", "Pdf"
std::optional<ScanMode> parse_escl_mode(std::string_view s);  // a prefix ("scan:") is ignored
std::optional<Format> parse_escl_format(std::string_view s);
std::optional<Format> parse_ledm_format(std::string_view s);
const char* content_type(Format f);

// A validated scan request (geometry in 1/300 inch).
struct ScanParams {
  Source source = Source::platen;
  bool duplex = false;
  int xres = 300, yres = 300;
  int x = 0, y = 0, width = 2550, height = 3508;
  ColorMode mode = ColorMode::color;
  Format format = Format::jpeg;

  int pixel_width() const { return static_cast<int>(static_cast<long long>(width) * xres / 300); }
  int pixel_height() const { return static_cast<int>(static_cast<long long>(height) * yres / 300); }
  // Raw rows: RGB 3 bytes per pixel, gray 1, lineart 1 bit (MSB first, 1 = white) padded to a byte.
  // eSCL and LEDM report this for every format.
  int bytes_per_line() const {
    if (mode == ColorMode::lineart) return (pixel_width() + 7) / 8;
    return pixel_width() * (mode == ColorMode::color ? 3 : 1);
  }

  auto operator<=>(const ScanParams&) const = default;
};

// Image number n (1-based) of a job: which sheet and side it shows.
inline int sheet_of(const ScanParams& p, int image) { return p.duplex ? (image + 1) / 2 : image; }
inline Side side_of(const ScanParams& p, int image) { return p.duplex && image % 2 == 0 ? Side::back : Side::front; }

// What a page of `p` shows: the window asked for, ending where the sheet does on a feeder whose
// profile has a sheet_height.
ScanParams sheet_page(const SimConfig& cfg, const ScanParams& p);

// Builds the body for image n of a job: JPEG (HP DNL style when dnl), raw pixels (lineart packed
// 8 pixels a byte, 1 = white) or a one-page PDF around the JPEG; rotated: the window turned 180
// degrees (a back side from a device that rotates them, Profile::rotate_back).
std::string make_image(const ScanParams& p, int image, bool dnl, bool rotated = false);
// Whether image n of a job on this device comes rotated 180 degrees.
bool rotated_image(const SimConfig& cfg, const ScanParams& p, int image);
// Whether a response carries a page (its Content-Type is an image, PDF or raw page type).
bool is_page_response(const Response& r);

// Applies the image faults (truncation, stall, reset, wrong length) to an image response.
void apply_image_faults(const SimConfig& cfg, Response& r);
// Applies the response-wide faults (slow drip) and common headers.
void apply_common(const SimConfig& cfg, Response& r);
// The capabilities body with the malformed/huge faults or the --caps override applied.
std::string caps_body(const SimConfig& cfg, std::string generated);

Response simple_response(int status, std::string body = {}, std::string content_type = {});
std::string xml_escape(std::string_view s);

}  // namespace hpsim
