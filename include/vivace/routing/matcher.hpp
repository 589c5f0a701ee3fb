#pragma once
/// @file
/// The route matcher: a prefix tree of path segments (static before parameter before
/// catch-all), no regular expressions. Compiled once in `src/routing/`.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vivace::routing {

/// The outcome of matching a method and path.
struct match_result {
  /// What was found: a route (`found`), nothing (`not_found`, 404), the path under other
  /// methods only (`method_not_allowed`, 405 with `allow`), or the path with or without a
  /// trailing slash (`redirect`, 307 to `location`).
  enum class kind { found, not_found, method_not_allowed, redirect };
  /// Tells which of `route`, `params`, `allow` and `location` are filled.
  kind outcome = kind::not_found;
  std::size_t route = 0;  ///< the route id given to `matcher::add`, when found
  /// Parameter names (views into the matcher's templates) and percent-decoded values.
  std::vector<std::pair<std::string_view, std::string>> params;
  std::string allow;     ///< for 405 and OPTIONS: `GET, HEAD, OPTIONS`
  std::string location;  ///< for a redirect: the declared form of the path
};

/// How the matcher answers a near miss; fixed when it is constructed.
struct matcher_options {
  bool redirect_slashes = true;  ///< `/items/` ↔ `/items` answered with a 307 to the declared form
};

/// Finds the route of a method and a raw path. Built once at start-up, then only read: safe
/// to share between threads.
class matcher {
 public:
  /// `match` finds nothing (404) until routes are `add`ed.
  explicit matcher(matcher_options options = {});
  ~matcher();
  /// Views from `other`'s earlier matches stay valid; `other` may then only be assigned to or
  /// destroyed.
  matcher(matcher&&) noexcept;
  /// Views from this matcher's earlier matches dangle; `other` may then only be assigned to or
  /// destroyed.
  matcher& operator=(matcher&&) noexcept;

  /// Registers `method path_template` as route `id`.
  /// @throws std::invalid_argument for a malformed template or a duplicate method and path.
  void add(std::string_view method, std::string_view path_template, std::size_t id);

  /// Matches a percent-encoded request path. `HEAD` falls back to `GET` routes.
  [[nodiscard]] match_result match(std::string_view method, std::string_view raw_path) const;

 private:
  struct node;
  std::unique_ptr<node> root_;
  matcher_options options_;
};

}  // namespace vivace::routing
