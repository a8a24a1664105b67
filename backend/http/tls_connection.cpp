// libhpaio-tls.so: HttpConnection over TLS (OpenSSL through Boost.Asio). Device certificates are
// self-signed and HP's TLS is old, so neither the certificate nor the protocol level is checked,
// as every eSCL client does.
#include <boost/asio/ssl.hpp>

#include "backend/http/asio_connection.hpp"

namespace hpaio::backend {
namespace {

namespace ssl = boost::asio::ssl;

struct TlsTransport {
  static constexpr const char* handshake = "TLS handshake with";
  std::optional<ssl::context> context;
  std::optional<ssl::stream<connection::tcp::socket>> stream;

  bool connected() const { return stream.has_value(); }
  connection::tcp::socket& lowest() { return stream->next_layer(); }
  void reset() { stream.reset(); }
  template <typename Run>
  connection::error_code start(connection::tcp::socket connected, const Endpoint& endpoint, Run&& run) {
    if (!context) {
      context.emplace(ssl::context::tls_client);
      context->set_verify_mode(ssl::verify_none);
      SSL_CTX_set_security_level(context->native_handle(), 0);
    }
    stream.emplace(std::move(connected), *context);
    if (!is_ipv6_literal(endpoint.host)) SSL_set_tlsext_host_name(stream->native_handle(), endpoint.host.c_str());
    return run([this](auto done) { stream->async_handshake(ssl::stream_base::client, done); });
  }
  template <typename F>
  auto with_stream(F&& f) {
    return f(*stream);
  }
};

}  // namespace
}  // namespace hpaio::backend

extern "C" __attribute__((visibility("default"))) hpaio::backend::HttpConnection* hpaio_tls_connection_v1(
    const hpaio::backend::Endpoint& endpoint, const hpaio::CancelSignal* cancel) {
  return new hpaio::backend::connection::AsioConnection<hpaio::backend::TlsTransport>(endpoint, cancel);
}

static_assert(std::is_same_v<decltype(hpaio_tls_connection_v1), hpaio::backend::TlsConnectionEntry>);
