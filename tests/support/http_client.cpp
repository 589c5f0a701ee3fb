#include "http_client.hpp"

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace vt {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct connection::impl {
  asio::io_context ioc;
  asio::ssl::context tls_ctx{asio::ssl::context::tls_client};
  tcp::socket sock{ioc};
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls;
  beast::flat_buffer buffer;

  // Runs one asynchronous operation to completion on this thread. A timeout cancels the
  // operation but keeps the socket open (unlike beast::tcp_stream, which closes it), so that
  // a test can wait for the server's behaviour repeatedly.
  template <class Start>
  boost::system::error_code run(Start&& start, std::chrono::milliseconds timeout) {
    boost::system::error_code result = asio::error::would_block;
    bool timed_out = false;
    asio::steady_timer timer(ioc, timeout);
    timer.async_wait([&](boost::system::error_code ec) {
      if (ec)
        return;
      timed_out = true;
      boost::system::error_code ignore;
      sock.cancel(ignore);
    });
    start([&](boost::system::error_code ec, std::size_t = 0) {
      result = ec;
      timer.cancel();
    });
    ioc.restart();
    ioc.run();
    if (timed_out)
      return beast::error::timeout;
    return result;
  }

  template <class F>
  auto with_stream(F&& f) {
    if (tls)
      return f(*tls);
    return f(sock);
  }

  // Reads whatever arrives next into `buffer`.
  boost::system::error_code read_some(std::chrono::milliseconds timeout) {
    return with_stream([&](auto& stream) {
      return run(
          [&](auto h) {
            stream.async_read_some(buffer.prepare(4096), [this, h](auto e, std::size_t got) {
              buffer.commit(got);
              h(e, got);
            });
          },
          timeout);
    });
  }
};

connection::connection(std::uint16_t port, bool use_tls) : impl_(std::make_unique<impl>()) {
  auto& s = *impl_;
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  auto ec = s.run([&](auto h) { s.sock.async_connect(ep, h); }, std::chrono::seconds(5));
  if (ec)
    throw std::runtime_error("connect: " + ec.message());
  if (use_tls) {
    s.tls_ctx.set_verify_mode(asio::ssl::verify_none);
    s.tls = std::make_unique<asio::ssl::stream<tcp::socket&>>(s.sock, s.tls_ctx);
    ec = s.run([&](auto h) { s.tls->async_handshake(asio::ssl::stream_base::client, h); },
               std::chrono::seconds(5));
    if (ec)
      throw std::runtime_error("TLS handshake: " + ec.message());
  }
}

connection::~connection() = default;

void connection::send(std::string_view bytes) {
  auto& s = *impl_;
  auto ec = s.with_stream([&](auto& stream) {
    return s.run(
        [&](auto h) { asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()), h); },
        std::chrono::seconds(5));
  });
  if (ec)
    throw std::runtime_error("send: " + ec.message());
}

reply connection::read(bool head, std::chrono::milliseconds timeout) {
  auto& s = *impl_;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(head);
  auto ec = s.with_stream([&](auto& stream) {
    return s.run([&](auto h) { http::async_read(stream, s.buffer, parser, h); }, timeout);
  });
  if (ec)
    throw std::runtime_error("read: " + ec.message());
  reply r;
  auto& msg = parser.get();
  r.status = static_cast<int>(msg.result_int());
  for (const auto& f : msg)
    r.headers.add(std::string(f.name_string()), std::string(f.value()));
  r.body = std::move(msg.body());
  r.keep_alive = msg.keep_alive();
  r.version = msg.version();
  return r;
}

std::string connection::read_raw(std::size_t n, std::chrono::milliseconds timeout) {
  auto& s = *impl_;
  while (s.buffer.size() < n) {
    auto ec = s.read_some(timeout);
    if (ec)
      break;
  }
  std::string out(static_cast<const char*>(s.buffer.data().data()), std::min(n, s.buffer.size()));
  s.buffer.consume(out.size());
  return out;
}

bool connection::closed_within(std::chrono::milliseconds timeout) {
  auto& s = *impl_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return false;
    auto ec = s.read_some(left);
    if (ec == beast::error::timeout)
      return false;
    if (ec)
      return true;                      // eof, reset, TLS truncation: the server closed
    s.buffer.consume(s.buffer.size());  // ignore any bytes (a 408 before the close)
  }
}

reply request(std::uint16_t port, std::string_view method, std::string_view target,
              std::string_view extra_headers, std::string_view body, bool tls) {
  connection c(port, tls);
  std::string raw;
  raw += method;
  raw += ' ';
  raw += target;
  raw += " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  raw += extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT")
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  raw += "\r\n";
  raw += body;
  c.send(raw);
  return c.read(method == "HEAD");
}

}  // namespace vt
