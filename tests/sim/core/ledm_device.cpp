#include "tests/sim/core/ledm_device.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "base/ascii.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpsim {

namespace {

using hpaio::xml::Element;

std::optional<int> to_int(const std::optional<std::string>& s) { return s ? hpaio::parse_int(*s) : std::nullopt; }

// HPLIP appends "\r\n0\r\n\r\n" after the XML; ignore anything after the root's end.
std::string strip_trailer(const std::string& body) {
  const auto gt = body.rfind('>');
  return gt == std::string::npos ? body : body.substr(0, gt + 1);
}

// "/Jobs/JobList/12" -> 12; "/Scan/Jobs/12/Pages/3" -> {12, 3}
std::optional<int> parse_uint(std::string_view s) {
  return s.starts_with('+') || s.starts_with('-') ? std::nullopt : hpaio::parse_int(s);
}

const char* page_state_name(LedmDevice::PageState s) {
  switch (s) {
    case LedmDevice::PageState::preparing: return "PreparingScan";
    case LedmDevice::PageState::ready: return "ReadyToUpload";
    case LedmDevice::PageState::uploaded: return "UploadCompleted";
    case LedmDevice::PageState::canceled_by_device: return "CanceledByDevice";
    case LedmDevice::PageState::canceled_by_client: return "CanceledByClient";
  }
  return "?";
}

void resolution_block(std::ostringstream& o, const SourceCaps& s, const Profile& p) {
  o << "<InputSourceCaps><MinWidth>" << s.min_width << "</MinWidth><MinHeight>" << s.min_height
    << "</MinHeight><MaxWidth>" << s.max_width << "</MaxWidth><MaxHeight>" << s.max_height << "</MaxHeight>"
    << "<RiskyLeftMargin>24</RiskyLeftMargin><RiskyRightMargin>24</RiskyRightMargin>"
    << "<RiskyTopMargin>28</RiskyTopMargin><RiskyBottomMargin>40</RiskyBottomMargin>"
    << "<MinResolution>" << s.resolutions.front() << "</MinResolution><MaxOpticalXResolution>" << s.resolutions.back()
    << "</MaxOpticalXResolution><MaxOpticalYResolution>" << s.resolutions.back()
    << "</MaxOpticalYResolution><SupportedResolutions>";
  for (int r : s.resolutions) {
    o << "<Resolution><XResolution>" << r << "</XResolution><YResolution>" << r
      << "</YResolution><NumCcd>1</NumCcd><ColorTypes><ColorType>K1</ColorType>"
      << (p.grayscale ? "<ColorType>Gray8</ColorType>" : "")
      << "<ColorType>Color8</ColorType></ColorTypes></Resolution>";
  }
  o << "</SupportedResolutions></InputSourceCaps>";
}

}  // namespace

LedmDevice::LedmDevice(const SimConfig& cfg, const Acceptance& accept, Feeder& feeder, PageCache& pages)
    : cfg_(cfg), accept_(accept), feeder_(feeder), pages_(pages) {}

bool LedmDevice::job_active() const {
  for (const auto& [id, j] : jobs_) {
    if (j.state == JobState::processing) return true;
  }
  return false;
}

const LedmDevice::Job* LedmDevice::job(int id) const {
  const auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
}

std::string LedmDevice::scan_caps() const { return ledm_scan_caps(cfg_.profile); }

std::string ledm_scan_caps(const Profile& p) {
  std::ostringstream o;
  // One line, no inter-tag whitespace: HPLIP reads ScanCaps into 8 KiB and walks tags by position.
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ScanCaps xmlns=\"" << kLedmScanNs
    << "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><DeviceCaps><ModelName>"
    << xml_escape(p.make_and_model) << "</ModelName><DerivativeNumber>3</DerivativeNumber></DeviceCaps><ColorEntries>";
  const auto formats = [&](bool jpeg_ok) {
    std::string f = "<Formats>";
    if (p.raw) f += "<Format>Raw</Format>";
    if (p.jpeg && jpeg_ok) f += "<Format>Jpeg</Format>";
    return f + "</Formats>";
  };
  o << "<ColorEntry><ColorType>K1</ColorType>" << formats(false)
    << "<ImageTransforms><ImageTransform>ToneMap</ImageTransform><ImageTransform>BwThreshold</ImageTransform>"
       "</ImageTransforms></ColorEntry>";
  if (p.grayscale) {
    o << "<ColorEntry><ColorType>Gray8</ColorType>" << formats(true)
      << "<ImageTransforms><ImageTransform>ToneMap</ImageTransform></ImageTransforms>"
         "<GrayRenderings><GrayRendering>NTSC</GrayRendering></GrayRenderings></ColorEntry>";
  }
  o << "<ColorEntry><ColorType>Color8</ColorType>" << formats(true)
    << "<ImageTransforms><ImageTransform>ToneMap</ImageTransform><ImageTransform>Sharpening</ImageTransform>"
       "</ImageTransforms></ColorEntry></ColorEntries>";
  if (p.platen.present) {
    o << "<Platen>";
    resolution_block(o, p.platen, p);
    o << "</Platen>";
  }
  if (p.adf.present) {
    o << "<Adf>";
    resolution_block(o, p.adf, p);
    o << "<FeederCapacity>" << p.feeder_capacity << "</FeederCapacity>";
    if (p.duplex) {
      o << "<AdfDuplexer><AdfDuplexMaxWidth>" << p.adf.max_width << "</AdfDuplexMaxWidth><AdfDuplexMaxHeight>"
        << p.duplex_max_height << "</AdfDuplexMaxHeight></AdfDuplexer>";
    }
    o << "<AdfOptions><AdfOption>DetectPaperLoaded</AdfOption>" << (p.duplex ? "<AdfOption>Duplex</AdfOption>" : "")
      << "</AdfOptions></Adf>";
  }
  o << "</ScanCaps>";
  return o.str();
}

std::string LedmDevice::scan_status(Clock::time_point now) const {
  const bool busy = cfg_.faults.has(Fault::busy_forever) || job_active() || peer_busy(now);
  std::string s = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ScanStatus xmlns=\"") + kLedmScanNs +
                  "\"><ScannerState>" + (busy ? "BusyWithScanJob" : "Idle") + "</ScannerState>";
  if (accept_.has_feeder()) {
    const char* adf = feeder_.jammed ? "Jammed" : feeder_.sheets > 0 ? "Loaded" : "Empty";
    s += std::string("<AdfState>") + adf + "</AdfState>";
  }
  return s + "</ScanStatus>";
}

Response LedmDevice::xml(std::string body) const {
  Response r = simple_response(200, std::move(body), "text/xml");
  r.framing = cfg_.profile.chunked_xml ? Framing::chunked : Framing::content_length;
  r.set_header("Cache-Control", "must-revalidate, max-age=0");
  r.set_header("Pragma", "no-cache");
  return r;
}

void LedmDevice::expire(Clock::time_point now) {
  for (auto& [id, j] : jobs_) {
    if (j.state == JobState::processing && now - j.touched > kAbandonAfter) {
      j.state = JobState::canceled;
      j.page_state = PageState::canceled_by_device;
      ++j.update;
      j.ended = now;
    }
  }
  const std::chrono::milliseconds expiry(cfg_.profile.job_expiry_ms);
  if (expiry.count() > 0) {
    std::erase_if(
        jobs_, [&](const auto& e) { return e.second.state != JobState::processing && now - e.second.ended >= expiry; });
  }
}

std::optional<Response> LedmDevice::handle(const Request& req, Clock::time_point now) {
  expire(now);
  const std::string& path = req.path;
  if (path == "/Scan/ScanCaps" || path == "/Scan/ScanCaps.xml") {
    if (req.method != "GET") return simple_response(405);
    return xml(caps_body(cfg_, scan_caps()));
  }
  if (path == "/Scan/Status") {
    if (req.method != "GET") return simple_response(405);
    return xml(scan_status(now));
  }
  if (path == "/Scan/Jobs") {
    if (req.method != "POST") return simple_response(405);
    return post_job(req, now);
  }
  constexpr std::string_view job_prefix = "/Jobs/JobList/";
  if (path.starts_with(job_prefix)) {
    const auto id = parse_uint(std::string_view(path).substr(job_prefix.size()));
    if (!id) return simple_response(404);
    if (auto it = jobs_.find(*id); it != jobs_.end()) it->second.touched = now;
    if (req.method == "GET") return get_job(*id, now);
    if (req.method == "PUT") return put_job(*id, req, now);
    return simple_response(405);
  }
  constexpr std::string_view page_prefix = "/Scan/Jobs/";
  if (path.starts_with(page_prefix)) {
    const std::string_view rest = std::string_view(path).substr(page_prefix.size());
    const auto slash = rest.find("/Pages/");
    if (slash == std::string_view::npos) return simple_response(404);
    const auto id = parse_uint(rest.substr(0, slash));
    const auto page = parse_uint(rest.substr(slash + 7));
    if (!id || !page) return simple_response(404);
    if (req.method != "GET") return simple_response(405);
    if (auto it = jobs_.find(*id); it != jobs_.end()) it->second.touched = now;
    return get_page(*id, *page, now);
  }
  return std::nullopt;
}

std::string LedmDevice::location_for(int id) const {
  return "http://" + cfg_.authority + "/Jobs/JobList/" + std::to_string(id);
}

Response LedmDevice::post_job(const Request& req, Clock::time_point now) {
  if (cfg_.faults.has(Fault::busy_forever)) return simple_response(503);
  std::string err;
  const auto doc = hpaio::xml::try_parse(strip_trailer(req.body), &err);
  if (!doc) return simple_response(400, "malformed ScanSettings: " + err + "\n", "text/plain");
  if (doc->ns() != kLedmScanNs || (doc->name() != "ScanSettings" && doc->name() != "ScanJob")) {
    return simple_response(400, "expected ScanSettings in " + std::string(kLedmScanNs) + "\n", "text/plain");
  }
  const auto t = [&](const char* n) { return doc->child_text(kLedmScanNs, n); };
  const auto conflict = [](std::string why) { return simple_response(409, why + "\n", "text/plain"); };
  ScanParams sp;
  const auto xres = to_int(t("XResolution"));
  const auto yres = to_int(t("YResolution"));
  const auto width = to_int(t("Width"));
  const auto height = to_int(t("Height"));
  if (!xres || !width || !height)
    return simple_response(400, "XResolution, Width and Height are required\n", "text/plain");
  sp.xres = *xres;
  sp.yres = yres.value_or(*xres);
  sp.x = to_int(t("XStart")).value_or(0);
  sp.y = to_int(t("YStart")).value_or(0);
  sp.width = *width;
  sp.height = *height;
  const std::string source = t("InputSource").value_or("Platen");
  if (source == "Platen") {
    sp.source = Source::platen;
  } else if (source == "Adf") {
    sp.source = Source::adf;
  } else {
    return conflict("unknown InputSource " + source);
  }
  if (const Element* opts = doc->child(kLedmScanNs, "AdfOptions")) {
    for (const auto* o : opts->children(kLedmScanNs, "AdfOption")) {
      if (o->text() == "Duplex") sp.duplex = true;
    }
  }
  // ColorSpace Color is Color8 and Gray is Gray8 (HPLIP asks K1 as Gray too). No real request
  // for K1 is known: the simulator takes Gray with BitDepth 1 as K1 (1 bit per pixel, 1 = white).
  const std::string color = t("ColorSpace").value_or("Color");
  const std::string depth = t("BitDepth").value_or("8");
  ScanMode mode = ScanMode::rgb24;
  if (color == "Color" && depth == "8") {
    mode = ScanMode::rgb24;
  } else if (color == "Gray" && depth == "8") {
    mode = ScanMode::grayscale8;
  } else if (color == "Gray" && depth == "1") {
    mode = ScanMode::blackandwhite1;
  } else {
    return conflict("unsupported ColorSpace " + color + " with BitDepth " + depth);
  }
  sp.mode = render_mode(mode);
  const std::string format = t("Format").value_or("Jpeg");
  const auto parsed_format = parse_ledm_format(format);
  if (!parsed_format) return conflict("unsupported Format " + format);
  sp.format = *parsed_format;
  if (const auto why = accept_.refusal(sp, mode)) return conflict(*why);
  if (job_active() || peer_busy(now)) return conflict("a scan job is already active");
  Job j;
  j.id = next_id_++;
  j.params = sp;
  j.touched = now;
  if (sp.source == Source::adf) {
    if (feeder_.jammed) return conflict("ADF jammed");
    if (feeder_.sheets <= 0) return conflict("ADF empty");
    j.images = sp.duplex ? 2 * feeder_.sheets : feeder_.sheets;
  } else {
    j.images = 1;
  }
  jobs_[j.id] = j;
  Response r = simple_response(201);
  r.set_header("Location", location_for(j.id));
  r.framing = Framing::content_length;
  return r;
}

std::string LedmDevice::job_document(const Job& j) const {
  const ScanParams& sp = j.params;
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?><j:Job xmlns:j=\"" << kLedmJobsNs << "\" xmlns:dd=\"" << kLedmDdNs
    << "\" xmlns:fax=\"http://www.hp.com/schemas/imaging/con/fax/2008/06/13\"><j:JobUrl>/Jobs/JobList/" << j.id
    << "</j:JobUrl><j:JobCategory>Scan</j:JobCategory><j:JobState>"
    << (j.state == JobState::processing  ? "Processing"
        : j.state == JobState::completed ? "Completed"
                                         : "Canceled")
    << "</j:JobState><j:JobStateUpdate>" << j.id << "-" << j.update
    << "</j:JobStateUpdate><j:JobSource>userIO</j:JobSource>"
    << "<ScanJob xmlns=\"" << kLedmScanNs << "\">";
  if (j.last_uploaded > 0) {
    o << "<PostScanPage><PageNumber>" << j.last_uploaded << "</PageNumber><PageState>UploadCompleted</PageState>"
      << "<TotalLines>" << j.last_lines << "</TotalLines></PostScanPage>";
  }
  if (j.state != JobState::completed) {
    o << "<PreScanPage><PageNumber>" << j.page << "</PageNumber><PageState>" << page_state_name(j.page_state)
      << "</PageState><BufferInfo><ScanSettings><XResolution>" << sp.xres << "</XResolution><YResolution>" << sp.yres
      << "</YResolution><XStart>" << sp.x << "</XStart><Width>" << sp.width << "</Width><YStart>" << sp.y
      << "</YStart><Height>" << sp.height << "</Height><Format>" << ledm_format_name(sp.format)
      << "</Format><CompressionQFactor>0</CompressionQFactor><ColorSpace>"
      << (sp.mode == ColorMode::color ? "Color" : "Gray") << "</ColorSpace><BitDepth>"
      << (sp.mode == ColorMode::lineart ? 1 : 8) << "</BitDepth><InputSource>"
      << (sp.source == Source::adf ? "Adf" : "Platen") << "</InputSource><ContentType>Document</ContentType>"
      << "</ScanSettings><ImageWidth>" << sp.pixel_width() << "</ImageWidth><ImageHeight>" << sp.pixel_height()
      << "</ImageHeight><BytesPerLine>" << sp.bytes_per_line() << "</BytesPerLine><Cooked>enabled</Cooked></BufferInfo>"
      << "<BinaryURL>/Scan/Jobs/" << j.id << "/Pages/" << j.page << "</BinaryURL>"
      << "<ImageOrientation>Normal</ImageOrientation></PreScanPage>";
  }
  o << "</ScanJob></j:Job>";
  return o.str();
}

Response LedmDevice::get_job(int id, Clock::time_point now) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return simple_response(404);
  Job& j = it->second;
  if (j.state == JobState::processing && j.page_state == PageState::preparing) {
    if (j.polls >= cfg_.profile.ledm_prepare_polls) {
      const bool jam = cfg_.faults.has(Fault::adf_jam) && j.params.source == Source::adf &&
                       sheet_of(j.params, j.page) == 2 && side_of(j.params, j.page) == Side::front;
      if (jam) {
        feeder_.jammed = true;
        j.state = JobState::canceled;
        j.page_state = PageState::canceled_by_device;
        j.ended = now;
      } else {
        j.page_state = PageState::ready;
      }
      ++j.update;
    } else {
      ++j.polls;
    }
  }
  Response r = xml(job_document(j));
  r.set_header("ETag", "\"" + std::to_string(j.id) + "-" + std::to_string(j.update) + "\"");
  return r;
}

Response LedmDevice::put_job(int id, const Request& req, Clock::time_point now) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return simple_response(404);
  std::string err;
  const auto doc = hpaio::xml::try_parse(strip_trailer(req.body), &err);
  if (!doc) return simple_response(400, "malformed Job: " + err + "\n", "text/plain");
  const auto state = doc->child_text(kLedmJobsNs, "JobState");
  if (!doc->is(kLedmJobsNs, "Job") || !state)
    return simple_response(400, "expected j:Job with j:JobState\n", "text/plain");
  if (*state != "Canceled") return simple_response(409, "only JobState Canceled can be set\n", "text/plain");
  Job& j = it->second;
  if (j.state == JobState::processing) {
    j.state = JobState::canceled;
    j.page_state = PageState::canceled_by_client;
    ++j.update;
    j.ended = now;
  }
  Response r = simple_response(200);
  r.framing = Framing::content_length;
  return r;
}

Response LedmDevice::get_page(int id, int page, Clock::time_point now) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return simple_response(404);
  Job& j = it->second;
  if (j.state != JobState::processing || page != j.page || j.page_state != PageState::ready) {
    return simple_response(404);
  }
  const ScanParams& sp = j.params;
  Response r;
  const ScanParams shown = sheet_page(cfg_, sp);
  r.body = pages_.image(Protocol::ledm, shown, page,
                        cfg_.profile.adf_dnl && sp.source == Source::adf && sp.format == Format::jpeg,
                        rotated_image(cfg_, sp, page));
  r.set_header("Content-Type", content_type(sp.format));
  r.set_header("Cache-Control", "max-age=180");
  r.framing = Framing::chunked;
  r.chunk_size = 16384;  // HPLIP's image buffer is 32 KiB
  apply_image_faults(cfg_, r);
  if (sp.source == Source::adf && side_of(sp, page) == Side::front && feeder_.sheets > 0) --feeder_.sheets;
  j.last_uploaded = page;
  j.last_lines = shown.pixel_height();
  if (page < j.images) {
    j.page = page + 1;
    j.page_state = PageState::preparing;
    j.polls = 0;
  } else {
    j.state = JobState::completed;
    j.page_state = PageState::uploaded;
    j.ended = now;
  }
  ++j.update;
  return r;
}

}  // namespace hpsim
