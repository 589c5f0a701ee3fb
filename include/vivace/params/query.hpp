#pragma once
/// @file
/// `Query<"name", T, default?>`: a typed query parameter.

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "vivace/core/fixed_string.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/routing/route_info.hpp"

namespace vivace {

namespace params::detail {
template <class T>
struct query_shape {
  using element = T;
  static constexpr bool optional = false, repeated = false;
};
template <class T>
struct query_shape<std::optional<T>> {
  using element = T;
  static constexpr bool optional = true, repeated = false;
};
template <class T>
struct query_shape<std::vector<T>> {
  using element = T;
  static constexpr bool optional = false, repeated = true;
};

template <class T, auto D>
T default_value() {
  if constexpr (requires { D.view(); })
    return T{std::string{D.view()}};
  else
    return T{D};
}
}  // namespace params::detail

/// The query parameter `Name` converted to `T`.
///
/// - `T` required: absent is a 422 `missing`.
/// - `std::optional<T>`: may be absent.
/// - `std::vector<T>`: every repeated value (`?tag=a&tag=b`), empty when absent.
/// - a default as the third argument: `Query<"limit", int, 100>`, `Query<"sort", std::string,
/// "asc">`.
template <fixed_string Name, class T, auto... Default>
requires(sizeof...(Default) <= 1) struct Query {
  using shape = params::detail::query_shape<T>;
  using element = typename shape::element;
  static_assert(params::param_type<element>,
                "vivace: Query<\"name\", T>: T must be an integer, floating point, bool, "
                "std::string, Uuid or a type with a schema (Int<ge<1>>, an enum, ...), or "
                "std::optional / std::vector of one of these");
  static constexpr std::string_view name = Name.view();
  static constexpr bool has_default = sizeof...(Default) == 1;
  using value_type = T;

  T value;

  const T& operator*() const noexcept { return value; }
  T& operator*() noexcept { return value; }
  const T* operator->() const noexcept { return &value; }
  operator const T&() const noexcept { return value; }

  static std::optional<Query> extract(Request& req, params::error_list& errors) {
    const params::param_loc loc{"query", name};
    const auto& q = req.query();
    if constexpr (shape::repeated) {
      auto raws = q.get_all(name);
      if (raws.empty()) {
        if constexpr (has_default)
          return Query{params::detail::default_value<T, Default...>()};
        return Query{};
      }
      T out;
      bool ok = true;
      for (auto raw : raws) {
        auto v = params::decode_text<element>(raw, loc, errors);
        if (v)
          out.push_back(std::move(*v));
        else
          ok = false;
      }
      if (!ok)
        return std::nullopt;
      return Query{std::move(out)};
    } else {
      auto raw = q.get(name);
      if (!raw) {
        if constexpr (has_default) {
          return Query{params::detail::default_value<T, Default...>()};
        } else if constexpr (shape::optional) {
          return Query{std::nullopt};
        } else {
          params::detail::missing(loc, errors);
          return std::nullopt;
        }
      }
      auto v = params::decode_text<element>(*raw, loc, errors);
      if (!v)
        return std::nullopt;
      return Query{T{std::move(*v)}};
    }
  }

  static void describe(RouteInfo& info) {
    ParamInfo p{std::string{name}, ParamIn::query,
                !(has_default || shape::optional || shape::repeated),
                params::param_schema<element>(), std::nullopt};
    if constexpr (shape::repeated)
      p.schema = {{"type", "array"}, {"items", p.schema}};
    if constexpr (has_default && !shape::repeated && !shape::optional)
      p.default_ = schema::codec<T>::encode(params::detail::default_value<T, Default...>(), {});
    info.params.push_back(std::move(p));
  }
};

}  // namespace vivace
