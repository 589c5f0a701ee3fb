// Dependency lifecycles: yield-style cleanup (order, failure), RAII values, cache opt-out,
// overrides, route/router/app dependencies, app-scoped values, Security scopes, background
// tasks and the response handle.

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

using namespace vivace;
namespace json = boost::json;

namespace {

std::mutex log_mu;
std::vector<std::string> events;
void note(std::string e) {
  std::lock_guard lock(log_mu);
  events.push_back(std::move(e));
}
std::vector<std::string> take_events() {
  std::lock_guard lock(log_mu);
  return std::exchange(events, {});
}

struct Session {
  std::string name;
};

Yield<Session> outer_session() {
  note("enter outer");
  Session s{"outer"};
  auto exit = co_yield s;
  note(exit.failed() ? "exit outer: rollback" : "exit outer: commit");
}

Yield<Session> inner_session(Depends<outer_session> outer) {
  note("enter inner (" + outer->name + ")");
  Session s{"inner"};
  auto exit = co_yield s;
  std::string why;
  try {
    exit.rethrow();
  } catch (const HTTPException& e) {
    why = " after " + std::to_string(e.status());
  }
  note(std::string(exit.failed() ? "exit inner: rollback" : "exit inner: commit") + why);
}

std::string refuse(Header<"X-Refuse", std::optional<std::string>> r) {
  if (r->has_value())
    throw HTTPException(403, "refused");
  return "allowed";
}

struct Tracked {
  std::string name;
  explicit Tracked(std::string n) : name(std::move(n)) {}
  Tracked(Tracked&& o) noexcept : name(std::exchange(o.name, "")) {}
  ~Tracked() {
    if (!name.empty())
      note("destroy " + name);
  }
};
Tracked first_value() {
  return Tracked{"first"};
}
Tracked second_value(Depends<first_value>) {
  return Tracked{"second"};
}

std::atomic<int> counter_calls{0};
int counter() {
  return ++counter_calls;
}

struct User {
  std::string name;
};
User current_user(Header<"X-User", std::string> name) {
  return User{*name};
}
std::string user_name(Depends<current_user> u) {
  return u->name;
}

}  // namespace

TEST_CASE("yield dependencies: cleanup after the response, reverse order, success", "[di]") {
  App app;
  app.get<"/s">([](Depends<inner_session> s) {
    note("handler");
    return s->name;
  });
  testing::TestClient client(app);
  take_events();
  auto r = client.get("/s").send();
  REQUIRE(r.status == 200);
  CHECK(r.json() == "inner");
  CHECK(take_events() == std::vector<std::string>{"enter outer", "enter inner (outer)", "handler",
                                                  "exit inner: commit", "exit outer: commit"});
}

TEST_CASE("yield dependencies see the handler's failure", "[di]") {
  App app;
  app.get<"/s">([](Depends<inner_session>) -> json::value {
    note("handler");
    throw HTTPException(409, "conflict");
  });
  testing::TestClient client(app);
  take_events();
  auto r = client.get("/s").send();
  CHECK(r.status == 409);
  CHECK(take_events() == std::vector<std::string>{"enter outer", "enter inner (outer)", "handler",
                                                  "exit inner: rollback after 409",
                                                  "exit outer: rollback"});
}

TEST_CASE("yield dependencies are cleaned up when a later dependency refuses", "[di]") {
  App app;
  app.get<"/s">([](Depends<inner_session>, Depends<refuse>) { return "never"; });
  testing::TestClient client(app);
  take_events();
  auto r = client.get("/s").header("X-Refuse", "1").send();
  CHECK(r.status == 403);
  CHECK(take_events() == std::vector<std::string>{"enter outer", "enter inner (outer)",
                                                  "exit inner: rollback after 403",
                                                  "exit outer: rollback"});
}

TEST_CASE("yield dependencies are cleaned up on a validation error", "[di]") {
  App app;
  app.get<"/s">([](Depends<outer_session>, Query<"n", int> n) { return *n; });
  testing::TestClient client(app);
  take_events();
  auto r = client.get("/s").query("n", "x").send();
  CHECK(r.status == 422);
  CHECK(take_events() == std::vector<std::string>{"enter outer", "exit outer: rollback"});
}

TEST_CASE("coroutine handlers get the same cleanup", "[di]") {
  App app;
  app.get<"/s">([](Depends<inner_session> s) -> Task<std::string> {
    note("handler");
    co_return s->name;
  });
  testing::TestClient client(app);
  take_events();
  CHECK(client.get("/s").send().status == 200);
  CHECK(take_events() == std::vector<std::string>{"enter outer", "enter inner (outer)", "handler",
                                                  "exit inner: commit", "exit outer: commit"});
}

TEST_CASE("dependency values live until after the response, destroyed last-first", "[di]") {
  App app;
  app.get<"/t">([](Depends<second_value> v) {
    note("handler sees " + v->name);
    return v->name;
  });
  testing::TestClient client(app);
  take_events();
  CHECK(client.get("/t").send().json() == "second");
  CHECK(take_events() ==
        std::vector<std::string>{"handler sees second", "destroy second", "destroy first"});
}

TEST_CASE("Depends<p, false> runs the provider for every use", "[di]") {
  App app;
  app.get<"/cached">([](Depends<counter> a, Depends<counter> b) {
    return json::value{{"a", *a}, {"b", *b}};
  });
  app.get<"/fresh">([](Depends<counter, false> a, Depends<counter, false> b) {
    return json::value{{"a", *a}, {"b", *b}};
  });
  testing::TestClient client(app);
  counter_calls = 0;
  auto c = client.get("/cached").send().json();
  CHECK(c.at("a") == c.at("b"));
  auto f = client.get("/fresh").send().json();
  CHECK(f.at("a") != f.at("b"));
  CHECK(counter_calls == 3);
}

TEST_CASE("dependency overrides replace a provider, also deep in the tree, and restore", "[di]") {
  App app;
  app.get<"/name">([](Depends<user_name> n) { return *n; });
  testing::TestClient client(app);
  CHECK(client.get("/name").header("X-User", "ann").send().json() == "ann");
  CHECK(client.get("/name").send().status == 422);  // the real provider needs the header
  {
    auto restore = app.dependency_overrides().scoped<current_user>([] { return User{"fake"}; });
    auto r = client.get("/name").send();
    CHECK(r.status == 200);
    CHECK(r.json() == "fake");
    {  // an override with its own parameters
      auto inner = app.dependency_overrides().scoped<current_user>(
          [](Query<"as", std::string> as) { return User{"as:" + *as}; });
      CHECK(client.get("/name").query("as", "bob").send().json() == "as:bob");
      auto bad = client.get("/name").send();
      CHECK(bad.status == 422);
      CHECK(bad.json().at("detail").at(0).at("loc") == json::array{"query", "as"});
    }
    CHECK(client.get("/name").send().json() == "fake");  // the outer override is back
  }
  CHECK(client.get("/name").send().status == 422);  // and now the real one
  app.dependency_overrides().set<current_user>([] { return User{"set"}; });
  CHECK(client.get("/name").send().json() == "set");
  app.dependency_overrides().clear();
  CHECK(client.get("/name").header("X-User", "zed").send().json() == "zed");
}

namespace {
Task<User> async_user(Header<"X-User", std::string> name) {
  co_return User{*name};
}
}  // namespace

TEST_CASE("coroutine providers can be replaced by coroutines or plain functions", "[di]") {
  App app;
  app.get<"/name">([](Depends<async_user> u) { return u->name; });
  app.get<"/name-async">([](Depends<async_user> u) -> Task<std::string> { co_return u->name; });
  testing::TestClient client(app);
  {
    auto o = app.dependency_overrides().scoped<async_user>(
        [](Query<"as", std::string> as) -> Task<User> { co_return User{"co:" + *as}; });
    CHECK(client.get("/name").query("as", "x").send().json() == "co:x");
    CHECK(client.get("/name-async").query("as", "y").send().json() == "co:y");
  }
  {
    auto o = app.dependency_overrides().scoped<async_user>([] { return User{"plain"}; });
    CHECK(client.get("/name").send().json() == "plain");
    CHECK(client.get("/name-async").send().json() == "plain");
  }
  CHECK(client.get("/name").header("X-User", "real").send().json() == "real");
}

namespace {
std::string verify_token(Header<"X-Token", std::string> t) {
  if (*t != "secret")
    throw HTTPException(401, "bad token", {{"WWW-Authenticate", "Bearer"}});
  note("verified");
  return *t;
}
std::string verify_key(Header<"X-Key", std::string> k) {
  note("key " + *k);
  return *k;
}
}  // namespace

TEST_CASE("router and app dependencies run first; their errors join the handler's", "[di]") {
  App app({.dependencies = {dependency<verify_key>()}});
  Router items({.prefix = "/items", .dependencies = {dependency<verify_token>()}});
  items.get<"/{id}">([](Path<"id", int> id, Query<"q", int> q) {
    note("handler");
    return *id + *q;
  });
  app.include_router(items);
  testing::TestClient client(app);

  take_events();
  auto ok = client.get("/items/1")
                .query("q", "2")
                .header("X-Token", "secret")
                .header("X-Key", "k")
                .send();
  CHECK(ok.status == 200);
  CHECK(ok.json() == 3);
  CHECK(take_events() == std::vector<std::string>{"key k", "verified", "handler"});

  auto bad = client.get("/items/x").query("q", "y").send();
  REQUIRE(bad.status == 422);
  auto detail = bad.json().at("detail").as_array();
  REQUIRE(detail.size() == 4);
  CHECK(detail[0].at("loc") == json::array{"header", "x-key"});
  CHECK(detail[1].at("loc") == json::array{"header", "x-token"});
  CHECK(detail[2].at("loc") == json::array{"path", "id"});
  CHECK(detail[3].at("loc") == json::array{"query", "q"});

  take_events();
  auto refused =
      client.get("/items/1").query("q", "2").header("X-Token", "nope").header("X-Key", "k").send();
  CHECK(refused.status == 401);
  CHECK(refused.headers.get("WWW-Authenticate") == "Bearer");
  CHECK(take_events() == std::vector<std::string>{"key k"});  // the handler never ran

  // Documented on the route, dependencies' parameters first.
  const auto& info = app.routes().at(0).info;
  REQUIRE(info.params.size() == 4);
  CHECK(info.params[0].name == "X-Key");
  CHECK(info.params[1].name == "X-Token");
}

TEST_CASE("route-level dependencies and de-duplicated parameters", "[di]") {
  App app;
  app.get<"/r">([](Depends<verify_token> t) { return *t; },
                {.dependencies = {dependency<verify_token>()}});
  testing::TestClient client(app);
  take_events();
  CHECK(client.get("/r").header("X-Token", "secret").send().status == 200);
  CHECK(take_events() == std::vector<std::string>{"verified"});  // cached: once per request
  const auto& info = app.routes().at(0).info;
  CHECK(info.params.size() == 1);  // X-Token once, though two dependencies need it
}

namespace {
struct Settings {
  std::string greeting;
};
struct Pool {
  int size = 0;
  ~Pool() { note("pool released"); }
};
std::string greet(Inject<Settings> s, Query<"who", std::string> who) {
  return s->greeting + ", " + *who;
}
}  // namespace

TEST_CASE("app-scoped values are created at startup and injected by type", "[di]") {
  App app;
  app.provide<Settings>([] { return Settings{"hello"}; });
  app.provide<Pool>([] { return std::make_shared<Pool>(Pool{4}); });
  app.get<"/greet">([](Depends<greet> g) { return *g; });
  app.get<"/pool">([](Inject<Pool> p) -> Task<int> { co_return p->size; });
  app.get<"/missing">([](Inject<User> u) { return u->name; });
  take_events();
  {
    testing::TestClient client(app);
    CHECK(client.get("/greet").query("who", "ann").send().json() == "hello, ann");
    CHECK(client.get("/pool").send().json() == 4);
    auto missing = client.get("/missing").send();
    CHECK(missing.status == 500);
    CHECK(missing.json() == json::value{{"detail", "Internal Server Error"}});
  }
  auto ev = take_events();
  CHECK(std::count(ev.begin(), ev.end(), "pool released") >= 1);
}

namespace {
// A minimal security scheme: documents itself and reads a bearer token.
struct BearerScheme {
  std::string token;
  static std::optional<BearerScheme> extract(Request& req, params::error_list&) {
    auto h = req.headers.get("Authorization");
    if (!h || !h->starts_with("Bearer "))
      throw HTTPException(401, "Not authenticated", {{"WWW-Authenticate", "Bearer"}});
    return BearerScheme{std::string(h->substr(7))};
  }
  static void describe(RouteInfo& info) {
    info.add_security({"bearer", {}});
    info.security_schemes.try_emplace("bearer",
                                      json::object{{"type", "http"}, {"scheme", "bearer"}});
  }
};
json::value scoped_user(BearerScheme token, SecurityScopes scopes) {
  return json::value{{"token", token.token}, {"scopes", scopes.scope_str()}};
}
}  // namespace

TEST_CASE("Security<> passes its scopes down and documents the requirement", "[di]") {
  App app;
  app.get<"/items">([](Security<scoped_user, "items:read"> u) { return *u; });
  app.get<"/admin">(
      [](Security<scoped_user, "items:read", "admin"> u) -> Task<json::value> { co_return *u; });
  testing::TestClient client(app);
  auto r = client.get("/items").header("Authorization", "Bearer abc").send();
  CHECK(r.json() == json::value{{"token", "abc"}, {"scopes", "items:read"}});
  auto a = client.get("/admin").header("Authorization", "Bearer abc").send();
  CHECK(a.json().at("scopes") == "items:read admin");
  CHECK(client.get("/items").send().status == 401);

  const auto& info = app.routes().at(1).info;
  REQUIRE(info.security.size() == 1);
  CHECK(info.security[0].scheme == "bearer");
  CHECK(info.security[0].scopes == std::vector<std::string>{"items:read", "admin"});
  CHECK(info.security_schemes.count("bearer") == 1);
}

TEST_CASE("background tasks run after the response, in order; not when the handler fails", "[di]") {
  App app;
  app.post<"/send">([](BackgroundTasks tasks, Query<"fail", bool, false> fail) {
    tasks.add([] { note("task 1"); });
    tasks.add([]() -> Task<void> {
      note("task 2 (coroutine)");
      co_return;
    });
    tasks.add([] { throw std::runtime_error("task 3 fails, logged"); });
    tasks.add([] { note("task 4"); });
    if (*fail)
      throw HTTPException(400, "failed");
    note("handler");
    return "queued";
  });
  testing::TestClient client(app);
  take_events();
  CHECK(client.post("/send").send().json() == "queued");
  CHECK(take_events() ==
        std::vector<std::string>{"handler", "task 1", "task 2 (coroutine)", "task 4"});
  CHECK(client.post("/send").query("fail", "true").send().status == 400);
  CHECK(take_events().empty());
}

TEST_CASE("the response handle sets status, headers and cookies of a model response", "[di]") {
  App app;
  app.post<"/login">([](ResponseHandle response) {
    response.status(201);
    response.header("X-Custom", "1");
    response.set_cookie("session", "abc", {.max_age = std::chrono::seconds{60}, .httponly = true});
    return json::value{{"ok", true}};
  });
  app.post<"/logout">([](ResponseHandle response) { response.delete_cookie("session"); });
  testing::TestClient client(app);
  auto r = client.post("/login").send();
  CHECK(r.status == 201);
  CHECK(r.headers.get("X-Custom") == "1");
  CHECK(r.headers.get("Set-Cookie") == "session=abc; Max-Age=60; Path=/; HttpOnly; SameSite=Lax");
  CHECK(client.cookies().at("session") == "abc");
  auto out = client.post("/logout").send();
  CHECK(out.status == 204);
  CHECK(client.cookies().count("session") == 0);
}
