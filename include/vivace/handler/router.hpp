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
  explicit Router(RouterOptions options = {}) : table_(std::move(options)) {}

  template <fixed_string Path, class F>
  Router& get(F&& f, RouteOptions o = {}) {
    return route<Path>("GET", std::forward<F>(f), std::move(o));
  }
  template <fixed_string Path, class F>
  Router& post(F&& f, RouteOptions o = {}) {
    return route<Path>("POST", std::forward<F>(f), std::move(o));
  }
  template <fixed_string Path, class F>
  Router& put(F&& f, RouteOptions o = {}) {
    return route<Path>("PUT", std::forward<F>(f), std::move(o));
  }
  template <fixed_string Path, class F>
  Router& patch(F&& f, RouteOptions o = {}) {
    return route<Path>("PATCH", std::forward<F>(f), std::move(o));
  }
  /// `delete` is a keyword, hence the underscore.
  template <fixed_string Path, class F>
  Router& delete_(F&& f, RouteOptions o = {}) {
    return route<Path>("DELETE", std::forward<F>(f), std::move(o));
  }
  template <fixed_string Path, class F>
  Router& head(F&& f, RouteOptions o = {}) {
    return route<Path>("HEAD", std::forward<F>(f), std::move(o));
  }
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

  [[nodiscard]] const RouteTable& table() const noexcept { return table_; }

 protected:
  RouteTable table_;
};

}  // namespace vivace
