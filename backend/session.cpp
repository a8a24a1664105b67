#include "backend/session.hpp"

#include "backend/debug_log.hpp"
#include "backend/scanner_open.hpp"

namespace hpaio::backend {
namespace {

constexpr std::size_t input_chunk = 64 * 1024;

}  // namespace

Session::Session(DeviceUri uri, Timeouts timeouts) : uri_(std::move(uri)), timeouts_(timeouts) {}

Session::~Session() {
  if (scanner_ && scanner_->job_active()) {
    cancel_.reset();
    scanner_->cancel_job();
  }
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
    return e.status();
  }
  s->options_ = std::make_unique<ScanOptions>(s->scanner_->capabilities(), s->scanner_->quality_supported());
  out = std::move(s);
  return SANE_STATUS_GOOD;
}

SANE_Status Session::control(int index, SANE_Action action, void* value, SANE_Int* info) {
  if (action != SANE_ACTION_GET_VALUE && page_ && !page_done_) return SANE_STATUS_DEVICE_BUSY;
  return options_->control(index, action, value, info);
}

SANE_Status Session::parameters(SANE_Parameters* p) const {
  if (!p) return SANE_STATUS_INVAL;
  *p = options_->parameters();
  return SANE_STATUS_GOOD;
}

SANE_Status Session::fail(SANE_Status status, const std::string& why) {
  debug(status == SANE_STATUS_NO_DOCS || status == SANE_STATUS_CANCELLED ? log_info : log_error,
        std::string(status_name(status)) + ": " + why);
  page_.reset();
  if (status != SANE_STATUS_NO_DOCS && status != SANE_STATUS_CANCELLED) {
    cancel_.reset();
    scanner_->cancel_job();  // nothing more will be read from this job
  }
  request_.reset();
  return status;
}

void Session::finish_cancel() {
  cancel_.reset();
  page_.reset();
  page_done_ = false;
  request_.reset();
  scanner_->cancel_job();  // a job that ended by itself is already forgotten: nothing is sent
}

void Session::drain_page() {
  // What the device still sends of a page whose image is complete keeps the connection usable;
  // a device that then breaks off (or lied about the length) has still delivered the image.
  input_.resize(input_chunk);
  try {
    for (int i = 0; i < 4096 && scanner_->read_page(input_) > 0; ++i) {
    }
  } catch (const HttpError& e) {
    if (e.kind() == HttpError::Kind::cancelled) throw;
    debug(log_info, std::string("after the image: ") + e.what());
  }
}

void Session::end_page(bool job_continues) {
  page_done_ = true;
  if (!job_continues) scanner_->forget_job();
}

SANE_Status Session::start() {
  if (cancel_.raised()) finish_cancel();
  if (page_ && !page_done_) return SANE_STATUS_DEVICE_BUSY;  // still delivering a page

  ScanRequest req;
  SANE_Status status = options_->request(req);
  if (status != SANE_STATUS_GOOD) {
    debug(log_error, "sane_start: the scan area is empty");
    return status;
  }
  // A batch goes on while the device has its job and the frontend keeps the same settings.
  bool continue_batch = request_ && scanner_->job_active() && req.source != InputSource::Platen;
  page_.reset();
  page_done_ = false;
  try {
    if (!continue_batch) {
      if (scanner_->job_active()) scanner_->cancel_job();
      request_ = req;
      scanner_->start_job(req);
    }
    std::optional<PageSource> src = scanner_->next_page();
    if (!src) {
      request_.reset();
      return fail(SANE_STATUS_NO_DOCS, "no more pages in the document feeder");
    }
    FrameFormat out;
    out.mode = request_->mode;
    out.pixels_per_line = request_->pixels_per_line();
    out.lines = request_->lines();
    page_ = std::make_unique<PageDecoder>(*src, out);
    debug(log_info, "page: " + std::to_string(out.pixels_per_line) + "x" + std::to_string(out.lines) + " " +
                        std::string(sane_name(out.mode)) + " at " + std::to_string(request_->resolution) + " dpi");
  } catch (const ScanFailure& e) {
    return fail(e.status(), e.what());
  } catch (const HttpError& e) {
    return fail(status_for(e), e.what());
  } catch (const ProtocolError& e) {
    return fail(SANE_STATUS_IO_ERROR, e.what());
  } catch (const ImageError& e) {
    return fail(SANE_STATUS_IO_ERROR, e.what());
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
  if (!page_) return SANE_STATUS_INVAL;
  if (page_done_) return SANE_STATUS_EOF;
  try {
    for (;;) {
      std::size_t n = page_->read(std::span<std::uint8_t>(data, static_cast<std::size_t>(max)));
      if (n > 0) {
        *length = static_cast<SANE_Int>(n);
        return SANE_STATUS_GOOD;
      }
      if (page_->finished()) {
        bool truncated = page_->truncated();
        drain_page();
        if (truncated) return fail(SANE_STATUS_IO_ERROR, "the page ended before its image did (padded with white)");
        end_page(request_->source != InputSource::Platen);
        return SANE_STATUS_EOF;
      }
      input_.resize(input_chunk);
      std::size_t got = scanner_->read_page(input_);
      if (got == 0) {
        page_->end_of_input();
      } else {
        page_->push(std::span<const std::uint8_t>(input_.data(), got));
      }
    }
  } catch (const HttpError& e) {
    if (e.kind() == HttpError::Kind::cancelled) {
      finish_cancel();
      return SANE_STATUS_CANCELLED;
    }
    return fail(SANE_STATUS_IO_ERROR, e.what());
  } catch (const ImageError& e) {
    return fail(SANE_STATUS_IO_ERROR, e.what());
  }
}

SANE_Status Session::set_io_mode(bool non_blocking) {
  if (!page_) return SANE_STATUS_INVAL;
  return non_blocking ? SANE_STATUS_UNSUPPORTED : SANE_STATUS_GOOD;
}

SANE_Status Session::get_select_fd(SANE_Int* fd) {
  (void)fd;
  return SANE_STATUS_UNSUPPORTED;
}

}  // namespace hpaio::backend
