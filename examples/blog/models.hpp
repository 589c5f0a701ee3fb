#pragma once
// Rows as the database stores them (the FastAPI app's `models/`). Read with
// `session.one<UserRow>(...)`; never sent to clients as they are (see schemas.hpp).

#include <cstdint>
#include <optional>
#include <string>

#include <boost/describe.hpp>
#include <vivace/schema/types.hpp>

namespace blog {

struct UserRow {
  std::int64_t id = 0;
  std::string email;
  std::string username;
  std::string hashed_password;
  std::optional<std::string> full_name;
  std::optional<std::string> bio;
  std::optional<std::string> avatar_url;
  bool is_active = true;
  bool is_superuser = false;
  vivace::DateTime created_at;
  vivace::DateTime updated_at;
};
BOOST_DESCRIBE_STRUCT(UserRow, (),
                      (id, email, username, hashed_password, full_name, bio, avatar_url, is_active,
                       is_superuser, created_at, updated_at))

/// A post's own columns (`posts`), as `INSERT ... RETURNING` gives them back.
struct PostColumns {
  std::int64_t id = 0;
  std::string title;
  std::string content;
  std::optional<std::string> excerpt;
  std::string slug;
  bool published = false;
  std::int64_t author_id = 0;
  vivace::DateTime created_at;
  vivace::DateTime updated_at;
  std::optional<vivace::DateTime> published_at;
};
BOOST_DESCRIBE_STRUCT(PostColumns, (),
                      (id, title, content, excerpt, slug, published, author_id, created_at,
                       updated_at, published_at))

/// A post with its author's columns (`a_` prefix): `SELECT <post_columns> FROM posts p JOIN
/// users a ...`.
struct PostRow : PostColumns {
  std::string a_email;
  std::string a_username;
  std::optional<std::string> a_full_name;
  std::optional<std::string> a_bio;
  std::optional<std::string> a_avatar_url;
  bool a_is_active = true;
  bool a_is_superuser = false;
  vivace::DateTime a_created_at;
  vivace::DateTime a_updated_at;
};
BOOST_DESCRIBE_STRUCT(PostRow, (PostColumns),
                      (a_email, a_username, a_full_name, a_bio, a_avatar_url, a_is_active,
                       a_is_superuser, a_created_at, a_updated_at))

/// The columns of `PostRow`, for `SELECT <post_columns> FROM posts p JOIN users a ...`.
inline constexpr const char* post_columns =
    "p.id, p.title, p.content, p.excerpt, p.slug, p.published, p.author_id, p.created_at, "
    "p.updated_at, p.published_at, a.email AS a_email, a.username AS a_username, "
    "a.full_name AS a_full_name, a.bio AS a_bio, a.avatar_url AS a_avatar_url, "
    "a.is_active AS a_is_active, a.is_superuser AS a_is_superuser, "
    "a.created_at AS a_created_at, a.updated_at AS a_updated_at";

}  // namespace blog
