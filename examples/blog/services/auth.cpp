#include "services/auth.hpp"

#include <cmath>

#include <vivace/schema/types.hpp>

#include "core/clock.hpp"
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

sys_us to_us(std::chrono::system_clock::time_point t) {
  return std::chrono::floor<std::chrono::microseconds>(t);
}

// An access and a refresh token; the refresh token is recorded so that it can be spent once
// and revoked.
Token issue_pair(db::Session& s, const Context& ctx, std::int64_t user_id) {
  auto access = ctx.issue(user_id, "access");
  auto refresh = ctx.issue(user_id, "refresh");
  s.execute(
      "INSERT INTO refresh_tokens (jti, user_id, expires_at, revoked) VALUES "
      "(:j, :u, :e, FALSE)",
      refresh.jti, user_id, db_time(to_us(refresh.expires)));
  return Token{access.token, refresh.token, "bearer",
               static_cast<std::int64_t>(*ctx.settings.access_token_expire_minutes) * 60};
}

[[noreturn]] void incorrect() {
  throw Error(ErrorKind::unauthorized, "Incorrect email or password");
}
}  // namespace

Token login(db::Session& s, const Context& ctx, const std::string& email_text,
            const std::string& password) {
  const auto& cfg = ctx.settings;
  // The key of the throttle: the e-mail as registration normalises it.
  auto parsed = vivace::Email::parse(email_text);
  const std::string email = normalized_email(parsed ? parsed->value : email_text);
  const auto window = std::chrono::seconds(*cfg.login_failure_window_seconds);
  const auto t = now();
  auto stats = s.one<FailureStats>(
      "SELECT COUNT(*) AS n, MIN(failed_at) AS oldest FROM login_failures WHERE email = :e AND "
      "failed_at > :since",
      email, db_time(t - window));
  if (stats && stats->n >= *cfg.login_max_failures && stats->oldest) {
    const auto wait = stats->oldest->utc + window - t;
    const auto secs = std::max<long long>(
        1, static_cast<long long>(std::ceil(std::chrono::duration<double>(wait).count())));
    throw AppError(
        429, "too_many_attempts",
        "Too many failed login attempts. Try again in " + std::to_string(secs) + " seconds.",
        {{"retry_after", secs}}, secs);
  }
  auto user = parsed ? find_user_by_email(s, email) : std::nullopt;
  // The same scrypt work whether or not the account exists.
  const bool ok = vivace::password::verify(password, user ? user->hashed_password : ctx.dummy_hash);
  if (!user || !ok) {
    s.execute("INSERT INTO login_failures (email, failed_at) VALUES (:e, :t)", email,
              db_time(now()));
    incorrect();
  }
  if (!user->is_active)
    throw Error(ErrorKind::bad_request, "Inactive user");
  // Stored with other scrypt parameters: upgrade it while the password is at hand (hashed
  // before the transaction begins, so no lock is held meanwhile).
  std::optional<std::string> rehashed;
  if (vivace::password::needs_rehash(user->hashed_password, ctx.hash_params))
    rehashed = ctx.hash_password(password);
  s.begin();
  s.execute("DELETE FROM login_failures WHERE email = :e", email);
  if (rehashed)
    s.execute("UPDATE users SET hashed_password = :h WHERE id = :id", *rehashed, user->id);
  return issue_pair(s, ctx, user->id);
}

Token refresh(db::Session& s, const Context& ctx, const std::string& refresh_token) {
  auto claims = ctx.verify(refresh_token, "refresh");
  if (!claims)
    throw Error(ErrorKind::unauthorized, "Invalid refresh token");
  s.begin();
  // Spend it: of several concurrent refreshes with one token, exactly one changes the row.
  const auto spent = s.execute(
      "UPDATE refresh_tokens SET revoked = TRUE WHERE jti = :j AND user_id = :u AND "
      "revoked = FALSE",
      claims->jti, claims->user_id);
  if (spent != 1)
    throw Error(ErrorKind::unauthorized, "Invalid refresh token");
  auto user = find_user(s, claims->user_id);
  if (!user || !user->is_active)
    throw Error(ErrorKind::unauthorized, "Invalid refresh token");
  return issue_pair(s, ctx, user->id);
}

void logout(db::Session& s, const Context& ctx, const UserRow& user,
            const std::string& access_token) {
  auto claims = ctx.verify(access_token, "access");
  s.begin();
  if (claims)
    s.execute("INSERT INTO revoked_tokens (jti, expires_at) VALUES (:j, :e)", claims->jti,
              db_time(to_us(claims->expires)));
  s.execute("UPDATE refresh_tokens SET revoked = TRUE WHERE user_id = :u AND revoked = FALSE",
            user.id);
  // Expired rows are of no use any more: keep the tables small.
  const std::string t = db_time(now());
  s.execute("DELETE FROM revoked_tokens WHERE expires_at < :t", t);
  s.execute("DELETE FROM refresh_tokens WHERE user_id = :u AND expires_at < :t", user.id, t);
}

}  // namespace blog::services
