#pragma once
/// @file
/// `ResponseHandle` (FastAPI's `response: Response` parameter) and `BackgroundTasks`: a
/// handler or a dependency changes the response it does not build itself, or queues work
/// that runs after the response has been sent.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "vivace/core/task.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/http/headers.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/routing/route_info.hpp"

namespace vivace {

/// Attributes of a `Set-Cookie`. The defaults are Starlette's.
struct CookieOptions {
  std::optional<std::chrono::seconds> max_age{};  ///< `Max-Age`; unset: a session cookie
  std::string path = "/";                         ///< `Path`; empty leaves the attribute out
  std::string domain{};                           ///< `Domain`, when set
  bool secure = false;                            ///< `Secure`: sent back over HTTPS only
  bool httponly = false;                          ///< `HttpOnly`: hidden from JavaScript
  std::string samesite = "lax";                   ///< `SameSite`: lax, strict or none
};

namespace params::detail {
/// What a `ResponseHandle` has collected for the request; merged into the route's response.
struct response_patch {
  std::optional<int> status{};
  Headers headers{};
};
response_patch& response_patch_of(Request& req);
/// Applies what handlers and dependencies set through `ResponseHandle` (a successful
/// response only).
void apply_response_patch(Request& req, Response& res);

using background_list = std::vector<std::function<Task<void>(Request&)>>;
background_list& background_of(Request& req);
/// Queues the request's background tasks to run after the response (a successful one).
void schedule_background(Request& req);

/// `name=value; attributes` for a `Set-Cookie` field.
/// @throws std::invalid_argument for a name or value that a cookie cannot carry.
std::string format_set_cookie(std::string_view name, std::string_view value,
                              const CookieOptions& options);
}  // namespace params::detail

namespace params {
/// What `ResponseHandle` and `BackgroundTasks` parameters collected during the request,
/// applied to its successful response: the status and headers they set, the background tasks
/// queued to run after it. The typed route adapter calls it once per response.
void apply_response_changes(Request& req, Response& res);
}  // namespace params

/// Sets the status, headers and cookies of the response a handler returns as a model.
///
/// @code
/// app.post<"/login">([](vivace::Form<Login> f, vivace::ResponseHandle response) {
///   response.set_cookie("session", make_session(*f), {.httponly = true});
///   return Token{...};
/// });
/// @endcode
class ResponseHandle {
 public:
  /// Overrides the route's status code.
  void status(int code) { patch_->status = code; }
  /// Sets a header (replacing one of the same name the handler's response has).
  void header(std::string_view name, std::string value) { patch_->headers.set(name, value); }
  /// Adds a `Set-Cookie`.
  void set_cookie(std::string_view name, std::string_view value, const CookieOptions& o = {}) {
    patch_->headers.add("Set-Cookie", params::detail::format_set_cookie(name, value, o));
  }
  /// Expires a cookie (same path and domain as it was set with).
  void delete_cookie(std::string_view name, const CookieOptions& o = {}) {
    CookieOptions expired = o;
    expired.max_age = std::chrono::seconds{0};
    patch_->headers.add("Set-Cookie", params::detail::format_set_cookie(name, "", expired));
  }

  /// The request's handle; never fails.
  static std::optional<ResponseHandle> extract(Request& req, params::error_list&) {
    return ResponseHandle{&params::detail::response_patch_of(req)};
  }
  /// Nothing to document.
  static void describe(RouteInfo&) {}

 private:
  explicit ResponseHandle(params::detail::response_patch* p) : patch_(p) {}
  params::detail::response_patch* patch_;
};

/// Work that runs after the response has been sent (FastAPI's `BackgroundTasks`): plain
/// functions on the worker pool, `Task<void>` coroutines on the I/O thread, in the order
/// added. Errors are logged. Tasks are dropped when the handler fails.
///
/// @code
/// app.post<"/send">([](vivace::BackgroundTasks tasks) {
///   tasks.add([] { send_welcome_mail(); });
///   return Message{"queued"};
/// });
/// @endcode
class BackgroundTasks {
 public:
  /// Queues `f`, a callable taking no arguments that returns `void` (run on the worker pool)
  /// or `Task<void>` (awaited on the I/O thread).
  template <class F>
  void add(F f) {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_same_v<R, Task<void>>) {
      list_->push_back([f = std::move(f)](Request&) mutable -> Task<void> { co_await f(); });
    } else {
      list_->push_back([f = std::move(f)](Request& req) mutable -> Task<void> {
        co_await run_blocking(req, [&] { f(); });
      });
    }
  }

  /// The request's task list; never fails.
  static std::optional<BackgroundTasks> extract(Request& req, params::error_list&) {
    return BackgroundTasks{&params::detail::background_of(req)};
  }
  /// Nothing to document.
  static void describe(RouteInfo&) {}

 private:
  explicit BackgroundTasks(params::detail::background_list* l) : list_(l) {}
  params::detail::background_list* list_;
};

}  // namespace vivace
