// Bigger applications: routers with a prefix, tags, shared responses and dependencies.
// In a real project each router is its own file (see examples/blog/api/v1/endpoints/).
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

struct User {
  std::string username;
};
BOOST_DESCRIBE_STRUCT(User, (), (username))
struct Message {
  std::string detail;
};
BOOST_DESCRIBE_STRUCT(Message, (), (detail))

bool verify_token(vivace::Header<"X-Token", std::string> token) {
  if (*token != "fake-token")
    throw vivace::HTTPException(400, "X-Token header invalid");
  return true;
}

vivace::Router users_router() {  // users.cpp
  vivace::Router r({.prefix = "/users", .tags = {"users"}});
  r.get<"/">([] { return std::vector<User>{{"Rick"}, {"Morty"}}; });
  r.get<"/me">([] { return User{"fakecurrentuser"}; });
  r.get<"/{username}">([](vivace::Path<"username", std::string> name) { return User{*name}; });
  return r;
}

vivace::Router items_router() {  // items.cpp
  vivace::Router r({.prefix = "/items",
                    .tags = {"items"},
                    .responses = {{404, {"Not found", vivace::model_schema<Message>()}}},
                    .dependencies = {vivace::dependency<verify_token>()}});
  r.get<"/{item_id}">([](vivace::Path<"item_id", std::string> id) {
    static const std::map<std::string, std::string> items = {{"plumbus", "Plumbus"}};
    auto it = items.find(*id);
    if (it == items.end())
      throw vivace::HTTPException(404, "Item not found");
    return boost::json::value{{"item_id", *id}, {"name", it->second}};
  });
  return r;
}

int main() {  // main.cpp
  vivace::App app({.title = "Bigger applications"});
  vivace::Router api({.prefix = "/api/v1"});
  api.include_router(users_router());
  api.include_router(items_router());
  app.include_router(api);
  app.get<"/">([] { return Message{"Hello Bigger Applications!"}; });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
