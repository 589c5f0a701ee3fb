#pragma once
/// @file
/// `Path<"name", T>`: a typed path parameter, matched by the `{name}` of the route's path.

#include <optional>
#include <utility>

#include "vivace/core/fixed_string.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/concepts.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/routing/route_info.hpp"

namespace vivace {

/// The value of the route's `{Name}` segment converted to `T` (an integer, floating point,
/// `bool`, `std::string` or `Uuid`). A value that does not convert is a 422 with
/// `loc: ["path", Name]`.
///
/// @code
/// app.get<"/users/{user_id}">([](vivace::Path<"user_id", std::int64_t> id) { ... });
/// @endcode
template <fixed_string Name, params::param_type T>
struct Path : params::value_holder<T> {
  /// Must be a `{name}` of the route's template, and each one needs a `Path` (compile-time check).
  static constexpr std::string_view name = Name.view();
  /// `T` as declared: a constrained `T` stays wrapped here, though `*` unwraps it.
  using value_type = T;
  static constexpr bool is_path_param = true;  ///< checked against the route's template

  /// Converts the segment. Returns nullopt after adding to `errors` the conversion's error (or
  /// `missing` when the route has no such parameter).
  static std::optional<Path> extract(Request& req, params::error_list& errors) {
    const params::param_loc loc{"path", name};
    auto raw = req.path_param(name);
    if (!raw) {
      params::detail::missing(loc, errors);
      return std::nullopt;
    }
    auto v = params::decode_text<T>(*raw, loc, errors);
    if (!v)
      return std::nullopt;
    return Path{std::move(*v)};
  }

  /// Documents a required path parameter with `T`'s schema.
  static void describe(RouteInfo& info) {
    info.add_param(
        {std::string{name}, ParamIn::path, true, params::param_schema<T>(), std::nullopt});
  }
};

}  // namespace vivace
