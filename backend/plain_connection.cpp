// HttpConnection over plain TCP, and make_connection(), which asks libhpaio-tls.so for TLS ones.
#include "backend/asio_connection.hpp"
#include "backend/module_loader.hpp"

namespace hpaio::backend {
namespace {

struct PlainTransport {
  static constexpr const char* handshake = "connecting to";
  std::optional<connection::tcp::socket> socket;

  bool connected() const { return socket.has_value(); }
  connection::tcp::socket& lowest() { return *socket; }
  void reset() { socket.reset(); }
  template <typename Run>
  connection::error_code start(connection::tcp::socket connected, const Endpoint&, Run&&) {
    socket.emplace(std::move(connected));
    return {};
  }
  template <typename F>
  auto with_stream(F&& f) {
    return f(*socket);
  }
};

}  // namespace

std::unique_ptr<HttpConnection> make_connection(const Endpoint& endpoint, const CancelSignal* cancel) {
  if (!endpoint.tls) return std::make_unique<connection::AsioConnection<PlainTransport>>(endpoint, cancel);
  std::string error;
  auto* entry = module_function<TlsConnectionEntry>(tls_module, tls_connection_symbol, error);
  if (entry == nullptr) {
    throw HttpError(HttpError::Kind::connect, "HTTPS to " + host_header_value(endpoint) + " needs " + tls_module +
                                                  ", which cannot be loaded: " + error);
  }
  return std::unique_ptr<HttpConnection>(entry(endpoint, cancel));
}

}  // namespace hpaio::backend
