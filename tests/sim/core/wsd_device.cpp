#include "tests/sim/core/wsd_device.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "base/ascii.hpp"
#include "tests/sim/core/wsd_discovery.hpp"
#include "tests/sim/image/bmp_image.hpp"

namespace hpsim {

namespace {

using hpaio::xml::Element;

// 1/300 inch (inside) <-> 1/1000 inch (WS-Scan).
int to_thousandths(int v) { return static_cast<int>(static_cast<long long>(v) * 1000 / 300); }
int to_thousandths_up(int v) { return static_cast<int>((static_cast<long long>(v) * 1000 + 299) / 300); }
int from_thousandths(long long v) { return static_cast<int>((v * 300 + 500) / 1000); }

const char* state_name(WsdDevice::JobState s) {
  switch (s) {
    case WsdDevice::JobState::pending: return "Pending";
    case WsdDevice::JobState::processing: return "Processing";
    case WsdDevice::JobState::completed: return "Completed";
    case WsdDevice::JobState::aborted: return "Aborted";
    case WsdDevice::JobState::canceled: return "Canceled";
  }
  return "?";
}

std::optional<int> int_text(const Element* e) {
  if (e == nullptr) return std::nullopt;
  return hpaio::parse_int(hpaio::trim_blanks(e->text()));
}
std::optional<int> child_int(const Element* e, std::string_view name) {
  return e == nullptr ? std::nullopt : int_text(e->child(kWscnNs, name));
}
std::string child_str(const Element* e, std::string_view name) {
  if (e == nullptr) return {};
  return std::string(hpaio::trim_blanks(e->child_text(kWscnNs, name).value_or("")));
}

const char* wscn_format(Format f) { return f == Format::jpeg ? "jfif" : "dib"; }

bool active(WsdDevice::JobState s) { return s == WsdDevice::JobState::pending || s == WsdDevice::JobState::processing; }

}  // namespace

WsdDevice::WsdDevice(const SimConfig& cfg, const Acceptance& accept, Feeder& feeder, PageCache& pages)
    : cfg_(cfg), accept_(accept), feeder_(feeder), pages_(pages) {}

std::string WsdDevice::next_message_id() {
  char id[64];
  std::snprintf(id, sizeof id, "urn:uuid:5a1e0000-7e5d-4c0d-9e1f-%012llx", next_message_++);
  return id;
}

bool WsdDevice::busy(Clock::time_point) const {
  if (cfg_.faults.has(hpsim::Fault::busy_forever)) return true;
  return std::any_of(jobs_.begin(), jobs_.end(), [](const Job& j) { return active(j.state); });
}

bool WsdDevice::warming_up(Clock::time_point now) const {
  return powered_on_ && now < *powered_on_ + std::chrono::milliseconds(cfg_.profile.warmup_ms);
}

const WsdDevice::Job* WsdDevice::find_job(int id) const {
  for (const auto& j : jobs_) {
    if (j.id == id) return &j;
  }
  return nullptr;
}

void WsdDevice::finish(Job& j, JobState s, std::string reason, Clock::time_point now) {
  j.state = s;
  j.reason = std::move(reason);
  j.updated = now;
}

void WsdDevice::expire(Clock::time_point now) {
  for (auto& j : jobs_) {
    if (active(j.state) && now - j.updated > kAbandonAfter) finish(j, JobState::aborted, "JobTimedOut", now);
  }
}

std::string WsdDevice::scanner_configuration() const {
  const Profile& p = cfg_.profile;
  std::ostringstream o;
  o << "<wscn:ScannerConfiguration><wscn:DeviceSettings><wscn:FormatsSupported>";
  if (p.raw) o << "<wscn:FormatValue>dib</wscn:FormatValue>";
  if (p.jpeg) o << "<wscn:FormatValue>jfif</wscn:FormatValue>";
  o << "</wscn:FormatsSupported><wscn:CompressionQualityFactorSupported><wscn:MinValue>0</wscn:MinValue>"
       "<wscn:MaxValue>100</wscn:MaxValue></wscn:CompressionQualityFactorSupported><wscn:ContentTypesSupported>"
       "<wscn:ContentTypeValue>Auto</wscn:ContentTypeValue><wscn:ContentTypeValue>Text</wscn:ContentTypeValue>"
       "<wscn:ContentTypeValue>Photo</wscn:ContentTypeValue><wscn:ContentTypeValue>Mixed</wscn:ContentTypeValue>"
       "</wscn:ContentTypesSupported><wscn:DocumentSizeAutoDetectSupported>false"
       "</wscn:DocumentSizeAutoDetectSupported><wscn:AutoExposureSupported>false</wscn:AutoExposureSupported>"
       "<wscn:BrightnessSupported>false</wscn:BrightnessSupported><wscn:ContrastSupported>false"
       "</wscn:ContrastSupported><wscn:ScalingRangeSupported><wscn:ScalingWidth><wscn:MinValue>100</wscn:MinValue>"
       "<wscn:MaxValue>100</wscn:MaxValue></wscn:ScalingWidth><wscn:ScalingHeight><wscn:MinValue>100"
       "</wscn:MinValue><wscn:MaxValue>100</wscn:MaxValue></wscn:ScalingHeight></wscn:ScalingRangeSupported>"
       "<wscn:RotationsSupported><wscn:RotationValue>0</wscn:RotationValue></wscn:RotationsSupported>"
       "</wscn:DeviceSettings>";
  const auto source = [&](const char* tag, const char* prefix, const SourceCaps& s, int max_h) {
    o << "<wscn:" << tag << "><wscn:" << prefix << "OpticalResolution><wscn:Width>" << s.resolutions.back()
      << "</wscn:Width><wscn:Height>" << s.resolutions.back() << "</wscn:Height></wscn:" << prefix
      << "OpticalResolution><wscn:" << prefix << "Resolutions><wscn:Widths>";
    for (int r : s.resolutions) o << "<wscn:Width>" << r << "</wscn:Width>";
    o << "</wscn:Widths><wscn:Heights>";
    for (int r : s.resolutions) o << "<wscn:Height>" << r << "</wscn:Height>";
    o << "</wscn:Heights></wscn:" << prefix << "Resolutions><wscn:" << prefix << "Color>";
    if (p.color) o << "<wscn:ColorEntry>RGB24</wscn:ColorEntry>";
    if (p.grayscale) o << "<wscn:ColorEntry>Grayscale8</wscn:ColorEntry>";
    o << "</wscn:" << prefix << "Color><wscn:" << prefix << "MinimumSize><wscn:Width>" << to_thousandths_up(s.min_width)
      << "</wscn:Width><wscn:Height>" << to_thousandths_up(s.min_height) << "</wscn:Height></wscn:" << prefix
      << "MinimumSize><wscn:" << prefix << "MaximumSize><wscn:Width>" << to_thousandths(s.max_width)
      << "</wscn:Width><wscn:Height>" << to_thousandths(max_h) << "</wscn:Height></wscn:" << prefix
      << "MaximumSize></wscn:" << tag << ">";
  };
  if (p.platen.present) source("Platen", "Platen", p.platen, p.platen.max_height);
  if (p.adf.present) {
    o << "<wscn:ADF><wscn:ADFSupportsDuplex>" << (p.duplex ? "true" : "false") << "</wscn:ADFSupportsDuplex>";
    source("ADFFront", "ADF", p.adf, p.adf.max_height);
    if (p.duplex) source("ADFBack", "ADF", p.adf, p.duplex_max_height);
    o << "</wscn:ADF>";
  }
  o << "</wscn:ScannerConfiguration>";
  return o.str();
}

std::string WsdDevice::scanner_status(Clock::time_point now) const {
  const char* state = "Idle";
  const char* reason = "None";
  if (feeder_.jammed) {
    state = "Stopped";
    reason = "MediaJam";
  } else if (busy(now)) {
    state = "Processing";
  } else if (warming_up(now)) {
    state = "Processing";
    reason = cfg_.profile.wsd_warmup_reason.c_str();
  }
  std::ostringstream o;
  // The device's clock is not simulated: a fixed time.
  o << "<wscn:ScannerStatus><wscn:ScannerCurrentTime>2024-03-04T09:12:44Z</wscn:ScannerCurrentTime>"
    << "<wscn:ScannerState>" << state << "</wscn:ScannerState><wscn:ScannerStateReasons><wscn:ScannerStateReason>"
    << reason << "</wscn:ScannerStateReason></wscn:ScannerStateReasons></wscn:ScannerStatus>";
  return o.str();
}

namespace {

std::string document_parameters(const ScanParams& sp, ScanMode mode) {
  const char* source = sp.source == Source::platen ? "Platen" : sp.duplex ? "ADFDuplex" : "ADF";
  std::ostringstream side;
  side << "<wscn:ColorProcessing>" << escl_mode_name(mode) << "</wscn:ColorProcessing><wscn:Resolution><wscn:Width>"
       << sp.xres << "</wscn:Width><wscn:Height>" << sp.yres << "</wscn:Height></wscn:Resolution>"
       << "<wscn:ScanRegion><wscn:ScanRegionXOffset>" << to_thousandths(sp.x)
       << "</wscn:ScanRegionXOffset><wscn:ScanRegionYOffset>" << to_thousandths(sp.y)
       << "</wscn:ScanRegionYOffset><wscn:ScanRegionWidth>" << to_thousandths(sp.width)
       << "</wscn:ScanRegionWidth><wscn:ScanRegionHeight>" << to_thousandths(sp.height)
       << "</wscn:ScanRegionHeight></wscn:ScanRegion>";
  std::ostringstream o;
  o << "<wscn:Format>" << wscn_format(sp.format) << "</wscn:Format><wscn:ImagesToTransfer>"
    << (sp.source == Source::platen ? 1 : 0) << "</wscn:ImagesToTransfer><wscn:InputSource>" << source
    << "</wscn:InputSource><wscn:InputSize><wscn:InputMediaSize><wscn:Width>" << to_thousandths(sp.width)
    << "</wscn:Width><wscn:Height>" << to_thousandths(sp.height)
    << "</wscn:Height></wscn:InputMediaSize></wscn:InputSize><wscn:MediaSides><wscn:MediaFront>" << side.str()
    << "</wscn:MediaFront>";
  if (sp.duplex) o << "<wscn:MediaBack>" << side.str() << "</wscn:MediaBack>";
  o << "</wscn:MediaSides>";
  return o.str();
}

}  // namespace

WsdDevice::Answer WsdDevice::get_scanner_elements(const SoapRequest& req, Clock::time_point now) {
  const Element* names = req.body.child(kWscnNs, "RequestedElements");
  if (names == nullptr) return Fault{true, "wscn:InvalidArgs", "RequestedElements is missing"};
  const Profile& p = cfg_.profile;
  std::ostringstream o;
  o << "<wscn:GetScannerElementsResponse><wscn:ScannerElements>";
  for (const Element* n : names->children(kWscnNs, "Name")) {
    // The value is a QName naming a wscn element; only its local part is compared.
    const std::string name(qname_local(hpaio::trim_blanks(n->text())));
    std::string data;
    if (name == "ScannerConfiguration") {
      data = scanner_configuration();
      served_configuration_ = true;
    } else if (name == "ScannerStatus") {
      data = scanner_status(now);
    } else if (name == "ScannerDescription") {
      data = "<wscn:ScannerDescription><wscn:ScannerName xml:lang=\"en\">" + xml_escape(p.make_and_model) +
             "</wscn:ScannerName><wscn:ScannerInfo xml:lang=\"en\">" + xml_escape(p.summary) +
             "</wscn:ScannerInfo><wscn:ScannerLocation xml:lang=\"en\">hpaio-sim</wscn:ScannerLocation>"
             "</wscn:ScannerDescription>";
    } else if (name == "DefaultScanTicket") {
      ScanParams sp;
      sp.source = p.platen.present ? Source::platen : Source::adf;
      const SourceCaps& s = p.platen.present ? p.platen : p.adf;
      sp.width = s.max_width;
      sp.height = s.max_height;
      sp.format = p.jpeg ? Format::jpeg : Format::raw;
      data =
          "<wscn:DefaultScanTicket><wscn:JobDescription><wscn:JobName>Scan</wscn:JobName>"
          "<wscn:JobOriginatingUserName>hpaio-sim</wscn:JobOriginatingUserName></wscn:JobDescription>"
          "<wscn:DocumentParameters>" +
          document_parameters(sp, ScanMode::rgb24) + "</wscn:DocumentParameters></wscn:DefaultScanTicket>";
    }
    o << "<wscn:ElementData Name=\"wscn:" << xml_escape(name) << "\" Valid=\"" << (data.empty() ? "false" : "true")
      << "\">" << data << "</wscn:ElementData>";
  }
  o << "</wscn:ScannerElements></wscn:GetScannerElementsResponse>";
  return o.str();
}

WsdDevice::Answer WsdDevice::create_scan_job(const SoapRequest& req, Clock::time_point now) {
  const Profile& p = cfg_.profile;
  const auto invalid = [](std::string why) { return Fault{true, "wscn:ClientErrorInvalidScanTicket", why}; };
  const Element* ticket = req.body.child(kWscnNs, "ScanTicket");
  const Element* dp = ticket == nullptr ? nullptr : ticket->child(kWscnNs, "DocumentParameters");
  if (dp == nullptr) return invalid("ScanTicket/DocumentParameters is missing");
  ScanParams sp;
  std::string format = child_str(dp, "Format");
  if (format.empty()) format = p.jpeg ? "jfif" : "dib";
  if (format == "jfif") {
    sp.format = Format::jpeg;
  } else if (format == "dib") {
    sp.format = Format::raw;
  } else {
    return invalid("Format " + format + " is not supported");
  }
  const std::string source = child_str(dp, "InputSource").empty() ? "Platen" : child_str(dp, "InputSource");
  if (source == "Platen") {
    sp.source = Source::platen;
  } else if (source == "ADF" || source == "ADFDuplex") {
    sp.source = Source::adf;
    sp.duplex = source == "ADFDuplex";
  } else {
    return invalid("InputSource " + source + " is not supported");
  }
  const Element* sides = dp->child(kWscnNs, "MediaSides");
  const Element* front = sides == nullptr ? nullptr : sides->child(kWscnNs, "MediaFront");
  std::string color = child_str(front, "ColorProcessing");
  if (color.empty()) color = "RGB24";
  const auto mode = parse_escl_mode(color);
  if (!mode || *mode == ScanMode::auto_color || *mode == ScanMode::blackandwhite1) {
    return invalid("ColorProcessing " + color + " is not supported");
  }
  sp.mode = render_mode(*mode);
  const Element* res = front == nullptr ? nullptr : front->child(kWscnNs, "Resolution");
  sp.xres = child_int(res, "Width").value_or(300);
  sp.yres = child_int(res, "Height").value_or(sp.xres);
  const InputCaps& caps = accept_.input(sp.source, sp.duplex);
  sp.x = sp.y = 0;
  sp.width = caps.max_width;
  sp.height = caps.max_height;
  const Element* input_size = dp->child(kWscnNs, "InputSize");
  const Element* media = input_size == nullptr ? nullptr : input_size->child(kWscnNs, "InputMediaSize");
  if (const auto w = child_int(media, "Width")) sp.width = from_thousandths(*w);
  if (const auto h = child_int(media, "Height")) sp.height = from_thousandths(*h);
  if (const Element* region = front == nullptr ? nullptr : front->child(kWscnNs, "ScanRegion")) {
    const auto w = child_int(region, "ScanRegionWidth");
    const auto h = child_int(region, "ScanRegionHeight");
    if (!w || !h || *w <= 0 || *h <= 0) return invalid("ScanRegion needs a ScanRegionWidth and ScanRegionHeight");
    sp.width = from_thousandths(*w);
    sp.height = from_thousandths(*h);
    sp.x = from_thousandths(child_int(region, "ScanRegionXOffset").value_or(0));
    sp.y = from_thousandths(child_int(region, "ScanRegionYOffset").value_or(0));
  }
  if (const auto why = accept_.refusal(sp, *mode)) return invalid(*why);
  if (busy(now) || feeder_.jammed || warming_up(now)) {
    return Fault{false, "wscn:ServerErrorNotAcceptingJobs", "the scanner is not accepting jobs"};
  }
  if (sp.source == Source::adf && feeder_.sheets <= 0) {
    // The feeder is empty: no job (the state stays Idle, which tells a client the feeder is empty).
    return Fault{false, "wscn:ServerErrorNotAcceptingJobs", "the document feeder is empty"};
  }
  Job j;
  j.id = next_job_++;
  char token[64];
  std::snprintf(token, sizeof token, "sim-token-%d-%08x", j.id, static_cast<unsigned>(j.id * 2654435761u));
  j.token = token;
  j.params = sp;
  j.mode = *mode;
  j.images = sp.source == Source::adf ? (sp.duplex ? 2 * feeder_.sheets : feeder_.sheets) : 1;
  j.updated = now;
  jobs_.push_front(j);
  if (jobs_.size() > 10) jobs_.pop_back();
  const ScanParams shown = sheet_page(cfg_, sp);
  std::ostringstream info;
  info << "<wscn:PixelsPerLine>" << shown.pixel_width() << "</wscn:PixelsPerLine><wscn:NumberOfLines>"
       << shown.pixel_height() << "</wscn:NumberOfLines><wscn:BytesPerLine>" << shown.bytes_per_line()
       << "</wscn:BytesPerLine>";
  std::ostringstream o;
  o << "<wscn:CreateScanJobResponse><wscn:JobId>" << j.id << "</wscn:JobId><wscn:JobToken>" << j.token
    << "</wscn:JobToken><wscn:ImageInformation><wscn:MediaFrontImageInfo>" << info.str()
    << "</wscn:MediaFrontImageInfo>";
  if (sp.duplex) o << "<wscn:MediaBackImageInfo>" << info.str() << "</wscn:MediaBackImageInfo>";
  o << "</wscn:ImageInformation><wscn:DocumentFinalParameters>" << document_parameters(sp, *mode)
    << "</wscn:DocumentFinalParameters></wscn:CreateScanJobResponse>";
  return o.str();
}

WsdDevice::Job* WsdDevice::job_for(const Element& op) {
  const auto id = int_text(op.child(kWscnNs, "JobId"));
  if (!id) return nullptr;
  for (auto& j : jobs_) {
    if (j.id == *id) return &j;
  }
  return nullptr;
}

WsdDevice::Answer WsdDevice::retrieve_image(const SoapRequest& req, Clock::time_point now) {
  Job* j = job_for(req.body);
  const Fault not_found{true, "wscn:ClientErrorJobIdNotFound", "no such job"};
  if (j == nullptr) return not_found;
  // A wrong token is answered as an unknown job: the job is not the client's.
  if (child_str(&req.body, "JobToken") != j->token) return not_found;
  const Fault no_images{true, "wscn:ClientErrorNoImagesAvailable", "the job has no more images"};
  if (j->state == JobState::aborted && feeder_.jammed) {
    return Fault{false, "wscn:ServerErrorInternalError", "the document feeder is jammed"};
  }
  if (!active(j->state)) return no_images;
  if (j->delivered >= j->images) {
    finish(*j, JobState::completed, "JobCompletedSuccessfully", now);
    return no_images;
  }
  const ScanParams& sp = j->params;
  const int image = j->delivered + 1;
  if (cfg_.faults.has(hpsim::Fault::adf_jam) && sp.source == Source::adf && sheet_of(sp, image) == 2 &&
      side_of(sp, image) == Side::front) {
    feeder_.jammed = true;
    finish(*j, JobState::aborted, "MediaJam", now);
    return Fault{false, "wscn:ServerErrorInternalError", "the document feeder is jammed"};
  }
  const ScanParams shown = sheet_page(cfg_, sp);
  std::string bytes = pages_.image(Protocol::wsd, shown, image, false, rotated_image(cfg_, sp, image));
  if (sp.format == Format::raw) {
    bytes = encode_bmp(bytes, shown.pixel_width(), shown.pixel_height(), shown.mode == ColorMode::color);
  }
  if (sp.source == Source::adf && side_of(sp, image) == Side::front && feeder_.sheets > 0) --feeder_.sheets;
  j->delivered = image;
  j->state = JobState::processing;
  j->updated = now;
  if (j->delivered >= j->images) finish(*j, JobState::completed, "JobCompletedSuccessfully", now);
  const std::string cid = "image-" + std::to_string(j->id) + "-" + std::to_string(image) + "@hpaio-sim";
  const std::string body = "<wscn:RetrieveImageResponse><wscn:ScanData><xop:Include href=\"cid:" + cid +
                           "\"/></wscn:ScanData></wscn:RetrieveImageResponse>";
  const std::string envelope =
      soap_envelope(std::string(kWscnActionPrefix) + "RetrieveImageResponse", req.message_id, body, next_message_id());
  Response r =
      mtom_response(envelope, cid, bytes,
                    "hpaio-sim-MIME-boundary-" + std::to_string(j->id) + "x" + std::to_string(image) + "-3b7f0c9d1e2a");
  apply_image_faults(cfg_, r);
  return r;
}

WsdDevice::Answer WsdDevice::cancel_job(const SoapRequest& req, Clock::time_point now) {
  Job* j = job_for(req.body);
  if (j == nullptr || !active(j->state)) return Fault{true, "wscn:ClientErrorJobIdNotFound", "no such active job"};
  finish(*j, JobState::canceled, "JobCanceledByUser", now);
  return std::string("<wscn:CancelJobResponse/>");
}

std::string WsdDevice::job_status(const Job& j) const {
  std::ostringstream o;
  o << "<wscn:JobStatus><wscn:JobId>" << j.id << "</wscn:JobId><wscn:JobState>" << state_name(j.state)
    << "</wscn:JobState><wscn:JobStateReasons><wscn:JobStateReason>" << j.reason
    << "</wscn:JobStateReason></wscn:JobStateReasons><wscn:ScansCompleted>" << j.delivered
    << "</wscn:ScansCompleted></wscn:JobStatus>";
  return o.str();
}

WsdDevice::Answer WsdDevice::get_job_elements(const SoapRequest& req, Clock::time_point) {
  const Job* j = job_for(req.body);
  if (j == nullptr) return Fault{true, "wscn:ClientErrorJobIdNotFound", "no such job"};
  std::ostringstream o;
  o << "<wscn:GetJobElementsResponse><wscn:JobElements>";
  if (const Element* names = req.body.child(kWscnNs, "RequestedElements")) {
    for (const Element* n : names->children(kWscnNs, "Name")) {
      const std::string name(qname_local(hpaio::trim_blanks(n->text())));
      const bool known = name == "JobStatus";
      o << "<wscn:ElementData Name=\"wscn:" << xml_escape(name) << "\" Valid=\"" << (known ? "true" : "false") << "\">"
        << (known ? job_status(*j) : "") << "</wscn:ElementData>";
    }
  }
  o << "</wscn:JobElements></wscn:GetJobElementsResponse>";
  return o.str();
}

std::optional<Response> WsdDevice::handle(const Request& req, Clock::time_point now) {
  if (req.path != cfg_.profile.wsd_path && req.path != kWsdDevicePath) return std::nullopt;
  if (req.method != "POST") return simple_response(405);
  served_configuration_ = false;
  if (!powered_on_) powered_on_ = now;
  expire(now);
  std::string err;
  const auto soap = parse_soap_request(req.body, &err);
  if (!soap) {
    return soap_response(soap_fault_envelope("", true, "wscn:InvalidArgs", xml_escape(err), next_message_id()), 400);
  }
  if (req.path == kWsdDevicePath) {
    // The device's own endpoint (the XAddr WS-Discovery names): WS-Transfer Get of its metadata.
    if (soap->action != kTransferGetAction) {
      return soap_response(
          soap_fault_envelope(soap->message_id, true, "wsa:ActionNotSupported",
                              "only " + std::string(kTransferGetAction) + " is served here", next_message_id()),
          400);
    }
    return soap_response(wsd_metadata(cfg_.profile, cfg_.authority, soap->message_id, next_message_id()));
  }
  std::string op = wscn_operation(soap->action);
  if (op.empty() && soap->action.empty() && soap->body.ns() == kWscnNs && soap->body.name().ends_with("Request")) {
    op = soap->body.name().substr(0, soap->body.name().size() - 7);  // no Action header: the body says
  }
  Answer a;
  if (op == "GetScannerElements") {
    a = get_scanner_elements(*soap, now);
  } else if (op == "CreateScanJob") {
    a = create_scan_job(*soap, now);
  } else if (op == "RetrieveImage") {
    a = retrieve_image(*soap, now);
  } else if (op == "CancelJob") {
    a = cancel_job(*soap, now);
  } else if (op == "GetJobElements") {
    a = get_job_elements(*soap, now);
  } else {
    a = Fault{true, "wsa:ActionNotSupported", "the action " + xml_escape(soap->action) + " is not supported"};
  }
  if (auto* r = std::get_if<Response>(&a)) return std::move(*r);
  if (auto* f = std::get_if<Fault>(&a)) {
    return soap_response(soap_fault_envelope(soap->message_id, f->client, f->subcode, f->reason, next_message_id()),
                         f->client ? 400 : 500);
  }
  std::string envelope = soap_envelope(std::string(kWscnActionPrefix) + op + "Response", soap->message_id,
                                       std::get<std::string>(a), next_message_id());
  if (served_configuration_) envelope = caps_body(cfg_, std::move(envelope));
  return soap_response(std::move(envelope));
}

}  // namespace hpsim
