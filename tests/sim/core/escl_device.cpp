#include "tests/sim/core/escl_device.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <sstream>

#include "base/ascii.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpsim {

namespace {

using hpaio::xml::Element;

std::optional<int> to_int(const std::optional<std::string>& s) { return s ? hpaio::parse_int(*s) : std::nullopt; }

const char* job_state_name(EsclDevice::JobState s) {
  switch (s) {
    case EsclDevice::JobState::processing: return "Processing";
    case EsclDevice::JobState::completed: return "Completed";
    case EsclDevice::JobState::canceled: return "Canceled";
    case EsclDevice::JobState::aborted: return "Aborted";
  }
  return "?";
}

const char* pwg_ns(const Profile& p) { return p.version_prefix == "pwg2" ? kPwgHpNs : kPwgNs; }

// ScanSettings from clients: the PWG elements in either PWG namespace.
const Element* pwg_child(const Element& e, std::string_view name) {
  const Element* c = e.child(kPwgNs, name);
  return c != nullptr ? c : e.child(kPwgHpNs, name);
}
std::optional<std::string> pwg_text(const Element& e, std::string_view name) {
  const Element* c = pwg_child(e, name);
  if (c == nullptr) return std::nullopt;
  return c->text();
}

std::string host_only(std::string host) {
  if (host.starts_with("[")) {
    const auto e = host.find(']');
    return e == std::string::npos ? host : host.substr(0, e + 1);
  }
  const auto c = host.find(':');
  return c == std::string::npos ? host : host.substr(0, c);
}

}  // namespace

EsclDevice::EsclDevice(const SimConfig& cfg, const Acceptance& accept, Feeder& feeder, PageCache& pages)
    : cfg_(cfg), accept_(accept), feeder_(feeder), pages_(pages) {}

Response EsclDevice::xml(std::string body) const {
  Response r = simple_response(200, std::move(body), "text/xml");
  r.framing = cfg_.profile.chunked_xml ? Framing::chunked : Framing::content_length;
  r.set_header("Cache-Control", "must-revalidate, max-age=0");
  r.set_header("Pragma", "no-cache");
  return r;
}

std::string EsclDevice::capabilities() const { return escl_capabilities(cfg_.profile); }

std::string escl_capabilities(const Profile& p) {
  const std::string v = p.version_prefix;
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scan:ScannerCapabilities xmlns:scan=\"" << p.escl_ns
    << "\" xmlns:" << v << "=\"" << pwg_ns(p)
    << "\" xmlns:dest=\"http://schemas.hp.com/imaging/destination/2011/05/03\">\n";
  o << "  <" << v << ":Version>" << p.escl_version << "</" << v << ":Version>\n";
  o << "  <" << v << ":MakeAndModel>" << xml_escape(p.make_and_model) << "</" << v << ":MakeAndModel>\n";
  o << "  <" << v << ":SerialNumber>" << p.serial << "</" << v << ":SerialNumber>\n";
  if (p.setting_profiles) o << "  <scan:Manufacturer>HP</scan:Manufacturer>\n";
  if (!p.mopria_certified.empty()) {
    o << "  <scan:Certifications><scan:Certification><scan:Name>mopria-certified-scan</scan:Name><scan:Version>"
      << xml_escape(p.mopria_certified) << "</scan:Version></scan:Certification></scan:Certifications>\n";
  }
  o << "  <scan:UUID>" << p.uuid << "</scan:UUID>\n  <scan:AdminURI>http://127.0.0.1/</scan:AdminURI>\n";
  const auto source_caps = [&](const char* tag, const SourceCaps& s, int max_h) {
    o << "    <scan:" << tag << ">\n      <scan:MinWidth>" << s.min_width << "</scan:MinWidth><scan:MaxWidth>"
      << s.max_width << "</scan:MaxWidth>\n      <scan:MinHeight>" << s.min_height
      << "</scan:MinHeight><scan:MaxHeight>" << max_h << "</scan:MaxHeight>\n";
    o << "      <scan:MaxScanRegions>1</scan:MaxScanRegions>\n";
    std::ostringstream modes;
    if (p.color) modes << "<scan:ColorMode>RGB24</scan:ColorMode>";
    if (p.grayscale) modes << "<scan:ColorMode>Grayscale8</scan:ColorMode>";
    if (p.blackandwhite1) modes << "<scan:ColorMode>BlackAndWhite1</scan:ColorMode>";
    const std::string raw_format = "<" + v + ":DocumentFormat>application/octet-stream</" + v + ":DocumentFormat>";
    const std::string jpeg_format = "<" + v + ":DocumentFormat>image/jpeg</" + v + ":DocumentFormat>";
    const std::string pdf_format = "<" + v + ":DocumentFormat>application/pdf</" + v + ":DocumentFormat>";
    std::ostringstream res;
    for (int r : s.resolutions) {
      res << "<scan:DiscreteResolution><scan:XResolution>" << r << "</scan:XResolution><scan:YResolution>" << r
          << "</scan:YResolution></scan:DiscreteResolution>";
    }
    if (p.setting_profiles) {
      o << "      <scan:SettingProfiles><scan:SettingProfile>\n        <scan:ColorModes>" << modes.str()
        << "</scan:ColorModes>\n        <scan:ContentTypes><" << v << ":ContentType>Photo</" << v << ":ContentType><"
        << v << ":ContentType>Text</" << v << ":ContentType><" << v << ":ContentType>TextAndPhoto</" << v
        << ":ContentType></scan:ContentTypes>\n"
        << "        <scan:DocumentFormats>" << (p.jpeg ? jpeg_format : "") << (p.pdf ? pdf_format : "")
        << (p.raw ? raw_format : "") << (p.jpeg ? "<scan:DocumentFormatExt>image/jpeg</scan:DocumentFormatExt>" : "")
        << (p.pdf ? "<scan:DocumentFormatExt>application/pdf</scan:DocumentFormatExt>" : "")
        << (p.raw ? "<scan:DocumentFormatExt>application/octet-stream</scan:DocumentFormatExt>" : "")
        << "</scan:DocumentFormats>\n"
        << "        <scan:SupportedResolutions><scan:DiscreteResolutions>" << res.str()
        << "</scan:DiscreteResolutions></scan:SupportedResolutions>\n"
        << "        <scan:ColorSpaces><scan:ColorSpace>sRGB</scan:ColorSpace></scan:ColorSpaces>\n"
        << "      </scan:SettingProfile></scan:SettingProfiles>\n";
    } else {
      // The older dialect: resolutions and colour references directly under the input caps.
      o << "      <scan:SupportedResolutions><scan:Resolution>";
      for (int r : s.resolutions) o << "<scan:XResolution>" << r << "</scan:XResolution>";
      o << "</scan:Resolution></scan:SupportedResolutions>\n      <scan:ColorReferences>"
        << (p.color ? "<scan:ColorReference>RGB24</scan:ColorReference>" : "")
        << (p.grayscale ? "<scan:ColorReference>Grayscale8</scan:ColorReference>" : "")
        << (p.blackandwhite1 ? "<scan:ColorReference>BlackAndWhite1</scan:ColorReference>" : "")
        << "</scan:ColorReferences>\n      <scan:DocumentFormats>" << (p.jpeg ? jpeg_format : "")
        << (p.pdf ? pdf_format : "") << (p.raw ? raw_format : "") << "</scan:DocumentFormats>\n";
    }
    o << "      <scan:SupportedIntents><scan:Intent>Document</scan:Intent><scan:Intent>Photo</scan:Intent>"
         "<scan:Intent>Preview</scan:Intent><scan:Intent>TextAndGraphic</scan:Intent></scan:SupportedIntents>\n";
    o << "      <scan:MaxOpticalXResolution>" << s.resolutions.back() << "</scan:MaxOpticalXResolution>"
      << "<scan:MaxOpticalYResolution>" << s.resolutions.back() << "</scan:MaxOpticalYResolution>\n";
    o << "      <scan:RiskyLeftMargin>0</scan:RiskyLeftMargin><scan:RiskyRightMargin>0</scan:RiskyRightMargin>"
         "<scan:RiskyTopMargin>0</scan:RiskyTopMargin><scan:RiskyBottomMargin>0</scan:RiskyBottomMargin>\n";
    o << "    </scan:" << tag << ">\n";
  };
  if (p.platen.present) {
    o << "  <scan:Platen>\n";
    source_caps("PlatenInputCaps", p.platen, p.platen.max_height);
    o << "  </scan:Platen>\n";
  }
  if (p.adf.present) {
    o << "  <scan:Adf>\n";
    source_caps("AdfSimplexInputCaps", p.adf, p.adf.max_height);
    if (p.duplex) source_caps("AdfDuplexInputCaps", p.adf, p.duplex_max_height);
    o << "    <scan:FeederCapacity>" << p.feeder_capacity << "</scan:FeederCapacity>\n    <scan:AdfOptions>"
      << "<scan:AdfOption>DetectPaperLoaded</scan:AdfOption>"
      << (p.duplex ? "<scan:AdfOption>Duplex</scan:AdfOption>" : "") << "</scan:AdfOptions>\n  </scan:Adf>\n";
  }
  if (p.setting_profiles) {
    o << "  <scan:BrightnessSupport><scan:Min>0</scan:Min><scan:Max>2000</scan:Max><scan:Normal>1000</scan:Normal>"
         "<scan:Step>1</scan:Step></scan:BrightnessSupport>\n"
         "  <scan:ContrastSupport><scan:Min>0</scan:Min><scan:Max>2000</scan:Max><scan:Normal>1000</scan:Normal>"
         "<scan:Step>1</scan:Step></scan:ContrastSupport>\n"
         "  <scan:eSCLConfigCap><scan:StateSupport><scan:State>disabled</scan:State><scan:State>enabled</scan:State>"
         "</scan:StateSupport></scan:eSCLConfigCap>\n  <scan:JobSourceInfoSupport>true</scan:JobSourceInfoSupport>\n";
  }
  o << "</scan:ScannerCapabilities>\n";
  return o.str();
}

bool EsclDevice::busy(Clock::time_point now) const { return own_busy(now) || (peer_busy_ && peer_busy_(now)); }

bool EsclDevice::own_busy(Clock::time_point now) const {
  if (cfg_.faults.has(Fault::busy_forever)) return true;
  if (now < processing_until_) return true;
  return std::any_of(jobs_.begin(), jobs_.end(), [](const Job& j) { return j.state == JobState::processing; });
}

bool EsclDevice::warming_up(Clock::time_point now) const {
  return powered_on_ && now < *powered_on_ + std::chrono::milliseconds(cfg_.profile.warmup_ms);
}

std::string EsclDevice::scanner_state(Clock::time_point now) const {
  if (cfg_.profile.down) return "Down";
  if (cfg_.profile.stopped) return "Stopped";
  if (warming_up(now)) return "Testing";
  return busy(now) ? "Processing" : "Idle";
}

std::string EsclDevice::status(Clock::time_point now) const {
  const Profile& p = cfg_.profile;
  const std::string v = p.version_prefix;
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scan:ScannerStatus xmlns:scan=\"" << p.escl_ns << "\" xmlns:" << v
    << "=\"" << pwg_ns(p) << "\">\n  <" << v << ":Version>" << p.escl_version << "</" << v << ":Version>\n  <" << v
    << ":State>" << scanner_state(now) << "</" << v << ":State>\n";
  if (accept_.has_feeder()) {
    o << "  <scan:AdfState>"
      << (feeder_.jammed       ? "ScannerAdfJam"
          : feeder_.sheets > 0 ? "ScannerAdfLoaded"
                               : "ScannerAdfEmpty")
      << "</scan:AdfState>\n";
  }
  if (!jobs_.empty()) {
    o << "  <scan:Jobs>\n";
    for (const Job& j : jobs_) {
      const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - j.updated).count();
      o << "    <scan:JobInfo><" << v << ":JobUri>/eSCL/ScanJobs/" << j.id << "</" << v << ":JobUri><" << v
        << ":JobUuid>" << j.uuid << "</" << v << ":JobUuid><scan:Age>" << std::max<long long>(0, age) << "</scan:Age><"
        << v << ":ImagesCompleted>" << j.delivered << "</" << v << ":ImagesCompleted><" << v << ":ImagesToTransfer>"
        << (j.state == JobState::processing ? std::min(1, j.images - j.delivered) : 0) << "</" << v
        << ":ImagesToTransfer>"
        << (cfg_.profile.transfer_retry_count ? "<scan:TransferRetryCount>0</scan:TransferRetryCount>" : "") << "<" << v
        << ":JobState>" << job_state_name(j.state) << "</" << v << ":JobState><" << v << ":JobStateReasons><" << v
        << ":JobStateReason>" << j.reason << "</" << v << ":JobStateReason></" << v
        << ":JobStateReasons></scan:JobInfo>\n";
    }
    o << "  </scan:Jobs>\n";
  }
  o << "</scan:ScannerStatus>\n";
  return o.str();
}

EsclDevice::Job* EsclDevice::job_by_id(std::string_view id) {
  for (auto& j : jobs_) {
    if (j.id == id) return &j;
  }
  return nullptr;
}

const EsclDevice::Job* EsclDevice::find_job(std::string_view id) const {
  for (const auto& j : jobs_) {
    if (j.id == id) return &j;
  }
  return nullptr;
}

void EsclDevice::finish(Job& j, JobState s, std::string reason, Clock::time_point now) {
  j.state = s;
  j.reason = std::move(reason);
  j.updated = now;
  processing_until_ = std::max(processing_until_, now + std::chrono::milliseconds(cfg_.profile.status_lag_ms));
}

void EsclDevice::expire(Clock::time_point now) {
  for (auto& j : jobs_) {
    if (j.state == JobState::processing && now - j.updated > kAbandonAfter) {
      finish(j, JobState::aborted, "AbortedBySystem", now);
    }
  }
  const std::chrono::milliseconds expiry(cfg_.profile.job_expiry_ms);
  if (expiry.count() <= 0) return;
  std::erase_if(jobs_, [&](const Job& j) {
    if (j.state == JobState::processing || now - j.updated < expiry) return false;
    gone_.insert(j.id);
    return true;
  });
}

std::optional<Response> EsclDevice::handle(const Request& req, Clock::time_point now) {
  const std::string& path = req.path;
  if (!path.starts_with("/eSCL")) return std::nullopt;
  if (!powered_on_) powered_on_ = now;
  expire(now);
  if (path == "/eSCL/ScannerCapabilities") {
    if (req.method != "GET") return simple_response(405);
    return xml(caps_body(cfg_, capabilities()));
  }
  if (path == "/eSCL/ScannerStatus") {
    if (req.method != "GET") return simple_response(405);
    return xml(status(now));
  }
  if (path == "/eSCL/eSclManifest.xml") {
    return xml(
        std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<man:Manifest xmlns:man=\"http://www.hp.com/"
                    "schemas/imaging/con/ledm/manifest/2009/03/24\" xmlns:dd=\"http://www.hp.com/schemas/"
                    "imaging/con/dictionaries/1.0/\"><man:Resources><man:Resource><man:ResourceURI>/eSCL/"
                    "ScannerCapabilities</man:ResourceURI></man:Resource><man:Resource><man:ResourceURI>/"
                    "eSCL/ScannerStatus</man:ResourceURI></man:Resource><man:Resource><man:ResourceURI>/"
                    "eSCL/ScanJobs</man:ResourceURI></man:Resource></man:Resources></man:Manifest>\n"));
  }
  if (path == "/eSCL/ScanBufferInfo") {
    if (req.method != "PUT" && req.method != "POST") return simple_response(405);
    return buffer_info(req);
  }
  if (path == "/eSCL/ScanJobs" || path == "/eSCL/ScanJobs/") {
    if (req.method != "POST") return simple_response(405);
    return post_job(req, now);
  }
  constexpr std::string_view prefix = "/eSCL/ScanJobs/";
  if (!path.starts_with(prefix)) return simple_response(404);
  std::string_view rest = std::string_view(path).substr(prefix.size());
  const auto slash = rest.find('/');
  const std::string_view id = rest.substr(0, slash);
  std::string_view sub = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  Job* j = job_by_id(id);
  if (j == nullptr) {
    // A forgotten job is Gone, except GET {JobUri}, which HP answers 404 for every job.
    const bool gone = forgotten(id) && !(sub.empty() && req.method == "GET");
    return simple_response(gone ? 410 : 404);
  }
  if (sub.empty()) {
    if (req.method == "DELETE") {
      if (j->deleted) return simple_response(410);
      j->deleted = true;
      if (j->state == JobState::processing) finish(*j, JobState::canceled, "JobCanceledByUser", now);
      refuse_jobs_until_ = now + std::chrono::milliseconds(cfg_.profile.cancel_lag_ms);
      Response r = simple_response(200);
      r.framing = Framing::content_length;
      return r;
    }
    return simple_response(404);  // HP answers 404 to GET {JobUri}
  }
  if (req.method != "GET") return simple_response(405);
  if (j->state == JobState::processing) j->updated = now;
  if (sub == "NextDocument") return next_document(*j, now);
  if (sub == "ScanImageInfo") return image_info(*j);
  return simple_response(404);
}

std::string EsclDevice::location_for(const Job& j) const {
  const std::string& host = cfg_.authority;
  const std::string path = "/eSCL/ScanJobs/" + j.id;
  switch (cfg_.profile.location) {
    case LocationStyle::absolute:  // the default port is left out, as the PageWide 477dw does
      return "http://" + (host.ends_with(":80") ? host_only(host) : host) + path;
    case LocationStyle::absolute_port80: return "http://" + host_only(host) + ":80" + path;
    case LocationStyle::relative_slash: return path + "/";
    case LocationStyle::relative: return path;
    case LocationStyle::bogus_host: return "http://" + cfg_.profile.serial + ".03f011b0.hpLedmUSB" + path;
  }
  return path;
}

EsclDevice::Parsed EsclDevice::parse_settings(const Request& req) const {
  std::string err;
  const auto doc = hpaio::xml::try_parse(req.body, &err);
  if (!doc) return Parsed{simple_response(400, "malformed ScanSettings: " + err + "\n", "text/plain")};
  // Matched by namespace URI; both the current and the 2011/02/08 scan namespace are accepted.
  const std::string sns = doc->ns();
  if ((sns != kEsclNs && sns != kEsclLegacyNs) || doc->name() != "ScanSettings") {
    return Parsed{simple_response(400, "expected scan:ScanSettings\n", "text/plain")};
  }
  const auto conflict = [](std::string why) { return simple_response(409, why + "\n", "text/plain"); };
  if (cfg_.profile.strict_input_source && doc->child(sns, "InputSource") != nullptr) {
    // The HP MFP M277dw refuses the whole request (sane-project/backends#592).
    return Parsed{simple_response(400, "scan:InputSource is not accepted (pwg:InputSource is)\n", "text/plain")};
  }
  Settings s;
  ScanParams& sp = s.params;
  const std::string source = pwg_text(*doc, "InputSource").value_or("Platen");
  if (source == "Platen") {
    sp.source = Source::platen;
  } else if (source == "Feeder") {
    sp.source = Source::adf;
  } else {
    return Parsed{conflict("unsupported InputSource " + source)};
  }
  sp.duplex = doc->child_text(sns, "Duplex").value_or("false") == "true";
  const std::string mode = doc->child_text(sns, "ColorMode").value_or("RGB24");
  const auto parsed_mode = parse_escl_mode(mode);
  if (!parsed_mode) return Parsed{conflict("unsupported ColorMode " + mode)};
  s.mode = *parsed_mode;
  sp.mode = render_mode(s.mode);
  std::string format = doc->child_text(sns, "DocumentFormatExt").value_or("");
  if (format.empty()) format = pwg_text(*doc, "DocumentFormat").value_or("image/jpeg");
  const auto parsed_format = parse_escl_format(format);
  if (!parsed_format) return Parsed{conflict("unsupported DocumentFormat " + format)};
  sp.format = *parsed_format;
  // Without a ScanRegion: the whole area of the source (judged below when there is none).
  const InputCaps& caps = accept_.input(sp.source, sp.duplex);
  sp.width = caps.max_width;
  sp.height = caps.max_height;
  sp.x = sp.y = 0;
  if (const Element* regions = pwg_child(*doc, "ScanRegions")) {
    if (const Element* r = pwg_child(*regions, "ScanRegion")) {
      const auto w = to_int(pwg_text(*r, "Width"));
      const auto h = to_int(pwg_text(*r, "Height"));
      if (!w || !h) return Parsed{simple_response(400, "ScanRegion needs Width and Height\n", "text/plain")};
      sp.width = *w;
      sp.height = *h;
      sp.x = to_int(pwg_text(*r, "XOffset")).value_or(0);
      sp.y = to_int(pwg_text(*r, "YOffset")).value_or(0);
    }
  }
  const auto xres = to_int(doc->child_text(sns, "XResolution"));
  const auto yres = to_int(doc->child_text(sns, "YResolution"));
  if (!xres) return Parsed{simple_response(400, "XResolution is required\n", "text/plain")};
  sp.xres = *xres;
  sp.yres = yres.value_or(*xres);
  if (const auto why = accept_.refusal(sp, s.mode)) return Parsed{conflict(*why)};
  return Parsed{s};
}

Response EsclDevice::buffer_info(const Request& req) const {
  Parsed parsed = parse_settings(req);
  if (auto* bad = std::get_if<Response>(&parsed)) return std::move(*bad);
  const Settings& settings = std::get<Settings>(parsed);
  const ScanParams& sp = settings.params;
  const Profile& p = cfg_.profile;
  const std::string v = p.version_prefix;
  // The settings echoed in normalised form, plus the image size they give.
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scan:ScanBufferInfo xmlns:scan=\"" << p.escl_ns << "\" xmlns:" << v
    << "=\"" << pwg_ns(p) << "\"><scan:ScanSettings><" << v << ":Version>" << p.escl_version << "</" << v
    << ":Version><" << v << ":ScanRegions><" << v << ":ScanRegion><" << v << ":ContentRegionUnits>"
    << "escl:ThreeHundredthsOfInches</" << v << ":ContentRegionUnits><" << v << ":XOffset>" << sp.x << "</" << v
    << ":XOffset><" << v << ":YOffset>" << sp.y << "</" << v << ":YOffset><" << v << ":Width>" << sp.width << "</" << v
    << ":Width><" << v << ":Height>" << sp.height << "</" << v << ":Height></" << v << ":ScanRegion></" << v
    << ":ScanRegions><" << v << ":InputSource>" << (sp.source == Source::adf ? "Feeder" : "Platen") << "</" << v
    << ":InputSource><scan:ColorMode>" << escl_mode_name(settings.mode) << "</scan:ColorMode><scan:XResolution>"
    << sp.xres << "</scan:XResolution><scan:YResolution>" << sp.yres << "</scan:YResolution>"
    << (sp.duplex ? "<scan:Duplex>true</scan:Duplex>" : "") << "</scan:ScanSettings>"
    << "<scan:ImageWidth>" << sp.pixel_width() << "</scan:ImageWidth><scan:ImageHeight>" << sp.pixel_height()
    << "</scan:ImageHeight><scan:BytesPerLine>" << sp.bytes_per_line()
    << "</scan:BytesPerLine></scan:ScanBufferInfo>\n";
  return xml(o.str());
}

Response EsclDevice::post_job(const Request& req, Clock::time_point now) {
  const Profile& p = cfg_.profile;
  if (p.require_localhost && host_only(req.header("Host")) != "localhost") {
    return simple_response(403, "jobs are accepted only with Host: localhost\n", "text/plain");
  }
  if (p.down || p.stopped || warming_up(now) || busy(now) || now < refuse_jobs_until_) return simple_response(503);
  Parsed parsed = parse_settings(req);
  if (auto* bad = std::get_if<Response>(&parsed)) return std::move(*bad);
  const ScanParams sp = std::get<Settings>(parsed).params;
  Job j;
  const int n = next_number_++;
  char uuid[64];
  std::snprintf(uuid, sizeof uuid, "5a1e%04x-0e5c-4c0d-9e1f-%012x", n, n * 7919);
  const bool uuid_style = p.location == LocationStyle::absolute || p.location == LocationStyle::bogus_host ||
                          p.location == LocationStyle::absolute_port80;
  j.uuid = uuid;
  j.id = uuid_style ? j.uuid : std::to_string(1000 + n);
  j.params = sp;
  j.updated = now;
  if (sp.source == Source::adf) {
    if (feeder_.jammed) return simple_response(409, "ADF jammed\n", "text/plain");
    if (feeder_.sheets <= 0 && !p.empty_feeder_404) return simple_response(409, "ADF empty\n", "text/plain");
    j.images = sp.duplex ? 2 * feeder_.sheets : feeder_.sheets;
    if (p.adf_empty_early && feeder_.sheets > 0) --feeder_.sheets;  // the first sheet is pulled in at once
  } else {
    j.images = 1;
  }
  j.busy_left = p.busy_before_page;
  jobs_.push_front(j);
  if (jobs_.size() > 10) jobs_.pop_back();
  Response r = simple_response(201);
  r.set_header("Location", location_for(jobs_.front()));
  r.framing = Framing::content_length;
  return r;
}

Response EsclDevice::next_document(Job& j, Clock::time_point now) {
  if (j.deleted) return simple_response(410);
  if (j.state == JobState::aborted) return simple_response(cfg_.profile.jam_503 ? 503 : 500);
  if (j.state != JobState::processing || j.delivered >= j.images) {
    if (j.state == JobState::processing) finish(j, JobState::completed, "JobCompletedSuccessfully", now);  // no sheet
    return simple_response(404);
  }
  if (cfg_.faults.has(Fault::busy_forever)) return simple_response(503);
  if (j.busy_left > 0) {
    --j.busy_left;
    Response r = simple_response(503);
    r.set_header("Retry-After", "1");
    return r;
  }
  const int image = j.delivered + 1;
  const ScanParams& sp = j.params;
  if (cfg_.faults.has(Fault::adf_jam) && sp.source == Source::adf && sheet_of(sp, image) == 2 &&
      side_of(sp, image) == Side::front) {
    feeder_.jammed = true;
    finish(j, JobState::aborted, "AbortedBySystem", now);
    return simple_response(cfg_.profile.jam_503 ? 503 : 500);
  }
  Response r;
  const ScanParams shown = sheet_page(cfg_, sp);
  r.body = pages_.image(Protocol::escl, shown, image,
                        cfg_.profile.adf_dnl && sp.source == Source::adf && sp.format == Format::jpeg,
                        rotated_image(cfg_, sp, image));
  j.actual_height = shown.pixel_height();
  r.set_header("Content-Type", content_type(sp.format));
  r.set_header("Cache-Control", "max-age=180");
  if (cfg_.profile.content_location) {
    r.set_header("Content-Location", "/eSCL/ScanJobs/" + j.id + "/page-" + std::to_string(image));
  }
  r.framing = Framing::chunked;
  r.chunk_size = 32768;
  apply_image_faults(cfg_, r);
  if (sp.source == Source::adf) {
    const bool sheet_done = !sp.duplex || side_of(sp, image) == Side::back;
    if (!cfg_.profile.adf_empty_early) {
      if (side_of(sp, image) == Side::front && feeder_.sheets > 0) --feeder_.sheets;
    } else if (sheet_done && image < j.images && feeder_.sheets > 0) {
      --feeder_.sheets;  // the next sheet is pulled in while this one comes out
    }
  }
  j.delivered = image;
  j.info_available = true;
  j.updated = now;
  // Between sheets real devices answer 503 again (the next sheet is being fed).
  j.busy_left = (sp.source == Source::adf && (!sp.duplex || image % 2 == 0)) ? cfg_.profile.busy_before_page : 0;
  if (j.delivered >= j.images) finish(j, JobState::completed, "JobCompletedSuccessfully", now);
  return r;
}

Response EsclDevice::image_info(Job& j) {
  if (j.deleted) return simple_response(410);
  if (!j.info_available) return simple_response(404);
  j.info_available = false;
  const Profile& p = cfg_.profile;
  const std::string v = p.version_prefix;
  const ScanParams& sp = j.params;
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scan:ScanImageInfo xmlns:scan=\"" << p.escl_ns << "\" xmlns:" << v
    << "=\"" << pwg_ns(p) << "\"><" << v << ":JobUri>/eSCL/ScanJobs/" << j.id << "</" << v << ":JobUri><" << v
    << ":JobUuid>" << j.uuid << "</" << v << ":JobUuid><scan:ActualWidth>" << sp.pixel_width()
    << "</scan:ActualWidth><scan:ActualHeight>" << j.actual_height << "</scan:ActualHeight><scan:ActualBytesPerLine>"
    << sp.bytes_per_line() << "</scan:ActualBytesPerLine><scan:BlankPageDetected>false</scan:BlankPageDetected>"
    << "</scan:ScanImageInfo>\n";
  return xml(o.str());
}

}  // namespace hpsim
