#include "core/security.hpp"

#include <boost/describe.hpp>

#include <vivace/core/errors.hpp>
#include <vivace/core/uuid.hpp>

namespace blog {

namespace {
[[noreturn]] void invalid_credentials() {
  throw vivace::HTTPException(401, "Could not validate credentials",
                              {{"WWW-Authenticate", "Bearer"}});
}

std::optional<UserRow> user_of_token(std::string_view token, vivace::db::Session& db,
                                     const Context& ctx) {
  auto claims = ctx.verify(token, "access");
  if (!claims)
    return std::nullopt;
  // One query: the user, unless this token was revoked (logout).
  return db.one<UserRow>(
      "SELECT u.* FROM users u WHERE u.id = :id AND NOT EXISTS "
      "(SELECT 1 FROM revoked_tokens r WHERE r.jti = :jti)",
      claims->user_id, claims->jti);
}
}  // namespace

Context::Context(Settings s)
    : settings(std::move(s)),
      key(vivace::jwt::Key::hmac(vivace::jwt::Algorithm::HS256, settings.signing_secret())) {
  hash_params.log2_n = static_cast<unsigned>(*settings.password_hash_cost);
  dummy_hash = vivace::password::hash(vivace::Uuid::random().to_string(), hash_params);
}

vivace::Task<std::string> Context::hash_password(vivace::Request& req, std::string password) const {
  return vivace::password::hash_async(req, std::move(password), hash_params);
}

Context::Signed Context::issue(std::int64_t user_id, std::string_view type) const {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto minutes = type == "refresh" ? *settings.refresh_token_expire_minutes
                                         : *settings.access_token_expire_minutes;
  Signed out{{}, user_id, vivace::Uuid::random().to_string(), now + std::chrono::minutes(minutes)};
  const auto secs = [](system_clock::time_point t) {
    return duration_cast<seconds>(t.time_since_epoch()).count();
  };
  out.token = vivace::jwt::sign({{"sub", std::to_string(user_id)},
                                 {"type", type},
                                 {"jti", out.jti},
                                 {"iat", secs(now)},
                                 {"exp", secs(out.expires)}},
                                key);
  return out;
}

namespace {
// The claims this app signs, decoded by the schema layer (`sub` is the user id as text).
struct TokenClaims {
  vivace::Str<vivace::pattern<"^[1-9][0-9]{0,17}$">> sub;
  std::string jti;
  std::int64_t exp = 0;
};
BOOST_DESCRIBE_STRUCT(TokenClaims, (), (sub, jti, exp))
}  // namespace

std::optional<Context::Signed> Context::verify(std::string_view token,
                                               std::string_view type) const {
  try {
    const auto c = vivace::jwt::verify_as<TokenClaims>(
        token, key,
        {.algorithms = {vivace::jwt::Algorithm::HS256}, .token_type = std::string(type)});
    return Signed{{},
                  std::stoll(*c.sub),
                  c.jti,
                  std::chrono::system_clock::time_point(std::chrono::seconds(c.exp))};
  } catch (const vivace::jwt::VerifyError&) {
    return std::nullopt;
  }
}

UserRow current_user(oauth2 token, Db db, vivace::Inject<Context> ctx) {
  auto user = user_of_token(token.token, *db, *ctx);
  if (!user)
    invalid_credentials();
  return std::move(*user);
}

UserRow current_active_user(vivace::Depends<current_user> user) {
  if (!user->is_active)
    throw vivace::HTTPException(400, "Inactive user");
  return *user;
}

UserRow current_superuser(vivace::Depends<current_active_user> user) {
  if (!user->is_superuser)
    throw vivace::HTTPException(403, "Not enough permissions");
  return *user;
}

std::optional<UserRow> optional_user(oauth2_optional token, Db db, vivace::Inject<Context> ctx) {
  if (token.token.empty())
    return std::nullopt;
  auto user = user_of_token(token.token, *db, *ctx);
  if (user && !user->is_active)
    return std::nullopt;
  return user;
}

}  // namespace blog
