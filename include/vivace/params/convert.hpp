#pragma once
/// @file
/// Conversion of one text value (a path segment, a query value, a header) into a C++ type,
/// with pydantic's error types: `int_parsing`, `float_parsing`, `bool_parsing`, ...

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/core/uuid.hpp"
#include "vivace/schema/codec.hpp"

namespace vivace::params {

/// Errors of one request, collected from every parameter before the handler runs.
using error_list = std::vector<ValidationError>;

/// Where a value comes from: `{"query", "limit"}`. Turned into the error's JSON `loc` only
/// when there is an error, so that valid values cost no allocation.
struct param_loc {
  std::string_view source;  ///< `path`, `query`, `header`, `cookie`
  std::string_view name;    ///< the parameter's wire name

  /// `["query", "limit"]`.
  [[nodiscard]] boost::json::array to_json() const { return boost::json::array{source, name}; }
};

namespace detail {
// Non-template parsers, compiled once in src/params/convert.cpp. Each returns nullopt and
// appends one error (with `loc` and the raw input) when `text` does not convert.
std::optional<std::int64_t> parse_signed(std::string_view text, std::int64_t min, std::int64_t max,
                                         const param_loc& loc, error_list& errors);
std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max,
                                            const param_loc& loc, error_list& errors);
std::optional<double> parse_double(std::string_view text, const param_loc& loc, error_list& errors);
std::optional<bool> parse_bool(std::string_view text, const param_loc& loc, error_list& errors);
std::optional<Uuid> parse_uuid(std::string_view text, const param_loc& loc, error_list& errors);
/// Whether `text` is UTF-8 (RFC 3629); if not, appends a `string_unicode` error at `loc`.
bool check_utf8(std::string_view text, const param_loc& loc, error_list& errors);
void missing(const param_loc& loc, error_list& errors);
boost::json::value schema_of_integer(std::int64_t min, std::uint64_t max);
}  // namespace detail

/// Types a single text value converts to.
template <class T>
concept text_convertible = std::same_as<T, std::string> || std::same_as<T, bool> ||
    std::same_as<T, Uuid> || std::floating_point<T> ||(std::integral<T> && !std::same_as<T, char>);

/// Converts `text` to `T`; on failure appends an error at `loc` and returns nullopt.
template <text_convertible T>
std::optional<T> convert_text(std::string_view text, const param_loc& loc, error_list& errors) {
  if constexpr (std::same_as<T, std::string>) {
    if (!detail::check_utf8(text, loc, errors))
      return std::nullopt;
    return std::string{text};
  } else if constexpr (std::same_as<T, bool>) {
    return detail::parse_bool(text, loc, errors);
  } else if constexpr (std::same_as<T, Uuid>) {
    return detail::parse_uuid(text, loc, errors);
  } else if constexpr (std::floating_point<T>) {
    auto d = detail::parse_double(text, loc, errors);
    if (!d)
      return std::nullopt;
    return static_cast<T>(*d);
  } else if constexpr (std::is_signed_v<T>) {
    auto v = detail::parse_signed(text, std::numeric_limits<T>::min(),
                                  std::numeric_limits<T>::max(), loc, errors);
    if (!v)
      return std::nullopt;
    return static_cast<T>(*v);
  } else {
    auto v = detail::parse_unsigned(text, std::numeric_limits<T>::max(), loc, errors);
    if (!v)
      return std::nullopt;
    return static_cast<T>(*v);
  }
}

/// The JSON Schema of a text-convertible type, for the OpenAPI document.
template <text_convertible T>
boost::json::value text_schema() {
  if constexpr (std::same_as<T, std::string>) {
    return {{"type", "string"}};
  } else if constexpr (std::same_as<T, bool>) {
    return {{"type", "boolean"}};
  } else if constexpr (std::same_as<T, Uuid>) {
    return {{"type", "string"}, {"format", "uuid"}};
  } else if constexpr (std::floating_point<T>) {
    return {{"type", "number"}};
  } else if constexpr (std::is_signed_v<T>) {
    return detail::schema_of_integer(std::numeric_limits<T>::min(),
                                     static_cast<std::uint64_t>(std::numeric_limits<T>::max()));
  } else {
    return detail::schema_of_integer(0, std::numeric_limits<T>::max());
  }
}

/// Types a parameter can have: the plain ones above (fast path) or any type with a schema
/// codec (constrained values, enums, dates...), decoded from the text as from a JSON string so
/// that `?limit=abc` and `{"limit": "abc"}` report the same error.
template <class T>
concept param_type = text_convertible<T> || schema::has_codec<T>;

/// Converts `text` to `T`: directly for the plain types, otherwise through `T`'s codec as a
/// JSON string. On failure appends the errors (located at `loc`) and returns nullopt.
template <param_type T>
std::optional<T> decode_text(std::string_view text, const param_loc& loc, error_list& errors) {
  if constexpr (text_convertible<T>) {
    return convert_text<T>(text, loc, errors);
  } else {
    schema::decode_context cx(loc.to_json());
    T out{};
    const bool ok = schema::codec<T>::decode(boost::json::value(text), out, cx);
    const bool clean = cx.error_count() == 0;
    for (auto& e : cx.errors())
      errors.push_back(std::move(e));
    if (!ok || !clean)
      return std::nullopt;
    return out;
  }
}

/// The JSON Schema of a parameter type, named schemas inlined (parameters carry theirs).
template <param_type T>
boost::json::value param_schema() {
  if constexpr (text_convertible<T>) {
    return text_schema<T>();
  } else {
    schema::schema_registry r;
    boost::json::value s = schema::codec<T>::schema(r);
    if (const auto* o = s.if_object(); o && o->contains("$ref")) {
      auto ref = o->at("$ref").as_string();
      auto key = std::string_view(ref).substr(r.prefix().size());
      return r.schemas().at(key);
    }
    return s;
  }
}

}  // namespace vivace::params
