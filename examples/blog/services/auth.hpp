#pragma once
// Log in, refresh, log out (the FastAPI app's `services/auth_service.py`), with its bugs
// fixed: refresh tokens rotate and are single-use, logout revokes, failed logins are
// throttled per e-mail, and an unknown e-mail costs the same hashing work as a wrong password.

#include <optional>
#include <string>

#include <vivace/db/session.hpp>

#include "core/security.hpp"
#include "models.hpp"
#include "schemas.hpp"

namespace blog::services {

/// What a login knows before the password is checked.
struct LoginAttempt {
  std::string email;            ///< normalised: the throttle's key
  std::optional<UserRow> user;  ///< nobody for an unknown e-mail
};

/// Step 1 of a login (two cheap reads): refuses a throttled e-mail, finds the user.
/// @throws AppError 429 too_many_attempts
LoginAttempt login_begin(vivace::db::Session& db, const Context& ctx, const std::string& email);

/// The stored hash a login's password is verified against: the user's, or a dummy one for an
/// unknown e-mail (the same scrypt work either way).
const std::string& login_hash(const Context& ctx, const LoginAttempt& attempt);

/// Step 3, after the password was verified (step 2, on the CPU pool): records a failure, or
/// issues a token pair (storing `rehashed` when the hash was upgraded).
/// @throws Error 401 "Incorrect email or password", 400 "Inactive user"
Token login_finish(vivace::db::Session& db, const Context& ctx, const LoginAttempt& attempt,
                   bool password_ok, const std::optional<std::string>& rehashed);

/// A new pair for a valid, unused refresh token; the old one is spent.
/// @throws Error 401 "Invalid refresh token"
Token refresh(vivace::db::Session& db, const Context& ctx, const std::string& refresh_token);

/// Revokes the access token and every refresh token issued to the user so far.
void logout(vivace::db::Session& db, const Context& ctx, const UserRow& user,
            const std::string& access_token);

}  // namespace blog::services
