#include "services/posts.hpp"

#include <set>

#include <vivace/core/slug.hpp>
#include <vivace/schema/json.hpp>

#include "core/errors.hpp"

namespace blog::services {

namespace db = vivace::db;

namespace {

// A post and its author in one row: the author's columns named `author.<field>` are read
// straight into `Post::author`.
const std::string select_posts =
    "SELECT p.*, a.id AS \"author.id\", a.email AS \"author.email\", a.username AS "
    "\"author.username\", a.full_name AS \"author.full_name\", a.bio AS \"author.bio\", "
    "a.avatar_url AS \"author.avatar_url\", a.is_active AS \"author.is_active\", "
    "a.is_superuser AS \"author.is_superuser\", a.created_at AS \"author.created_at\", "
    "a.updated_at AS \"author.updated_at\" FROM posts p JOIN users a ON a.id = p.author_id ";
// The statements, made once (not concatenated on every call).
const std::string post_by_id = select_posts + "WHERE p.id = :id";
const std::string post_by_slug = select_posts + "WHERE p.slug = :s";
const std::string published_by_author =
    select_posts +
    "WHERE p.published = TRUE AND p.author_id = :a ORDER BY p.created_at DESC, p.id DESC LIMIT "
    ":l OFFSET :o";
const std::string published =
    select_posts +
    "WHERE p.published = TRUE ORDER BY p.created_at DESC, p.id DESC LIMIT :l OFFSET :o";
const std::string by_author =
    select_posts + "WHERE p.author_id = :a ORDER BY p.created_at DESC, p.id DESC";

// `base`, then `base-2`, `base-3`, ...
std::string slug_candidate(const std::string& base, int n) {
  return n <= 1 ? base : base + "-" + std::to_string(n);
}

bool may_see(const Post& p, const std::optional<UserRow>& viewer) {
  return p.published || (viewer && (viewer->id == p.author_id || viewer->is_superuser));
}

Post visible(std::optional<Post> row, const std::optional<UserRow>& viewer) {
  if (!row || !may_see(*row, viewer))
    throw Error(ErrorKind::not_found, "Post not found");
  return std::move(*row);
}

// The post `user` may change. 404 when missing or invisible to them, 403 when not theirs.
Post editable(db::Session& s, const UserRow& user, std::int64_t id) {
  auto row = s.one<Post>(post_by_id, id);
  if (!row || !may_see(*row, user))
    throw Error(ErrorKind::not_found, "Post not found");
  if (row->author_id != user.id && !user.is_superuser)
    throw Error(ErrorKind::forbidden, "Not enough permissions");
  return std::move(*row);
}

}  // namespace

Post get_post(db::Session& s, std::int64_t id, const std::optional<UserRow>& viewer) {
  return visible(s.one<Post>(post_by_id, id), viewer);
}

Post get_post_by_slug(db::Session& s, const std::string& slug,
                      const std::optional<UserRow>& viewer) {
  return visible(s.one<Post>(post_by_slug, slug), viewer);
}

std::vector<Post> list_published(db::Session& s, std::int64_t skip, std::int64_t limit,
                                 std::optional<std::int64_t> author_id) {
  if (author_id)
    return s.all<Post>(published_by_author, *author_id, limit, skip);
  return s.all<Post>(published, limit, skip);
}

std::vector<Post> list_own(db::Session& s, std::int64_t author_id) {
  return s.all<Post>(by_author, author_id);
}

const char* taken_slugs_statement(db::Backend backend) {
  // Slugs hold only a-z, 0-9 and '-', and '.' is the character after '-': the slugs from
  // `base` (included) to `base.` (excluded) are `base` and `base-...`, one range of an index.
  // A range with parameters is served from the index by a prepared statement's generic plan
  // too; `LIKE :p` (or SQLite's `GLOB :p`) is not: PostgreSQL's generic plan for it is a
  // sequential scan (a POST cost more the more posts there were), and SQLite prepares such a
  // statement again whenever the pattern changes. PostgreSQL compares byte by byte (`~>=~`,
  // `~<~`, served by posts_slug_pattern, migration 0002) whatever the database's collation;
  // SQLite's default comparison already is.
  return backend == db::Backend::sqlite
             ? "SELECT slug FROM posts WHERE slug >= :b AND slug < :e"
             : "SELECT slug FROM posts WHERE slug ~>=~ :b AND slug ~<~ :e";
}

Post create_post(db::Session& s, const UserRow& author, const PostCreate& in) {
  std::string base = vivace::slugify(*in.title);
  if (base.empty())
    base = "post";  // a title without Latin letters or digits
  const auto t = vivace::DateTime::now();
  const auto published_at = in.published ? std::optional(t) : std::nullopt;
  for (;;) {
    std::set<std::string> taken;
    for (auto& slug : s.all<std::string>(taken_slugs_statement(s.backend()), base, base + "."))
      taken.insert(std::move(slug));
    int n = 1;
    while (taken.count(slug_candidate(base, n)))
      ++n;
    // One statement, atomic on its own, so no transaction (and on SQLite no write lock) spans
    // the search: when a concurrent request took the slug since, the unique index makes this
    // insert nothing and we search again.
    auto row = s.one<PostColumns>(
        "INSERT INTO posts (title, content, excerpt, slug, published, author_id, created_at, "
        "updated_at, published_at) VALUES (:t, :c, :e, :s, :p, :a, :ct, :ut, :pt) "
        "ON CONFLICT (slug) DO NOTHING RETURNING id, title, content, excerpt, slug, published, "
        "author_id, created_at, updated_at, published_at",
        *in.title, *in.content, in.excerpt, slug_candidate(base, n), in.published, author.id, t, t,
        published_at);
    if (!row)
      continue;
    return Post{*row, vivace::schema::convert<User>(author)};  // the current user
  }
}

Post update_post(db::Session& s, const UserRow& user, std::int64_t id, const PostUpdate& in) {
  s.begin();
  Post p = editable(s, user, id);
  if (in.title.has_value())
    p.title = *in.title.value();
  if (in.content.has_value())
    p.content = *in.content.value();
  if (in.excerpt.is_set())
    p.excerpt = in.excerpt.to_optional();
  const auto t = vivace::DateTime::now();
  if (in.published.has_value()) {
    p.published = in.published.value();
    if (p.published && !p.published_at)
      p.published_at = t;  // the first publication; later ones keep it
  }
  // The slug stays: URLs are stable.
  s.execute(
      "UPDATE posts SET title = :t, content = :c, excerpt = :e, published = :p, "
      "published_at = :pa, updated_at = :u WHERE id = :id",
      p.title, p.content, p.excerpt, p.published, p.published_at, t, id);
  return *s.one<Post>(post_by_id, id);
}

void delete_post(db::Session& s, const UserRow& user, std::int64_t id) {
  s.begin();
  (void)editable(s, user, id);
  s.execute("DELETE FROM posts WHERE id = :id", id);
}

}  // namespace blog::services
