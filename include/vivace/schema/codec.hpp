#pragma once
/// @file
/// `codec<T>`: how a type decodes from JSON (collecting every error), encodes to JSON and
/// describes itself as JSON Schema. Specialised here for the standard vocabulary and for
/// every described struct and enum; users may add their own specialisations.

#include <chrono>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <variant>
#include <vector>

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include "vivace/core/uuid.hpp"
#include "vivace/schema/checks.hpp"
#include "vivace/schema/constraints.hpp"
#include "vivace/schema/context.hpp"
#include "vivace/schema/model.hpp"
#include "vivace/schema/patch.hpp"
#include "vivace/schema/registry.hpp"
#include "vivace/schema/secret.hpp"
#include "vivace/schema/types.hpp"

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

/// Types with a codec.
template <class T>
concept has_codec = requires {
  sizeof(codec<T>);
};

namespace detail {

template <class T>
concept described_struct = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;
template <class T>
concept described_enum = std::is_enum_v<T> && boost::describe::has_describe_enumerators<T>::value;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_patch : std::false_type {};
template <class T>
struct is_patch<Patch<T>> : std::true_type {};

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
const model_options& options_of() {
  static const model_options opts = [] {
    if constexpr (requires(const T* p) { vivace_model(p); })
      return vivace_model(static_cast<const T*>(nullptr));
    else
      return model_options{};
  }();
  return opts;
}

template <class T>
using members_of = boost::describe::describe_members<T, boost::describe::mod_public |
                                                            boost::describe::mod_inherited>;

inline std::string_view wire_name(const model_options& o, std::string_view member) {
  if (const auto* f = o.field(member); f && !f->alias.empty())
    return f->alias;
  return member;
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
template <class T>
struct unwrapped<Patch<T>> {
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
    const auto& opts = options_of<U>();
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

// ---- leaves ----

/// `bool`: `true`/`false`, the integers 0 and 1, and pydantic's words (`"yes"`, `"off"`, ...,
/// any case). JSON Schema `boolean`.
template <>
struct codec<bool> {
  /// Errors: `bool_parsing` for text that is no boolean word, `bool_type` for other kinds.
  static bool decode(const boost::json::value& v, bool& out, decode_context& cx) {
    return detail::decode_bool(v, out, cx);
  }
  /// `true` or `false`.
  static boost::json::value encode(bool v, const encode_options&) { return v; }
  /// `encode`'s text.
  static void write(std::string& out, bool v, const encode_options&) {
    out += v ? "true" : "false";
  }
  /// `{"type": "boolean"}`.
  static boost::json::value schema(schema_registry&) { return {{"type", "boolean"}}; }
};

/// Integers other than `bool` and `char`: JSON integers, floats without a fractional part and
/// decimal text, checked against the type's range. JSON Schema `integer` with the range as
/// `minimum`/`maximum` (below 64 bits; `minimum: 0` for 64-bit unsigned).
template <std::integral T>
requires(!std::same_as<T, bool> && !std::same_as<T, char>) struct codec<T> {
  /// Errors: `int_parsing`, `int_from_float`, `int_type`, `finite_number`, and
  /// `greater_than_equal`/`less_than_equal` outside the type's range.
  static bool decode(const boost::json::value& v, T& out, decode_context& cx) {
    if constexpr (std::is_signed_v<T>) {
      std::int64_t x = 0;
      if (!detail::decode_signed(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), x,
                                 cx))
        return false;
      out = static_cast<T>(x);
    } else {
      std::uint64_t x = 0;
      if (!detail::decode_unsigned(v, std::numeric_limits<T>::max(), x, cx))
        return false;
      out = static_cast<T>(x);
    }
    return true;
  }
  /// The number.
  static boost::json::value encode(T v, const encode_options&) { return v; }
  /// `encode`'s text.
  static void write(std::string& out, T v, const encode_options&) {
    if constexpr (std::is_signed_v<T>)
      detail::append_json_int(out, v);
    else
      detail::append_json_uint(out, v);
  }
  /// `{"type": "integer"}` with the type's bounds.
  static boost::json::value schema(schema_registry&) {
    boost::json::object o{{"type", "integer"}};
    if constexpr (sizeof(T) < 8) {
      o["minimum"] = std::numeric_limits<T>::min();
      o["maximum"] = std::numeric_limits<T>::max();
    } else if constexpr (std::is_unsigned_v<T>) {
      o["minimum"] = 0;
    }
    return o;
  }
};

/// `float`, `double`, `long double`: JSON numbers and numeric text; infinities and NaN only
/// through `Constrained<T, allow_inf_nan>`. JSON Schema `number`.
template <std::floating_point T>
struct codec<T> {
  /// `allow_inf_nan` accepts non-finite values. Errors: `float_parsing`, `float_type`,
  /// `finite_number`.
  static bool decode(const boost::json::value& v, T& out, decode_context& cx,
                     bool allow_inf_nan = false) {
    double d = 0;
    if (!detail::decode_double(v, allow_inf_nan, d, cx))
      return false;
    out = static_cast<T>(d);
    return true;
  }
  /// The number as a double; null when it is not finite (JSON has no infinity or NaN).
  static boost::json::value encode(T v, const encode_options&) {
    return std::isfinite(v) ? boost::json::value(static_cast<double>(v))
                            : boost::json::value(nullptr);
  }
  /// `{"type": "number"}`.
  static boost::json::value schema(schema_registry&) { return {{"type", "number"}}; }
};

/// `std::string`: JSON strings only (no conversion from numbers). JSON Schema `string`.
template <>
struct codec<std::string> {
  /// Error: `string_type` for anything but a string.
  static bool decode(const boost::json::value& v, std::string& out, decode_context& cx) {
    return detail::decode_string(v, out, cx);
  }
  /// The string.
  static boost::json::value encode(const std::string& v, const encode_options&) {
    return boost::json::string_view(v);
  }
  /// `encode`'s text.
  static void write(std::string& out, const std::string& v, const encode_options&) {
    detail::append_json_string(out, v);
  }
  /// `{"type": "string"}`.
  static boost::json::value schema(schema_registry&) { return {{"type", "string"}}; }
};

/// `boost::json::value`: any JSON, taken as it is. JSON Schema `{}` (anything).
template <>
struct codec<boost::json::value> {
  /// Copies `v`; never fails.
  static bool decode(const boost::json::value& v, boost::json::value& out, decode_context&) {
    out = v;
    return true;
  }
  /// `v` itself; the options do not apply.
  static boost::json::value encode(const boost::json::value& v, const encode_options&) { return v; }
  /// `encode`'s text.
  static void write(std::string& out, const boost::json::value& v, const encode_options&) {
    detail::append_json(out, v);
  }
  /// `{}`.
  static boost::json::value schema(schema_registry&) { return boost::json::object{}; }
};

/// `Uuid`: a string in any form `Uuid::parse` accepts. JSON Schema `string`, format `uuid`.
template <>
struct codec<Uuid> {
  /// Error: `uuid_parsing` for a non-string or a string that is no UUID.
  static bool decode(const boost::json::value& v, Uuid& out, decode_context& cx) {
    if (v.is_string())
      if (auto u = Uuid::parse(v.get_string())) {
        out = *u;
        return true;
      }
    cx.error("uuid_parsing", "Input should be a valid UUID, unable to parse string as a UUID", v);
    return false;
  }
  /// The canonical lower-case hyphenated form.
  static boost::json::value encode(const Uuid& v, const encode_options&) {
    return boost::json::string_view(v.to_string());
  }
  /// `encode`'s text.
  static void write(std::string& out, const Uuid& v, const encode_options&) {
    detail::append_json_string(out, v.to_string());
  }
  /// `{"type": "string", "format": "uuid"}`.
  static boost::json::value schema(schema_registry&) {
    return {{"type", "string"}, {"format", "uuid"}};
  }
};

/// What differs between the string formats of types.hpp: the parser, the error wording and
/// the schema. `parse(text, why)` fills `why` (when given) with the reason it refused.
template <class T>
struct string_format;

/// `Email`: pydantic's `EmailStr` wording.
template <>
struct string_format<Email> {
  /// `Email::parse`.
  static std::optional<Email> parse(std::string_view s, std::string* why) {
    return Email::parse(s, why);
  }
  /// The error type for a value that is not a string.
  static constexpr const char* type_error = "value_error";
  /// The message for a value that is not a string.
  static constexpr const char* type_msg =
      "value is not a valid email address: An email address must be text.";
  /// The error type for a string that is no address.
  static constexpr const char* parse_error = "value_error";
  /// The message for a string that is no address, with the reason.
  static std::string parse_msg(const std::string& why) {
    return "value is not a valid email address: " + why;
  }
  /// `{"type": "string", "format": "email"}`.
  static boost::json::value schema() { return {{"type", "string"}, {"format", "email"}}; }
};

/// `Url`: pydantic's `AnyUrl` wording.
template <>
struct string_format<Url> {
  /// `Url::parse`.
  static std::optional<Url> parse(std::string_view s, std::string* why) {
    return Url::parse(s, why);
  }
  /// The error type for a value that is not a string.
  static constexpr const char* type_error = "url_type";
  /// The message for a value that is not a string.
  static constexpr const char* type_msg = "URL input should be a string or URL";
  /// The error type for a string that is no URL.
  static constexpr const char* parse_error = "url_parsing";
  /// The message for a string that is no URL, with the reason.
  static std::string parse_msg(const std::string& why) {
    return "Input should be a valid URL, " + why;
  }
  /// `{"type": "string", "format": "uri", "minLength": 1}`.
  static boost::json::value schema() {
    return {{"type", "string"}, {"format", "uri"}, {"minLength", 1}};
  }
};

/// `Date`: pydantic's `date` wording.
template <>
struct string_format<Date> {
  /// `Date::parse`; gives no reason.
  static std::optional<Date> parse(std::string_view s, std::string*) { return Date::parse(s); }
  /// The error type for a value that is not a string.
  static constexpr const char* type_error = "date_type";
  /// The message for a value that is not a string.
  static constexpr const char* type_msg = "Input should be a valid date";
  /// The error type for a string that is no date.
  static constexpr const char* parse_error = "date_parsing";
  /// The message for a string that is no date, naming the expected format.
  static std::string parse_msg(const std::string&) {
    return "Input should be a valid date in the format YYYY-MM-DD";
  }
  /// `{"type": "string", "format": "date"}`.
  static boost::json::value schema() { return {{"type", "string"}, {"format", "date"}}; }
};

/// `DateTime`: pydantic's `datetime` wording.
template <>
struct string_format<DateTime> {
  /// `DateTime::parse`; gives no reason.
  static std::optional<DateTime> parse(std::string_view s, std::string*) {
    return DateTime::parse(s);
  }
  /// The error type for a value that is not a string.
  static constexpr const char* type_error = "datetime_type";
  /// The message for a value that is not a string.
  static constexpr const char* type_msg = "Input should be a valid datetime";
  /// The error type for a string that is no date-time.
  static constexpr const char* parse_error = "datetime_parsing";
  /// The message for a string that is no date-time, with an example of the format.
  static std::string parse_msg(const std::string&) {
    return "Input should be a valid datetime in RFC 3339 format, e.g. 2024-05-01T12:30:00Z";
  }
  /// `{"type": "string", "format": "date-time"}`.
  static boost::json::value schema() { return {{"type", "string"}, {"format", "date-time"}}; }
};

/// Every type with a `string_format`: a JSON string parsed by the format, encoded back as text.
template <class T>
requires requires {
  string_format<T>::type_error;
}
struct codec<T> {
  /// The format's parser, wording and schema.
  using fmt = string_format<T>;
  /// Errors: the format's `type_error` for a non-string, its `parse_error` (with the reason)
  /// for text it refuses.
  static bool decode(const boost::json::value& v, T& out, decode_context& cx) {
    if (!v.is_string()) {
      cx.error(fmt::type_error, fmt::type_msg, v);
      return false;
    }
    if (auto parsed = fmt::parse(v.get_string(), nullptr)) {  // no reason built when valid
      out = std::move(*parsed);
      return true;
    }
    std::string why;
    (void)fmt::parse(v.get_string(), &why);
    cx.error(fmt::parse_error, fmt::parse_msg(why), v);
    return false;
  }
  /// `v.to_string()` when the type has one, otherwise the stored `value`.
  static boost::json::value encode(const T& v, const encode_options&) {
    if constexpr (requires { v.to_string(); })
      return boost::json::string_view(v.to_string());
    else
      return boost::json::string_view(v.value);
  }
  /// `encode`'s text.
  static void write(std::string& out, const T& v, const encode_options&) {
    if constexpr (requires { v.append_text(out); }) {  // text that needs no escaping
      out += '"';
      v.append_text(out);
      out += '"';
    } else if constexpr (requires { v.to_string(); })
      detail::append_json_string(out, v.to_string());
    else
      detail::append_json_string(out, v.value);
  }
  /// The format's schema.
  static boost::json::value schema(schema_registry&) { return fmt::schema(); }
};

// ---- durations ----

/// `std::chrono::duration` with an integer count (`seconds`, `milliseconds`, `minutes`, ...):
/// from a JSON number of seconds or text such as `"30"`, `"30s"`, `"5m"`, `"1h30m"`,
/// `"1500ms"`; a value finer than the type's tick is refused. Encoded as whole seconds (an
/// integer) or, when finer, as text (`"1500ms"`).
template <std::integral Rep, class Period>
struct codec<std::chrono::duration<Rep, Period>> {
  /// The duration type.
  using D = std::chrono::duration<Rep, Period>;
  /// One tick in nanoseconds, as a ratio (must be whole).
  using ticks_in_ns = std::ratio_divide<Period, std::nano>;
  static_assert(ticks_in_ns::den == 1,
                "vivace: a duration's tick must be a whole number of nanoseconds");
  /// One tick in nanoseconds.
  static constexpr std::int64_t unit_ns = ticks_in_ns::num;
  /// The smallest count the type holds.
  static constexpr std::int64_t min_ticks =
      std::is_signed_v<Rep> ? static_cast<std::int64_t>(std::numeric_limits<Rep>::min()) : 0;
  /// The largest count the type holds (within 64 bits).
  static constexpr std::int64_t max_ticks =
      sizeof(Rep) < sizeof(std::int64_t)
          ? static_cast<std::int64_t>(std::numeric_limits<Rep>::max())
          : std::numeric_limits<std::int64_t>::max();

  /// Errors name the accepted forms; a value out of the type's range or not a whole number of
  /// ticks is refused.
  static bool decode(const boost::json::value& v, D& out, decode_context& cx) {
    std::int64_t ticks = 0;
    if (!detail::decode_duration(v, unit_ns, min_ticks, max_ticks, ticks, cx))
      return false;
    out = D(static_cast<Rep>(ticks));
    return true;
  }
  /// Whole seconds as an integer, otherwise text in the largest exact unit.
  static boost::json::value encode(const D& v, const encode_options&) {
    return detail::encode_duration(static_cast<std::int64_t>(v.count()), unit_ns);
  }
  /// `anyOf` a number of seconds or text with units, with the accepted pattern.
  static boost::json::value schema(schema_registry&) { return detail::duration_schema(); }
};

// ---- containers ----

/// `std::optional<T>`: null or a `T`; a model member of this type may also be absent.
/// JSON Schema `anyOf [T, null]`.
template <class T>
struct codec<std::optional<T>> {
  /// Null resets `out`; anything else decodes as a `T`.
  static bool decode(const boost::json::value& v, std::optional<T>& out, decode_context& cx) {
    if (v.is_null()) {
      out.reset();
      return true;
    }
    T inner{};
    if (!codec<T>::decode(v, inner, cx))
      return false;
    out = std::move(inner);
    return true;
  }
  /// Null when empty, the value's encoding otherwise.
  static boost::json::value encode(const std::optional<T>& v, const encode_options& o) {
    return v ? codec<T>::encode(*v, o) : boost::json::value(nullptr);
  }
  /// `encode`'s text.
  static void write(std::string& out, const std::optional<T>& v, const encode_options& o) {
    if (v)
      write_json(out, *v, o);
    else
      out += "null";
  }
  /// `{"anyOf": [T's schema, {"type": "null"}]}`.
  static boost::json::value schema(schema_registry& r) {
    return {{"anyOf", boost::json::array{codec<T>::schema(r), {{"type", "null"}}}}};
  }
};

/// `Patch<T>`: like `std::optional<T>`, and a decoded value is always "set" (absence is
/// handled by the model, which leaves the member unset).
template <class T>
struct codec<Patch<T>> {
  /// Null sets `out` to null; anything else decodes as a `T`.
  static bool decode(const boost::json::value& v, Patch<T>& out, decode_context& cx) {
    if (v.is_null()) {
      out = nullptr;
      return true;
    }
    T inner{};
    if (!codec<T>::decode(v, inner, cx))
      return false;
    out = std::move(inner);
    return true;
  }
  /// Null for unset or null, the value's encoding otherwise.
  static boost::json::value encode(const Patch<T>& v, const encode_options& o) {
    return v.has_value() ? codec<T>::encode(v.value(), o) : boost::json::value(nullptr);
  }
  /// `encode`'s text.
  static void write(std::string& out, const Patch<T>& v, const encode_options& o) {
    if (v.has_value())
      write_json(out, v.value(), o);
    else
      out += "null";
  }
  /// `{"anyOf": [T's schema, {"type": "null"}]}`.
  static boost::json::value schema(schema_registry& r) {
    return {{"anyOf", boost::json::array{codec<T>::schema(r), {{"type", "null"}}}}};
  }
};

/// `std::vector<T>`: a JSON array; every item is decoded, so all bad items are reported
/// (`loc` ends with the index). JSON Schema `array` of `T`.
template <class T>
struct codec<std::vector<T>> {
  /// Errors: `list_type` for a non-array, the nesting limit, and each item's errors.
  static bool decode(const boost::json::value& v, std::vector<T>& out, decode_context& cx) {
    if (!v.is_array()) {
      cx.error("list_type", "Input should be a valid list", v);
      return false;
    }
    if (!cx.enter(v))
      return false;
    const auto& arr = v.get_array();
    out.clear();
    out.reserve(arr.size());
    bool ok = true;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      cx.push(i);
      T item{};
      if (codec<T>::decode(arr[i], item, cx))
        out.push_back(std::move(item));
      else
        ok = false;
      cx.pop();
    }
    cx.leave();
    return ok;
  }
  /// An array; `include`/`exclude` apply to the top level only, not to the items.
  static boost::json::value encode(const std::vector<T>& v, const encode_options& o) {
    boost::json::array a;
    a.reserve(v.size());
    encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    for (const auto& x : v)
      a.push_back(codec<T>::encode(x, inner));
    return a;
  }
  /// `encode`'s text.
  static void write(std::string& out, const std::vector<T>& v, const encode_options& o) {
    const encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0)
        out += ',';
      write_json(out, v[i], inner);
    }
    out += ']';
  }
  /// `{"type": "array", "items": T's schema}`.
  static boost::json::value schema(schema_registry& r) {
    return {{"type", "array"}, {"items", codec<T>::schema(r)}};
  }
};

/// `std::map<std::string, T>`: a JSON object with any keys, every value a `T`. JSON Schema
/// `object` with `additionalProperties`.
template <class T>
struct codec<std::map<std::string, T>> {
  /// Errors: `dict_type` for a non-object, the nesting limit, and each value's errors under its
  /// key.
  static bool decode(const boost::json::value& v, std::map<std::string, T>& out,
                     decode_context& cx) {
    if (!v.is_object()) {
      cx.error("dict_type", "Input should be a valid dictionary", v);
      return false;
    }
    if (!cx.enter(v))
      return false;
    out.clear();
    bool ok = true;
    for (const auto& kv : v.get_object()) {
      cx.push(kv.key());
      T item{};
      if (codec<T>::decode(kv.value(), item, cx))
        out.emplace(std::string(kv.key()), std::move(item));
      else
        ok = false;
      cx.pop();
    }
    cx.leave();
    return ok;
  }
  /// An object; `include`/`exclude` apply to the top level only, not to the values.
  static boost::json::value encode(const std::map<std::string, T>& v, const encode_options& o) {
    boost::json::object obj;
    encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    for (const auto& [k, x] : v)
      obj[k] = codec<T>::encode(x, inner);
    return obj;
  }
  /// `{"type": "object", "additionalProperties": T's schema}`.
  static boost::json::value schema(schema_registry& r) {
    return {{"type", "object"}, {"additionalProperties", codec<T>::schema(r)}};
  }
};

// ---- constraints ----

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
  /// Whether `allow_inf_nan` is among the constraints.
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

namespace detail {
/// The name an alternative's errors are filed under (pydantic's union tags).
template <class T>
std::string alternative_name() {
  if constexpr (std::same_as<T, bool>)
    return "bool";
  else if constexpr (std::integral<T>)
    return "int";
  else if constexpr (std::floating_point<T>)
    return "float";
  else if constexpr (std::same_as<T, std::string>)
    return "str";
  else if constexpr (described_struct<T>) {
    const auto& o = options_of<T>();
    return o.name.empty() ? type_name<T>() : o.name;
  } else
    return type_name<T>();
}
}  // namespace detail

/// `std::variant`: JSON Schema `oneOf`; decoding takes the first alternative that accepts the
/// input, in order. When none does, the errors of every alternative are reported, each under
/// the alternative's name (`["body", "pet", "Cat", "meows"]`).
template <class... Ts>
struct codec<std::variant<Ts...>> {
  /// Errors, when no alternative accepts `v`: every alternative's, each under its name.
  static bool decode(const boost::json::value& v, std::variant<Ts...>& out, decode_context& cx) {
    bool done = false;
    std::vector<ValidationError> failures;
    (try_one<Ts>(v, out, cx, done, failures), ...);
    if (done)
      return true;
    for (auto& e : failures)
      cx.errors().push_back(std::move(e));
    return false;
  }
  /// @cond detail
  template <class T>
  static void try_one(const boost::json::value& v, std::variant<Ts...>& out, decode_context& cx,
                      bool& done, std::vector<ValidationError>& failures) {
    if (done)
      return;
    decode_context scratch = cx.branch(detail::alternative_name<T>());
    T value{};
    if (codec<T>::decode(v, value, scratch) && scratch.error_count() == 0) {
      out = std::move(value);
      done = true;
      return;
    }
    for (auto& e : scratch.errors())
      failures.push_back(std::move(e));
  }
  /// @endcond
  /// The encoding of the alternative held.
  static boost::json::value encode(const std::variant<Ts...>& v, const encode_options& o) {
    return std::visit([&](const auto& x) { return codec<std::decay_t<decltype(x)>>::encode(x, o); },
                      v);
  }
  /// `{"oneOf": [...]}`, in the alternatives' order.
  static boost::json::value schema(schema_registry& r) {
    return {{"oneOf", boost::json::array{codec<Ts>::schema(r)...}}};
  }
};

namespace detail {
template <class M>
struct tag_literal {
  static constexpr bool ok = false;
};
template <fixed_string L>
struct tag_literal<Constrained<std::string, one_of<L>>> {
  static constexpr bool ok = true;
  static constexpr std::string_view value = L.view();
};
/// The literal of `A`'s member called `Tag` (declared `Str<one_of<"cat">> pet_type;`).
template <class A, fixed_string Tag>
constexpr std::string_view tag_of() {
  std::string_view out;
  boost::mp11::mp_for_each<members_of<A>>([&](auto D) {
    using M = std::remove_cvref_t<decltype(std::declval<A&>().*D.pointer)>;
    if constexpr (tag_literal<M>::ok)
      if (std::string_view(D.name) == Tag.view())
        out = tag_literal<M>::value;
  });
  return out;
}
}  // namespace detail

/// A union chosen by a tag field, like pydantic's discriminated unions: every alternative
/// declares the tag as a one-literal string (`Str<one_of<"cat">> pet_type;`).
template <fixed_string Tag, class... Ts>
struct codec<Discriminated<Tag, Ts...>> {
  /// The decoded type.
  using V = Discriminated<Tag, Ts...>;
  static_assert((!detail::tag_of<Ts, Tag>().empty() && ...),
                "vivace: every alternative of Discriminated<\"tag\", ...> needs a member named "
                "like the tag, of type Str<one_of<\"value\">>");
  /// Each alternative's tag literal, in order.
  static constexpr std::string_view tags[] = {detail::tag_of<Ts, Tag>()...};

  /// Decodes the alternative whose tag literal equals the input's tag, with `loc` extended by
  /// the tag. Errors: `union_tag_not_found` without a string tag, `union_tag_invalid` for an
  /// unknown tag, else the chosen alternative's errors.
  static bool decode(const boost::json::value& v, V& out, decode_context& cx) {
    const auto* obj = v.if_object();
    const auto* tag = obj ? obj->if_contains(Tag.view()) : nullptr;
    if (!tag || !tag->is_string()) {
      cx.error("union_tag_not_found",
               "Unable to extract tag using discriminator '" + std::string(Tag.view()) + "'", v,
               boost::json::object{{"discriminator", "'" + std::string(Tag.view()) + "'"}});
      return false;
    }
    const std::string_view t = tag->get_string();
    bool matched = false, ok = false;
    (try_one<Ts>(t, v, out, cx, matched, ok), ...);
    if (matched)
      return ok;
    const std::string expected = detail::quoted_choices(tags, sizeof...(Ts));
    cx.error("union_tag_invalid",
             "Input tag '" + std::string(t) + "' found using '" + std::string(Tag.view()) +
                 "' does not match any of the expected tags: " + expected,
             v,
             boost::json::object{{"discriminator", "'" + std::string(Tag.view()) + "'"},
                                 {"tag", t},
                                 {"expected_tags", expected}});
    return false;
  }
  /// @cond detail
  template <class T>
  static void try_one(std::string_view t, const boost::json::value& v, V& out, decode_context& cx,
                      bool& matched, bool& ok) {
    if (matched || t != detail::tag_of<T, Tag>())
      return;
    matched = true;
    cx.push(t);
    T value{};
    ok = codec<T>::decode(v, value, cx);
    if (ok)
      out = std::move(value);
    cx.pop();
  }
  /// @endcond
  /// The encoding of the alternative held.
  static boost::json::value encode(const V& v, const encode_options& o) {
    return std::visit([&](const auto& x) { return codec<std::decay_t<decltype(x)>>::encode(x, o); },
                      static_cast<const std::variant<Ts...>&>(v));
  }
  /// `oneOf` the alternatives with an OpenAPI `discriminator` mapping each tag to its `$ref`.
  static boost::json::value schema(schema_registry& r) {
    boost::json::array one_of{codec<Ts>::schema(r)...};
    boost::json::object mapping;
    for (std::size_t i = 0; i < sizeof...(Ts); ++i)
      mapping[tags[i]] = one_of[i].at("$ref");
    return {{"oneOf", std::move(one_of)},
            {"discriminator", {{"propertyName", Tag.view()}, {"mapping", std::move(mapping)}}}};
  }
};

// ---- secrets ----

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

// ---- described enums ----

/// Enums described with `BOOST_DESCRIBE_ENUM`: the enumerator's name as a string. JSON Schema
/// `string` with `enum`, registered under the enum's name.
template <detail::described_enum E>
struct codec<E> {
  /// Error: `enum`, listing the accepted names.
  static bool decode(const boost::json::value& v, E& out, decode_context& cx) {
    bool found = false;
    if (v.is_string()) {
      std::string_view s = v.get_string();
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
        if (!found && s == D.name) {
          out = D.value;
          found = true;
        }
      });
    }
    if (!found) {
      std::vector<std::string_view> names;
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>(
          [&](auto D) { names.emplace_back(D.name); });
      std::string expected = detail::quoted_choices(names.data(), names.size());
      cx.error("enum", "Input should be " + expected, v,
               boost::json::object{{"expected", expected}});
    }
    return found;
  }
  /// The enumerator's name; null for a value that is not a described enumerator.
  static boost::json::value encode(E v, const encode_options&) {
    boost::json::value out = nullptr;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
      if (v == D.value)
        out = D.name;
    });
    return out;
  }
  /// A `$ref` to the enum's schema in `r`.
  static boost::json::value schema(schema_registry& r) {
    return r.reference(detail::type_name<E>(), typeid(E), [] {
      boost::json::array names;
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>(
          [&](auto D) { names.emplace_back(D.name); });
      return boost::json::value{
          {"type", "string"}, {"enum", std::move(names)}, {"title", detail::type_name<E>()}};
    });
  }
};

// ---- described structs (models) ----

/// Models: structs described with `BOOST_DESCRIBE_STRUCT` (public and inherited members),
/// with the options of `vivace_model` and the checks of `vivace_validate`, found by ADL. A
/// JSON object with a member per field under its wire name (the alias, when set).
template <detail::described_struct T>
struct codec<T> {
  /// The described members, inherited ones included.
  using members = detail::members_of<T>;

  /// Decodes every field, so that all errors are reported: `model_type` for a non-object,
  /// `missing` for an absent field that is not `std::optional`, `Patch` or defaulted,
  /// `extra_forbidden` for each unknown key under `extra_policy::forbid`. When the fields are
  /// valid, `vivace_validate`'s errors are added (`value_error` messages prefixed "Value error, ").
  static bool decode(const boost::json::value& v, T& out, decode_context& cx) {
    if (!v.is_object()) {
      cx.error("model_type", "Input should be a valid dictionary or object to extract fields from",
               v);
      return false;
    }
    if (!cx.enter(v))
      return false;
    const auto& obj = v.get_object();
    const auto& opts = detail::options_of<T>();
    bool ok = decode_fields(
        out, cx, [&obj](std::string_view name) { return obj.if_contains(name); }, v);
    if (opts.extra == extra_policy::forbid) {
      for (const auto& kv : obj) {
        if (!known(opts, kv.key())) {
          cx.push(kv.key());
          cx.error("extra_forbidden", "Extra inputs are not permitted", kv.value());
          cx.pop();
          ok = false;
        }
      }
    }
    if (ok)
      ok = validated(out, cx, v);
    cx.leave();
    return ok;
  }

  /// @cond detail
  /// Every field of `out` from `field(wire_name)`: a `const boost::json::value*` (valid until
  /// the next call), null when the source has none. `whole` is what the error of a missing
  /// field echoes (masked; null: nothing). A source that can write a member of type `M` itself
  /// (a database row's column into a plain member) has `bool direct(wire_name, M&)`: true
  /// when it wrote a valid value, false to go the JSON way (which then reports any error).
  template <class Field>
  static bool decode_fields(T& out, decode_context& cx, Field&& field,
                            const boost::json::value& whole) {
    const auto& opts = detail::options_of<T>();
    bool ok = true;
    boost::mp11::mp_for_each<members>([&](auto D) {
      using M = std::remove_cvref_t<decltype(out.*D.pointer)>;
      const std::string_view name = detail::wire_name(opts, D.name);
      if (detail::write_directly(field, name, out.*D.pointer))
        return;
      const boost::json::value* p = field(name);
      if (!p) {
        const auto* f = opts.field(D.name);
        if (detail::is_optional<M>::value || detail::is_patch<M>::value || (f && f->has_default))
          return;
        cx.push(name);
        cx.error("missing", "Field required",
                 whole.is_null() ? whole : detail::masked<T>(whole));  // no secret echoed
        cx.pop();
        ok = false;
        return;
      }
      cx.push(name);
      if (!codec<M>::decode(*p, out.*D.pointer, cx))
        ok = false;
      cx.pop();
    });
    return ok;
  }

  /// `vivace_validate`'s errors for fields that decoded (`whole` as in `decode_fields`).
  static bool validated(const T& out, decode_context& cx, const boost::json::value& whole) {
    bool ok = true;
    if constexpr (requires(const T& m, model_errors& e) { vivace_validate(m, e); }) {
      const auto& opts = detail::options_of<T>();
      model_errors errs;
      vivace_validate(out, errs);
      for (const auto& e : errs.items()) {
        const bool on_field = !e.field.empty();
        if (on_field)
          cx.push(detail::wire_name(opts, e.field));
        cx.error(e.type, (e.type == "value_error" ? "Value error, " : "") + e.message,
                 e.input.is_null() && !on_field && !whole.is_null() ? detail::masked<T>(whole)
                                                                    : e.input);
        if (on_field)
          cx.pop();
        ok = false;
      }
    }
    return ok;
  }

  static bool known(const model_options& opts, std::string_view key) {
    bool found = false;
    boost::mp11::mp_for_each<members>([&](auto D) {
      if (!found && detail::wire_name(opts, D.name) == key)
        found = true;
    });
    return found;
  }

  /// @endcond
  /// An object with every field, less those `o` leaves out: not in `include` (when given), in
  /// `exclude`, unset `Patch` fields (`exclude_unset`), null values (`exclude_none`). The
  /// options other than `include`/`exclude` apply to nested values too.
  static boost::json::value encode(const T& v, const encode_options& o) {
    boost::json::object obj(boost::mp11::mp_size<members>::value);
    const encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    for_each_written(v, o, [&](std::string_view name, const auto& member) {
      using M = std::remove_cvref_t<decltype(member)>;
      boost::json::value out = codec<M>::encode(member, inner);
      if (o.exclude_none && out.is_null())
        return;
      obj[name] = std::move(out);
    });
    return obj;
  }
  /// `encode`'s text (through `encode` under `exclude_none`, where only the encoding shows
  /// which members are null).
  static void write(std::string& out, const T& v, const encode_options& o) {
    if (o.exclude_none) {
      detail::append_json(out, encode(v, o));
      return;
    }
    const encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    bool first = true;
    out += '{';
    for_each_written(v, o, [&](std::string_view name, const auto& member) {
      if (!first)
        out += ',';
      first = false;
      detail::append_json_string(out, name);
      out += ':';
      write_json(out, member, inner);
    });
    out += '}';
  }

  /// @cond detail
  /// `f(wire name, member)` for each member `o` keeps (`include`, `exclude`, `exclude_unset`).
  template <class F>
  static void for_each_written(const T& v, const encode_options& o, F&& f) {
    const auto& opts = detail::options_of<T>();
    boost::mp11::mp_for_each<members>([&](auto D) {
      using M = std::remove_cvref_t<decltype(v.*D.pointer)>;
      const std::string_view name = detail::wire_name(opts, D.name);
      if (!o.include.empty() && !contains(o.include, D.name, name))
        return;
      if (contains(o.exclude, D.name, name))
        return;
      const auto& member = v.*D.pointer;
      if constexpr (detail::is_patch<M>::value)
        if (o.exclude_unset && !member.is_set())
          return;
      f(name, member);
    });
  }

  static bool contains(const std::vector<std::string_view>& set, std::string_view a,
                       std::string_view b) {
    for (auto s : set)
      if (s == a || s == b)
        return true;
    return false;
  }

  /// @endcond
  /// A `$ref` to the model's schema in `r`: `object` with `title`, `properties` (each with a
  /// title, description, examples and default from the options), `required` and, under
  /// `extra_policy::forbid`, `"additionalProperties": false`.
  static boost::json::value schema(schema_registry& r) {
    const auto& opts = detail::options_of<T>();
    const std::string name = opts.name.empty() ? detail::type_name<T>() : opts.name;
    return r.reference(name, typeid(T), [&r, &opts, &name] {
      boost::json::object props;
      boost::json::array required;
      const T defaults{};
      boost::mp11::mp_for_each<members>([&](auto D) {
        using M = std::remove_cvref_t<decltype(defaults.*D.pointer)>;
        const std::string_view wire = detail::wire_name(opts, D.name);
        boost::json::value s = codec<M>::schema(r);
        const auto* f = opts.field(D.name);
        // A $ref cannot carry siblings in every tool; wrap it when there is more to say.
        auto& o = s.is_object() && !s.as_object().contains("$ref")
                      ? s.as_object()
                      : (s = boost::json::object{{"allOf", boost::json::array{s}}}).as_object();
        if (!o.contains("title"))
          o["title"] = title_of(wire);
        if (f && !f->description.empty())
          o["description"] = f->description;
        if (f && !f->example.is_null())
          o["examples"] = boost::json::array{f->example};
        const bool optional = detail::is_optional<M>::value || detail::is_patch<M>::value;
        if (f && f->has_default)
          o["default"] = codec<M>::encode(defaults.*D.pointer, encode_options{});
        else if (optional)
          o["default"] = nullptr;
        else
          required.emplace_back(wire);
        props[wire] = std::move(s);
      });
      boost::json::object out{
          {"type", "object"}, {"title", name}, {"properties", std::move(props)}};
      if (!required.empty())
        out["required"] = std::move(required);
      if (opts.extra == extra_policy::forbid)
        out["additionalProperties"] = false;
      if (!opts.description.empty())
        out["description"] = opts.description;
      return boost::json::value(std::move(out));
    });
  }

  /// FastAPI's default property title: "full_name" -> "Full Name".
  static std::string title_of(std::string_view wire) {
    std::string t;
    bool start = true;
    for (char c : wire) {
      if (c == '_') {
        t.push_back(' ');
        start = true;
        continue;
      }
      t.push_back(start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
      start = false;
    }
    return t;
  }
};

template <class T>
void write_json(std::string& out, const T& v, const encode_options& o) {
  if constexpr (requires { codec<T>::write(out, v, o); })
    codec<T>::write(out, v, o);
  else
    detail::append_json(out, codec<T>::encode(v, o));
}

}  // namespace vivace::schema
