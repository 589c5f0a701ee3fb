// Performance: coroutine handlers run on the I/O threads; plain functions on the worker pool.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

struct User {
  std::int64_t id = 0;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(User, (), (id, name))

int main() {
  vivace::App app({.title = "Performance"});

  // Never blocks: a coroutine, answered on the I/O thread that read the request.
  app.get<"/users/{id}">([](vivace::Path<"id", std::int64_t> id) -> vivace::Task<User> {
    co_return User{*id, "user" + std::to_string(*id)};
  });

  // May block (a file, a slow library): a plain function, run on the worker pool.
  app.get<"/report">(
      [] { return vivace::PlainTextResponse("a report that took a while to compute\n"); });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
