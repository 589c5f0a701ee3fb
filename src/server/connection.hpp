#pragma once
// Private to src/server/: the response head and the pieces of a connection that the session
// code, the watchdog and the response writer share.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vivace/config.hpp"  // VIVACE_WITH_TLS

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#if VIVACE_WITH_TLS
#include <boost/beast/ssl/ssl_stream.hpp>
#endif

#include "vivace/http/request.hpp"
#include "vivace/http/response.hpp"

namespace vivace::server_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

/// Whether a response with `status` has no body (1xx, 204, 304).
inline bool body_forbidden(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

/// Appends the head of `res` to `out`: `Content-Length: length` when known and allowed,
/// `Transfer-Encoding: chunked` when `chunked`, the `Connection` field `keep_alive` asks
/// for. Header fields a handler set with a CR, LF or NUL, or a name that is no token, are
/// dropped and logged (they would split the response); `Connection: close` from a handler
/// clears `keep_alive`; an invalid status becomes a 500.
void format_head(std::string& out, Response& res, unsigned version, bool& keep_alive,
                 std::optional<std::uint64_t> length, bool chunked = false);

// A Beast body that hands the bytes to a BodySink as they are parsed (de-chunked).
struct sink_body {
  using value_type = BodySink*;

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& sink) : sink_(sink) {}
    void init(const boost::optional<std::uint64_t>&, beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      std::size_t n = 0;
      for (auto b : beast::buffers_range_ref(buffers)) {
        sink_->write(std::string_view(static_cast<const char*>(b.data()), b.size()));
        n += b.size();
      }
      ec = {};
      return n;
    }
    void finish(beast::error_code& ec) { ec = {}; }

   private:
    value_type& sink_;
  };
};

/// What a connection is doing, for its watchdog: each phase has its own timeout.
enum class phase : unsigned char {
  none,     // nothing the watchdog times (TLS handshake, error paths: their own timers)
  idle,     // waiting for the next request on a kept-alive connection: close on timeout
  header,   // reading a request's header block: 408 on timeout
  body,     // reading its body: 408 on timeout
  handler,  // the application is producing the response: 503 on timeout
  write,    // writing the response: close on timeout
};

/// One connection's streams and state, shared by its session coroutine, its deadline
/// watchdog and the server's registry (for graceful stop). Touched only on its strand.
struct connection {
  beast::tcp_stream plain;
#if VIVACE_WITH_TLS
  std::optional<beast::ssl_stream<beast::tcp_stream&>> tls;
#endif
  asio::steady_timer watchdog;
  std::uint64_t id = 0;
  std::string remote;
  bool closed = false;          // the session has ended
  bool timed_out = false;       // the watchdog answered 503 for the current request
  bool read_timed_out = false;  // the watchdog cancelled a read past its deadline (408)
  phase now = phase::none;      // what the session is doing
  std::chrono::steady_clock::time_point deadline{};  // when `now` times out
  // Method, target and version of the request in the handler (for the watchdog's 503).
  const Request* current = nullptr;
  std::string head;  // the response head being written, its buffer kept from one to the next

  explicit connection(tcp::socket s) : plain(std::move(s)), watchdog(plain.get_executor()) {}
};

/// The size of the header fields as `limits.header_bytes` counts them: name, value, `: `, CRLF.
inline std::size_t header_field_bytes(const http::request_parser<http::string_body>& p) {
  std::size_t n = 0;
  for (const auto& f : p.get())
    n += f.name_string().size() + f.value().size() + 4;
  return n;
}

/// Why a parsed header block cannot be served, as RFC 9112 requires and Beast 1.81 does not
/// check: 400 for two `Host` fields (§3.2), for `Transfer-Encoding` in HTTP/1.0 (§6.1) or
/// whose last coding is not one `chunked` (§6.3: the body's length is unknown; Beast would
/// read it as no body, and the body as the next request), 501 for a coding before `chunked`
/// (§6.1: one the server does not implement). 0 when the block is fine. Defined in
/// `framing.cpp`.
int framing_status(const http::request_header<>& h);

/// While a chunked body's framing (a chunk-size line, the CRLF after data, the trailer) waits
/// for more bytes: whether what has arrived already breaks it — a bare LF, which Beast 1.81
/// waits past for a CRLF that a client will never send (the request then hangs until the
/// client's timeout), or more unconsumed framing than any request needs.
bool broken_framing(std::string_view pending) noexcept;

/// Feeds `parser` what `buffer` holds, reading more until `done(parser)`. Beast's
/// `async_read_header` and `async_read` loop the same way, but complete through the executor
/// even when the whole message is already buffered, which is the common case.
template <class Stream, class Parser, class Done>
asio::awaitable<beast::error_code> parse(Stream& stream, connection& conn,
                                         beast::flat_buffer& buffer, Parser& parser, Done done) {
  for (;;) {
    if (buffer.size() > 0) {
      beast::error_code ec;
      const std::size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (!ec && done(parser))
        co_return ec;
      if (ec && ec != http::error::need_more)
        co_return ec;
      if (ec && used == 0 && parser.is_header_done() && parser.chunked() &&
          broken_framing({static_cast<const char*>(buffer.data().data()), buffer.size()}))
        co_return http::error::bad_chunk;
      if (!ec && used > 0)
        continue;
    }
    const std::size_t size = beast::read_size(buffer, 65536);
    auto [ec, n] =
        co_await stream.async_read_some(buffer.prepare(size), asio::as_tuple(asio::use_awaitable));
    if (conn.read_timed_out)
      co_return beast::error::timeout;
    if (ec == asio::error::eof) {
      if (!parser.got_some())
        co_return http::error::end_of_stream;
      beast::error_code eof;
      parser.put_eof(eof);
      co_return eof ? eof : beast::error_code(http::error::partial_message);
    }
    if (ec)
      co_return ec;
    buffer.commit(n);
  }
}

}  // namespace vivace::server_detail
