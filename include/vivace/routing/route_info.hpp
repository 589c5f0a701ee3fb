#pragma once
/// @file
/// Route metadata as plain data: what request handling and the OpenAPI generator both read.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/core/task.hpp"

namespace vivace::schema {
class schema_registry;
}  // namespace vivace::schema

namespace vivace {

class Request;

/// Builds a JSON Schema into a registry (named types become `$ref`s into it).
using schema_builder = std::function<boost::json::value(schema::schema_registry&)>;

/// The request body a route expects.
struct BodyInfo {
  std::string media_type{};  ///< `application/json`, `application/x-www-form-urlencoded`, ...
  bool required = true;      ///< an empty body is an error
  schema_builder schema{};   ///< the body's JSON Schema (the text fields of a form)
  /// File parts of a `multipart/form-data` body (`format: binary` in OpenAPI).
  struct file_field {
    /// The property in the documented multipart schema: the part's `name=` a client sends.
    std::string name{};
    /// Whether at least one file must be sent.
    bool required = true;
    bool multiple = false;  ///< several files under one name
  };
  /// The file parts, in parameter order.
  std::vector<file_field> files{};
};

/// A security requirement of an operation: a scheme's name and the scopes asked for.
struct SecurityRequirement {
  /// The security scheme's name in `components.securitySchemes`.
  std::string scheme{};
  /// The OAuth2 scopes asked for (empty for other schemes).
  std::vector<std::string> scopes{};
  /// The route also serves requests without these credentials (a scheme without auto-error,
  /// FastAPI's `auto_error=False`). When every requirement of a route is optional, its
  /// document lists `{}` (no security) as an alternative.
  bool optional = false;
};

struct RouteInfo;

/// A dependency that runs for a route without giving the handler a value (FastAPI's
/// `dependencies=[Depends(...)]` on a route, a router or the app). Made by
/// `vivace::dependency<provider>()`.
struct RouteDependency {
  /// Resolves the dependency, adding validation errors to the list; throws to refuse.
  std::function<Task<void>(Request&, std::vector<ValidationError>&)> run{};
  /// Adds its parameters and security requirements to the route's description.
  std::function<void(RouteInfo&)> describe{};
};

/// A response model different from the returned type (FastAPI's `response_model`): the
/// returned value is encoded, then read back as the model, which keeps only its fields.
/// Made by `vivace::response_model<T>()`.
struct ResponseModel {
  /// The model's JSON Schema, documented as the success response.
  schema_builder schema{};
  /// JSON of the returned value → JSON of the model.
  /// @throws std::runtime_error when the value does not fit the model (a 500).
  std::function<boost::json::value(const boost::json::value&, bool exclude_unset,
                                   bool exclude_none)>
      filter{};
};

/// Where a parameter comes from.
enum class ParamIn { path, query, header, cookie };

/// One analysed handler parameter (from its extractor type).
struct ParamInfo {
  std::string name{};                            ///< the wire name: `user_id`, `X-Token`
  ParamIn in = ParamIn::query;                   ///< `path` ones are documented as required
  bool required = true;                          ///< false for optional or defaulted ones
  boost::json::value schema{};                   ///< JSON Schema of the value
  std::optional<boost::json::value> default_{};  ///< documented only; extraction applies its own
};

/// A documented extra response of a route (`responses={404: {"model": Message}}` in FastAPI).
struct ResponseInfo {
  /// The response's description; the status code's reason phrase when empty.
  std::string description{};
  schema_builder model{};  ///< the body's schema: `vivace::model_schema<Message>()`
  /// Used only with a `model`: without one, the response is documented without content.
  std::string media_type = "application/json";
};

/// What the docs say about one parameter beyond its type (FastAPI's `Query(description=...)`).
struct ParamDoc {
  /// The parameter's OpenAPI `description`; left out when empty.
  std::string description{};
  /// Shown as it is, not checked against the parameter's type.
  std::optional<boost::json::value> example{};
  /// Only the docs change: the parameter is still read.
  bool deprecated = false;
};

/// What a user says about a route, beside its handler. An aggregate, so that
/// `{.summary = "Read a user", .tags = {"users"}}` works.
struct RouteOptions {
  std::string name{};                ///< the handler's name: `read_item` (docs, operationId)
  std::string operation_id{};        ///< explicit OpenAPI operationId (unique)
  std::string summary{};             ///< one line for the docs
  std::string description{};         ///< longer text for the docs
  std::vector<std::string> tags{};   ///< OpenAPI tags
  std::optional<int> status_code{};  ///< success status; 200 (204 for `void`) if unset
  bool deprecated = false;           ///< only in the docs: the route still answers
  bool include_in_schema = true;     ///< false hides the route from OpenAPI
  std::string response_class{};      ///< documented media type only; `Content-Type` is unchanged
  std::optional<std::size_t> max_body_size{};  ///< overrides the app's body limit (413 above)
  std::map<int, ResponseInfo> responses{};     ///< extra documented responses
  /// Descriptions and examples of parameters, by wire name (`{"q", {.description = ...}}`).
  std::map<std::string, ParamDoc> param_docs{};
  /// Merged into the route's OpenAPI operation last (FastAPI's `openapi_extra`).
  boost::json::object openapi_extra{};
  /// Dependencies run before the handler's own parameters, values discarded.
  std::vector<RouteDependency> dependencies{};
  /// Filter the returned value through this model (and document it as the response).
  std::optional<ResponseModel> response_model{};
  bool response_model_exclude_unset = false;  ///< omit fields that were not set
  bool response_model_exclude_none = false;   ///< omit fields that are null
  /// A handler returning an empty `std::optional` answers 404 `{"detail":"Not Found"}`
  /// (otherwise `null` with the success status).
  bool not_found_if_empty = false;
  /// A plain handler that computes rather than waits (hashing, image work, a big encode): it
  /// runs on the server's CPU pool instead of the worker pool, with the plain providers that
  /// share its trip (see `ServerConfig::cpu_workers`; 503 with `Retry-After` when full).
  bool cpu_bound = false;
  /// A plain handler (and its plain providers; for a coroutine handler, its plain providers)
  /// that only reads from SQLite: that plain work runs on the I/O thread, saving the trip to
  /// the worker pool and back. Whatever would block there
  /// (a PostgreSQL query, a write or a transaction, a read past `DatabaseOptions::inline_budget`,
  /// a locked database, a full connection pool, a password hash) throws `WouldBlock`: what the
  /// attempt added to the request is undone and the work runs again from the start on the
  /// worker pool. So the work must be repeatable: read first, then set headers or cookies on a
  /// `ResponseHandle` (a cookie added before a read that moves is added twice). A route whose
  /// work always blocks (every PostgreSQL query, a write) stops trying after its first request.
  bool run_inline = false;
};

/// Everything known about one route, as data.
struct RouteInfo {
  std::string method{};                         ///< `GET`, `POST`, ...
  std::string path{};                           ///< the full template, prefixes included
  RouteOptions options{};                       ///< what the user declared
  std::vector<ParamInfo> params{};              ///< analysed from the handler's parameter types
  std::optional<BodyInfo> body{};               ///< the request body, when the handler takes one
  schema_builder response_schema{};             ///< the success response's schema (typed returns)
  int default_status = 200;                     ///< the status when `options.status_code` is unset
  std::vector<SecurityRequirement> security{};  ///< from `Security<...>` dependencies
  /// Security schemes the route's dependencies use: name → OpenAPI security scheme object.
  std::map<std::string, boost::json::value> security_schemes{};
  /// The success status: the declared one, else the default.
  [[nodiscard]] int status() const noexcept { return options.status_code.value_or(default_status); }

  /// Adds a parameter unless one with the same name and location is already there (a
  /// header needed by several dependencies is documented once).
  void add_param(ParamInfo p) {
    for (const auto& q : params)
      if (q.in == p.in && q.name == p.name)
        return;
    params.push_back(std::move(p));
  }
  /// Adds a security requirement; the scopes of one scheme are merged.
  void add_security(SecurityRequirement r) {
    for (auto& q : security)
      if (q.scheme == r.scheme) {
        q.optional = q.optional && r.optional;  // required once is required
        for (auto& s : r.scopes)
          if (std::find(q.scopes.begin(), q.scopes.end(), s) == q.scopes.end())
            q.scopes.push_back(std::move(s));
        return;
      }
    security.push_back(std::move(r));
  }
  /// Merges the description of a dependency (made into a separate `RouteInfo`).
  void merge(RouteInfo&& from) {
    for (auto& p : from.params)
      add_param(std::move(p));
    if (from.body && !body) {
      body = std::move(from.body);
    } else if (from.body) {
      for (auto& f : from.body->files)
        body->files.push_back(std::move(f));
      if (!body->schema)
        body->schema = std::move(from.body->schema);
    }
    for (auto& r : from.security)
      add_security(std::move(r));
    for (auto& [k, v] : from.security_schemes)
      security_schemes.try_emplace(k, std::move(v));
  }
};

}  // namespace vivace
