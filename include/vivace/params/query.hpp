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
/// The query string: repeated keys give several values.
template <>
struct source<ParamIn::query> {
  /// The first element of an error's `loc`.
  static constexpr std::string_view loc = "query";
  /// The first value of `n`, if sent.
  static std::optional<std::string_view> get(const Request& r, std::string_view n) {
    return r.query().get(n);
  }
  /// Every value of `n`, in order.
  static std::vector<std::string_view> get_all(const Request& r, std::string_view n) {
    return r.query().get_all(n);
  }
};
/// The header fields: names compare case-insensitively; repeated fields give several values.
template <>
struct source<ParamIn::header> {
  /// The first element of an error's `loc`.
  static constexpr std::string_view loc = "header";
  /// The first value of `n`, if sent.
  static std::optional<std::string_view> get(const Request& r, std::string_view n) {
    return r.headers.get(n);
  }
  /// Every value of `n`, in order.
  static std::vector<std::string_view> get_all(const Request& r, std::string_view n) {
    return r.headers.get_all(n);
  }
};
/// The `Cookie` header(s): one value per name.
template <>
struct source<ParamIn::cookie> {
  /// The first element of an error's `loc`.
  static constexpr std::string_view loc = "cookie";
  /// The cookie's value, if sent.
  static std::optional<std::string_view> get(const Request& r, std::string_view n) {
    return r.cookie(n);
  }
  /// The cookie's value as a list of at most one.
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
  /// Whether `T` is optional or repeated, and its element type.
  using shape = detail::query_shape<T>;
  /// The type of one value: `T`, or what the `std::optional` or `std::vector` holds.
  using element = typename shape::element;
  static_assert(param_type<element>,
                "vivace: Query/Header/Cookie<\"name\", T>: T must be an integer, floating point, "
                "bool, std::string, Uuid or a type with a schema (Int<ge<1>>, an enum, ...), or "
                "std::optional / std::vector of one of these");
  /// The name looked up (query key, header name, cookie name).
  static constexpr std::string_view name = Name.view();
  /// The name in error locations and the docs (header names in lower case).
  static constexpr auto loc_name = In == ParamIn::header ? lower(Name) : Name;
  /// Makes the parameter not required in the docs, which show the default (but for a list or
  /// an optional).
  static constexpr bool has_default = sizeof...(Default) == 1;
  /// `T` as declared: a constrained `T` stays wrapped here, though `*` unwraps it.
  using value_type = T;

  /// Reads and converts the parameter. Returns nullopt after adding to `errors` a `missing`
  /// error (absent, required) or the conversion's errors (for a list: every bad item's).
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

  /// Adds the parameter to the route's description: name, location, required, JSON Schema
  /// (an array for a list) and default.
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
