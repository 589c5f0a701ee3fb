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
/// Declares a scheme and the requirement on the route (`optional`: the route serves
/// anonymous requests too).
void declare(RouteInfo& info, std::string_view name, boost::json::object scheme,
             bool optional = false);
/// `user:password` from a Basic credential (standard base64), if well-formed.
std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view b64);
}  // namespace schemes::detail

/// An OAuth2 scope and its description, for `OAuth2PasswordBearer`.
template <fixed_string Name, fixed_string Description = "">
struct scope {
  /// The scope, as tokens carry it (`posts:write`).
  static constexpr std::string_view name = Name.view();
  /// What it allows, for the docs' Authorize dialog.
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

  /// The bearer token. Never adds errors.
  /// @throws HTTPException 401 `Not authenticated` with `WWW-Authenticate: Bearer` when there is
  /// none (unless `optional_token`).
  static std::optional<OAuth2PasswordBearer> extract(Request& req, params::error_list&) {
    auto t = schemes::detail::authorization(req, "Bearer");
    if (!t || t->empty()) {
      if constexpr ((std::is_same_v<Options, optional_token> || ...))
        return OAuth2PasswordBearer{};
      schemes::detail::not_authenticated("Bearer");
    }
    return OAuth2PasswordBearer{std::string(*t)};
  }
  /// Declares the `OAuth2PasswordBearer` scheme (password flow, `TokenUrl`, the scopes) and
  /// requires it on the route.
  static void describe(RouteInfo& info) {
    boost::json::object scopes;
    (schemes::detail::add_scope<Options>(scopes), ...);
    schemes::detail::declare(
        info, "OAuth2PasswordBearer",
        {{"type", "oauth2"},
         {"flows", {{"password", {{"tokenUrl", TokenUrl.view()}, {"scopes", scopes}}}}}},
        (std::is_same_v<Options, optional_token> || ...));
  }
};

/// The form of OAuth2's password grant (FastAPI's `OAuth2PasswordRequestForm`):
/// `grant_type` (optional, "password" when sent), `username`, `password`, `scope` (scopes
/// separated by spaces), `client_id`, `client_secret`. Take it as
/// `Form<OAuth2PasswordRequestForm>`.
struct OAuth2PasswordRequestForm {
  /// "password" when sent.
  std::optional<Str<pattern<"^password$">>> grant_type;
  /// Taken as sent: no trimming, no case folding.
  std::string username;
  /// The password (masked in errors and output).
  SecretStr password;
  /// The requested scopes, separated by spaces (empty when not sent).
  std::string scope;
  /// Only passed on: checking the client is the token route's work.
  std::optional<std::string> client_id;
  /// Masked like `password`; only passed on, as `client_id` is.
  std::optional<SecretStr> client_secret;

  /// `scope` split at spaces, empty parts skipped: `"a  b"` gives `a` and `b`.
  [[nodiscard]] std::vector<std::string> scopes() const;
};
BOOST_DESCRIBE_STRUCT(OAuth2PasswordRequestForm, (),
                      (grant_type, username, password, scope, client_id, client_secret))
/// The form's schema name and which fields may be absent (all but `username` and `password`).
schema::model_options vivace_model(const OAuth2PasswordRequestForm*);

/// `Authorization: <scheme> <credentials>` (FastAPI's `HTTPAuthorizationCredentials`).
struct HTTPAuthorizationCredentials {
  /// Always `Bearer` from `HTTPBearer`, in whatever case the client wrote it.
  std::string scheme;
  /// What follows the scheme (the token).
  std::string credentials;
};

/// HTTP bearer authentication (RFC 6750): `credentials` is the token. With `AutoError =
/// false` a missing token gives an empty `credentials` instead of the 401.
template <bool AutoError = true>
struct HTTPBearer {
  /// The scheme and token; empty only without `AutoError`.
  std::optional<HTTPAuthorizationCredentials> credentials;

  /// The bearer token. Never adds errors.
  /// @throws HTTPException 401 `Not authenticated` with `WWW-Authenticate: Bearer` when there is
  /// none (with `AutoError`).
  static std::optional<HTTPBearer> extract(Request& req, params::error_list&) {
    auto t = schemes::detail::authorization(req, "Bearer");
    if (!t || t->empty()) {
      if constexpr (AutoError)
        schemes::detail::not_authenticated("Bearer");
      return HTTPBearer{std::nullopt};
    }
    return HTTPBearer{HTTPAuthorizationCredentials{"Bearer", std::string(*t)}};
  }
  /// Declares the `HTTPBearer` scheme and requires it on the route.
  static void describe(RouteInfo& info) {
    schemes::detail::declare(info, "HTTPBearer", {{"type", "http"}, {"scheme", "bearer"}},
                             !AutoError);
  }
};

/// `username` and `password` of HTTP Basic authentication.
struct HTTPBasicCredentials {
  /// The user name (before the first `:`).
  std::string username;
  /// The password (after the first `:`).
  std::string password;
};

/// HTTP Basic authentication (RFC 7617), challenge `Basic realm="<Realm>"` (no realm when
/// empty). Check the password with a constant-time comparison (`password::verify`).
template <fixed_string Realm = "", bool AutoError = true>
struct HTTPBasic {
  /// The user name and password; empty only without `AutoError`.
  std::optional<HTTPBasicCredentials> credentials;

  /// The credentials of `Authorization: Basic`. Never adds errors.
  /// @throws HTTPException 401 `Not authenticated` with the `Basic` challenge when they are
  /// missing or malformed (with `AutoError`).
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
  /// Declares the `HTTPBasic` scheme and requires it on the route.
  static void describe(RouteInfo& info) {
    schemes::detail::declare(info, "HTTPBasic", {{"type", "http"}, {"scheme", "basic"}},
                             !AutoError);
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
  /// The key; empty only without `AutoError`.
  std::optional<std::string> key;

  /// The key called `Name`. Never adds errors.
  /// @throws HTTPException 401 `Not authenticated` with `WWW-Authenticate: APIKey` when it is
  /// missing or empty (with `AutoError`).
  static std::optional<APIKey> extract(Request& req, params::error_list&) {
    auto k = schemes::detail::api_key<In>(req, Name.view());
    if (!k || k->empty()) {
      if constexpr (AutoError)
        schemes::detail::not_authenticated("APIKey");
      return APIKey{std::nullopt};
    }
    return APIKey{std::string(*k)};
  }
  /// Declares the `APIKeyHeader`, `APIKeyQuery` or `APIKeyCookie` scheme and requires it on the
  /// route.
  static void describe(RouteInfo& info) {
    constexpr const char* where = In == ParamIn::header  ? "header"
                                  : In == ParamIn::query ? "query"
                                                         : "cookie";
    schemes::detail::declare(info, schemes::detail::api_key_scheme_name<In>(),
                             {{"type", "apiKey"}, {"in", where}, {"name", Name.view()}},
                             !AutoError);
  }
};
/// An API key in the header `Name`: `APIKeyHeader<"X-API-Key">`.
template <fixed_string Name, bool AutoError = true>
using APIKeyHeader = APIKey<ParamIn::header, Name, AutoError>;
/// `APIKeyQuery<"api_key">` reads `?api_key=...`; the key's name is matched case included.
template <fixed_string Name, bool AutoError = true>
using APIKeyQuery = APIKey<ParamIn::query, Name, AutoError>;
/// `APIKeyCookie<"session">` reads the `session` value of the `Cookie` header(s).
template <fixed_string Name, bool AutoError = true>
using APIKeyCookie = APIKey<ParamIn::cookie, Name, AutoError>;

}  // namespace vivace
