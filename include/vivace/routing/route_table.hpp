#pragma once
/// @file
/// A list of erased routes with shared prefix, tags and responses: what `Router` builds and
/// `include_router` merges.

#include <string>
#include <vector>

#include "vivace/http/handler.hpp"
#include "vivace/routing/route_info.hpp"

namespace vivace {

/// One route after type erasure.
struct Route {
  /// What the route is: method, path, options, analysed parameters.
  RouteInfo info;
  /// Called once routing has filled `Request::path_params`.
  Handler handler{};
};

/// Prefix, tags and responses shared by every route of a router (FastAPI's APIRouter
/// arguments).
struct RouterOptions {
  std::string prefix{};                     ///< prepended to every path: `/api/v1`
  std::vector<std::string> tags{};          ///< added to every route's tags
  std::map<int, ResponseInfo> responses{};  ///< added to every route's responses
  /// Run for every route of the router, before the route's own (`vivace::dependency<p>()`).
  std::vector<RouteDependency> dependencies{};
};

namespace routing {
/// Runs `deps` before `route`'s handler and documents their parameters on the route. Their
/// validation errors wait in `RequestScope::pending_errors` and join the handler's 422.
void attach_dependencies(Route& route, const std::vector<RouteDependency>& deps);
}  // namespace routing

/// The routes of a router, as plain data.
class RouteTable {
 public:
  /// An empty table whose routes get `options`' prefix, tags, responses and dependencies.
  explicit RouteTable(RouterOptions options = {});

  /// Adds a route, applying this table's prefix, tags and responses.
  void add(Route route);
  /// Adds every route of `other` (already carrying `other`'s own prefix), under `prefix`
  /// and this table's options.
  void include(const RouteTable& other, std::string_view prefix = {},
               const std::vector<std::string>& tags = {});

  /// The routes, in the order added.
  [[nodiscard]] const std::vector<Route>& routes() const noexcept { return routes_; }
  /// Attaches dependencies to every route (the app's, at freeze).
  void attach_to_all(const std::vector<RouteDependency>& deps) {
    for (auto& r : routes_)
      routing::attach_dependencies(r, deps);
  }
  /// What every route of this table gets.
  [[nodiscard]] const RouterOptions& options() const noexcept { return options_; }

 private:
  RouterOptions options_;
  std::vector<Route> routes_{};
};

}  // namespace vivace
