#include "vivace/params/convert.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include <boost/json/object.hpp>

#include "vivace/params/body.hpp"
#include "vivace/params/form.hpp"
#include "vivace/schema/checks.hpp"

namespace vivace::params::detail {

namespace {
void add(error_list& errors, const char* type, const param_loc& loc, std::string msg,
         std::string_view input, boost::json::value ctx = nullptr) {
  errors.push_back({type, loc.to_json(), std::move(msg), schema::echo_text(input), std::move(ctx)});
}

// pydantic accepts "+5" and surrounding whitespace for integers in lax (string) mode.
std::string_view strip_plus(std::string_view s) noexcept {
  if (s.size() > 1 && s.front() == '+' && s[1] != '-')
    s.remove_prefix(1);
  return s;
}

constexpr const char* int_msg =
    "Input should be a valid integer, unable to parse string as an integer";
}  // namespace

bool check_utf8(std::string_view text, const param_loc& loc, error_list& errors) {
  if (schema::valid_utf8(text))
    return true;
  add(errors, "string_unicode", loc, schema::unicode_message, text);
  return false;
}

std::optional<std::int64_t> parse_signed(std::string_view text, std::int64_t min, std::int64_t max,
                                         const param_loc& loc, error_list& errors) {
  auto s = strip_plus(trim_ows(text));
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || end != s.data() + s.size() ||
      (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
    add(errors, "int_parsing", loc, int_msg, text);
    return std::nullopt;
  }
  const bool negative = !s.empty() && s.front() == '-';
  if (ec == std::errc::result_out_of_range || v < min || v > max) {
    if (negative)
      add(errors, "greater_than_equal", loc,
          "Input should be greater than or equal to " + std::to_string(min), text,
          boost::json::object{{"ge", min}});
    else
      add(errors, "less_than_equal", loc,
          "Input should be less than or equal to " + std::to_string(max), text,
          boost::json::object{{"le", max}});
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max,
                                            const param_loc& loc, error_list& errors) {
  auto s = strip_plus(trim_ows(text));
  if (!s.empty() && s.front() == '-') {
    // a well-formed negative integer is a range error, anything else a parsing error
    std::int64_t neg = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), neg);
    if (end == s.data() + s.size() && (ec == std::errc{} || ec == std::errc::result_out_of_range)) {
      add(errors, "greater_than_equal", loc, "Input should be greater than or equal to 0", text,
          boost::json::object{{"ge", 0}});
    } else {
      add(errors, "int_parsing", loc, int_msg, text);
    }
    return std::nullopt;
  }
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || end != s.data() + s.size() ||
      (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
    add(errors, "int_parsing", loc, int_msg, text);
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range || v > max) {
    add(errors, "less_than_equal", loc,
        "Input should be less than or equal to " + std::to_string(max), text,
        boost::json::object{{"le", max}});
    return std::nullopt;
  }
  return v;
}

std::optional<double> parse_double(std::string_view text, const param_loc& loc,
                                   error_list& errors) {
  auto s = strip_plus(trim_ows(text));
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || end != s.data() + s.size() || ec != std::errc{}) {
    add(errors, "float_parsing", loc,
        "Input should be a valid number, unable to parse string as a number", text);
    return std::nullopt;
  }
  if (!std::isfinite(v)) {
    add(errors, "finite_number", loc, "Input should be a finite number", text);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> parse_bool(std::string_view text, const param_loc& loc, error_list& errors) {
  if (auto b = schema::bool_word(trim_ows(text)))
    return b;
  add(errors, "bool_parsing", loc, "Input should be a valid boolean, unable to interpret input",
      text);
  return std::nullopt;
}

std::optional<Uuid> parse_uuid(std::string_view text, const param_loc& loc, error_list& errors) {
  if (auto u = Uuid::parse(trim_ows(text)))
    return u;
  add(errors, "uuid_parsing", loc, "Input should be a valid UUID, unable to parse string as a UUID",
      text);
  return std::nullopt;
}

void missing(const param_loc& loc, error_list& errors) {
  errors.push_back({"missing", loc.to_json(), "Field required", nullptr, nullptr});
}

boost::json::value schema_of_integer(std::int64_t min, std::uint64_t max) {
  boost::json::object o{{"type", "integer"}};
  // Only widths narrower than 64 bits get explicit bounds; int64/uint64 are JSON's integers.
  if (min != std::numeric_limits<std::int64_t>::min())
    o["minimum"] = min;
  if (max != std::numeric_limits<std::uint64_t>::max() &&
      max != static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    o["maximum"] = max;
  return o;
}

}  // namespace vivace::params::detail

namespace vivace::params::detail {
namespace {
// "type/subtype" of a Content-Type value, parameters (";charset=...") and spaces dropped.
std::string_view media_type(std::string_view ct) noexcept {
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && ct.back() == ' ')
    ct.remove_suffix(1);
  while (!ct.empty() && ct.front() == ' ')
    ct.remove_prefix(1);
  return ct;
}
}  // namespace

bool is_json_media_type(std::string_view ct) noexcept {
  ct = media_type(ct);
  if (iequals(ct, "application/json"))
    return true;
  return ct.size() > 17 && iequals(ct.substr(0, 12), "application/") &&
         iequals(ct.substr(ct.size() - 5), "+json");
}

bool is_form_media_type(std::string_view ct) noexcept {
  return iequals(media_type(ct), "application/x-www-form-urlencoded");
}
}  // namespace vivace::params::detail
