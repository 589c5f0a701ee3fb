#include "schemas.hpp"

namespace blog {

User User::from(const UserRow& r) {
  return User{r.id,        vivace::Email{r.email}, r.username,   r.full_name, r.bio, r.avatar_url,
              r.is_active, r.is_superuser,         r.created_at, r.updated_at};
}

Post Post::from(const PostRow& r) {
  // The author from the row's `a_` columns, through the same builder as any user.
  return from(
      r, UserRow{r.author_id, r.a_email, r.a_username, "", r.a_full_name, r.a_bio, r.a_avatar_url,
                 r.a_is_active, r.a_is_superuser, r.a_created_at, r.a_updated_at});
}

Post Post::from(const PostColumns& r, const UserRow& author) {
  Post p;
  p.id = r.id;
  p.title = r.title;
  p.content = r.content;
  p.excerpt = r.excerpt;
  p.slug = r.slug;
  p.published = r.published;
  p.author_id = r.author_id;
  p.created_at = r.created_at;
  p.updated_at = r.updated_at;
  p.published_at = r.published_at;
  p.author = User::from(author);
  return p;
}

vivace::schema::model_options vivace_model(const PostCreate*) {
  return {.fields = {{"published", {.has_default = true}}}};
}

void vivace_validate(const UserUpdate& u, vivace::schema::model_errors& errors) {
  if (u.email.is_null())
    errors.add("email", "Input should be a valid email address, not null", nullptr, "value_error");
}

void vivace_validate(const PostUpdate& u, vivace::schema::model_errors& errors) {
  if (u.title.is_null())
    errors.add("title", "Input should be a valid string, not null", nullptr, "string_type");
  if (u.content.is_null())
    errors.add("content", "Input should be a valid string, not null", nullptr, "string_type");
  if (u.published.is_null())
    errors.add("published", "Input should be a valid boolean, not null", nullptr, "bool_type");
}

}  // namespace blog
