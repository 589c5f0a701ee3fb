#include "services/auth.hpp"

#include <cmath>

#include <vivace/schema/types.hpp>

#include "core/errors.hpp"
#include "services/users.hpp"

namespace blog::services {

namespace db = vivace::db;

namespace {
struct FailureStats {
  std::int64_t n = 0;
  std::optional<vivace::DateTime> oldest;
};
BOOST_DESCRIBE_STRUCT(FailureStats, (), (n, oldest))

// An access and a refresh token; the refresh token is recorded so that it can be spent once
// and revoked.
Token issue_pair(db::Session& s, const Context& ctx, std::int64_t user_id) {
  auto access = ctx.issue(user_id, "access");
  auto refresh = ctx.issue(user_id, "refresh");
  s.execute(
      "INSERT INTO refresh_tokens (jti, user_id, expires_at, revoked) VALUES "
      "(:j, :u, :e, FALSE)",
      refresh.jti, user_id, refresh.expires);
  return Token{access.token, refresh.token, "bearer",
               static_cast<std::int64_t>(*ctx.settings.access_token_expire_minutes) * 60};
}
}  // namespace

LoginAttempt login_begin(db::Session& s, const Context& ctx, const std::string& email_text) {
  const auto& cfg = ctx.settings;
  // The key of the throttle: the e-mail as registration normalises it.
  auto parsed = vivace::Email::parse(email_text);
  LoginAttempt out{normalized_email(parsed ? parsed->value : email_text), std::nullopt};
  const auto window = std::chrono::seconds(*cfg.login_failure_window_seconds);
  const auto t = std::chrono::system_clock::now();
  auto stats = s.one<FailureStats>(
      "SELECT COUNT(*) AS n, MIN(failed_at) AS oldest FROM login_failures WHERE email = :e AND "
      "failed_at > :since",
      out.email, t - window);
  if (stats && stats->n >= *cfg.login_max_failures && stats->oldest) {
    const auto wait = stats->oldest->utc + window - t;
    const auto secs = std::max<long long>(
        1, static_cast<long long>(std::ceil(std::chrono::duration<double>(wait).count())));
    throw AppError(
        429, "too_many_attempts",
        "Too many failed login attempts. Try again in " + std::to_string(secs) + " seconds.",
        {{"retry_after", secs}}, secs);
  }
  if (parsed)
    out.user = find_user_by_email(s, out.email);
  return out;
}

const std::string& login_hash(const Context& ctx, const LoginAttempt& attempt) {
  return attempt.user ? attempt.user->hashed_password : ctx.dummy_hash;
}

Token login_finish(db::Session& s, const Context& ctx, const LoginAttempt& attempt,
                   bool password_ok, const std::optional<std::string>& rehashed) {
  if (!attempt.user || !password_ok) {
    // Autocommit: the failure is recorded although the request fails.
    s.execute("INSERT INTO login_failures (email, failed_at) VALUES (:e, :t)", attempt.email,
              vivace::DateTime::now());
    throw Error(ErrorKind::unauthorized, "Incorrect email or password");
  }
  const UserRow& user = *attempt.user;
  if (!user.is_active)
    throw Error(ErrorKind::bad_request, "Inactive user");
  return s.transaction([&](db::Session& tx) {
    tx.execute("DELETE FROM login_failures WHERE email = :e", attempt.email);
    if (rehashed)
      tx.execute("UPDATE users SET hashed_password = :h WHERE id = :id", *rehashed, user.id);
    return issue_pair(tx, ctx, user.id);
  });
}

Token refresh(db::Session& s, const Context& ctx, const std::string& refresh_token) {
  auto claims = ctx.verify(refresh_token, "refresh");
  if (!claims)
    throw Error(ErrorKind::unauthorized, "Invalid refresh token");
  return s.transaction([&](db::Session& tx) {
    // Spend it: of several concurrent refreshes with one token, exactly one changes the row.
    const auto spent = tx.execute(
        "UPDATE refresh_tokens SET revoked = TRUE WHERE jti = :j AND user_id = :u AND "
        "revoked = FALSE",
        claims->jti, claims->user_id);
    if (spent != 1)
      throw Error(ErrorKind::unauthorized, "Invalid refresh token");
    auto user = find_user(tx, claims->user_id);
    if (!user || !user->is_active)
      throw Error(ErrorKind::unauthorized, "Invalid refresh token");
    return issue_pair(tx, ctx, user->id);
  });
}

void logout(db::Session& s, const Context& ctx, const UserRow& user,
            const std::string& access_token) {
  auto claims = ctx.verify(access_token, "access");
  s.transaction([&](db::Session& tx) {
    if (claims)
      tx.execute("INSERT INTO revoked_tokens (jti, expires_at) VALUES (:j, :e)", claims->jti,
                 claims->expires);
    tx.execute("UPDATE refresh_tokens SET revoked = TRUE WHERE user_id = :u AND revoked = FALSE",
               user.id);
    // Expired rows are of no use any more: keep the tables small.
    const auto t = vivace::DateTime::now();
    tx.execute("DELETE FROM revoked_tokens WHERE expires_at < :t", t);
    tx.execute("DELETE FROM refresh_tokens WHERE user_id = :u AND expires_at < :t", user.id, t);
  });
}

}  // namespace blog::services
