#include "backend/driver/wsd_scanner.hpp"

#include "backend/wsd/soap_envelope.hpp"
#include "backend/wsd/wsd_job.hpp"
#include "base/debug_log.hpp"

namespace hpaio::backend {
namespace {

constexpr std::size_t kBodyPiece = 64 * 1024;
constexpr int kMaxTrailingPieces = 64;  // what may follow the image part (its closing boundary)

// "/scanner" of "http://host:3911/scanner" ("/" when there is no path).
std::string path_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

}  // namespace

WsdScanner::WsdScanner(std::unique_ptr<HttpClient> http, Timeouts timeouts, std::string service)
    : JobScanner("WS-Scan", std::move(http), timeouts) {
  const std::string target = path_of(service);
  debug(log_protocol, "WS-Scan POST " + target + " GetScannerElements");
  HttpRequest post;
  post.method = "POST";
  post.target = target;
  post.body = wsd::get_scanner_elements({service, wsd::new_message_id()}, wsd::Elements::configuration_and_status);
  post.headers.push_back({"Content-Type", std::string(wsd::soap_content_type)});
  HttpResponse r = this->http().request(post, deadline_in(timeouts.request));
  // A SOAP fault comes with 400 or 500; anything else that is not 200 is not a WS-Scan service.
  if (r.status != 200) throw WrongProtocol("WS-Scan GetScannerElements: HTTP " + std::to_string(r.status));
  caps_ = wsd::decode_capabilities(r.body);
  set_job(std::make_unique<WsdJob>(caps_, std::move(service), timeouts.page));
}

std::optional<PageSource> WsdScanner::next_page() {
  image_.reset();
  std::optional<PageSource> page = JobScanner::next_page();
  if (page && !page->multipart_type.empty()) image_.emplace(page->multipart_type);
  return page;
}

std::size_t WsdScanner::read_page(std::span<std::uint8_t> out) {
  if (!image_) return JobScanner::read_page(out);
  for (;;) {
    if (const std::size_t n = image_->read_image(out); n > 0 || out.empty()) return n;
    if (image_->image_done()) {
      // The closing boundary and whatever follows: read away, so the connection stays usable.
      body_.resize(kBodyPiece);
      for (int i = 0; i < kMaxTrailingPieces && JobScanner::read_page(body_) > 0; ++i) {
      }
      image_.reset();
      return 0;
    }
    body_.resize(kBodyPiece);
    const std::size_t got = JobScanner::read_page(body_);
    if (got == 0) {
      image_->end_of_input();
    } else {
      image_->push(std::span<const std::uint8_t>(body_.data(), got));
    }
  }
}

}  // namespace hpaio::backend
