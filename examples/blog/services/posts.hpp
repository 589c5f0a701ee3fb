#pragma once
// Posts (the FastAPI app's `services/post_service.py`): unique slugs under concurrency,
// drafts visible to their author and superusers only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <vivace/db/session.hpp>

#include "models.hpp"
#include "schemas.hpp"

namespace blog::services {

/// @throws Error 404 "Post not found" when it does not exist or `viewer` may not see it.
[[nodiscard]] Post get_post(vivace::db::Session& db, std::int64_t id,
                            const std::optional<UserRow>& viewer);
[[nodiscard]] Post get_post_by_slug(vivace::db::Session& db, const std::string& slug,
                                    const std::optional<UserRow>& viewer);

/// Published posts, newest first.
[[nodiscard]] std::vector<Post> list_published(vivace::db::Session& db, std::int64_t skip,
                                               std::int64_t limit,
                                               std::optional<std::int64_t> author_id);
/// The author's posts, drafts included, newest first.
[[nodiscard]] std::vector<Post> list_own(vivace::db::Session& db, std::int64_t author_id);

/// The search of create_post for the slugs taken among `base`, `base-2`, `base-3`... (and any
/// other `base-...`); its parameters are `base` and `base + "."`. Declared for the test that
/// reads its query plan.
[[nodiscard]] const char* taken_slugs_statement(vivace::db::Backend backend);

Post create_post(vivace::db::Session& db, const UserRow& author, const PostCreate& in);
/// @throws Error 404 (missing, or a draft `user` may not see), 403 (not the author)
Post update_post(vivace::db::Session& db, const UserRow& user, std::int64_t id,
                 const PostUpdate& in);
void delete_post(vivace::db::Session& db, const UserRow& user, std::int64_t id);

}  // namespace blog::services
