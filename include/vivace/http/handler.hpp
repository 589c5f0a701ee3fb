#pragma once
/// @file
/// The one erased signature shared by the server, middleware, routing and the typed adapter.

#include <functional>

#include "vivace/core/task.hpp"
#include "vivace/http/request.hpp"
#include "vivace/http/response.hpp"

namespace vivace {

/// A request handler after type erasure: every typed handler, middleware chain and the whole
/// application is one of these.
using Handler = std::function<Task<Response>(Request&)>;

/// Where a request's work runs: the I/O executor it arrived on and the worker pool for
/// blocking calls. Owned by the server (or the test client) for the request's lifetime.
class RequestContext {
 public:
  virtual ~RequestContext() = default;
  /// Runs `work` on the worker pool and resumes the caller on its I/O executor when it is
  /// done; exceptions thrown by `work` propagate to the caller.
  virtual Task<void> run_blocking(std::function<void()> work) = 0;
};

/// Runs `work` on the request's worker pool, or inline when the request has no context.
Task<void> run_blocking(Request& req, std::function<void()> work);

/// Turns an exception thrown while handling `req` into a response: the request's renderer
/// (the App's exception handlers) when it has one, otherwise the built-in rules.
[[nodiscard]] Response render_exception(Request& req, std::exception_ptr ep);

/// The built-in rules: `RequestValidationError` → 422 `{"detail": [...]}`, `HTTPException` →
/// its status, detail and headers, anything else → 500 `{"detail":"Internal Server Error"}`
/// with the exception logged (never shown to the client).
[[nodiscard]] Response render_builtin_exception(Request& req, std::exception_ptr ep);

}  // namespace vivace
