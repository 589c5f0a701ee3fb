// Testing: the TestClient runs requests through the whole app without sockets; dependency
// overrides replace a provider. `14_testing test` runs the tests, otherwise it serves.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/describe.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

struct Item {
  std::string id;
  std::string title;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, title))

// In production this would ask an identity service about the token.
std::string current_user(vivace::Header<"X-Token", std::string> token) {
  if (*token != "fake-token")
    throw vivace::HTTPException(401, "Invalid X-Token header");
  return "alice";
}

vivace::App make_app() {
  vivace::App app({.title = "Testing"});
  app.get<"/items/{item_id}">(
      [](vivace::Path<"item_id", std::string> id,
         vivace::Depends<current_user>) -> std::optional<Item> {
        static const std::map<std::string, std::string> items = {{"foo", "Foo"}};
        auto it = items.find(*id);
        return it == items.end() ? std::nullopt : std::optional<Item>({*id, it->second});
      },
      {.not_found_if_empty = true});
  return app;
}

int run_tests() {
  int failures = 0;
  auto check = [&](bool ok, std::string_view what) {
    std::cout << (ok ? "ok   " : "FAIL ") << what << '\n';
    failures += ok ? 0 : 1;
  };
  vivace::App app = make_app();
  {
    vivace::testing::TestClient client(app);
    auto r = client.get("/items/foo").header("X-Token", "fake-token").send();
    check(r.status == 200 && r.json_as<Item>().title == "Foo", "read an item");
    check(client.get("/items/foo").header("X-Token", "wrong").send().status == 401, "bad token");
    check(client.get("/items/foo").send().status == 422, "missing token");
  }
  auto as_bob = app.dependency_overrides().scoped<current_user>([] { return std::string("bob"); });
  vivace::testing::TestClient client(app);
  check(client.get("/items/foo").send().status == 200, "overridden user, no token needed");
  check(client.get("/items/bar").send().status == 404, "unknown item");
  return failures == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "test")
    return run_tests();
  vivace::App app = make_app();
  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
