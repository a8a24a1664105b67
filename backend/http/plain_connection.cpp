// HttpConnection over plain TCP, and make_connection(), which asks libhpaio-tls.so for TLS ones.
#include "backend/http/asio_connection.hpp"
#include "base/module_loader.hpp"

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

// The TLS module, looked for once per process (thread-safe; immutable once found or not found).
struct TlsModule {
  TlsConnectionEntry* entry = nullptr;
  std::string error;
};
const TlsModule& tls_module_entry() {
  static const TlsModule found = [] {
    TlsModule m;
    m.entry = module_function<TlsConnectionEntry>(tls_module, tls_connection_symbol, m.error);
    return m;
  }();
  return found;
}

}  // namespace

std::unique_ptr<HttpConnection> make_connection(const Endpoint& endpoint, const CancelSignal* cancel) {
  if (!endpoint.tls) return std::make_unique<connection::AsioConnection<PlainTransport>>(endpoint, cancel);
  const TlsModule& tls = tls_module_entry();
  if (tls.entry == nullptr) {
    throw HttpError(HttpError::Kind::connect, "HTTPS to " + host_header_value(endpoint) + " needs " + tls_module +
                                                  ", which cannot be loaded: " + tls.error);
  }
  return std::unique_ptr<HttpConnection>(tls.entry(endpoint, cancel));
}

}  // namespace hpaio::backend
