#pragma once
/// @file
/// Route metadata as plain data: what request handling and the OpenAPI generator both read.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace vivace::schema {
class schema_registry;
}  // namespace vivace::schema

namespace vivace {

/// Builds a JSON Schema into a registry (named types become `$ref`s into it).
using schema_builder = std::function<boost::json::value(schema::schema_registry&)>;

/// The request body a route expects.
struct BodyInfo {
  std::string media_type{};  ///< `application/json`, `application/x-www-form-urlencoded`, ...
  bool required = true;      ///< an empty body is an error
  schema_builder schema{};   ///< the body's JSON Schema
};

/// Where a parameter comes from.
enum class ParamIn { path, query, header, cookie };

/// One analysed handler parameter (from its extractor type).
struct ParamInfo {
  std::string name{};                            ///< the wire name: `user_id`, `X-Token`
  ParamIn in = ParamIn::query;                   ///< its location
  bool required = true;                          ///< false for optional or defaulted ones
  boost::json::value schema{};                   ///< JSON Schema of the value
  std::optional<boost::json::value> default_{};  ///< the default, when there is one
};

/// A documented extra response of a route (`responses={404: {...}}` in FastAPI).
struct ResponseInfo {
  std::string description{};
};

/// What a user says about a route, beside its handler. An aggregate, so that
/// `{.summary = "Read a user", .tags = {"users"}}` works.
struct RouteOptions {
  std::string name{};                          ///< operation name; defaults from method and path
  std::string summary{};                       ///< one line for the docs
  std::string description{};                   ///< longer text for the docs
  std::vector<std::string> tags{};             ///< OpenAPI tags
  std::optional<int> status_code{};            ///< success status; 200 (204 for `void`) if unset
  bool deprecated = false;                     ///< marked deprecated in the docs
  bool include_in_schema = true;               ///< false hides the route from OpenAPI
  std::string response_class{};                ///< media type of the success response
  std::optional<std::size_t> max_body_size{};  ///< overrides the app's body limit (413 above)
  std::map<int, ResponseInfo> responses{};     ///< extra documented responses
};

/// Everything known about one route, as data.
struct RouteInfo {
  std::string method{};              ///< `GET`, `POST`, ...
  std::string path{};                ///< the full template, prefixes included
  RouteOptions options{};            ///< what the user declared
  std::vector<ParamInfo> params{};   ///< analysed from the handler's parameter types
  std::optional<BodyInfo> body{};    ///< the request body, when the handler takes one
  schema_builder response_schema{};  ///< the success response's schema (typed returns)
  int default_status = 200;          ///< the status when `options.status_code` is unset
  [[nodiscard]] int status() const noexcept { return options.status_code.value_or(default_status); }
};

}  // namespace vivace
