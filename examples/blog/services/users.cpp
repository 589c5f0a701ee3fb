#include "services/users.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>
#include <vivace/core/uuid.hpp>
#include <vivace/schema/json.hpp>

#include "core/errors.hpp"

namespace blog::services {

namespace db = vivace::db;

std::optional<UserRow> find_user(db::Session& s, std::int64_t id) {
  return s.one<UserRow>("SELECT * FROM users WHERE id = :id", id);
}

std::optional<UserRow> find_user_by_email(db::Session& s, std::string_view email) {
  return s.one<UserRow>("SELECT * FROM users WHERE email = :e", normalized_email(email));
}

std::string normalized_email(std::string_view email) {
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

namespace {
[[noreturn]] void duplicate(const db::UniqueViolation& e) {
  if (e.constraint().find("username") != std::string::npos)
    throw Error(ErrorKind::bad_request, "Username already taken");
  throw Error(ErrorKind::bad_request, "Email already registered");
}
}  // namespace

void check_new_user(db::Session& s, const UserCreate& in) {
  if (s.one<std::int64_t>("SELECT id FROM users WHERE email = :e",
                          normalized_email(in.email.value)))
    throw Error(ErrorKind::bad_request, "Email already registered");
  if (s.one<std::int64_t>("SELECT id FROM users WHERE username = :u", *in.username))
    throw Error(ErrorKind::bad_request, "Username already taken");
}

UserRow insert_user(db::Session& s, const UserCreate& in, const std::string& hash, bool superuser) {
  const std::string email = normalized_email(in.email.value);
  const auto t = vivace::DateTime::now();
  try {
    // One statement: the row as stored comes back with it.
    return s.transaction([&](db::Session& tx) {
      return *tx.one<UserRow>(
          "INSERT INTO users (email, username, hashed_password, full_name, bio, avatar_url, "
          "is_active, is_superuser, created_at, updated_at) VALUES (:e, :u, :h, :f, :b, :a, "
          "TRUE, :su, :c, :c2) RETURNING *",
          email, *in.username, hash, in.full_name, in.bio, in.avatar_url, superuser, t, t);
    });
  } catch (const db::UniqueViolation& e) {
    duplicate(e);
  }
}

UserRow register_user(db::Session& s, const Context& ctx, const UserCreate& in, bool superuser) {
  check_new_user(s, in);
  s.commit();  // no transaction (and on SQLite no lock) while the password is hashed
  return insert_user(s, in, vivace::password::hash(in.password.reveal(), ctx.hash_params),
                     superuser);
}

UserRow update_user(db::Session& s, const UserRow& me, const UserUpdate& in) {
  UserRow u = me;
  if (in.full_name.is_set())
    u.full_name = in.full_name.to_optional();
  if (in.bio.is_set())
    u.bio = in.bio.to_optional();
  if (in.avatar_url.is_set())
    u.avatar_url = in.avatar_url.to_optional();
  if (in.email.has_value())
    u.email = normalized_email(in.email.value().value);
  s.begin();
  if (u.email != me.email &&
      s.one<std::int64_t>("SELECT id FROM users WHERE email = :e AND id <> :id", u.email, me.id))
    throw Error(ErrorKind::bad_request, "Email already registered");
  try {
    s.execute(
        "UPDATE users SET full_name = :f, bio = :b, avatar_url = :a, email = :e, updated_at = :t "
        "WHERE id = :id",
        u.full_name, u.bio, u.avatar_url, u.email, vivace::DateTime::now(), me.id);
  } catch (const db::UniqueViolation& e) {
    duplicate(e);
  }
  return *find_user(s, me.id);
}

void set_password(db::Session& s, const UserRow& me, const std::string& hash) {
  s.execute("UPDATE users SET hashed_password = :h, updated_at = :t WHERE id = :id", hash,
            vivace::DateTime::now(), me.id);
}

UserRow set_avatar(db::Session& s, const Context& ctx, const UserRow& me, std::string_view filename,
                   std::uint64_t size,
                   const std::function<void(const std::filesystem::path&)>& save) {
  const auto& cfg = ctx.settings;
  std::string ext = std::filesystem::path(std::string(filename)).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto& allowed = cfg.allowed_extensions;
  if (ext.empty() || std::find(allowed.begin(), allowed.end(), ext) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed)
      list += (list.empty() ? "" : ", ") + a;
    throw Error(ErrorKind::bad_request, "File extension not allowed. Allowed: " + list);
  }
  if (size > static_cast<std::uint64_t>(*cfg.max_file_size))
    throw Error(ErrorKind::too_large,
                "File too large. Maximum size: " + std::to_string(*cfg.max_file_size) + " bytes");
  // A name of our own (never the client's), in UPLOAD_DIR/avatars.
  const auto dir = std::filesystem::path(cfg.upload_dir) / "avatars";
  std::filesystem::create_directories(dir);
  const std::string name = std::to_string(me.id) + "-" + vivace::Uuid::random().to_string() + ext;
  save(dir / name);
  const std::string url = "/uploads/avatars/" + name;
  s.begin();
  s.execute("UPDATE users SET avatar_url = :a, updated_at = :t WHERE id = :id", url,
            vivace::DateTime::now(), me.id);
  return *find_user(s, me.id);
}

std::vector<UserRow> list_users(db::Session& s, std::int64_t skip, std::int64_t limit) {
  return s.all<UserRow>("SELECT * FROM users ORDER BY id LIMIT :l OFFSET :o", limit, skip);
}

void delete_user(db::Session& s, std::int64_t id) {
  s.begin();
  if (s.execute("DELETE FROM users WHERE id = :id", id) == 0)
    throw Error(ErrorKind::not_found, "User not found");
}

bool ensure_superuser(db::Session& s, const Context& ctx, const std::string& email,
                      const std::string& username, const std::string& password) {
  // The same rules as a registration, reported by field.
  auto in = vivace::schema::decode<UserCreate>(
      boost::json::object{{"email", email}, {"username", username}, {"password", password}});
  if (!in) {
    std::string why;
    for (const auto& e : in.errors)
      why += (why.empty() ? "" : "; ") + boost::json::serialize(e.loc) + ": " + e.msg;
    throw std::invalid_argument(why);
  }
  if (find_user_by_email(s, in->email.value))
    return false;
  register_user(s, ctx, *in, true);
  return true;
}

}  // namespace blog::services
