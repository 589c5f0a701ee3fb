#pragma once
/// @file
/// `Query`, `Header` and `Cookie`: typed named parameters read as text.

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "vivace/core/fixed_string.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/concepts.hpp"
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

namespace params {

/// Where a named text parameter is read from.
template <ParamIn In>
struct source;
template <>
struct source<ParamIn::query> {
  static constexpr std::string_view loc = "query";
  static std::optional<std::string_view> get(const Request& r, std::string_view n) {
    return r.query().get(n);
  }
  static std::vector<std::string_view> get_all(const Request& r, std::string_view n) {
    return r.query().get_all(n);
  }
};
template <>
struct source<ParamIn::header> {
  static constexpr std::string_view loc = "header";
  static std::optional<std::string_view> get(const Request& r, std::string_view n) {
    return r.headers.get(n);
  }
  static std::vector<std::string_view> get_all(const Request& r, std::string_view n) {
    return r.headers.get_all(n);
  }
};
template <>
struct source<ParamIn::cookie> {
  static constexpr std::string_view loc = "cookie";
  static std::optional<std::string_view> get(const Request& r, std::string_view n) {
    return r.cookie(n);
  }
  static std::vector<std::string_view> get_all(const Request& r, std::string_view n) {
    std::vector<std::string_view> out;
    if (auto v = r.cookie(n))
      out.push_back(*v);
    return out;
  }
};

/// Header names are reported in lower case, as HTTP/2 and FastAPI write them.
template <std::size_t N>
constexpr fixed_string<N> lower(const fixed_string<N>& s) {
  fixed_string<N> out = s;
  for (auto& c : out.data)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// A named parameter read as text from the query, a header or a cookie.
///
/// - `T` required: absent is a 422 `missing`.
/// - `std::optional<T>`: may be absent.
/// - `std::vector<T>`: every repeated value (`?tag=a&tag=b`), empty when absent.
/// - a default as the last argument: `Query<"limit", int, 100>`, `Query<"sort", std::string,
///   "asc">`.
template <ParamIn In, fixed_string Name, class T, auto... Default>
requires(sizeof...(Default) <= 1) struct named_param : params::value_holder<T> {
  using shape = detail::query_shape<T>;
  using element = typename shape::element;
  static_assert(param_type<element>,
                "vivace: Query/Header/Cookie<\"name\", T>: T must be an integer, floating point, "
                "bool, std::string, Uuid or a type with a schema (Int<ge<1>>, an enum, ...), or "
                "std::optional / std::vector of one of these");
  static constexpr std::string_view name = Name.view();
  static constexpr auto loc_name = In == ParamIn::header ? lower(Name) : Name;
  static constexpr bool has_default = sizeof...(Default) == 1;
  using value_type = T;

  static std::optional<named_param> extract(Request& req, error_list& errors) {
    using src = source<In>;
    const param_loc loc{src::loc, loc_name.view()};
    if constexpr (shape::repeated) {
      auto raws = src::get_all(req, name);
      if (raws.empty()) {
        if constexpr (has_default)
          return named_param{detail::default_value<T, Default...>()};
        return named_param{};
      }
      T out;
      bool ok = true;
      for (auto raw : raws) {
        auto v = decode_text<element>(raw, loc, errors);
        if (v)
          out.push_back(std::move(*v));
        else
          ok = false;
      }
      if (!ok)
        return std::nullopt;
      return named_param{std::move(out)};
    } else {
      auto raw = src::get(req, name);
      if (!raw) {
        if constexpr (has_default) {
          return named_param{detail::default_value<T, Default...>()};
        } else if constexpr (shape::optional) {
          return named_param{std::nullopt};
        } else {
          detail::missing(loc, errors);
          return std::nullopt;
        }
      }
      auto v = decode_text<element>(*raw, loc, errors);
      if (!v)
        return std::nullopt;
      return named_param{T{std::move(*v)}};
    }
  }

  static void describe(RouteInfo& info) {
    ParamInfo p{std::string{name}, In, !(has_default || shape::optional || shape::repeated),
                param_schema<element>(), std::nullopt};
    if constexpr (shape::repeated)
      p.schema = {{"type", "array"}, {"items", p.schema}};
    if constexpr (has_default && !shape::repeated && !shape::optional)
      p.default_ = schema::codec<T>::encode(detail::default_value<T, Default...>(), {});
    info.add_param(std::move(p));
  }
};

}  // namespace params

/// A typed query parameter: `Query<"limit", Int<ge<1>, le<100>>, 100>`.
template <fixed_string Name, class T, auto... Default>
using Query = params::named_param<ParamIn::query, Name, T, Default...>;

/// A typed header (case-insensitive; repeated ones into a `std::vector`):
/// `Header<"X-Token", std::string>`. Errors are located at `["header", "x-token"]`.
template <fixed_string Name, class T, auto... Default>
using Header = params::named_param<ParamIn::header, Name, T, Default...>;

/// A typed cookie: `Cookie<"session", std::optional<std::string>>`.
template <fixed_string Name, class T, auto... Default>
using Cookie = params::named_param<ParamIn::cookie, Name, T, Default...>;

}  // namespace vivace
