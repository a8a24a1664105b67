#include "backend/sane/session.hpp"

#include "backend/driver/scanner_open.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {

Session::Session(DeviceUri uri, Timeouts timeouts) : uri_(std::move(uri)), timeouts_(timeouts) {}

Session::~Session() {
  stop_pump();
  cancel_.reset();
  if (scanner_) scanner_->cancel_job();  // nothing is sent for a job that ended by itself
}

void Session::stop_pump() {
  if (!pump_) return;
  cancel_.raise();  // ends every wait in the pump's thread
  pump_.reset();    // joins it
}

SANE_Status Session::open(std::string_view name, const BackendConfig& config, std::unique_ptr<Session>& out) {
  std::optional<DeviceUri> uri;
  try {
    uri = DeviceUri::parse(name);
  } catch (const UriError& e) {
    debug(log_error, std::string("sane_open: ") + e.what());
    return SANE_STATUS_INVAL;
  }
  Timeouts t{config.connect_timeout, config.request_timeout, config.page_timeout};
  std::unique_ptr<Session> s(new Session(std::move(*uri), t));
  try {
    s->scanner_ = open_scanner(s->uri_, t, &s->cancel_);
  } catch (const ScanFailure& e) {
    debug(log_error, std::string("sane_open: ") + e.what());
    return to_sane(e.status());
  }
  s->options_ = std::make_unique<ScanOptions>(s->scanner_->capabilities(), s->scanner_->quality_supported());
  out = std::move(s);
  return SANE_STATUS_GOOD;
}

SANE_Status Session::control(int index, SANE_Action action, void* value, SANE_Int* info) {
  if (action != SANE_ACTION_GET_VALUE && pump_) return SANE_STATUS_DEVICE_BUSY;
  return options_->control(index, action, value, info);
}

SANE_Status Session::parameters(SANE_Parameters* p) const {
  if (!p) return SANE_STATUS_INVAL;
  *p = options_->parameters();
  // SANE: -1 when the length is not known before the page ends. A feeder scans the sheet that is
  // there; a JPEG page may say its height in its header, but HP's ADF pages often say it only at
  // their end (JPEG DNL, Raw, BMP).
  if (pump_) p->lines = pump_->open_ended() ? -1 : pump_->lines();
  return SANE_STATUS_GOOD;
}

SANE_Status Session::fail(Status status, const std::string& why) {
  debug(status == Status::no_docs || status == Status::cancelled ? log_info : log_error,
        std::string(status_name(status)) + ": " + why);
  if (status != Status::no_docs && status != Status::cancelled) {
    cancel_.reset();
    scanner_->cancel_job();  // nothing more will be read from this job
  }
  request_.reset();
  return to_sane(status);
}

void Session::finish_cancel() {
  stop_pump();
  cancel_.reset();
  request_.reset();
  scanner_->cancel_job();  // a job that ended by itself is already forgotten: nothing is sent
}

SANE_Status Session::start() {
  if (cancel_.raised()) finish_cancel();
  if (pump_) return SANE_STATUS_DEVICE_BUSY;  // still delivering a page

  ScanRequest req;
  SANE_Status status = options_->request(req);
  if (status != SANE_STATUS_GOOD) {
    debug(log_error, "sane_start: the scan area is empty");
    return status;
  }
  // A batch goes on while the device has its job and the frontend keeps the same settings.
  bool continue_batch = request_ && *request_ == req && scanner_->job_active() && req.source != InputSource::Platen;
  try {
    if (!continue_batch) {
      if (scanner_->job_active()) scanner_->cancel_job();
      request_ = req;
      scanner_->start_job(req);
    }
    std::optional<PageSource> src = scanner_->next_page();
    if (!src) {
      request_.reset();
      return fail(Status::no_docs, "no more pages in the document feeder");
    }
    FrameFormat out;
    out.mode = request_->mode;
    out.pixels_per_line = request_->pixels_per_line();
    out.lines = request_->lines();
    out.open_ended = request_->source != InputSource::Platen;
    pump_ = std::make_unique<PagePump>(*scanner_, std::make_unique<PageDecoder>(*src, out), cancel_);
    // The frontend is told a height it can rely on when the page's first bytes give one: it can then
    // stream the page instead of holding it until its end (scanimage does for -1).
    if (out.open_ended) pump_->settle_height();
    pump_->set_non_blocking(non_blocking_);
    debug(log_info, "page: " + std::to_string(out.pixels_per_line) + "x" + (pump_->open_ended() ? "<=" : "") +
                        std::to_string(pump_->lines()) + " " + std::string(sane_name(out.mode)) + " at " +
                        std::to_string(request_->resolution) + " dpi");
  } catch (const ScanFailure& e) {
    return fail(e.status(), e.what());
  } catch (const HttpError& e) {
    return fail(status_of(e), e.what());
  } catch (const ProtocolError& e) {
    return fail(status_of(e), e.what());
  } catch (const ImageError& e) {
    return fail(status_of(e), e.what());
  }
  return SANE_STATUS_GOOD;
}

SANE_Status Session::read(SANE_Byte* data, SANE_Int max, SANE_Int* length) {
  if (length) *length = 0;
  if (!data || !length || max < 0) return SANE_STATUS_INVAL;
  if (cancel_.raised()) {
    finish_cancel();
    return SANE_STATUS_CANCELLED;
  }
  if (!pump_) return request_ ? SANE_STATUS_EOF : SANE_STATUS_INVAL;
  std::size_t got = 0;
  PagePump::Read r = pump_->read(std::span<std::uint8_t>(data, static_cast<std::size_t>(max)), got);
  *length = static_cast<SANE_Int>(got);
  switch (r) {
    case PagePump::Read::data:
    case PagePump::Read::would_block: return SANE_STATUS_GOOD;
    case PagePump::Read::end: break;
  }
  PagePump::Outcome outcome = pump_->finish();
  pump_.reset();
  if (outcome.status == Status::cancelled || cancel_.raised()) {
    finish_cancel();
    return SANE_STATUS_CANCELLED;
  }
  if (outcome.status != Status::eof) return fail(outcome.status, outcome.message);
  // The platen's job ends with its page; a feeder's goes on to the next sheet.
  if (request_->source == InputSource::Platen) scanner_->forget_job();
  return SANE_STATUS_EOF;
}

SANE_Status Session::set_io_mode(bool non_blocking) {
  if (!pump_) return SANE_STATUS_INVAL;  // SANE: only between sane_start and the end of the page
  non_blocking_ = non_blocking;
  pump_->set_non_blocking(non_blocking);
  return SANE_STATUS_GOOD;
}

SANE_Status Session::get_select_fd(SANE_Int* fd) {
  if (!fd) return SANE_STATUS_INVAL;
  if (!pump_) return SANE_STATUS_INVAL;
  *fd = pump_->fd();
  return SANE_STATUS_GOOD;
}

}  // namespace hpaio::backend
