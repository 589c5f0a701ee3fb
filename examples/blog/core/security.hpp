#pragma once
// Tokens and the current-user dependencies (the FastAPI app's `core/security.py` and
// `api/deps.py`), on the library's OAuth2 scheme, JWT and scrypt.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <vivace/di/depends.hpp>
#include <vivace/di/scope.hpp>
#include <vivace/security/jwt.hpp>
#include <vivace/security/password.hpp>
#include <vivace/security/schemes.hpp>

#include "config.hpp"
#include "database.hpp"
#include "models.hpp"

namespace blog {

/// What every request shares: the settings, the signing key, the hashing cost.
struct Context {
  explicit Context(Settings s);

  Settings settings;
  vivace::jwt::Key key;
  vivace::password::Params hash_params;
  /// A hash of nothing anyone knows: verified against for unknown e-mails so that a login
  /// costs the same work whether the account exists or not.
  std::string dummy_hash;

  /// A hash of `password`, made on the server's CPU pool (no worker or I/O thread waits,
  /// 503 with Retry-After when the pool is full).
  [[nodiscard]] vivace::Task<std::string> hash_password(vivace::Request& req,
                                                        std::string password) const;

  /// A token and what it says.
  struct Signed {
    std::string token;  ///< empty from `verify`: the caller has it
    std::int64_t user_id = 0;
    std::string jti;
    std::chrono::system_clock::time_point expires;
  };
  /// A signed token of `type` ("access" or "refresh") for `user_id`, with a fresh `jti`.
  [[nodiscard]] Signed issue(std::int64_t user_id, std::string_view type) const;
  /// The claims of a valid token of `type`, or nothing (bad signature, expired, wrong type).
  [[nodiscard]] std::optional<Signed> verify(std::string_view token, std::string_view type) const;
};

using oauth2 = vivace::OAuth2PasswordBearer<"/api/v1/auth/login">;
using oauth2_optional = vivace::OAuth2PasswordBearer<"/api/v1/auth/login", vivace::optional_token>;

/// The user of a valid, unrevoked access token. 401 otherwise.
UserRow current_user(oauth2 token, Db db, vivace::Inject<Context> ctx);
/// ... who is active. 400 "Inactive user" otherwise.
UserRow current_active_user(vivace::Depends<current_user> user);
/// ... who is a superuser. 403 otherwise.
UserRow current_superuser(vivace::Depends<current_active_user> user);
/// The active user when a valid token is sent; nobody otherwise (no 401).
std::optional<UserRow> optional_user(oauth2_optional token, Db db, vivace::Inject<Context> ctx);

using CurrentUser = vivace::Depends<current_active_user>;
using Superuser = vivace::Depends<current_superuser>;
using OptionalUser = vivace::Depends<optional_user>;

}  // namespace blog
