#pragma once
// Request and response models with their rules (the FastAPI app's `schemas/`). Unknown keys
// in request bodies are ignored (pydantic's default), so `is_superuser`, `id` or
// `hashed_password` in a body never reach a row.

#include <cstdint>
#include <optional>
#include <string>

#include <boost/describe.hpp>
#include <vivace/schema/constraints.hpp>
#include <vivace/schema/default.hpp>
#include <vivace/schema/model.hpp>
#include <vivace/schema/patch.hpp>
#include <vivace/schema/secret.hpp>
#include <vivace/schema/types.hpp>

#include "models.hpp"

namespace blog {

using Username =
    vivace::Str<vivace::min_len<3>, vivace::max_len<50>, vivace::pattern<"^[A-Za-z0-9_-]+$">>;
using Password = vivace::Secret<vivace::min_len<8>>;
using Title = vivace::Str<vivace::min_len<3>, vivace::max_len<200>>;
using Content = vivace::Str<vivace::min_len<1>>;

struct User {
  std::int64_t id = 0;
  vivace::Email email;
  std::string username;
  std::optional<std::string> full_name;
  std::optional<std::string> bio;
  std::optional<std::string> avatar_url;
  bool is_active = true;
  bool is_superuser = false;
  vivace::DateTime created_at;
  vivace::DateTime updated_at;
};
BOOST_DESCRIBE_STRUCT(User, (),
                      (id, email, username, full_name, bio, avatar_url, is_active, is_superuser,
                       created_at, updated_at))

struct UserCreate {
  vivace::Email email;
  Username username;
  std::optional<std::string> full_name;
  std::optional<std::string> bio;
  std::optional<std::string> avatar_url;
  Password password;
};
BOOST_DESCRIBE_STRUCT(UserCreate, (), (email, username, full_name, bio, avatar_url, password))

/// Fields not sent stay as they are; `null` clears a nullable field (and is refused for
/// `email`, which cannot be empty).
struct UserUpdate {
  vivace::Patch<std::string> full_name;
  vivace::Patch<std::string> bio;
  vivace::Patch<std::string> avatar_url;
  vivace::Patch<vivace::Email, vivace::not_null> email;
};
BOOST_DESCRIBE_STRUCT(UserUpdate, (), (full_name, bio, avatar_url, email))

struct PasswordChange {
  vivace::SecretStr current_password;
  Password new_password;
};
BOOST_DESCRIBE_STRUCT(PasswordChange, (), (current_password, new_password))

struct Token {
  std::string access_token;
  std::string refresh_token;
  std::string token_type = "bearer";
  std::int64_t expires_in = 0;
};
BOOST_DESCRIBE_STRUCT(Token, (), (access_token, refresh_token, token_type, expires_in))

struct RefreshRequest {
  vivace::SecretStr refresh_token;
};
BOOST_DESCRIBE_STRUCT(RefreshRequest, (), (refresh_token))

struct Message {
  std::string message;
};
BOOST_DESCRIBE_STRUCT(Message, (), (message))

struct Health {
  std::string status;
  std::string version;
  std::string environment;
};
BOOST_DESCRIBE_STRUCT(Health, (), (status, version, environment))

/// A post's own columns and its author.
struct Post : PostColumns {
  User author;
};
BOOST_DESCRIBE_STRUCT(Post, (PostColumns), (author))

struct PostCreate {
  Title title;
  Content content;
  std::optional<std::string> excerpt;
  vivace::Default<bool> published = false;
};
BOOST_DESCRIBE_STRUCT(PostCreate, (), (title, content, excerpt, published))

/// Fields not sent stay as they are; only `excerpt` may be cleared with `null`.
struct PostUpdate {
  vivace::Patch<Title, vivace::not_null> title;
  vivace::Patch<Content, vivace::not_null> content;
  vivace::Patch<std::string> excerpt;
  vivace::Patch<bool, vivace::not_null> published;
};
BOOST_DESCRIBE_STRUCT(PostUpdate, (), (title, content, excerpt, published))

}  // namespace blog
