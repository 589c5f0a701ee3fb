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

}  // namespace blog
