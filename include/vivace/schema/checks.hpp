#pragma once
/// @file
/// The non-template half of the decoder: leaf conversions and constraint checks, compiled
/// once in `src/schema/`. Each returns false after recording a precise error. Also the text
/// helpers other layers share with the decoder: `bool_word`, the UTF-8 checks, `echo_text`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "vivace/schema/context.hpp"

namespace vivace::schema {

/// pydantic's words for booleans, any case: true/1/yes/on/t/y and false/0/no/off/f/n; nullopt
/// for anything else. `s` is compared as it is: trim it first if spaces may surround it.
std::optional<bool> bool_word(std::string_view s) noexcept;
/// Unicode code points in valid UTF-8; nullopt when the bytes are not UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s) noexcept;
/// Whether `s` is UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing past
/// U+10FFFF, nothing cut short (checked with utfcpp).
bool valid_utf8(std::string_view s) noexcept;
/// `s` as a JSON string for an error's `input`: as it is when UTF-8, else with each invalid
/// sequence replaced by U+FFFD, so that the error stays valid JSON.
boost::json::value echo_text(std::string_view s);
/// pydantic's error message for text that is not UTF-8, to report with the error type
/// `string_unicode`.
inline constexpr const char* unicode_message =
    "Input should be a valid string, unable to parse raw data as a unicode string";

}  // namespace vivace::schema

namespace vivace::schema::detail {

bool decode_bool(const boost::json::value& v, bool& out, decode_context& cx);
bool decode_signed(const boost::json::value& v, std::int64_t min, std::int64_t max,
                   std::int64_t& out, decode_context& cx);
bool decode_unsigned(const boost::json::value& v, std::uint64_t max, std::uint64_t& out,
                     decode_context& cx);
bool decode_double(const boost::json::value& v, bool allow_inf_nan, double& out,
                   decode_context& cx);
bool decode_string(const boost::json::value& v, std::string& out, decode_context& cx);

bool check_min_len(const std::string& s, std::size_t n, decode_context& cx);
bool check_max_len(const std::string& s, std::size_t n, decode_context& cx);
/// A regular expression compiled once (opaque; owned by the library for the program's life).
using compiled_pattern = const void*;
compiled_pattern compile_pattern(std::string_view pattern);
bool check_pattern(const std::string& s, compiled_pattern re, std::string_view pattern,
                   decode_context& cx);
bool check_choices(const std::string& s, const std::string_view* choices, std::size_t count,
                   decode_context& cx);
/// kind: 0 ge, 1 gt, 2 le, 3 lt, 4 multiple_of
bool check_bound(double value, const boost::json::value& input, int kind, double bound,
                 const boost::json::value& bound_json, decode_context& cx);
bool check_min_items(std::size_t size, std::size_t n, const boost::json::value& input,
                     decode_context& cx);
bool check_max_items(std::size_t size, std::size_t n, const boost::json::value& input,
                     decode_context& cx);
bool check_unique(const boost::json::value& input, decode_context& cx);

/// A duration, in ticks of `unit_ns` nanoseconds within [min_ticks, max_ticks]: a JSON number
/// of seconds (`30`, `0.5`) or text — whole seconds (`"30"`) or numbers with units
/// (`"30s"`, `"5m"`, `"1h30m"`, `"1500ms"`; ns, us, ms, s, m, h, d), optionally negative. A
/// value that is not a whole number of ticks (`"1500ms"` for seconds) is refused.
bool decode_duration(const boost::json::value& v, std::int64_t unit_ns, std::int64_t min_ticks,
                     std::int64_t max_ticks, std::int64_t& ticks, decode_context& cx);
/// Whole seconds as a JSON integer, anything finer as text with the largest exact unit
/// (`"1500ms"`), so that the result decodes back to the same duration.
boost::json::value encode_duration(std::int64_t ticks, std::int64_t unit_ns);
/// `anyOf` number of seconds / text with units, with the accepted pattern.
boost::json::value duration_schema();

/// Python-like rendering of a number for messages: 3, 2.5, 1e+100.
std::string format_number(const boost::json::value& v);
/// `'a', 'b' or 'c'`
std::string quoted_choices(const std::string_view* choices, std::size_t count);

}  // namespace vivace::schema::detail
