// /posts: published posts for everyone, drafts for their author (and superusers), writes for
// the author (and superusers).

#include <vivace/vivace.hpp>

#include "api/v1/api.hpp"
#include "services/posts.hpp"

namespace blog::api {

using PostId = vivace::Path<"post_id", std::int64_t>;

vivace::Router posts_router() {
  vivace::Router r({.prefix = "/posts", .tags = {"posts"}});

  r.get<"/">(
      [](Skip skip, Limit limit, vivace::Query<"author_id", std::optional<std::int64_t>> author,
         Db db) {
        return services::list_published(*db, *skip, *limit, *author);
      },
      {.summary = "Published posts, newest first", .run_inline = true});

  r.post<"/">(
      [](CurrentUser me, vivace::Body<PostCreate> in, Db db) {
        return services::create_post(*db, *me, *in);
      },
      {.summary = "Create a post",
       .description = "The slug comes from the title; `-2`, `-3`... when it is taken.",
       .status_code = 201});

  r.get<"/by-slug/{slug}">(
      [](vivace::Path<"slug", std::string> slug, OptionalUser viewer, Db db) {
        return services::get_post_by_slug(*db, *slug, *viewer);
      },
      {.summary = "A post by its slug", .run_inline = true});

  r.get<"/{post_id}">(
      [](PostId id, OptionalUser viewer, Db db) {
        return services::get_post(*db, *id, *viewer);
      },
      {.summary = "A post (a draft only for its author or a superuser)", .run_inline = true});

  r.put<"/{post_id}">(
      [](PostId id, CurrentUser me, vivace::Body<PostUpdate> in, Db db) {
        return services::update_post(*db, *me, *id, *in);
      },
      {.summary = "Update a post (its author or a superuser)"});

  r.delete_<"/{post_id}">(
      [](PostId id, CurrentUser me, Db db) {
        services::delete_post(*db, *me, *id);
      },
      {.summary = "Delete a post (its author or a superuser)"});
  return r;
}

}  // namespace blog::api
