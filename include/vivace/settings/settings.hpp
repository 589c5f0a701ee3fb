#pragma once
/// @file
/// Typed settings, like pydantic's `BaseSettings`: a struct described with Boost.Describe,
/// read from the environment and a `.env` file (the environment wins) with the schema
/// layer's conversions and constraints. Every problem is reported at once, by variable name,
/// with secrets masked. No HTTP here: settings know the schema layer only.
///
/// @code
/// struct AppSettings {
///   vivace::Url database_url;
///   vivace::SecretStr secret_key;
///   vivace::Int<vivace::ge<1>, vivace::le<65535>> port = 8000;
///   std::chrono::seconds token_ttl = std::chrono::minutes(30);
///   std::vector<std::string> cors_origins;
/// };
/// BOOST_DESCRIBE_STRUCT(AppSettings, (), (database_url, secret_key, port, token_ttl,
///                                         cors_origins))
/// inline vivace::schema::model_options vivace_model(const AppSettings*) {
///   return {.fields = {{"port", {.has_default = true}},
///                      {"token_ttl", {.has_default = true}},
///                      {"cors_origins", {.has_default = true}}}};
/// }
///
/// auto settings = vivace::settings::load_settings<AppSettings>({.env_prefix = "APP_"});
/// @endcode

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/mp11/algorithm.hpp>

#include "vivace/schema/json.hpp"

namespace vivace::settings {

/// Where settings come from and how variables are named.
struct SettingsOptions {
  /// Put before every field name: `APP_` makes `database_url` read `APP_DATABASE_URL`.
  std::string env_prefix{};
  /// false (the default, as pydantic): `APP_PORT`, `app_port` and `App_Port` all match.
  /// true: the variable must be spelled exactly `env_prefix + field name`.
  bool case_sensitive = false;
  /// The dotenv file, relative to the working directory; nullopt: none. A missing file is
  /// fine unless `env_file_required`.
  std::optional<std::filesystem::path> env_file = std::filesystem::path(".env");
  /// true: a missing `env_file` is an `env_file_missing` problem.
  bool env_file_required = false;
  /// false: ignore the process environment (tests).
  bool read_environment = true;
  /// Variables that win over the process environment and the file (tests, command lines).
  std::map<std::string, std::string> environment_overrides{};
  /// Where a problem says an override came from (`got "abc" (from command line)`).
  std::string overrides_origin = "environment";
  /// true: a variable set to the empty string counts as not set (pydantic's
  /// `env_ignore_empty`); the next source, or the field's default, applies.
  bool env_ignore_empty = false;
};

/// One problem found while loading settings.
struct SettingsProblem {
  /// The variable as found (`APP_DATABASE_URL`, or as spelled in the environment), the
  /// expected name when it is missing, or empty for a problem of the file or of the model.
  std::string variable{};
  /// Where inside the variable's value, for lists and nested models: `[2]`, `["host"]`.
  boost::json::array loc{};
  /// The rule: the schema layer's error type (`missing`, `int_parsing`, `url_parsing`,
  /// `greater_than_equal`, ...) or `env_file_syntax`, `env_file_missing`, `env_file_unreadable`.
  std::string type{};
  /// A sentence for people: `Input should be a valid integer, ...`.
  std::string message{};
  /// The bad value as text (`**********` for secrets); nullopt when there is none (missing).
  std::optional<std::string> value{};
  /// Where the value came from: `environment`, `path/.env:12`; empty when missing.
  std::string origin{};

  /// The problem as one line, as `SettingsError::what()` lists it:
  /// `APP_PORT: Input should be ... [int_parsing], got "abc" (from environment)`.
  [[nodiscard]] std::string to_string() const;
};

/// Thrown by `load_settings` with every problem found; `what()` has one line per problem.
class SettingsError : public std::runtime_error {
 public:
  /// `what()` lists `problems`, one per line.
  explicit SettingsError(std::vector<SettingsProblem> problems);

  /// Every problem, in the order found.
  [[nodiscard]] const std::vector<SettingsProblem>& problems() const noexcept { return problems_; }

 private:
  std::vector<SettingsProblem> problems_;
};

/// One `KEY=value` of a dotenv file.
struct DotenvEntry {
  /// Spelled as in the file (`export ` dropped); when loading, a later repeat wins.
  std::string key;
  /// The value, unquoted and unescaped.
  std::string value;
  std::size_t line = 0;  ///< 1-based, where the entry starts
};

/// A parsed dotenv file: its entries in order and its malformed lines.
struct Dotenv {
  /// The entries, in file order (a repeated key appears each time).
  std::vector<DotenvEntry> entries;
  std::vector<SettingsProblem> problems;  ///< `env_file_syntax`, origin `file:line`
};

/// Parses dotenv text: `KEY=value`, `export KEY=value`, `#` comments, blank lines, single-quoted
/// (literal) and double-quoted values (escapes `\n`, `\r`, `\t`, `\"`, `\'`, `\\`; may span
/// lines). No variable interpolation. `file_name` only names the origin in problems.
[[nodiscard]] Dotenv parse_dotenv(std::string_view text, std::string_view file_name = ".env");

namespace detail {

/// How a variable's text becomes the JSON value the field's codec decodes.
enum class shape {
  text,  ///< a JSON string (scalars: the schema layer converts text in lax mode)
  list,  ///< JSON array text (`[1, 2]`) or comma-separated items
  json,  ///< JSON text (nested models, maps)
};

template <class M>
struct shape_of : std::integral_constant<shape, shape::text> {};
template <class M>
struct shape_of<std::optional<M>> : shape_of<M> {};
template <class M, class N>
struct shape_of<Patch<M, N>> : shape_of<M> {};
template <class M, class... Cs>
struct shape_of<Constrained<M, Cs...>> : shape_of<M> {};
template <class M>
struct shape_of<std::vector<M>> : std::integral_constant<shape, shape::list> {};
template <class M>
struct shape_of<std::map<std::string, M>> : std::integral_constant<shape, shape::json> {};
template <>
struct shape_of<boost::json::value> : std::integral_constant<shape, shape::json> {};
template <schema::described_struct M>
struct shape_of<M> : std::integral_constant<shape, shape::json> {};
template <class... Ms>
struct shape_of<std::variant<Ms...>>
    : std::integral_constant<shape, ((shape_of<Ms>::value == shape::text) && ...) ? shape::text
                                                                                  : shape::json> {};
template <fixed_string Tag, class... Ms>
struct shape_of<Discriminated<Tag, Ms...>> : std::integral_constant<shape, shape::json> {};

/// Whether a value of type `M` may hold a secret anywhere (then its text is never shown).
template <class M, int Depth = 0>
struct has_secret : std::false_type {};
template <class C, class M>
M member_type(M C::*);
template <class L, int Depth>
struct any_member_secret;
template <template <class...> class L, class... Ds, int Depth>
struct any_member_secret<L<Ds...>, Depth>
    : std::bool_constant<(has_secret<decltype(member_type(Ds::pointer)), Depth + 1>::value ||
                          ...)> {};
template <class... Cs, int Depth>
struct has_secret<Secret<Cs...>, Depth> : std::true_type {};
template <class M, int Depth>
struct has_secret<std::optional<M>, Depth> : has_secret<M, Depth> {};
template <class M, class N, int Depth>
struct has_secret<Patch<M, N>, Depth> : has_secret<M, Depth> {};
template <class M, class... Cs, int Depth>
struct has_secret<Constrained<M, Cs...>, Depth> : has_secret<M, Depth> {};
template <class M, int Depth>
struct has_secret<std::vector<M>, Depth> : has_secret<M, Depth + 1> {};
template <class M, int Depth>
struct has_secret<std::map<std::string, M>, Depth> : has_secret<M, Depth + 1> {};
template <class... Ms, int Depth>
struct has_secret<std::variant<Ms...>, Depth>
    : std::bool_constant<(has_secret<Ms, Depth + 1>::value || ...)> {};
template <fixed_string Tag, class... Ms, int Depth>
struct has_secret<Discriminated<Tag, Ms...>, Depth>
    : std::bool_constant<(has_secret<Ms, Depth + 1>::value || ...)> {};
template <schema::described_struct M, int Depth>
requires(Depth < 8) struct has_secret<M, Depth> : any_member_secret<schema::members_of<M>, Depth> {
};
// Deeper (or recursive) models are assumed to hold one: better masked than leaked.
template <schema::described_struct M, int Depth>
requires(Depth >= 8) struct has_secret<M, Depth> : std::true_type {
};

/// The non-template part of one load: the sources read once, each field's variable found and
/// its text turned into JSON, problems mapped back to variable names. In src/settings/.
class loader {
 public:
  /// Reads the process environment (if asked) and the dotenv file.
  explicit loader(const SettingsOptions& options);

  /// Looks up the variable of the field `wire` and, when set, puts its value into `input`.
  void add_field(std::string_view wire, shape s, bool secret, boost::json::object& input);

  /// No problem so far (file syntax, JSON text of a field).
  [[nodiscard]] bool clean() const noexcept;

  /// Throws a `SettingsError` with every problem: those found so far and `decode_errors`.
  [[noreturn]] void fail(std::vector<ValidationError> decode_errors) const;

 private:
  struct value_found {
    std::string key;
    std::string value;
    std::string origin;
  };
  struct field {
    std::string wire;
    std::string variable;
    bool secret = false;
    bool found = false;
    bool unparsed = false;  // its text was not valid JSON: decode errors about it are noise
    std::string text;
    std::string origin;
  };

  [[nodiscard]] std::optional<value_found> find(const std::string& name) const;
  [[nodiscard]] SettingsProblem problem_of(const ValidationError& e) const;

  std::string prefix_;
  bool case_sensitive_;
  bool ignore_empty_;
  std::map<std::string, std::string> overrides_;
  std::string overrides_origin_;
  std::map<std::string, std::string> environment_;
  std::map<std::string, std::pair<std::string, std::size_t>> file_;  // key -> (value, line)
  std::string file_name_;
  std::vector<SettingsProblem> file_problems_;
  std::vector<ValidationError> text_errors_;
  std::vector<field> fields_;
};

}  // namespace detail

/// Loads `T` from the environment and the dotenv file; throws `SettingsError` listing every
/// missing or invalid variable. Variable names are `env_prefix + field name` (or its alias);
/// fields are required unless `std::optional` or marked `has_default` in `vivace_model`.
template <class T>
T load_settings(const SettingsOptions& options = {}) {
  static_assert(schema::described_struct<T>,
                "vivace: settings are a struct described with BOOST_DESCRIBE_STRUCT");
  detail::loader source(options);
  boost::json::object input;
  const auto& model = schema::model_options_of<T>();
  boost::mp11::mp_for_each<schema::members_of<T>>([&](auto D) {
    using M = std::remove_cvref_t<decltype(std::declval<T&>().*D.pointer)>;
    source.add_field(schema::wire_name(model, D.name), detail::shape_of<M>::value,
                     detail::has_secret<M>::value, input);
  });
  auto r = schema::decode<T>(input);
  if (r && source.clean())
    return std::move(*r.value);
  source.fail(std::move(r.errors));
}

}  // namespace vivace::settings
