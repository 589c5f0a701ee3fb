// /users: the current user's profile, password, avatar and posts; users by id (self or
// superuser); the list and deletion (superuser).

#include <vivace/vivace.hpp>

#include "api/v1/api.hpp"
#include "core/errors.hpp"
#include "services/posts.hpp"
#include "services/users.hpp"

namespace blog::api {

vivace::Router users_router() {
  vivace::Router r({.prefix = "/users", .tags = {"users"}});

  r.get<"/">(
      [](Superuser, Skip skip, Limit limit, Db db) {
        std::vector<User> out;
        for (const auto& u : services::list_users(*db, *skip, *limit))
          out.push_back(vivace::schema::convert<User>(u));
        return out;
      },
      {.summary = "Every user, by id (superusers only)", .run_inline = true});

  r.get<"/me">(
      [](CurrentUser me) {
        return vivace::schema::convert<User>(*me);
      },
      {.summary = "The current user", .run_inline = true});

  r.put<"/me">(
      [](CurrentUser me, vivace::Body<UserUpdate> in, Db db) {
        return vivace::schema::convert<User>(services::update_user(*db, *me, *in));
      },
      {.summary = "Update the current user",
       .description = "Fields not sent stay as they are; `null` clears a nullable field."});

  r.post<"/me/password">(
      [](CurrentUser me, vivace::Body<PasswordChange> in, Db db, vivace::Inject<Context> ctx,
         vivace::Request& req) -> vivace::Task<Message> {
        if (!co_await vivace::password::verify_async(req, in->current_password.reveal(),
                                                     me->hashed_password))
          throw Error(ErrorKind::bad_request, "Current password is incorrect");
        const std::string hash = co_await ctx->hash_password(req, in->new_password.reveal());
        co_await db->run([&](vivace::db::Session& s) {
          services::set_password(s, *me, hash);
        });
        co_return Message{"Password updated successfully"};
      },
      {.summary = "Change the current user's password"});

  r.post<"/me/avatar">(
      [](CurrentUser me, vivace::File<"file"> file, Db db, vivace::Inject<Context> ctx) {
        return vivace::schema::convert<User>(services::set_avatar(
            *db, *ctx, *me, file->filename(), file->size(), [&](const std::filesystem::path& to) {
              file->save(to);
            }));
      },
      {.summary = "Upload the current user's avatar",
       .description = "An image (ALLOWED_EXTENSIONS) of at most MAX_FILE_SIZE bytes."});

  r.get<"/me/posts">(
      [](CurrentUser me, Db db) {
        return services::list_own(*db, me->id);
      },
      {.summary = "The current user's posts, drafts included", .run_inline = true});

  r.get<"/{user_id}">(
      [](vivace::Path<"user_id", std::int64_t> id, CurrentUser me, Db db) {
        if (*id != me->id && !me->is_superuser)
          throw Error(ErrorKind::forbidden, "Not enough permissions");
        auto u = services::find_user(*db, *id);
        if (!u)
          throw Error(ErrorKind::not_found, "User not found");
        return vivace::schema::convert<User>(*u);
      },
      {.summary = "A user (yourself, or anyone as a superuser)", .run_inline = true});

  r.delete_<"/{user_id}">(
      [](vivace::Path<"user_id", std::int64_t> id, Superuser, Db db) {
        services::delete_user(*db, *id);
        return Message{"User deleted successfully"};
      },
      {.summary = "Delete a user and their posts (superusers only)"});
  return r;
}

}  // namespace blog::api
