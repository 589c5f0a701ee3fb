// Leaf conversions and constraint checks of the schema layer, with pydantic v2's error types
// and messages. Compiled once; the templates in include/vivace/schema/codec.hpp call these.

#include "vivace/schema/checks.hpp"

#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include <utf8.h>  // utfcpp
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/regex.hpp>

#include "vivace/core/text.hpp"

namespace vivace::schema::detail {

namespace json = boost::json;

namespace {
constexpr const char* int_parsing =
    "Input should be a valid integer, unable to parse string as an integer";

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// An integer given as text ("5", "+5", " 5 "), as pydantic's lax mode accepts.
bool parse_integer_text(std::string_view text, long double& out) {
  auto s = trim(text);
  if (s.size() > 1 && s.front() == '+')
    s.remove_prefix(1);
  if (s.empty())
    return false;
  std::int64_t i = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (end == s.data() + s.size() && ec == std::errc{}) {
    out = static_cast<long double>(i);
    return true;
  }
  std::uint64_t u = 0;
  auto [end2, ec2] = std::from_chars(s.data(), s.data() + s.size(), u);
  if (end2 == s.data() + s.size() && ec2 == std::errc{}) {
    out = static_cast<long double>(u);
    return true;
  }
  // digits only but out of every range: still an integer, reported as out of range
  bool digits = true;
  for (std::size_t k = (s.front() == '-' ? 1 : 0); k < s.size(); ++k)
    if (s[k] < '0' || s[k] > '9')
      digits = false;
  if (digits && s.size() > (s.front() == '-' ? 1u : 0u)) {
    out = s.front() == '-' ? -std::numeric_limits<long double>::infinity()
                           : std::numeric_limits<long double>::infinity();
    return true;
  }
  return false;
}

bool range_error(long double v, std::int64_t min_signed, std::uint64_t max,
                 const json::value& input, decode_context& cx, bool is_unsigned) {
  if (is_unsigned ? v < 0 : v < static_cast<long double>(min_signed)) {
    json::value bound = is_unsigned ? json::value(0) : json::value(min_signed);
    cx.error("greater_than_equal",
             "Input should be greater than or equal to " + format_number(bound), input,
             json::object{{"ge", bound}});
    return false;
  }
  if (v > static_cast<long double>(max)) {
    cx.error("less_than_equal", "Input should be less than or equal to " + std::to_string(max),
             input, json::object{{"le", max}});
    return false;
  }
  return true;
}

bool decode_integer(const json::value& v, std::int64_t min, std::uint64_t max, bool is_unsigned,
                    long double& out, decode_context& cx) {
  switch (v.kind()) {
    case json::kind::int64:
      out = static_cast<long double>(v.get_int64());
      break;
    case json::kind::uint64:
      out = static_cast<long double>(v.get_uint64());
      break;
    case json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d)) {
        cx.error("finite_number", "Input should be a finite number", v);
        return false;
      }
      if (d != std::trunc(d)) {
        cx.error("int_from_float",
                 "Input should be a valid integer, got a number with a fractional part", v);
        return false;
      }
      out = static_cast<long double>(d);
      break;
    }
    case json::kind::string:
      if (!parse_integer_text(v.get_string(), out)) {
        cx.error("int_parsing", int_parsing, v);
        return false;
      }
      break;
    default:
      cx.error("int_type", "Input should be a valid integer", v);
      return false;
  }
  return range_error(out, min, max, v, cx, is_unsigned);
}
}  // namespace

}  // namespace vivace::schema::detail

namespace vivace::schema {

std::optional<bool> bool_word(std::string_view s) noexcept {
  for (auto t : {"true", "1", "yes", "on", "t", "y"})
    if (iequals(s, t))
      return true;
  for (auto f : {"false", "0", "no", "off", "f", "n"})
    if (iequals(s, f))
      return false;
  return std::nullopt;
}

}  // namespace vivace::schema

namespace vivace::schema::detail {

bool decode_bool(const json::value& v, bool& out, decode_context& cx) {
  if (v.is_bool()) {
    out = v.get_bool();
    return true;
  }
  if (v.is_int64() && (v.get_int64() == 0 || v.get_int64() == 1)) {
    out = v.get_int64() == 1;
    return true;
  }
  if (v.is_string()) {
    if (auto b = bool_word(trim(v.get_string()))) {
      out = *b;
      return true;
    }
    cx.error("bool_parsing", "Input should be a valid boolean, unable to interpret input", v);
    return false;
  }
  cx.error("bool_type", "Input should be a valid boolean", v);
  return false;
}

bool decode_signed(const json::value& v, std::int64_t min, std::int64_t max, std::int64_t& out,
                   decode_context& cx) {
  long double x = 0;
  if (!decode_integer(v, min, static_cast<std::uint64_t>(max), false, x, cx))
    return false;
  out = v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(x);
  if (v.is_string()) {  // exact, not through long double
    auto s = trim(v.get_string());
    if (s.size() > 1 && s.front() == '+')
      s.remove_prefix(1);
    std::from_chars(s.data(), s.data() + s.size(), out);
  }
  return true;
}

bool decode_unsigned(const json::value& v, std::uint64_t max, std::uint64_t& out,
                     decode_context& cx) {
  long double x = 0;
  if (!decode_integer(v, 0, max, true, x, cx))
    return false;
  if (v.is_uint64())
    out = v.get_uint64();
  else if (v.is_int64())
    out = static_cast<std::uint64_t>(v.get_int64());
  else if (v.is_string()) {
    auto s = trim(v.get_string());
    if (s.size() > 1 && s.front() == '+')
      s.remove_prefix(1);
    std::from_chars(s.data(), s.data() + s.size(), out);
  } else
    out = static_cast<std::uint64_t>(x);
  return true;
}

bool decode_double(const json::value& v, bool allow_inf_nan, double& out, decode_context& cx) {
  switch (v.kind()) {
    case json::kind::int64:
      out = static_cast<double>(v.get_int64());
      return true;
    case json::kind::uint64:
      out = static_cast<double>(v.get_uint64());
      return true;
    case json::kind::double_:
      out = v.get_double();
      break;
    case json::kind::string: {
      auto s = trim(v.get_string());
      if (s.size() > 1 && s.front() == '+')
        s.remove_prefix(1);
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (s.empty() || end != s.data() + s.size() || ec != std::errc{}) {
        cx.error("float_parsing",
                 "Input should be a valid number, unable to parse string as a number", v);
        return false;
      }
      break;
    }
    default:
      cx.error("float_type", "Input should be a valid number", v);
      return false;
  }
  if (!allow_inf_nan && !std::isfinite(out)) {
    cx.error("finite_number", "Input should be a finite number", v);
    return false;
  }
  return true;
}

bool decode_string(const json::value& v, std::string& out, decode_context& cx) {
  if (!v.is_string()) {
    cx.error("string_type", "Input should be a valid string", v);
    return false;
  }
  const auto& text = v.get_string();
  // A JSON body was checked by Boost.JSON's parser; a form field, a multipart part or a value
  // made from parameters was not.
  if (!valid_utf8(text)) {
    cx.error("string_unicode", unicode_message, v);
    return false;
  }
  out.assign(text.data(), text.size());
  return true;
}

}  // namespace vivace::schema::detail

namespace vivace::schema {

namespace {
// The length of the ASCII prefix (one byte, one code point: the common case).
std::size_t ascii_prefix(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80)
    ++i;
  return i;
}
}  // namespace

bool valid_utf8(std::string_view s) noexcept {
  const auto rest = s.substr(ascii_prefix(s));
  return utf8::find_invalid(rest.begin(), rest.end()) == rest.end();
}

boost::json::value echo_text(std::string_view s) {
  if (valid_utf8(s))
    return boost::json::value(s);
  std::string out;
  out.reserve(s.size() + 8);
  utf8::replace_invalid(s.begin(), s.end(), std::back_inserter(out));
  return boost::json::value(std::move(out));
}

std::optional<std::size_t> utf8_length(std::string_view s) noexcept {
  if (!valid_utf8(s))
    return std::nullopt;
  const std::size_t ascii = ascii_prefix(s);
  const auto rest = s.substr(ascii);
  return ascii + static_cast<std::size_t>(utf8::unchecked::distance(rest.begin(), rest.end()));
}

}  // namespace vivace::schema

namespace vivace::schema::detail {

namespace {
std::size_t code_points(const std::string& s) {
  return utf8_length(s).value_or(s.size());
}
std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}
}  // namespace

bool check_min_len(const std::string& s, std::size_t n, decode_context& cx) {
  if (code_points(s) >= n)
    return true;
  cx.error("string_too_short", "String should have at least " + plural(n, "character"),
           json::value(s), json::object{{"min_length", n}});
  return false;
}

bool check_max_len(const std::string& s, std::size_t n, decode_context& cx) {
  if (code_points(s) <= n)
    return true;
  cx.error("string_too_long", "String should have at most " + plural(n, "character"),
           json::value(s), json::object{{"max_length", n}});
  return false;
}

compiled_pattern compile_pattern(std::string_view pattern) {
  // Boost.Regex bounds its own work on pathological input (it throws instead of running
  // away), which a server facing hostile input needs. Patterns live as long as the program:
  // they come from types, so there are only as many as the program declares.
  static std::mutex mu;
  static std::unordered_map<std::string, std::unique_ptr<boost::regex>> cache;
  std::lock_guard lock(mu);
  auto& slot = cache[std::string(pattern)];
  if (!slot)
    slot = std::make_unique<boost::regex>(pattern.begin(), pattern.end(), boost::regex::ECMAScript);
  return slot.get();
}

bool check_pattern(const std::string& s, compiled_pattern re, std::string_view pattern,
                   decode_context& cx) {
  bool matched = false;
  try {
    matched = boost::regex_search(s, *static_cast<const boost::regex*>(re));
  } catch (const std::runtime_error&) {
    matched = false;  // too complex to decide: refuse
  }
  if (matched)
    return true;
  cx.error("string_pattern_mismatch", "String should match pattern '" + std::string(pattern) + "'",
           json::value(s), json::object{{"pattern", pattern}});
  return false;
}

std::string quoted_choices(const std::string_view* choices, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0)
      out += i + 1 == count ? " or " : ", ";
    out += '\'';
    out += choices[i];
    out += '\'';
  }
  return out;
}

bool check_choices(const std::string& s, const std::string_view* choices, std::size_t count,
                   decode_context& cx) {
  for (std::size_t i = 0; i < count; ++i)
    if (choices[i] == s)
      return true;
  auto expected = quoted_choices(choices, count);
  cx.error("literal_error", "Input should be " + expected, json::value(s),
           json::object{{"expected", expected}});
  return false;
}

std::string format_number(const json::value& v) {
  if (v.is_int64())
    return std::to_string(v.get_int64());
  if (v.is_uint64())
    return std::to_string(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    if (d == std::trunc(d) && std::abs(d) < 1e16) {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, 1);
      return std::string(buf, end);
    }
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, end);
  }
  return json::serialize(v);
}

bool check_bound(double value, const json::value& input, int kind, double bound,
                 const json::value& bound_json, decode_context& cx) {
  static constexpr const char* types[] = {"greater_than_equal", "greater_than", "less_than_equal",
                                          "less_than", "multiple_of"};
  static constexpr const char* words[] = {"greater than or equal to", "greater than",
                                          "less than or equal to", "less than", "a multiple of"};
  static constexpr const char* keys[] = {"ge", "gt", "le", "lt", "multiple_of"};
  bool ok = false;
  switch (kind) {
    case 0:
      ok = value >= bound;
      break;
    case 1:
      ok = value > bound;
      break;
    case 2:
      ok = value <= bound;
      break;
    case 3:
      ok = value < bound;
      break;
    default: {
      double q = value / bound;
      ok = bound != 0 && std::abs(q - std::round(q)) < 1e-9;
    }
  }
  if (ok)
    return true;
  cx.error(types[kind],
           std::string("Input should be ") + words[kind] + " " + format_number(bound_json), input,
           json::object{{keys[kind], bound_json}});
  return false;
}

bool check_min_items(std::size_t size, std::size_t n, const json::value& input,
                     decode_context& cx) {
  if (size >= n)
    return true;
  cx.error("too_short",
           "List should have at least " + plural(n, "item") + " after validation, not " +
               std::to_string(size),
           input, json::object{{"field_type", "List"}, {"min_length", n}, {"actual_length", size}});
  return false;
}

bool check_max_items(std::size_t size, std::size_t n, const json::value& input,
                     decode_context& cx) {
  if (size <= n)
    return true;
  cx.error("too_long",
           "List should have at most " + plural(n, "item") + " after validation, not " +
               std::to_string(size),
           input, json::object{{"field_type", "List"}, {"max_length", n}, {"actual_length", size}});
  return false;
}

bool check_unique(const json::value& input, decode_context& cx) {
  if (!input.is_array())
    return true;
  std::set<std::string> seen;
  for (const auto& item : input.get_array())
    if (!seen.insert(json::serialize(item)).second) {
      cx.error("unique_items", "List should have unique items", input);
      return false;
    }
  return true;
}

// ---- durations ----

namespace {
constexpr std::int64_t ns_per_second = 1'000'000'000;

struct duration_unit {
  std::string_view suffix;
  std::int64_t ns;
  const char* name;  // for messages: "a whole number of <name>"
};
constexpr duration_unit duration_units[] = {
    {"ns", 1, "nanoseconds"},
    {"us", 1'000, "microseconds"},
    {"ms", 1'000'000, "milliseconds"},
    {"s", ns_per_second, "seconds"},
    {"m", 60 * ns_per_second, "minutes"},
    {"h", 3'600 * ns_per_second, "hours"},
    {"d", 86'400 * ns_per_second, "days"},
};

enum class duration_parse { ok, syntax, range };

// `[+-](digits unit)+` or `[+-]digits` (seconds), in nanoseconds.
duration_parse parse_duration_text(std::string_view s, std::int64_t& ns) {
  s = trim(s);
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty())
    return duration_parse::syntax;
  std::int64_t total = 0;
  bool first = true;
  bool range = false;
  while (!s.empty()) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (end == s.data())
      return duration_parse::syntax;
    range = range || ec == std::errc::result_out_of_range;
    s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    std::size_t k = 0;
    while (k < s.size() && s[k] >= 'a' && s[k] <= 'z')
      ++k;
    const std::string_view suffix = s.substr(0, k);
    s.remove_prefix(k);
    std::int64_t unit = 0;
    if (suffix.empty()) {
      if (!first || !s.empty())  // only a lone number may leave out its unit
        return duration_parse::syntax;
      unit = ns_per_second;
    }
    for (const auto& u : duration_units)
      if (u.suffix == suffix)
        unit = u.ns;
    if (unit == 0)
      return duration_parse::syntax;
    const auto room = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() - total);
    if (range || n > room / static_cast<std::uint64_t>(unit))
      range = true;
    else
      total += static_cast<std::int64_t>(n) * unit;
    first = false;
  }
  if (range)
    return duration_parse::range;
  ns = negative ? -total : total;
  return duration_parse::ok;
}

std::string unit_words(std::int64_t unit_ns) {
  for (const auto& u : duration_units)
    if (u.ns == unit_ns)
      return u.name;
  std::string out = "multiples of ";
  out += std::to_string(unit_ns);
  out += " nanoseconds";
  return out;
}
}  // namespace

bool decode_duration(const json::value& v, std::int64_t unit_ns, std::int64_t min_ticks,
                     std::int64_t max_ticks, std::int64_t& ticks, decode_context& cx) {
  constexpr auto max_ns = std::numeric_limits<std::int64_t>::max();
  std::int64_t ns = 0;
  bool out_of_range = false;
  switch (v.kind()) {
    case json::kind::int64:
      out_of_range =
          v.get_int64() > max_ns / ns_per_second || v.get_int64() < -max_ns / ns_per_second;
      if (!out_of_range)
        ns = v.get_int64() * ns_per_second;
      break;
    case json::kind::uint64:
      out_of_range = true;  // beyond int64 seconds
      break;
    case json::kind::double_: {
      const double d = v.get_double() * static_cast<double>(ns_per_second);
      if (!std::isfinite(d)) {
        cx.error("finite_number", "Input should be a finite number", v);
        return false;
      }
      out_of_range = std::abs(d) >= 9.2e18;
      if (!out_of_range)
        ns = std::llround(d);
      break;
    }
    case json::kind::string:
      switch (parse_duration_text(v.get_string(), ns)) {
        case duration_parse::ok:
          break;
        case duration_parse::range:
          out_of_range = true;
          break;
        case duration_parse::syntax:
          cx.error("time_delta_parsing",
                   "Input should be a valid duration: whole seconds, or numbers with units "
                   "(ns, us, ms, s, m, h, d) such as 30s, 5m, 1h30m or 1500ms",
                   v);
          return false;
      }
      break;
    default:
      cx.error("time_delta_type",
               "Input should be a valid duration: a number of seconds or text such as 30s", v);
      return false;
  }
  if (!out_of_range && ns % unit_ns != 0) {
    cx.error("time_delta_parsing",
             "Input should be a valid duration, a whole number of " + unit_words(unit_ns), v);
    return false;
  }
  if (!out_of_range) {
    ticks = ns / unit_ns;
    out_of_range = ticks < min_ticks || ticks > max_ticks;
  }
  if (out_of_range) {
    cx.error("time_delta_parsing", "Input should be a valid duration, out of range", v);
    return false;
  }
  return true;
}

json::value encode_duration(std::int64_t ticks, std::int64_t unit_ns) {
  constexpr auto max_ns = std::numeric_limits<std::int64_t>::max();
  if (unit_ns % ns_per_second == 0)
    return ticks * (unit_ns / ns_per_second);
  if (ticks > max_ns / unit_ns || ticks < -(max_ns / unit_ns))  // past 292 years of ticks
    return static_cast<double>(ticks) * static_cast<double>(unit_ns) / 1e9;
  const std::int64_t ns = ticks * unit_ns;
  if (ns % ns_per_second == 0)
    return ns / ns_per_second;
  const auto& u = ns % 1'000'000 == 0 ? duration_units[2]
                  : ns % 1'000 == 0   ? duration_units[1]
                                      : duration_units[0];
  std::string text = std::to_string(ns / u.ns);
  text += u.suffix;
  return json::value(text);
}

json::value duration_schema() {
  return json::object{
      {"anyOf",
       json::array{json::object{{"type", "number"}, {"description", "seconds"}},
                   json::object{{"type", "string"},
                                {"pattern", "^[+-]?[0-9]+$|^[+-]?([0-9]+(ns|us|ms|s|m|h|d))+$"}}}},
      {"description", "A duration: seconds, or numbers with units such as 30s, 5m, 1h30m, 1500ms"}};
}

}  // namespace vivace::schema::detail
