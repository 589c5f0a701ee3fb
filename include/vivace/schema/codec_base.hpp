#pragma once
/// @file
/// The `codec<T>` protocol: the primary template, `encode_options`, `write_json`, the
/// `has_codec` concept, the model traits other layers read models with (`described_struct`,
/// `members_of`, `model_options_of`, `wire_name`) and the detail helpers the specialisations
/// of the other codec headers share. Include `vivace/schema/codec.hpp` for every codec.

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include "vivace/schema/context.hpp"
#include "vivace/schema/model.hpp"
#include "vivace/schema/patch.hpp"
#include "vivace/schema/registry.hpp"
#include "vivace/schema/secret.hpp"

namespace vivace::schema {

/// How to encode: omit nulls, omit `Patch` fields that were not sent, top-level field sets.
struct encode_options {
  bool exclude_none = false;                ///< omit members whose value is null
  bool exclude_unset = true;                ///< omit `Patch` members that are absent
  std::vector<std::string_view> include{};  ///< if not empty: only these top-level fields
  std::vector<std::string_view> exclude{};  ///< never these top-level fields
  bool reveal_secrets = false;  ///< `Secret` values as they are (storage), not masked (output)
};

/// The codec of `T`: three static functions, specialised per type (add your own for types of
/// your own):
/// - `static bool decode(const boost::json::value& v, T& out, decode_context& cx)`: converts
///   `v` into `out`; on failure records every error in `cx` at its location and returns false
///   (`out` is then unspecified). Never throws for bad input.
/// - `static boost::json::value encode(const T& v, const encode_options& o)`: the JSON value.
/// - `static boost::json::value schema(schema_registry& r)`: the JSON Schema, registering
///   named schemas (models, enums) in `r` and returning a `$ref` to them.
template <class T>
struct codec;  // specialisations below

/// Appends `v`'s JSON text to `out`: the text `boost::json::serialize(codec<T>::encode(v, o))`
/// gives, written straight (no JSON tree) by codecs that have a
/// `static void write(std::string& out, const T& v, const encode_options& o)`, and through
/// `encode` by the others.
template <class T>
void write_json(std::string& out, const T& v, const encode_options& o);

namespace detail {
/// Appends `v` as `boost::json::serialize` writes it. Compiled in `src/schema/`.
void append_json(std::string& out, const boost::json::value& v);
/// Appends `s` as a JSON string, quoted and escaped as `boost::json::serialize` does it.
void append_json_string(std::string& out, std::string_view s);
/// Appends a JSON integer.
void append_json_int(std::string& out, std::int64_t v);
/// Appends a JSON integer.
void append_json_uint(std::string& out, std::uint64_t v);
}  // namespace detail

/// Types with a complete `codec<T>` where this is first asked; declare a codec of your own
/// before any use, since the answer must not change later.
template <class T>
concept has_codec = requires {
  sizeof(codec<T>);
};

/// Class types with Boost.Describe member descriptions (`BOOST_DESCRIBE_STRUCT` or
/// `BOOST_DESCRIBE_CLASS`): the models. Their codec is `codec_model.hpp`'s, a JSON object with
/// one member per `members_of<T>` entry; any other class needs a `codec<T>` of its own.
template <class T>
concept described_struct = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;
/// Enums described with `BOOST_DESCRIBE_ENUM`: encoded as the enumerator's name (a JSON
/// string) and decoded from exactly those names, case included; any other enum needs a
/// `codec<E>` of its own.
template <class T>
concept described_enum = std::is_enum_v<T> && boost::describe::has_describe_enumerators<T>::value;

/// True for `std::optional<U>` only, so remove references and cv first: a model field of that
/// type may be absent or null. `Patch<U>` (absent, distinct from null) is not counted.
template <class T>
struct is_optional : std::false_type {};
/// The one true case: a `const` or reference-qualified `std::optional` does not match it.
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

/// The options `vivace_model(const T*)` returns (found by ADL), or default `model_options`
/// when `T` has none. The hook runs once, on the first call; its answer is kept for the
/// program's life, so the reference stays valid.
template <class T>
const model_options& model_options_of() {
  static const model_options opts = [] {
    if constexpr (requires(const T* p) { vivace_model(p); })
      return vivace_model(static_cast<const T*>(nullptr));
    else
      return model_options{};
  }();
  return opts;
}

/// The member descriptors a model's codec reads and writes, as a Boost.Describe list for
/// `boost::mp11::mp_for_each`: the public members, inherited ones included (protected and
/// private ones never take part). Each has `name` (the C++ name; see `wire_name`) and
/// `pointer`.
template <class T>
using members_of = boost::describe::describe_members<T, boost::describe::mod_public |
                                                            boost::describe::mod_inherited>;

/// The JSON name of the C++ member `member` under the model options `o`: its non-empty
/// `field_options::alias`, else `member` itself. The result views `o`'s or `member`'s
/// characters, so it must not outlive either.
inline std::string_view wire_name(const model_options& o, std::string_view member) {
  if (const auto* f = o.field(member); f && !f->alias.empty())
    return f->alias;
  return member;
}

namespace detail {

template <class T>
struct is_patch : std::false_type {};
template <class T, class N>
struct is_patch<Patch<T, N>> : std::true_type {};

/// A field source that writes a member of type `M` itself (see `codec<T>::decode_fields`).
template <class Source, class M>
concept writes_directly = requires(Source& s, std::string_view name, M& m) {
  { s.direct(name, m) } -> std::same_as<bool>;
};
/// `source.direct(name, m)` when the source has it for `M`, else false (the JSON way).
template <class Source, class M>
bool write_directly(Source& source, std::string_view name, M& m) {
  if constexpr (writes_directly<Source, M>)
    return source.direct(name, m);
  else
    return false;
}

template <class T>
struct is_secret : std::false_type {};
template <class... Cs>
struct is_secret<Secret<Cs...>> : std::true_type {};
template <class T>
struct unwrapped {
  using type = T;
};
template <class T>
struct unwrapped<std::optional<T>> {
  using type = T;
};
template <class T, class N>
struct unwrapped<Patch<T, N>> {
  using type = T;
};

/// `v`, given for a `T`, as a validation error may echo it: the value of every secret in it
/// (a `Secret` field, also optional or in a nested model) replaced by `"**********"`.
template <class T>
boost::json::value masked(const boost::json::value& v) {
  using U = typename unwrapped<T>::type;
  if constexpr (is_secret<U>::value) {
    return v.is_null() ? v : boost::json::value(secret_mask);
  } else if constexpr (described_struct<U>) {
    if (!v.is_object())
      return v;
    boost::json::object out = v.get_object();
    const auto& opts = model_options_of<U>();
    boost::mp11::mp_for_each<members_of<U>>([&](auto D) {
      using M = std::remove_cvref_t<decltype(std::declval<U&>().*D.pointer)>;
      if (auto* p = out.if_contains(wire_name(opts, D.name)))
        *p = masked<M>(*p);
    });
    return out;
  } else {
    return v;
  }
}

/// The unqualified name of a type, from the compiler's signature of this function.
template <class T>
std::string type_name() {
  std::string_view f = __PRETTY_FUNCTION__;  // "... type_name() [with T = ns::Name; ...]"
  auto start = f.find("T = ") + 4;
  auto end = f.find_first_of(";]", start);
  std::string full{f.substr(start, end - start)};
  auto colon = full.rfind("::");
  return colon == std::string::npos ? full : full.substr(colon + 2);
}

}  // namespace detail

template <class T>
void write_json(std::string& out, const T& v, const encode_options& o) {
  if constexpr (requires { codec<T>::write(out, v, o); })
    codec<T>::write(out, v, o);
  else
    detail::append_json(out, codec<T>::encode(v, o));
}

}  // namespace vivace::schema
