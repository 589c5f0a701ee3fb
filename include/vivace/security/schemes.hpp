#pragma once
/// @file
/// Security schemes as handler/provider parameters (FastAPI's `fastapi.security`): each reads
/// its credential from the request, refuses with 401 and the right `WWW-Authenticate` when it
/// is missing (`AutoError`, the default) or gives an empty optional, and declares itself for
/// the OpenAPI document (`components.securitySchemes` and the operation's `security`).
///
/// @code
/// using oauth2 = vivace::OAuth2PasswordBearer<"/api/v1/auth/login",
///                                             vivace::scope<"posts:write", "Write posts">>;
/// User current_user(oauth2 token) { ... *token.token ... }
/// app.post<"/posts">([](vivace::Security<current_user, "posts:write"> user) { ... });
/// @endcode

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/describe.hpp>
#include <boost/json/object.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/core/fixed_string.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/routing/route_info.hpp"
#include "vivace/schema/constraints.hpp"
#include "vivace/schema/model.hpp"
#include "vivace/schema/secret.hpp"

namespace vivace {

namespace schemes::detail {
/// The credentials after `<scheme> ` in `Authorization` (case-insensitive scheme), if any.
std::optional<std::string_view> authorization(const Request& req, std::string_view scheme);
/// 401 {"detail":"Not authenticated"} with `WWW-Authenticate: <challenge>`.
[[noreturn]] void not_authenticated(std::string challenge);
/// Declares a scheme and the requirement on the route.
void declare(RouteInfo& info, std::string_view name, boost::json::object scheme);
/// `user:password` from a Basic credential (standard base64), if well-formed.
std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view b64);
}  // namespace schemes::detail

/// An OAuth2 scope and its description, for `OAuth2PasswordBearer`.
template <fixed_string Name, fixed_string Description = "">
struct scope {
  static constexpr std::string_view name = Name.view();
  static constexpr std::string_view description = Description.view();
};

/// Among an `OAuth2PasswordBearer`'s arguments: a missing token is an empty `token` instead
/// of the 401 (FastAPI's `auto_error=False`), for routes that also serve anonymous users.
struct optional_token {};

namespace schemes::detail {
template <class S>
constexpr bool is_scope = !std::is_same_v<S, optional_token>;
template <class S>
void add_scope(boost::json::object& scopes) {
  if constexpr (is_scope<S>)
    scopes[S::name] = S::description;
}
}  // namespace schemes::detail

/// OAuth2's password flow with bearer tokens (RFC 6749 §4.3, RFC 6750): the token from
/// `Authorization: Bearer <token>`. `TokenUrl` is where clients (and Swagger UI's Authorize
/// button) post an `OAuth2PasswordRequestForm`. `Options` are `scope<...>`s for the docs and,
/// optionally, `optional_token`.
template <fixed_string TokenUrl, class... Options>
struct OAuth2PasswordBearer {
  std::string token;  ///< empty only with `optional_token` when none was sent

  static std::optional<OAuth2PasswordBearer> extract(Request& req, params::error_list&) {
    auto t = schemes::detail::authorization(req, "Bearer");
    if (!t || t->empty()) {
      if constexpr ((std::is_same_v<Options, optional_token> || ...))
        return OAuth2PasswordBearer{};
      schemes::detail::not_authenticated("Bearer");
    }
    return OAuth2PasswordBearer{std::string(*t)};
  }
  static void describe(RouteInfo& info) {
    boost::json::object scopes;
    (schemes::detail::add_scope<Options>(scopes), ...);
    schemes::detail::declare(
        info, "OAuth2PasswordBearer",
        {{"type", "oauth2"},
         {"flows", {{"password", {{"tokenUrl", TokenUrl.view()}, {"scopes", scopes}}}}}});
  }
};

/// The form of OAuth2's password grant (FastAPI's `OAuth2PasswordRequestForm`):
/// `grant_type` (optional, "password" when sent), `username`, `password`, `scope` (scopes
/// separated by spaces), `client_id`, `client_secret`. Take it as
/// `Form<OAuth2PasswordRequestForm>`.
struct OAuth2PasswordRequestForm {
  std::optional<Str<pattern<"^password$">>> grant_type;
  std::string username;
  SecretStr password;
  std::string scope;
  std::optional<std::string> client_id;
  std::optional<SecretStr> client_secret;

  /// The requested scopes.
  [[nodiscard]] std::vector<std::string> scopes() const;
};
BOOST_DESCRIBE_STRUCT(OAuth2PasswordRequestForm, (),
                      (grant_type, username, password, scope, client_id, client_secret))
schema::model_options vivace_model(const OAuth2PasswordRequestForm*);

/// `Authorization: <scheme> <credentials>` (FastAPI's `HTTPAuthorizationCredentials`).
struct HTTPAuthorizationCredentials {
  std::string scheme;
  std::string credentials;
};

/// HTTP bearer authentication (RFC 6750): `credentials` is the token. With `AutoError =
/// false` a missing token gives an empty `credentials` instead of the 401.
template <bool AutoError = true>
struct HTTPBearer {
  std::optional<HTTPAuthorizationCredentials> credentials;

  static std::optional<HTTPBearer> extract(Request& req, params::error_list&) {
    auto t = schemes::detail::authorization(req, "Bearer");
    if (!t || t->empty()) {
      if constexpr (AutoError)
        schemes::detail::not_authenticated("Bearer");
      return HTTPBearer{std::nullopt};
    }
    return HTTPBearer{HTTPAuthorizationCredentials{"Bearer", std::string(*t)}};
  }
  static void describe(RouteInfo& info) {
    schemes::detail::declare(info, "HTTPBearer", {{"type", "http"}, {"scheme", "bearer"}});
  }
};

/// `username` and `password` of HTTP Basic authentication.
struct HTTPBasicCredentials {
  std::string username;
  std::string password;
};

/// HTTP Basic authentication (RFC 7617), challenge `Basic realm="<Realm>"` (no realm when
/// empty). Check the password with a constant-time comparison (`password::verify`).
template <fixed_string Realm = "", bool AutoError = true>
struct HTTPBasic {
  std::optional<HTTPBasicCredentials> credentials;

  static std::optional<HTTPBasic> extract(Request& req, params::error_list&) {
    auto t = schemes::detail::authorization(req, "Basic");
    std::optional<std::pair<std::string, std::string>> pair;
    if (t)
      pair = schemes::detail::basic_credentials(*t);
    if (!pair) {
      if constexpr (AutoError)
        schemes::detail::not_authenticated(
            Realm.view().empty() ? std::string{"Basic"}
                                 : "Basic realm=\"" + std::string{Realm.view()} + "\"");
      return HTTPBasic{std::nullopt};
    }
    return HTTPBasic{HTTPBasicCredentials{std::move(pair->first), std::move(pair->second)}};
  }
  static void describe(RouteInfo& info) {
    schemes::detail::declare(info, "HTTPBasic", {{"type", "http"}, {"scheme", "basic"}});
  }
};

namespace schemes::detail {
template <ParamIn In>
std::optional<std::string_view> api_key(const Request& req, std::string_view name) {
  if constexpr (In == ParamIn::header)
    return req.headers.get(name);
  else if constexpr (In == ParamIn::query)
    return req.query().get(name);
  else
    return req.cookie(name);
}
template <ParamIn In>
constexpr const char* api_key_scheme_name() {
  return In == ParamIn::header  ? "APIKeyHeader"
         : In == ParamIn::query ? "APIKeyQuery"
                                : "APIKeyCookie";
}
}  // namespace schemes::detail

/// An API key in a header, the query or a cookie. `key` is empty (with `AutoError = false`)
/// or the key; a missing key is a 401 with `WWW-Authenticate: APIKey`.
template <ParamIn In, fixed_string Name, bool AutoError = true>
struct APIKey {
  std::optional<std::string> key;

  static std::optional<APIKey> extract(Request& req, params::error_list&) {
    auto k = schemes::detail::api_key<In>(req, Name.view());
    if (!k || k->empty()) {
      if constexpr (AutoError)
        schemes::detail::not_authenticated("APIKey");
      return APIKey{std::nullopt};
    }
    return APIKey{std::string(*k)};
  }
  static void describe(RouteInfo& info) {
    constexpr const char* where = In == ParamIn::header  ? "header"
                                  : In == ParamIn::query ? "query"
                                                         : "cookie";
    schemes::detail::declare(info, schemes::detail::api_key_scheme_name<In>(),
                             {{"type", "apiKey"}, {"in", where}, {"name", Name.view()}});
  }
};
template <fixed_string Name, bool AutoError = true>
using APIKeyHeader = APIKey<ParamIn::header, Name, AutoError>;
template <fixed_string Name, bool AutoError = true>
using APIKeyQuery = APIKey<ParamIn::query, Name, AutoError>;
template <fixed_string Name, bool AutoError = true>
using APIKeyCookie = APIKey<ParamIn::cookie, Name, AutoError>;

}  // namespace vivace
