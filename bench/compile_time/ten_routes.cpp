// A user's translation unit with ten typed endpoints: what compile-time budgets are measured on
// (bench/compile_time.sh). It is also built by the dev preset (tests/CMakeLists.txt), so it keeps
// compiling.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <vivace/vivace.hpp>

namespace json = boost::json;
using vivace::Path;
using vivace::Query;
using vivace::Task;

void register_routes(vivace::Router& r) {
  r.get<"/users">([](Query<"skip", int, 0> skip, Query<"limit", int, 100> limit) {
    return json::value{{"skip", *skip}, {"limit", *limit}};
  });
  r.get<"/users/{user_id}">([](Path<"user_id", std::int64_t> id) -> Task<json::value> {
    co_return json::object{{"id", *id}};
  });
  r.delete_<"/users/{user_id}">([](Path<"user_id", std::int64_t>) {});
  r.get<"/users/{user_id}/posts">(
      [](Path<"user_id", std::int64_t> id, Query<"published", std::optional<bool>> published) {
        return json::value{{"user", *id}, {"published", published->value_or(true)}};
      });
  r.post<"/posts">([](vivace::Request& req) { return vivace::Response::text(req.body, 201); });
  r.get<"/posts/{post_id}">([](Path<"post_id", std::uint32_t> id) -> Task<json::value> {
    co_return json::object{{"id", *id}};
  });
  r.put<"/posts/{post_id}">([](Path<"post_id", std::uint32_t> id, vivace::Request& req) {
    return json::value{{"id", *id}, {"size", req.body.size()}};
  });
  r.get<"/search">([](Query<"q", std::string> q, Query<"tag", std::vector<std::string>> tags) {
    return json::value{{"q", *q}, {"tags", tags->size()}};
  });
  r.get<"/files/{file_path:path}">([](Path<"file_path", std::string> p) { return *p; });
  r.get<"/objects/{id}">([](Path<"id", vivace::Uuid> id, Query<"ratio", double, 1> ratio) {
    return json::value{{"id", id->to_string()}, {"ratio", *ratio}};
  });
}
