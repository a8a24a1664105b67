// A scripted HTTP peer on 127.0.0.1 for transport tests: each accepted connection is handed to
// the test's script, in a thread of its own, one connection at a time.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <istream>
#include <string>
#include <thread>

namespace hpaio::test {

class LoopbackServer {
 public:
  using tcp = boost::asio::ip::tcp;
  // script(socket, connection number from 0); returning closes the connection.
  using Script = std::function<void(tcp::socket&, int)>;

  explicit LoopbackServer(Script script)
      : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)), script_(std::move(script)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    stopping_ = true;
    // A blocking accept() is not woken by close(): wake it with a connection of our own.
    boost::system::error_code ignored;
    tcp::socket wake(io_);
    wake.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
    acceptor_.close(ignored);
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_.load(); }

  // Reads one request (header and a Content-Length body); returns it as text, "" at EOF.
  static std::string read_request(tcp::socket& s, boost::asio::streambuf& buf) {
    boost::system::error_code ec;
    boost::asio::read_until(s, buf, "\r\n\r\n", ec);
    if (ec) return {};
    std::string all(boost::asio::buffers_begin(buf.data()), boost::asio::buffers_end(buf.data()));
    std::size_t end = all.find("\r\n\r\n") + 4;
    std::string head = all.substr(0, end);
    std::size_t length = 0;
    if (std::size_t p = head.find("Content-Length: "); p != std::string::npos) length = std::stoul(head.substr(p + 16));
    buf.consume(end);
    while (buf.size() < length) {
      std::size_t n = boost::asio::read(s, buf.prepare(length - buf.size()), ec);
      buf.commit(n);
      if (ec) break;
    }
    std::string body(boost::asio::buffers_begin(buf.data()),
                     boost::asio::buffers_begin(buf.data()) + static_cast<long>(std::min(length, buf.size())));
    buf.consume(body.size());
    return head + body;
  }

  static void write(tcp::socket& s, const std::string& bytes) {
    boost::system::error_code ec;
    boost::asio::write(s, boost::asio::buffer(bytes), ec);
  }

 private:
  void serve() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      script_(socket, connections_++);
    }
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  Script script_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace hpaio::test
