#pragma once
// Log in, refresh, log out (the FastAPI app's `services/auth_service.py`), with its bugs
// fixed: refresh tokens rotate and are single-use, logout revokes, failed logins are
// throttled per e-mail, and an unknown e-mail costs the same hashing work as a wrong password.

#include <string>

#include <vivace/db/session.hpp>

#include "core/security.hpp"
#include "models.hpp"
#include "schemas.hpp"

namespace blog::services {

/// @throws Error 401 "Incorrect email or password", 400 "Inactive user";
/// AppError 429 too_many_attempts.
Token login(vivace::db::Session& db, const Context& ctx, const std::string& email,
            const std::string& password);

/// A new pair for a valid, unused refresh token; the old one is spent.
/// @throws Error 401 "Invalid refresh token"
Token refresh(vivace::db::Session& db, const Context& ctx, const std::string& refresh_token);

/// Revokes the access token and every refresh token issued to the user so far.
void logout(vivace::db::Session& db, const Context& ctx, const UserRow& user,
            const std::string& access_token);

}  // namespace blog::services
