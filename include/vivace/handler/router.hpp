#pragma once
/// @file
/// `Router`: FastAPI's APIRouter — typed route registration with a shared prefix and tags.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vivace/handler/make_handler.hpp"
#include "vivace/routing/route_table.hpp"

namespace vivace {

/// Collects typed routes. Include it in an `App` (or another router) with `include_router`.
///
/// @code
/// vivace::Router users({.prefix = "/users", .tags = {"users"}});
/// users.get<"/{user_id}">([](vivace::Path<"user_id", std::int64_t> id) { ... },
///                         {.summary = "Read a user"});
/// app.include_router(users);
/// @endcode
class Router {
 public:
  /// An empty router whose routes get `options`' prefix, tags, responses and dependencies.
  explicit Router(RouterOptions options = {}) : table_(std::move(options)) {}

  /// Adds a `GET` route at `Path` (checked at compile time) answered by `f`, a function or
  /// lambda whose parameters are extractors and dependencies (`Path`, `Query`, `Body`,
  /// `Depends`, `Request&`, ...) and whose result becomes the response: a model, a `Response`,
  /// `void` (204), or a `Task` of one (a coroutine, run on the I/O threads; other handlers run on
  /// the worker pool). A parameter the path lacks, or a `{name}` without its `Path` parameter,
  /// does not compile. `o` documents and tunes the route. Returns `*this`.
  template <fixed_string Path, class F>
  Router& get(F&& f, RouteOptions o = {}) {
    return route<Path>("GET", std::forward<F>(f), std::move(o));
  }
  /// Adds a `POST` route, as `get` does.
  template <fixed_string Path, class F>
  Router& post(F&& f, RouteOptions o = {}) {
    return route<Path>("POST", std::forward<F>(f), std::move(o));
  }
  /// Adds a `PUT` route, as `get` does.
  template <fixed_string Path, class F>
  Router& put(F&& f, RouteOptions o = {}) {
    return route<Path>("PUT", std::forward<F>(f), std::move(o));
  }
  /// Adds a `PATCH` route, as `get` does.
  template <fixed_string Path, class F>
  Router& patch(F&& f, RouteOptions o = {}) {
    return route<Path>("PATCH", std::forward<F>(f), std::move(o));
  }
  /// Adds a `DELETE` route, as `get` does.
  /// `delete` is a keyword, hence the underscore.
  template <fixed_string Path, class F>
  Router& delete_(F&& f, RouteOptions o = {}) {
    return route<Path>("DELETE", std::forward<F>(f), std::move(o));
  }
  /// Adds a `HEAD` route, as `get` does (`GET` routes answer `HEAD` already).
  template <fixed_string Path, class F>
  Router& head(F&& f, RouteOptions o = {}) {
    return route<Path>("HEAD", std::forward<F>(f), std::move(o));
  }
  /// Adds an `OPTIONS` route, as `get` does (without one, `OPTIONS` is answered with `Allow`).
  template <fixed_string Path, class F>
  Router& options(F&& f, RouteOptions o = {}) {
    return route<Path>("OPTIONS", std::forward<F>(f), std::move(o));
  }
  /// A route for any method token.
  template <fixed_string Path, class F>
  Router& route(std::string method, F&& f, RouteOptions o = {}) {
    table_.add(make_route<Path>(std::move(method), std::forward<F>(f), std::move(o)));
    return *this;
  }

  /// Adds every route of `other` under `prefix` (after `other`'s own prefix) with extra tags.
  Router& include_router(const Router& other, std::string_view prefix = {},
                         const std::vector<std::string>& tags = {}) {
    table_.include(other.table_, prefix, tags);
    return *this;
  }

  /// The routes added so far, prefixes applied.
  [[nodiscard]] const RouteTable& table() const noexcept { return table_; }

 protected:
  /// The routes; `App` reads them when it starts serving.
  RouteTable table_;
};

}  // namespace vivace
