#pragma once
// Users (the FastAPI app's `services/user_service.py`): no HTTP here; failures are
// blog::Error. Slow work (hashing) is not done here: the endpoints hash on the server's CPU
// pool between two database steps, holding no connection meanwhile.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include <vivace/db/session.hpp>

#include "core/security.hpp"
#include "models.hpp"
#include "schemas.hpp"

namespace blog::services {

/// E-mail addresses are compared (and stored) lower-cased.
[[nodiscard]] std::string normalized_email(std::string_view email);

[[nodiscard]] std::optional<UserRow> find_user(vivace::db::Session& db, std::int64_t id);
[[nodiscard]] std::optional<UserRow> find_user_by_email(vivace::db::Session& db,
                                                        std::string_view email);

/// Refuses an e-mail or username already taken (one cheap read each, before the slow hash).
/// @throws Error 400 "Email already registered" / "Username already taken"
void check_new_user(vivace::db::Session& db, const UserCreate& in);

/// Inserts a user whose password `hash` was made beforehand, in a transaction of its own (a
/// registration that slipped in since `check_new_user` is caught by the unique constraints).
/// @throws Error 400 "Email already registered" / "Username already taken"
UserRow insert_user(vivace::db::Session& db, const UserCreate& in, const std::string& hash,
                    bool superuser = false);

/// `check_new_user`, the hash (on this thread, outside a transaction: start-up work),
/// `insert_user`.
/// @throws Error 400 "Email already registered" / "Username already taken"
UserRow register_user(vivace::db::Session& db, const Context& ctx, const UserCreate& in,
                      bool superuser = false);

/// Applies the fields that were sent. @throws Error 400 "Email already registered"
UserRow update_user(vivace::db::Session& db, const UserRow& me, const UserUpdate& in);

/// Stores a new password hash (made, and the current password verified, beforehand).
void set_password(vivace::db::Session& db, const UserRow& me, const std::string& hash);

/// Checks an uploaded avatar (`filename`'s extension, `size`), has `save` write it under
/// UPLOAD_DIR/avatars with a name of our own, and sets `avatar_url`.
/// @throws Error 400 (extension), 413 (size)
UserRow set_avatar(vivace::db::Session& db, const Context& ctx, const UserRow& me,
                   std::string_view filename, std::uint64_t size,
                   const std::function<void(const std::filesystem::path&)>& save);

[[nodiscard]] std::vector<UserRow> list_users(vivace::db::Session& db, std::int64_t skip,
                                              std::int64_t limit);
/// @throws Error 404 "User not found"
void delete_user(vivace::db::Session& db, std::int64_t id);

/// Creates the superuser if no user has that e-mail (start-up, `create-superuser`). Returns
/// whether one was created.
bool ensure_superuser(vivace::db::Session& db, const Context& ctx, const std::string& email,
                      const std::string& username, const std::string& password);

}  // namespace blog::services
