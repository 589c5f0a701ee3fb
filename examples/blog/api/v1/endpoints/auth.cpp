// /auth: register, login (OAuth2 password form), refresh, logout.

#include <vivace/vivace.hpp>

#include "api/v1/api.hpp"
#include "services/auth.hpp"
#include "services/users.hpp"

namespace blog::api {

vivace::Router auth_router() {
  vivace::Router r({.prefix = "/auth", .tags = {"auth"}});

  r.post<"/register">(
      [](vivace::Body<UserCreate> in, Db db, vivace::Inject<Context> ctx) {
        return User::from(services::register_user(*db, *ctx, *in));
      },
      {.name = "register", .summary = "Register a new user"});

  r.post<"/login">(
      [](vivace::Form<vivace::OAuth2PasswordRequestForm> form, Db db, vivace::Inject<Context> ctx) {
        return services::login(*db, *ctx, form->username, form->password.reveal());
      },
      {.name = "login",
       .summary = "Log in with e-mail and password (OAuth2 password flow)",
       .description = "`username` is the e-mail address. After LOGIN_MAX_FAILURES failures "
                      "for one e-mail within the window: 429 with `Retry-After`."});

  r.post<"/refresh">(
      [](vivace::Body<RefreshRequest> in, Db db, vivace::Inject<Context> ctx) {
        return services::refresh(*db, *ctx, in->refresh_token.reveal());
      },
      {.name = "refresh_token",
       .summary = "A new token pair for a refresh token (which is then spent)"});

  r.post<"/logout">(
      [](CurrentUser user, oauth2 token, Db db, vivace::Inject<Context> ctx) {
        services::logout(*db, *ctx, *user, token.token);
        return Message{"Successfully logged out"};
      },
      {.name = "logout",
       .summary = "Revoke this access token and every refresh token issued so far"});
  return r;
}

}  // namespace blog::api
