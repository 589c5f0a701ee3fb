#pragma once
/// @file
/// `Middleware`: what runs around the routes, in two forms. Below `app/`: a middleware knows
/// requests, responses and the erased `Handler`, nothing of routes or servers.

#include <concepts>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "vivace/http/handler.hpp"

namespace vivace {

/// A middleware: runs around the rest of the chain, can change the request before and the
/// response after, or answer without calling the rest.
///
/// Two forms. A coroutine around the rest (Starlette's `call_next`), for anything:
///
/// @code
/// app.add_middleware([](vivace::Request& req, const vivace::Handler& next)
///                        -> vivace::Task<vivace::Response> {
///   auto res = co_await next(req);
///   res.headers.set("X-Served-By", "me");
///   co_return res;
/// });
/// @endcode
///
/// Or plain steps, `Middleware::steps(before, after)`, for what needs no waiting of its own:
/// `before` may answer (the rest is skipped), `after` changes the response. A run of these
/// costs one coroutine frame in all, however many there are; every built-in middleware is one.
class Middleware {
 public:
  /// Runs on the way in; a response returned answers the request (the rest of the chain, this
  /// middleware's `after` included, is skipped).
  using Before = std::function<std::optional<Response>(Request&)>;
  /// Runs on the way out, on the response of the rest of the chain.
  using After = std::function<void(Request&, Response&)>;
  /// Runs around the rest of the chain (`next`).
  using Around = std::function<Task<Response>(Request&, const Handler&)>;

  /// A coroutine middleware: `f(req, next)` returns `co_await next(req)`'s response, changed
  /// or not, or a response of its own.
  template <class F>
  requires(!std::same_as<std::remove_cvref_t<F>, Middleware> && std::is_constructible_v<Around, F>)
      Middleware(F f)  // NOLINT(google-explicit-constructor): a lambda is a middleware
      : around_(std::move(f)) {}

  /// A middleware of plain steps; either may be empty.
  [[nodiscard]] static Middleware steps(Before before, After after = {}) {
    Middleware m;
    m.before_ = std::move(before);
    m.after_ = std::move(after);
    return m;
  }

  /// The coroutine form's function (empty for plain steps).
  [[nodiscard]] const Around& around() const noexcept { return around_; }
  /// The step on the way in (empty when none, or for the coroutine form).
  [[nodiscard]] const Before& before() const noexcept { return before_; }
  /// The step on the way out (empty when none, or for the coroutine form).
  [[nodiscard]] const After& after() const noexcept { return after_; }

 private:
  Middleware() = default;
  Before before_{};
  After after_{};
  Around around_{};
};

namespace middleware {

/// The middlewares around `terminal` as one handler; the first of `outermost_first` runs
/// first. Consecutive plain-step middlewares share one coroutine frame (none when none of them
/// has an `after`). Exceptions from the steps propagate to the caller.
[[nodiscard]] Handler compose(const std::vector<Middleware>& outermost_first, Handler terminal);

}  // namespace middleware

}  // namespace vivace
