// /auth: register, login (OAuth2 password form), refresh, logout.

#include <vivace/vivace.hpp>

#include "api/v1/api.hpp"
#include "services/auth.hpp"
#include "services/users.hpp"

namespace blog::api {

vivace::Router auth_router() {
  vivace::Router r({.prefix = "/auth", .tags = {"auth"}});

  // The handlers that hash are coroutines: the database steps run on the worker pool
  // (`db->run`), the hash on the CPU pool, and no connection is held while it runs.
  r.post<"/register">(
      [](vivace::Body<UserCreate> in, Db db, vivace::Inject<Context> ctx,
         vivace::Request& req) -> vivace::Task<User> {
        co_await db->run([&](vivace::db::Session& s) {
          services::check_new_user(s, *in);
        });
        const std::string hash = co_await ctx->hash_password(req, in->password.reveal());
        co_return vivace::schema::convert<User>(co_await db->run([&](vivace::db::Session& s) {
          return services::insert_user(s, *in, hash);
        }));
      },
      {.summary = "Register a new user"});

  r.post<"/login">(
      [](vivace::Form<vivace::OAuth2PasswordRequestForm> form, Db db, vivace::Inject<Context> ctx,
         vivace::Request& req) -> vivace::Task<Token> {
        const auto attempt = co_await db->run([&](vivace::db::Session& s) {
          return services::login_begin(s, *ctx, form->username);
        });
        const std::string& stored = services::login_hash(*ctx, attempt);
        const bool ok =
            co_await vivace::password::verify_async(req, form->password.reveal(), stored);
        // Stored with other scrypt parameters: upgrade it while the password is at hand.
        std::optional<std::string> rehashed;
        if (ok && attempt.user && vivace::password::needs_rehash(stored, ctx->hash_params))
          rehashed = co_await ctx->hash_password(req, form->password.reveal());
        co_return co_await db->run([&](vivace::db::Session& s) {
          return services::login_finish(s, *ctx, attempt, ok, rehashed);
        });
      },
      {.summary = "Log in with e-mail and password (OAuth2 password flow)",
       .description = "`username` is the e-mail address. After LOGIN_MAX_FAILURES failures "
                      "for one e-mail within the window: 429 with `Retry-After`."});

  r.post<"/refresh">(
      [](vivace::Body<RefreshRequest> in, Db db, vivace::Inject<Context> ctx) {
        return services::refresh(*db, *ctx, in->refresh_token.reveal());
      },
      {.summary = "A new token pair for a refresh token (which is then spent)"});

  r.post<"/logout">(
      [](CurrentUser user, oauth2 token, Db db, vivace::Inject<Context> ctx) {
        services::logout(*db, *ctx, *user, token.token);
        return Message{"Successfully logged out"};
      },
      {.summary = "Revoke this access token and every refresh token issued so far"});
  return r;
}

}  // namespace blog::api
