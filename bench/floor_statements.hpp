#pragma once
// The example's statements (examples/blog/services) as bench/sqlite_floor and bench/pg_floor
// run them, and the values they bind. Parameters are $1, $2...: PostgreSQL's, and SQLite reads
// them as parameters 1, 2... in the order they first appear.

#include <string>

namespace floor_statements {

inline const std::string select_posts =
    "SELECT p.id, p.title, p.content, p.excerpt, p.slug, p.published, p.author_id, "
    "p.created_at, p.updated_at, p.published_at, a.email AS a_email, a.username AS a_username, "
    "a.full_name AS a_full_name, a.bio AS a_bio, a.avatar_url AS a_avatar_url, "
    "a.is_active AS a_is_active, a.is_superuser AS a_is_superuser, a.created_at AS "
    "a_created_at, a.updated_at AS a_updated_at FROM posts p JOIN users a ON a.id = "
    "p.author_id ";
inline const std::string post_by_id = select_posts + "WHERE p.id = $1";
inline const std::string published = select_posts +
                                     "WHERE p.published = TRUE ORDER BY p.created_at DESC, "
                                     "p.id DESC LIMIT $1 OFFSET $2";
inline const std::string current_user =
    "SELECT u.* FROM users u WHERE u.id = $1 AND NOT EXISTS (SELECT 1 FROM revoked_tokens r "
    "WHERE r.jti = $2)";
// The free-slug search: SQLite's comparison is byte order already; PostgreSQL's byte-order
// operators use the text_pattern_ops index (migration 0002).
inline const std::string taken_slugs_sqlite =
    "SELECT slug FROM posts WHERE slug >= $1 AND slug < $2";
inline const std::string taken_slugs_postgresql =
    "SELECT slug FROM posts WHERE slug ~>=~ $1 AND slug ~<~ $2";
inline const std::string insert_post =
    "INSERT INTO posts (title, content, excerpt, slug, published, author_id, created_at, "
    "updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (slug) "
    "DO NOTHING RETURNING id, title, content, excerpt, slug, published, author_id, created_at, "
    "updated_at, published_at";
inline const std::string first_user = "SELECT id FROM users ORDER BY id LIMIT 1";
inline const std::string middle_post =
    "SELECT id FROM posts ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM posts)";

inline const std::string jti = "00000000-0000-4000-8000-000000000000";  // never revoked
inline const std::string content(432, 'A');  // bench/create_post.lua's content is 432 bytes
inline const std::string created_at = "2026-12-07T12:00:00.000000Z";

}  // namespace floor_statements
