#pragma once
/// @file
/// The codecs of the leaves: `bool`, integers, floating-point numbers, `std::string`,
/// `boost::json::value`, `Uuid`, the string formats of types.hpp (`Email`, `Url`, `Date`,
/// `DateTime`) and `std::chrono::duration`.

#include <chrono>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/string_view.hpp>
#include <boost/json/value.hpp>

#include "vivace/core/uuid.hpp"
#include "vivace/schema/checks.hpp"
#include "vivace/schema/codec_base.hpp"
#include "vivace/schema/context.hpp"
#include "vivace/schema/registry.hpp"
#include "vivace/schema/types.hpp"

namespace vivace::schema {

/// `bool`: `true`/`false`, the integers 0 and 1, and pydantic's words (`"yes"`, `"off"`, ...,
/// any case). JSON Schema `boolean`.
template <>
struct codec<bool> {
  /// Errors: `bool_parsing` for text that is no boolean word, `bool_type` for other kinds.
  static bool decode(const boost::json::value& v, bool& out, decode_context& cx) {
    return detail::decode_bool(v, out, cx);
  }
  /// Always `true` or `false`, whichever word or number was decoded.
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
  /// A JSON integer (`int64` or `uint64`), so even 64-bit values stay exact.
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
  /// A copy of the bytes as they are: encoding does not check UTF-8.
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
/// the schema. `parse(text, why)` fills `why` (when given) with the reason it refused. A
/// specialisation with a `type_error` member is what gives `T` the string codec below, which
/// encodes `T`'s `to_string()` or, without one, its `value`.
template <class T>
struct string_format;

/// `Email`: pydantic's `EmailStr` wording.
template <>
struct string_format<Email> {
  /// `Email::parse`, which gives a reason for `parse_msg`.
  static std::optional<Email> parse(std::string_view s, std::string* why) {
    return Email::parse(s, why);
  }
  /// For a non-string: the same type as a bad address, so only `msg` tells them apart.
  static constexpr const char* type_error = "value_error";
  /// Begins like every `parse_msg`, with a fixed reason.
  static constexpr const char* type_msg =
      "value is not a valid email address: An email address must be text.";
  /// For text `parse` refuses; the reason is in the message only.
  static constexpr const char* parse_error = "value_error";
  /// `why` is `parse`'s reason: `The email address is not valid. It must have exactly one @-sign.`
  static std::string parse_msg(const std::string& why) {
    return "value is not a valid email address: " + why;
  }
  /// `{"type": "string", "format": "email"}`.
  static boost::json::value schema() { return {{"type", "string"}, {"format", "email"}}; }
};

/// `Url`: pydantic's `AnyUrl` wording.
template <>
struct string_format<Url> {
  /// `Url::parse`, which gives a reason for `parse_msg`.
  static std::optional<Url> parse(std::string_view s, std::string* why) {
    return Url::parse(s, why);
  }
  /// For a non-string, `null` included unless the field is a `std::optional`.
  static constexpr const char* type_error = "url_type";
  /// Fixed, with no reason: only the JSON kind was wrong.
  static constexpr const char* type_msg = "URL input should be a string or URL";
  /// For text `parse` refuses: not RFC 3986, no scheme, ...
  static constexpr const char* parse_error = "url_parsing";
  /// `why` is `parse`'s reason: `Input should be a valid URL, invalid character at position 3`.
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
  /// For a non-string: a JSON number is refused, not read as a timestamp.
  static constexpr const char* type_error = "date_type";
  /// Fixed, with no reason: only the JSON kind was wrong.
  static constexpr const char* type_msg = "Input should be a valid date";
  /// For text that is not exactly `YYYY-MM-DD`, or a day that does not exist (`2023-02-30`).
  static constexpr const char* parse_error = "date_parsing";
  /// Names the expected format instead of a reason, since `parse` gives none.
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
  /// For a non-string: a JSON number is refused, not read as a timestamp.
  static constexpr const char* type_error = "datetime_type";
  /// Fixed, with no reason: only the JSON kind was wrong.
  static constexpr const char* type_msg = "Input should be a valid datetime";
  /// For text that is not RFC 3339 as `DateTime::parse` reads it (the offset may be left out).
  static constexpr const char* parse_error = "datetime_parsing";
  /// Gives an example of the format instead of a reason, since `parse` gives none.
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
  /// Shorthand for the specialisation whose `type_error` selected this codec.
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
  /// `fmt::schema()`, inline: a format is never registered under a name (no `$ref`).
  static boost::json::value schema(schema_registry&) { return fmt::schema(); }
};

/// `std::chrono::duration` with an integer count (`seconds`, `milliseconds`, `minutes`, ...):
/// from a JSON number of seconds or text such as `"30"`, `"30s"`, `"5m"`, `"1h30m"`,
/// `"1500ms"`; a value finer than the type's tick is refused. Encoded as whole seconds (an
/// integer) or, when finer, as text (`"1500ms"`).
template <std::integral Rep, class Period>
struct codec<std::chrono::duration<Rep, Period>> {
  /// Shorthand; a floating-point `Rep` (`duration<double>`) has no codec.
  using D = std::chrono::duration<Rep, Period>;
  /// One tick in nanoseconds, as a ratio (must be whole).
  using ticks_in_ns = std::ratio_divide<Period, std::nano>;
  static_assert(ticks_in_ns::den == 1,
                "vivace: a duration's tick must be a whole number of nanoseconds");
  /// Nanoseconds per tick: `1'000'000` for `milliseconds`.
  static constexpr std::int64_t unit_ns = ticks_in_ns::num;
  /// The smallest count accepted: `Rep`'s minimum, or 0 when `Rep` is unsigned.
  static constexpr std::int64_t min_ticks =
      std::is_signed_v<Rep> ? static_cast<std::int64_t>(std::numeric_limits<Rep>::min()) : 0;
  /// The largest count accepted: `Rep`'s maximum, capped at `INT64_MAX`.
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

}  // namespace vivace::schema
