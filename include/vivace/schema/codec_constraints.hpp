#pragma once
/// @file
/// The codecs of constrained values: `Constrained<T, Cs...>` (every constraint of
/// constraints.hpp checked and described in the schema) and `Secret<Cs...>`, a constrained
/// string masked in errors and output.

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "vivace/core/fixed_string.hpp"
#include "vivace/schema/checks.hpp"
#include "vivace/schema/codec_base.hpp"
#include "vivace/schema/codec_scalars.hpp"
#include "vivace/schema/constraints.hpp"
#include "vivace/schema/context.hpp"
#include "vivace/schema/registry.hpp"
#include "vivace/schema/secret.hpp"

namespace vivace::schema {

namespace detail {

template <class C>
struct constraint;  // check(value, input, cx) and describe(schema object)

template <std::size_t N>
struct constraint<min_len<N>> {
  static bool check(const std::string& s, const boost::json::value&, decode_context& cx) {
    return check_min_len(s, N, cx);
  }
  static void describe(boost::json::object& o) { o["minLength"] = N; }
};
template <std::size_t N>
struct constraint<max_len<N>> {
  static bool check(const std::string& s, const boost::json::value&, decode_context& cx) {
    return check_max_len(s, N, cx);
  }
  static void describe(boost::json::object& o) { o["maxLength"] = N; }
};
template <fixed_string P>
struct constraint<pattern<P>> {
  static bool check(const std::string& s, const boost::json::value&, decode_context& cx) {
    static const compiled_pattern re = compile_pattern(P.view());  // once per pattern
    return check_pattern(s, re, P.view(), cx);
  }
  static void describe(boost::json::object& o) { o["pattern"] = P.view(); }
};
template <fixed_string... Cs>
struct constraint<one_of<Cs...>> {
  static constexpr std::string_view choices[] = {Cs.view()...};
  static bool check(const std::string& s, const boost::json::value&, decode_context& cx) {
    return check_choices(s, choices, sizeof...(Cs), cx);
  }
  static void describe(boost::json::object& o) {
    boost::json::array e;
    for (auto c : choices)
      e.emplace_back(c);
    o["enum"] = std::move(e);
  }
};

template <int Kind, auto V>
struct bound_constraint {
  static constexpr const char* keywords[] = {"minimum", "exclusiveMinimum", "maximum",
                                             "exclusiveMaximum", "multipleOf"};
  template <class T>
  static bool check(const T& value, const boost::json::value& input, decode_context& cx) {
    return check_bound(static_cast<double>(value), input, Kind, static_cast<double>(V),
                       boost::json::value(V), cx);
  }
  static void describe(boost::json::object& o) { o[keywords[Kind]] = V; }
};
template <auto V>
struct constraint<ge<V>> : bound_constraint<0, V> {};
template <auto V>
struct constraint<gt<V>> : bound_constraint<1, V> {};
template <auto V>
struct constraint<le<V>> : bound_constraint<2, V> {};
template <auto V>
struct constraint<lt<V>> : bound_constraint<3, V> {};
template <auto V>
struct constraint<multiple_of<V>> : bound_constraint<4, V> {};

template <std::size_t N>
struct constraint<min_items<N>> {
  template <class T>
  static bool check(const std::vector<T>& v, const boost::json::value& input, decode_context& cx) {
    return check_min_items(v.size(), N, input, cx);
  }
  static void describe(boost::json::object& o) { o["minItems"] = N; }
};
template <std::size_t N>
struct constraint<max_items<N>> {
  template <class T>
  static bool check(const std::vector<T>& v, const boost::json::value& input, decode_context& cx) {
    return check_max_items(v.size(), N, input, cx);
  }
  static void describe(boost::json::object& o) { o["maxItems"] = N; }
};
template <>
struct constraint<unique_items> {
  template <class T>
  static bool check(const std::vector<T>&, const boost::json::value& input, decode_context& cx) {
    return check_unique(input, cx);
  }
  static void describe(boost::json::object& o) { o["uniqueItems"] = true; }
};
template <>
struct constraint<allow_inf_nan> {
  template <class T>
  static bool check(const T&, const boost::json::value&, decode_context&) {
    return true;
  }
  static void describe(boost::json::object&) {}
};

}  // namespace detail

/// `Constrained<T, Cs...>`: decoded as a `T`, then every constraint is checked, so that all of
/// a value's problems are reported together. The schema is `T`'s with the constraints'
/// keywords (`minLength`, `maximum`, `pattern`, ...).
template <class T, class... Cs>
struct codec<Constrained<T, Cs...>> {
  /// Whether `allow_inf_nan` is among the constraints: a floating `T` then accepts infinities
  /// and NaN.
  static constexpr bool allow_inf = (std::is_same_v<Cs, allow_inf_nan> || ...);

  /// Errors: `T`'s, then one per failed constraint (`string_too_short`, `greater_than_equal`,
  /// ...).
  static bool decode(const boost::json::value& v, Constrained<T, Cs...>& out, decode_context& cx) {
    bool ok;
    if constexpr (std::floating_point<T>)
      ok = codec<T>::decode(v, out.value, cx, allow_inf);
    else
      ok = codec<T>::decode(v, out.value, cx);
    if (!ok)
      return false;
    // every constraint is checked, so that all of a value's problems are reported
    return (detail::constraint<Cs>::check(out.value, v, cx) & ... & true);
  }
  /// `T`'s encoding; constraints are not re-checked.
  static boost::json::value encode(const Constrained<T, Cs...>& v, const encode_options& o) {
    return codec<T>::encode(v.value, o);
  }
  /// `encode`'s text.
  static void write(std::string& out, const Constrained<T, Cs...>& v, const encode_options& o) {
    write_json(out, v.value, o);
  }
  /// `T`'s schema with the constraints' keywords added.
  static boost::json::value schema(schema_registry& r) {
    boost::json::value s = codec<T>::schema(r);
    if (auto* o = s.if_object())
      (detail::constraint<Cs>::describe(*o), ...);
    return s;
  }
};

/// `Secret<Cs...>`: decoded like `Str<Cs...>`, but the input is masked as `"**********"` in
/// every error it causes. Encoded masked unless `encode_options::reveal_secrets`. JSON Schema
/// `string`, format `password`, `writeOnly`.
template <class... Cs>
struct codec<Secret<Cs...>> {
  /// Errors: those of `Str<Cs...>`, with the input masked.
  static bool decode(const boost::json::value& v, Secret<Cs...>& out, decode_context& cx) {
    auto before = cx.error_count();
    Constrained<std::string, Cs...> inner;
    bool ok = codec<Constrained<std::string, Cs...>>::decode(v, inner, cx);
    for (auto i = before; i < cx.error_count(); ++i)
      cx.errors()[i].input = secret_mask;
    if (ok)
      out = Secret<Cs...>(std::move(inner.value));
    return ok;
  }
  /// `"**********"`, or the value when `o.reveal_secrets`.
  static boost::json::value encode(const Secret<Cs...>& v, const encode_options& o) {
    if (o.reveal_secrets)
      return boost::json::string(v.reveal());
    return boost::json::string(secret_mask);
  }
  /// `Str<Cs...>`'s schema with `"format": "password"` and `"writeOnly": true`.
  static boost::json::value schema(schema_registry& r) {
    boost::json::value s = codec<Constrained<std::string, Cs...>>::schema(r);
    s.as_object()["format"] = "password";
    s.as_object()["writeOnly"] = true;
    return s;
  }
};

}  // namespace vivace::schema
