#pragma once
/// @file
/// The HTTP/1.1 server: listener, plain and TLS sessions, limits, timeouts and graceful stop.
/// It calls one erased handler and knows nothing of routes. Compiled in `src/server/`.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "vivace/http/handler.hpp"

namespace vivace {

/// Size limits; a request over one gets the status in parentheses and the connection closes.
struct ServerLimits {
  std::size_t header_bytes = 16 * 1024;  ///< request line + header fields (431)
  std::size_t url_bytes = 8 * 1024;      ///< request-target (414)
  std::size_t body_bytes = 1024 * 1024;  ///< body, Content-Length or chunked (413); per route too
};

/// Running out of one closes the connection, after the status its field names, if any.
struct ServerTimeouts {
  /// From the first byte of a request to the end of its header block (slowloris guard): 408.
  std::chrono::milliseconds header{std::chrono::seconds{10}};
  /// How long an idle keep-alive connection is kept open waiting for the next request.
  std::chrono::milliseconds keep_alive{std::chrono::seconds{5}};
  /// From the end of the header block to the response fully written (reading the body and
  /// running the handler included). A handler still running then gets a 503 sent for it.
  std::chrono::milliseconds request{std::chrono::seconds{60}};
  /// On stop: how long in-flight requests may take before their connections are closed.
  std::chrono::milliseconds shutdown{std::chrono::seconds{10}};
};

/// TLS: enabled when both files are set (PEM). Every connection then speaks TLS.
struct TlsConfig {
  std::string certificate_chain_file{};  ///< PEM certificate chain
  std::string private_key_file{};        ///< PEM private key
  /// False with only one file set: the server then speaks plain HTTP, without an error.
  [[nodiscard]] bool enabled() const noexcept {
    return !certificate_chain_file.empty() && !private_key_file.empty();
  }
};

/// Where and how to serve. Every field has a sane default.
struct ServerConfig {
  std::string host = "127.0.0.1";  ///< address to bind (IPv4 or IPv6 literal, or "localhost")
  std::uint16_t port = 8000;       ///< 0 picks a free port (see `Server::port()`)
  unsigned threads = 0;            ///< I/O threads; 0 = hardware concurrency
  unsigned workers = 0;            ///< worker pool for blocking handlers; 0 = max(4, 2 × cores)
  /// CPU pool for CPU-heavy work (`run_cpu`, password hashing), at a lower priority;
  /// 0 = max(1, cores - 1), so that the I/O threads and plain handlers always have a core.
  unsigned cpu_workers = 0;
  /// Jobs that may wait in the worker pool's and in the CPU pool's queue; past it a request
  /// gets 503 with `Retry-After` at once.
  std::size_t queue_limit = 1024;
  /// A job whose estimated wait in a pool's queue is longer (or that has waited longer when a
  /// thread takes it) is refused with 503 and `Retry-After`: overload is answered, not left
  /// to time out.
  std::chrono::milliseconds max_queue_wait{2000};
  /// With an `App`, `body_bytes` gives way to `AppOptions::max_body_size` and the routes' own.
  ServerLimits limits{};
  /// `request` also bounds the handler: a slow one gets a 503 sent for it.
  ServerTimeouts timeouts{};
  /// TLS, off unless both files are set.
  TlsConfig tls{};
  bool handle_signals = true;  ///< `run()` stops gracefully on SIGINT and SIGTERM
};

/// What the application decides about a request once its header block is read.
struct BodyPlan {
  std::size_t limit = 0;  ///< the body's size limit (413 past it)
  std::unique_ptr<BodySink>
      sink{};  ///< where the body goes while it is read; null: `Request::body`
};

/// What the server calls, in this order for each request: `begin` once its header block is
/// read, `handle` once its body is, or `reject` for an error the server itself answers.
/// Only `handle` is required.
struct ServerHooks {
  /// The request's header block has been read: the application matches its route (once, kept
  /// in the request's scope) and says where its body goes and how large it may be. `has_body`:
  /// the request announced a body. Without this hook, the limit is `limits.body_bytes`.
  std::function<BodyPlan(Request& req, bool has_body)> begin{};
  /// Produces the response for a complete request.
  Handler handle{};
  /// Renders an error the server itself produces (413, 408, ...) so that it passes through
  /// the application's middleware. `req` holds what was read of the request.
  std::function<Task<Response>(Request& req, int status)> reject{};
};

/// Serves `ServerHooks` over HTTP/1.1 (and TLS); nothing is bound until `start()`.
///
/// @code
/// vivace::Server server(config, {.handle = app_handler});
/// server.run();  // until SIGINT/SIGTERM
/// @endcode
class Server {
 public:
  /// A server that will serve `config` with `hooks`; nothing is bound until `start()`.
  /// @throws std::invalid_argument when `hooks.handle` is empty.
  Server(ServerConfig config, ServerHooks hooks);
  ~Server();
  /// Takes over another server (not while it is running).
  Server(Server&&) noexcept;
  /// Takes over another server (neither of them running).
  Server& operator=(Server&&) noexcept;

  /// Binds, listens and starts the I/O threads; returns at once.
  /// @throws std::system_error when the address cannot be bound.
  void start();
  /// The bound port (useful with port 0). Valid after `start()`.
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// As given to the constructor: a `port` of 0 stays 0 (the bound one is `port()`).
  [[nodiscard]] const ServerConfig& config() const noexcept;
  /// Graceful stop: stop accepting, close idle connections, let in-flight requests finish
  /// within `timeouts.shutdown`, then close the rest and join the threads. Idempotent.
  void stop();
  /// Blocks until the server has stopped.
  void wait();
  /// `start()`, then wait for SIGINT/SIGTERM (when `handle_signals`) or `stop()`, then stop.
  void run();

 private:
  struct impl;
  std::unique_ptr<impl> impl_{};
};

}  // namespace vivace
