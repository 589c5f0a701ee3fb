// Dependency injection: nested providers, per-request cache, errors, documentation.

#include <atomic>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

using namespace vivace;
namespace json = boost::json;

namespace {
std::atomic<int> token_calls{0};

struct User {
  std::string name;
  bool admin = false;
};

// A plain provider (runs on the worker pool) with its own extractor.
std::string token(Header<"X-Token", std::string> t) {
  ++token_calls;
  if (*t == "bad")
    throw HTTPException(401, "Could not validate credentials");
  return *t;
}

// A coroutine provider that depends on another provider.
Task<User> current_user(Depends<token> t) {
  co_return User{*t == "root" ? "root" : "user:" + *t, *t == "root"};
}

// Depends on the same token provider again: it must run once per request.
User admin(Depends<current_user> user, Depends<token> t) {
  if (!user->admin)
    throw HTTPException(403, "Not enough permissions");
  (void)t;
  return *user;
}

int page(Query<"page", Int<ge<1>>, 1> p) {
  return static_cast<int>(*p);
}
}  // namespace

TEST_CASE("di: nested providers, each run once per request", "[di]") {
  App app;
  app.get<"/me">([](Depends<current_user> user, Depends<token> t) {
    return json::value{{"name", user->name}, {"token", *t}};
  });
  app.get<"/admin">([](Depends<admin> a) { return a->name; });
  testing::TestClient client(app);

  token_calls = 0;
  auto r = client.get("/me").header("X-Token", "abc").send();
  CHECK(r.status == 200);
  CHECK(r.json() == json::parse(R"({"name":"user:abc","token":"abc"})"));
  CHECK(token_calls == 1);  // shared by the handler and current_user

  token_calls = 0;
  CHECK(client.get("/admin").header("X-Token", "root").send().json() == "root");
  CHECK(token_calls == 1);
  CHECK(client.get("/admin").header("X-Token", "abc").send().status == 403);
  CHECK(client.get("/me").header("X-Token", "bad").send().status == 401);
}

TEST_CASE("di: a provider's extractor errors join the request's 422", "[di]") {
  App app;
  app.get<"/items/{id}">([](Path<"id", int> id, Depends<current_user>, Depends<page> p) {
    return json::value{{"id", *id}, {"page", *p}};
  });
  testing::TestClient client(app);
  auto r = client.get("/items/x?page=0").send();
  REQUIRE(r.status == 422);
  auto body = r.json();
  const auto& d = body.at("detail").as_array();
  REQUIRE(d.size() == 3);
  CHECK(d[0].at("loc") == json::array{"path", "id"});
  CHECK(d[1].at("loc") == json::array{"header", "x-token"});
  CHECK(d[2].at("loc") == json::array{"query", "page"});

  CHECK(client.get("/items/3?page=2").header("X-Token", "a").send().json() ==
        json::parse(R"({"id":3,"page":2})"));
}

TEST_CASE("di: providers' parameters are documented on the route", "[di]") {
  App app;
  app.get<"/admin">([](Depends<admin> a, Depends<page>) { return a->name; });
  const auto& params = app.routes()[0].info.params;
  std::vector<std::string> names;
  for (const auto& p : params)
    names.push_back(p.name);
  // the header appears once per use for now; the OpenAPI generator de-duplicates
  CHECK(std::find(names.begin(), names.end(), "X-Token") != names.end());
  CHECK(std::find(names.begin(), names.end(), "page") != names.end());
}
