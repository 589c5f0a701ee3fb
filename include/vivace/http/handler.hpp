#pragma once
/// @file
/// The one erased signature shared by the server, middleware, routing and the typed adapter.

#include <atomic>
#include <functional>

#include "vivace/core/blocking.hpp"
#include "vivace/core/task.hpp"
#include "vivace/http/request.hpp"
#include "vivace/http/response.hpp"

namespace vivace {

/// A request handler after type erasure: every typed handler, middleware chain and the whole
/// application is one of these.
using Handler = std::function<Task<Response>(Request&)>;

/// Where a request's work runs: the I/O executor it arrived on, the worker pool for blocking
/// calls (plain handlers, the database) and the CPU pool for CPU-heavy work (password hashing).
/// Both pools are bounded: when one cannot take the work in time, the caller gets `Overloaded`
/// (503 with `Retry-After`) at once. Owned by the server (or the test client) for the
/// request's lifetime.
class RequestContext {
 public:
  virtual ~RequestContext() = default;
  /// Runs `work` on the worker pool and resumes the caller on its I/O executor when it is
  /// done; exceptions thrown by `work` propagate to the caller. @throws Overloaded
  virtual Task<void> run_blocking(std::function<void()> work) = 0;
  /// The same on the CPU pool (fewer threads than cores, at a lower priority: the I/O
  /// threads and ordinary handlers keep their CPU). @throws Overloaded
  virtual Task<void> run_cpu(std::function<void()> work) { return run_blocking(std::move(work)); }
};

/// A task that completes at once with `r` (a handler that answers without waiting).
Task<Response> ready_response(Response r);

/// Runs `work` on the request's worker pool, or inline when the request has no context.
Task<void> run_blocking(Request& req, std::function<void()> work);

/// A `RouteOptions::run_inline` route's state: whether its plain work is still tried on the
/// I/O thread first. One per route, shared by its requests.
class InlinePolicy {
 public:
  InlinePolicy() = default;
  /// Whether work is still tried inline.
  [[nodiscard]] bool enabled() const noexcept { return !off_.load(std::memory_order_relaxed); }
  /// An attempt at `req` ended with `e`: when the call always blocks, the route stops trying
  /// (logged once, at info level, with the request's method and path).
  void missed(const WouldBlock& e, const Request& req) noexcept;

 private:
  std::atomic<bool> off_{false};
};

/// Runs plain, repeatable work (a plain handler, a plain provider): on the calling thread first
/// when the request's route has `run_inline`, inside a `NonBlockingScope`; when something in it
/// would block (`WouldBlock`), what it added to the request is undone (`rewind(req, mark)`) and it
/// runs again from the start on the worker pool. Without `run_inline`: `run_blocking`.
Task<void> run_plain(Request& req, std::function<void()> work);

/// Runs CPU-heavy `work` (a password hash, an image resize) on the request's CPU pool, or
/// inline when the request has no context. Call it from a coroutine handler or provider, with
/// no database connection held: a plain handler would hold a worker while it waits.
Task<void> run_cpu(Request& req, std::function<void()> work);

/// Turns an exception thrown while handling `req` into a response: the request's renderer
/// (the App's exception handlers) when it has one, otherwise the built-in rules.
[[nodiscard]] Response render_exception(Request& req, std::exception_ptr ep);

/// The built-in rules: `RequestValidationError` → 422 `{"detail": [...]}`, `HTTPException` →
/// its status, detail and headers, anything else → 500 `{"detail":"Internal Server Error"}`
/// with the exception logged (never shown to the client).
[[nodiscard]] Response render_builtin_exception(Request& req, std::exception_ptr ep);

}  // namespace vivace
