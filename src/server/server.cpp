// The HTTP/1.1 server: one coroutine per connection over a plain or TLS stream, in the shape of
// Beast's server-flex-awaitable example, plus the limits, timeouts and graceful stop that a
// production server needs. Knows nothing of routes: it calls `ServerHooks::handle`.

#include "vivace/server/server.hpp"

#include "vivace/config.hpp"  // VIVACE_WITH_* (before the optional includes)

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#if VIVACE_WITH_TLS
#include <boost/asio/ssl/context.hpp>
#endif
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#if VIVACE_WITH_TLS
#include <boost/beast/ssl/ssl_stream.hpp>
#endif

#include "../detail/pool_context.hpp"
#include "connection.hpp"
#include "vivace/core/errors.hpp"
#include "vivace/core/log.hpp"

namespace vivace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
#if VIVACE_WITH_TLS
namespace ssl = asio::ssl;
#endif
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

}  // namespace

using server_detail::body_forbidden;
using server_detail::connection;
using server_detail::format_head;
using server_detail::header_field_bytes;
using server_detail::parse;
using server_detail::phase;
using server_detail::sink_body;

struct Server::impl {
  ServerConfig cfg;
  ServerHooks hooks;
  asio::io_context ioc;
  std::unique_ptr<detail::bounded_pool> workers, cpu;
  std::unique_ptr<detail::pool_context> context;  // shared by every request; outlives late handlers
#if VIVACE_WITH_TLS
  std::optional<ssl::context> tls;
#endif
  tcp::acceptor acceptor{ioc};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  unsigned io_threads = 1;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint16_t> bound_port{0};

  std::mutex conn_mu;
  std::condition_variable conn_cv;
  std::unordered_map<std::uint64_t, std::shared_ptr<connection>> conns;
  std::uint64_t next_id = 0;

  std::mutex state_mu;
  std::condition_variable state_cv;
  bool started = false, stop_requested = false, stopped = false;

  impl(ServerConfig c, ServerHooks h) : cfg(std::move(c)), hooks(std::move(h)) {}

  // ---- setup --------------------------------------------------------------------------------

  void setup_tls() {
    if (!cfg.tls.enabled())
      return;
#if !VIVACE_WITH_TLS
    throw std::invalid_argument(
        "vivace: this build has no TLS support (configure Vivace with -DVIVACE_TLS=ON)");
#else
    tls.emplace(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use);
    boost::system::error_code ec;
    tls->use_certificate_chain_file(cfg.tls.certificate_chain_file, ec);
    if (ec)
      throw std::system_error(ec, "vivace: cannot load the TLS certificate chain '" +
                                      cfg.tls.certificate_chain_file + "'");
    tls->use_private_key_file(cfg.tls.private_key_file, ssl::context::pem, ec);
    if (ec)
      throw std::system_error(
          ec, "vivace: cannot load the TLS private key '" + cfg.tls.private_key_file + "'");
#endif
  }

  tcp::endpoint resolve_endpoint() {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(cfg.host, ec);
    if (!ec)
      return {addr, cfg.port};
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(cfg.host, std::to_string(cfg.port), ec);
    if (ec || results.empty())
      throw std::system_error(
          ec ? std::error_code(ec) : std::make_error_code(std::errc::invalid_argument),
          "vivace: cannot resolve host '" + cfg.host + "'");
    return results.begin()->endpoint();
  }

  void listen() {
    auto ep = resolve_endpoint();
    boost::system::error_code ec;
    auto fail = [&](const char* what) {
      throw std::system_error(ec, std::string("vivace: cannot ") + what + " " + cfg.host + ":" +
                                      std::to_string(cfg.port));
    };
    acceptor.open(ep.protocol(), ec);
    if (ec)
      fail("open a socket for");
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec)
      fail("configure");
    acceptor.bind(ep, ec);
    if (ec)
      fail("bind to");
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      fail("listen on");
    bound_port = acceptor.local_endpoint().port();
  }

  // ---- accept loop --------------------------------------------------------------------------

  asio::awaitable<void> accept_loop() {
    for (;;) {
      // With one I/O thread its handlers run one after the other anyway: a strand per
      // connection would only add a lock and a queue to every completion.
      auto ex = io_threads == 1 ? asio::any_io_executor(ioc.get_executor())
                                : asio::any_io_executor(asio::make_strand(ioc));
      auto [ec, sock] = co_await acceptor.async_accept(ex, use_nothrow);
      if (stopping)
        co_return;
      if (ec) {
        if (ec == asio::error::operation_aborted)
          co_return;
        // EMFILE and friends: back off briefly instead of spinning
        log::warning("accept failed: " + ec.message());
        asio::steady_timer t(ioc, std::chrono::milliseconds(50));
        co_await t.async_wait(use_nothrow);
        continue;
      }
      boost::system::error_code ignore;
      sock.set_option(tcp::no_delay(true), ignore);
      auto conn = std::make_shared<connection>(std::move(sock));
      {
        std::lock_guard lock(conn_mu);
        conn->id = ++next_id;
        conns.emplace(conn->id, conn);
      }
      asio::co_spawn(conn->plain.get_executor(), run_connection(conn), asio::detached);
    }
  }

  void unregister_connection(const std::shared_ptr<connection>& c) {
    c->closed = true;
    c->watchdog.cancel();
    std::lock_guard lock(conn_mu);
    conns.erase(c->id);
    conn_cv.notify_all();
  }

  asio::awaitable<void> run_connection(std::shared_ptr<connection> conn) {
    {
      boost::system::error_code ec;
      auto ep = conn->plain.socket().remote_endpoint(ec);
      if (!ec)
        conn->remote = ep.address().to_string() + ":" + std::to_string(ep.port());
    }
    try {
      if (!stopping) {
        arm_watchdog(conn);
#if VIVACE_WITH_TLS
        if (tls) {
          auto& stream = conn->tls.emplace(conn->plain, *tls);
          conn->plain.expires_after(cfg.timeouts.header);
          auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, use_nothrow);
          if (!ec) {
            conn->plain.expires_never();  // from here on the watchdog times the connection
            co_await session(stream, *conn);
            conn->now = phase::none;
            if (!conn->timed_out) {  // after a 503 the watchdog owns the stream
              conn->plain.expires_after(std::chrono::seconds(2));
              co_await stream.async_shutdown(use_nothrow);
            }
          }
        } else
#endif
        {
          co_await session(conn->plain, *conn);
          conn->now = phase::none;
          if (!conn->timed_out) {
            boost::system::error_code ignore;
            conn->plain.socket().shutdown(tcp::socket::shutdown_send, ignore);
          }
        }
      }
    } catch (const std::exception& e) {
      log::error(std::string{"connection error: "} + e.what());
    }
    unregister_connection(conn);
  }

  // ---- deadlines ----------------------------------------------------------------------------
  //
  // One timer per connection, not one per socket operation: the session only stores what it is
  // doing and until when (`enter`), and the watchdog sleeps until that deadline, or at most the
  // shortest configured timeout. Every deadline lies at least that shortest timeout ahead of
  // the moment it is set, so the watchdog never oversleeps one, and a busy connection costs a
  // clock read per phase instead of arming and cancelling a timer for every read and write.

  /// The shortest timeout the session sets (the watchdog's longest sleep).
  std::chrono::steady_clock::duration shortest_timeout() const {
    auto d = std::min({cfg.timeouts.header, cfg.timeouts.keep_alive, cfg.timeouts.request});
    return std::max<std::chrono::steady_clock::duration>(d, std::chrono::milliseconds(1));
  }

  /// The session starts `p`, which times out `timeout` from now. Returns now.
  static std::chrono::steady_clock::time_point enter(connection& conn, phase p,
                                                     std::chrono::steady_clock::duration timeout) {
    const auto now = std::chrono::steady_clock::now();
    conn.now = p;
    conn.deadline = now + timeout;
    return now;
  }

  void arm_watchdog(const std::shared_ptr<connection>& conn) {
    auto at = std::chrono::steady_clock::now() + shortest_timeout();
    if (conn->now != phase::none && conn->deadline < at)
      at = conn->deadline;
    conn->watchdog.expires_at(at);
    conn->watchdog.async_wait([this, conn](boost::system::error_code ec) {
      if (ec || conn->closed)
        return;
      if (conn->now != phase::none && std::chrono::steady_clock::now() >= conn->deadline &&
          !on_deadline(conn))
        return;
      arm_watchdog(conn);
    });
  }

  /// The current phase is past its deadline. Returns whether to keep watching.
  bool on_deadline(const std::shared_ptr<connection>& conn) {
    boost::system::error_code ignore;
    switch (std::exchange(conn->now, phase::none)) {
      case phase::handler:
        fire_deadline(conn);
        return false;
      case phase::header:
      case phase::body:
        // The read in progress ends with operation_aborted; the session answers 408.
        conn->read_timed_out = true;
        conn->plain.socket().cancel(ignore);
        return true;
      case phase::idle:
      case phase::write:
      case phase::none:
        conn->plain.socket().close(ignore);
        return false;
    }
    return false;
  }

  /// The handler is past its deadline: answer 503 now and close; the session drops the late
  /// result. The session is suspended in the handler, so the stream is ours.
  void fire_deadline(const std::shared_ptr<connection>& conn) {
    conn->timed_out = true;
    Request head;
    if (conn->current) {
      head.method = conn->current->method;
      head.target = conn->current->target;
      head.version = conn->current->version;
      head.headers = conn->current->headers;
    }
    log::warning("request deadline exceeded: " + head.method + " " + head.target);
    asio::co_spawn(
        conn->plain.get_executor(),
        [this, conn, head = std::move(head)]() mutable -> asio::awaitable<void> {
#if VIVACE_WITH_TLS
          if (conn->tls)
            co_await reject(*conn->tls, conn->plain, head, 503);
          else
#endif
            co_await reject(conn->plain, conn->plain, head, 503);
          boost::system::error_code ignore;
          conn->plain.socket().close(ignore);
        },
        asio::detached);
  }

  // ---- one connection -------------------------------------------------------------------------

  /// Writes a response. The head is formatted into one string and sent with the body in a
  /// single gathered write: cheaper than Beast's generic serializer, and every header field
  /// is checked on the way (a CR, LF or NUL from a handler would split the response).
  /// Returns whether the connection stays open (the handler may have asked to close it).
  /// With `conn`, its watchdog times the write; without, the stream's own timer does (the
  /// error paths, which end the connection).
  template <class Stream>
  asio::awaitable<bool> write_response(Stream& stream, beast::tcp_stream& lowest, Response res,
                                       unsigned version, bool keep_alive, bool head_request,
                                       Request* req = nullptr, connection* conn = nullptr) {
    if (res.stream && req)
      co_return co_await write_streamed(stream, lowest, std::move(res), version, keep_alive,
                                        head_request, *req, conn);
    res.stream.reset();
    std::string local;
    std::string& head = conn ? conn->head : local;
    head.clear();
    format_head(head, res, version, keep_alive, res.body.size());
    const bool send_body = !head_request && !body_forbidden(res.status) && !res.body.empty();
    std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head), send_body ? asio::buffer(res.body) : asio::const_buffer{}};
    write_deadline(lowest, conn);
    auto [ec, n] = co_await asio::async_write(stream, buffers, use_nothrow);
    co_return keep_alive && !ec;
  }

  /// A streamed body: `Content-Length` when the stream knows its size, otherwise chunked
  /// (HTTP/1.1) or ended by closing the connection (HTTP/1.0). An error while streaming
  /// can no longer change the status: it is logged and the connection is closed, so the
  /// client sees a truncated body rather than a complete wrong one.
  template <class Stream>
  asio::awaitable<bool> write_streamed(Stream& stream, beast::tcp_stream& lowest, Response res,
                                       unsigned version, bool keep_alive, bool head_request,
                                       Request& req, connection* conn) {
    auto body = std::move(res.stream);
    const auto size = body->size();
    const bool forbidden = body_forbidden(res.status);
    const bool chunked = !size && !forbidden && version >= 11;
    if (!size && !forbidden && version < 11)
      keep_alive = false;
    std::string head;
    format_head(head, res, version, keep_alive, size, chunked);
    write_deadline(lowest, conn);
    if (auto [ec, n] = co_await asio::async_write(stream, asio::buffer(head), use_nothrow); ec)
      co_return false;
    if (head_request || forbidden)
      co_return keep_alive;
    std::uint64_t sent = 0;
    for (;;) {
      std::optional<std::string> piece;
      std::exception_ptr ep;
      if (conn)
        conn->now = phase::none;  // the body's producer takes what time it needs
      try {
        piece = co_await body->next(req);
      } catch (...) {
        ep = std::current_exception();
      }
      if (ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          log::error(std::string{"streamed body failed: "} + e.what());
        } catch (...) {
          log::error("streamed body failed with a non-standard exception");
        }
        co_return false;
      }
      if (!piece)
        break;
      if (piece->empty())
        continue;
      sent += piece->size();
      if (size && sent > *size) {
        log::error("streamed body longer than its declared size");
        co_return false;
      }
      write_deadline(lowest, conn);
      if (chunked) {
        char prefix[24];
        int len = std::snprintf(prefix, sizeof prefix, "%zx\r\n", piece->size());
        std::array<asio::const_buffer, 3> bufs{asio::buffer(prefix, static_cast<std::size_t>(len)),
                                               asio::buffer(*piece), asio::buffer("\r\n", 2)};
        if (auto [ec, n] = co_await asio::async_write(stream, bufs, use_nothrow); ec)
          co_return false;
      } else if (auto [ec, n] =
                     co_await asio::async_write(stream, asio::buffer(*piece), use_nothrow);
                 ec) {
        co_return false;
      }
    }
    if (size && sent != *size) {
      log::error("streamed body shorter than its declared size");
      co_return false;
    }
    if (chunked) {
      write_deadline(lowest, conn);
      if (auto [ec, n] =
              co_await asio::async_write(stream, asio::buffer("0\r\n\r\n", 5), use_nothrow);
          ec)
        co_return false;
    }
    co_return keep_alive;
  }

  /// A write (or a piece of one) times out `timeouts.request` from now.
  void write_deadline(beast::tcp_stream& lowest, connection* conn) {
    if (conn)
      enter(*conn, phase::write, cfg.timeouts.request);
    else
      lowest.expires_after(cfg.timeouts.request);
  }

  /// Renders a server-made error through the application's hook (so middleware adds its
  /// headers), writes it with `Connection: close` and drains what the client still sends.
  template <class Stream>
  asio::awaitable<void> reject(Stream& stream, beast::tcp_stream& lowest, Request& req,
                               int status) {
    Response res;
    bool rendered = false;
    if (hooks.reject) {
      try {
        res = co_await hooks.reject(req, status);
        rendered = true;
      } catch (const std::exception& e) {
        log::error(std::string{"reject hook failed: "} + e.what());
      }
    }
    if (!rendered)
      res = Response::error(status, reason_phrase(status));
    co_await write_response(stream, lowest, std::move(res), req.version == 10 ? 10 : 11, false,
                            false);
    // Lingering close: half-close, then read and discard for a short while so that the client
    // sees the response instead of a reset caused by unread data.
    boost::system::error_code ignore;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ignore);
    lowest.expires_after(std::chrono::seconds(1));
    std::array<char, 8192> sink;
    for (std::size_t total = 0; total < 4 * 1024 * 1024;) {
      auto [ec, n] = co_await lowest.async_read_some(asio::buffer(sink), use_nothrow);
      if (ec)
        break;
      total += n;
    }
  }

  template <class Stream>
  asio::awaitable<void> session(Stream& stream, connection& conn) {
    beast::tcp_stream& lowest = conn.plain;
    beast::flat_buffer buffer;
    bool first = true;
    // A server-made error ends the connection; the stream's own timer times its writing.
    auto fail = [&](Request& req, int status) {
      conn.now = phase::none;
      return reject(stream, lowest, req, status);
    };
    for (;;) {
      // 1. Wait for the first byte of the next request: the idle keep-alive timeout.
      if (buffer.size() == 0) {
        if (stopping)
          co_return;
        if (first)
          enter(conn, phase::header, cfg.timeouts.header);
        else
          enter(conn, phase::idle, cfg.timeouts.keep_alive);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_nothrow);
        if (ec || conn.now == phase::none)
          co_return;  // idle timeout, close by peer, or shutdown
        buffer.commit(n);
      }
      first = false;

      // 2. The header block, bounded in time (slowloris) and size.
      Request req;
      req.remote_address = conn.remote;
      req.tls = !std::is_same_v<Stream, beast::tcp_stream>;
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(
          std::min<std::size_t>(cfg.limits.header_bytes + cfg.limits.url_bytes + 64, UINT32_MAX)));
      parser.body_limit(boost::none);
      enter(conn, phase::header, cfg.timeouts.header);
      if (auto ec = co_await parse(stream, conn, buffer, parser,
                                   [](const auto& p) { return p.is_header_done(); })) {
        if (ec == beast::error::timeout) {
          co_await fail(req, 408);
        } else if (ec == http::error::header_limit) {
          auto data =
              std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size());
          auto eol = data.find("\r\n");
          bool long_line = eol == std::string_view::npos || eol > cfg.limits.url_bytes + 32;
          co_await fail(req, long_line ? 414 : 431);
        } else if (ec != http::error::end_of_stream && ec != asio::error::eof &&
                   ec != asio::error::operation_aborted && ec != asio::error::connection_reset) {
          co_await fail(req, 400);
        }
        co_return;
      }
      auto& msg = parser.get();
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      req.version = msg.version();
      // Room for the fields and a couple more that middleware sets (the request id), in one
      // allocation.
      req.headers.reserve(static_cast<std::size_t>(std::distance(msg.begin(), msg.end())) + 2);
      for (const auto& f : msg)
        req.headers.add(std::string(f.name_string()), std::string(f.value()));
      if (req.target.size() > cfg.limits.url_bytes) {
        co_await fail(req, 414);
        co_return;
      }
      if (const int status = server_detail::framing_status(msg)) {
        co_await fail(req, status);  // and close: the body's end is unknown
        co_return;
      }
      if (header_field_bytes(parser) > cfg.limits.header_bytes) {
        co_await fail(req, 431);
        co_return;
      }
      req.received = enter(conn, phase::body, cfg.timeouts.request);
      const auto request_deadline = conn.deadline;
      bool keep_alive = parser.keep_alive();
      const bool head_request = msg.method() == http::verb::head;
      const unsigned version = msg.version();

      // 3. The route decides the body's limit and where it goes; then the body.
      const bool has_body = parser.chunked() || parser.content_length().value_or(0) > 0;
      BodyPlan plan = hooks.begin ? hooks.begin(req, has_body) : BodyPlan{cfg.limits.body_bytes};
      if (has_body) {
        const std::size_t limit = plan.limit;
        if (auto len = parser.content_length(); len && *len > limit) {
          co_await fail(req, 413);
          co_return;
        }
        parser.body_limit(limit);
        if (msg.version() >= 11 && beast::iequals(msg[http::field::expect], "100-continue")) {
          static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
          auto [ec, n] = co_await asio::async_write(stream, asio::buffer(cont.data(), cont.size()),
                                                    use_nothrow);
          if (ec)
            co_return;
        }
        std::unique_ptr<BodySink> sink = std::move(plan.sink);
        beast::error_code ec;
        auto complete = [](const auto& p) { return p.is_done(); };
        if (sink) {
          // Streamed to the sink (multipart uploads), never held whole in memory.
          http::request_parser<sink_body> streamed(std::move(parser));
          streamed.body_limit(limit);
          streamed.get().body() = sink.get();
          ec = co_await parse(stream, conn, buffer, streamed, complete);
          keep_alive = streamed.keep_alive();
          if (!ec)
            sink->finish();
        } else {
          ec = co_await parse(stream, conn, buffer, parser, complete);
          if (!ec)
            req.body = std::move(parser.get().body());
        }
        if (ec) {
          if (ec == http::error::body_limit)
            co_await fail(req, 413);
          else if (ec == beast::error::timeout)
            co_await fail(req, 408);
          else if (ec != http::error::end_of_stream && ec != asio::error::eof &&
                   ec != asio::error::connection_reset && ec != asio::error::operation_aborted)
            co_await fail(req, 400);
          co_return;
        }
      }

      // 4. The handler, watched by the connection's deadline timer.
      req.scope().set_executors(context.get());
      conn.current = &req;
      conn.now = phase::handler;
      conn.deadline = request_deadline;
      Response res;
      try {
        res = co_await hooks.handle(req);
      } catch (const std::exception& e) {
        log::error(std::string{"unhandled exception: "} + e.what());
        res = Response::error(500, "Internal Server Error");
      }
      conn.current = nullptr;
      if (conn.timed_out) {
        co_await finish_request(req);
        co_return;  // the watchdog has answered 503 and owns the stream
      }
      conn.now = phase::none;

      const bool again = keep_alive && !stopping;
      const bool open = co_await write_response(stream, lowest, std::move(res), version, again,
                                                head_request, &req, &conn);
      conn.now = phase::none;
      // Background tasks and dependency exits, after the response is on the wire.
      if (req.scope().has_finish_work())
        co_await finish_request(req);
      if (!open)
        co_return;
    }
  }

  // ---- stop -----------------------------------------------------------------------------------

  void close_connections(bool only_idle) {
    std::vector<std::shared_ptr<connection>> snapshot;
    {
      std::lock_guard lock(conn_mu);
      for (auto& [id, c] : conns)
        snapshot.push_back(c);
    }
    for (auto& c : snapshot) {
      asio::post(c->plain.get_executor(), [c, only_idle] {
        if (c->closed)
          return;
        if (only_idle && c->now != phase::idle)
          return;
        c->plain.cancel();
        boost::system::error_code ignore;
        c->plain.socket().close(ignore);
      });
    }
  }
};

Server::Server(ServerConfig config, ServerHooks hooks)
    : impl_(std::make_unique<impl>(std::move(config), std::move(hooks))) {
  if (!impl_->hooks.handle)
    throw std::invalid_argument("vivace::Server: hooks.handle is empty");
}

Server::~Server() {
  if (impl_)
    stop();
}
Server::Server(Server&&) noexcept = default;
Server& Server::operator=(Server&&) noexcept = default;

void Server::start() {
  auto& s = *impl_;
  {
    std::lock_guard lock(s.state_mu);
    if (s.started)
      return;
    s.started = true;
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned io_threads = s.io_threads = s.cfg.threads ? s.cfg.threads : cores;
  const unsigned workers = s.cfg.workers ? s.cfg.workers : std::max(4u, 2 * cores);
  const unsigned cpu = s.cfg.cpu_workers ? s.cfg.cpu_workers : std::max(1u, cores - 1);
  s.workers = std::make_unique<detail::bounded_pool>(detail::bounded_pool_options{
      .threads = workers, .queue_limit = s.cfg.queue_limit, .max_wait = s.cfg.max_queue_wait});
  s.cpu = std::make_unique<detail::bounded_pool>(
      detail::bounded_pool_options{.threads = cpu,
                                   .queue_limit = s.cfg.queue_limit,
                                   .max_wait = s.cfg.max_queue_wait,
                                   .nice = 10});
  s.context = std::make_unique<detail::pool_context>(*s.workers, *s.cpu);
  s.setup_tls();
  s.listen();
  s.work.emplace(s.ioc.get_executor());
  asio::co_spawn(s.ioc, s.accept_loop(), asio::detached);
  for (unsigned i = 0; i < io_threads; ++i)
    s.threads.emplace_back([&s] {
      for (;;) {
        try {
          s.ioc.run();
          break;
        } catch (const std::exception& e) {
          log::error(std::string{"I/O thread: "} + e.what());
        }
      }
    });
}

std::uint16_t Server::port() const noexcept {
  return impl_->bound_port;
}
const ServerConfig& Server::config() const noexcept {
  return impl_->cfg;
}

void Server::stop() {
  auto& s = *impl_;
  {
    std::lock_guard lock(s.state_mu);
    if (!s.started || s.stopped) {
      s.stopped = true;
      s.state_cv.notify_all();
      return;
    }
  }
  s.stopping = true;
  asio::post(s.ioc, [&s] {
    boost::system::error_code ignore;
    s.acceptor.close(ignore);
  });
  s.close_connections(/*only_idle=*/true);
  {
    std::unique_lock lock(s.conn_mu);
    s.conn_cv.wait_for(lock, s.cfg.timeouts.shutdown, [&s] { return s.conns.empty(); });
  }
  s.close_connections(/*only_idle=*/false);
  {
    std::unique_lock lock(s.conn_mu);
    s.conn_cv.wait_for(lock, std::chrono::seconds(2), [&s] { return s.conns.empty(); });
  }
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.threads)
    if (t.joinable())
      t.join();
  s.threads.clear();
  if (s.workers)
    s.workers->join();
  if (s.cpu)
    s.cpu->join();
  {
    std::lock_guard lock(s.state_mu);
    s.stopped = true;
  }
  s.state_cv.notify_all();
}

void Server::wait() {
  auto& s = *impl_;
  std::unique_lock lock(s.state_mu);
  s.state_cv.wait(lock, [&s] { return s.stopped || s.stop_requested; });
}

void Server::run() {
  auto& s = *impl_;
  // Signals first, so that one arriving during start-up already means "stop".
  std::optional<asio::signal_set> signals;
  if (s.cfg.handle_signals) {
    signals.emplace(s.ioc, SIGINT, SIGTERM);
    signals->async_wait([&s](const boost::system::error_code& ec, int sig) {
      if (ec)
        return;
      log::info(std::string{"received "} + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                ", shutting down");
      std::lock_guard lock(s.state_mu);
      s.stop_requested = true;
      s.state_cv.notify_all();
    });
  }
  start();
  wait();
  stop();
}

}  // namespace vivace
