// Extractors through the TestClient: headers, cookies, JSON bodies, typed returns.

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

using namespace vivace;
namespace json = boost::json;

namespace {
struct ItemIn {
  Str<min_len<3>> name;
  Float<gt<0>> price;
  std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(ItemIn, (), (name, price, note))

struct ItemOut {
  std::int64_t id = 0;
  std::string name;
  double price = 0;
};
BOOST_DESCRIBE_STRUCT(ItemOut, (), (id, name, price))

App make_app() {
  App app;
  app.get<"/whoami">([](Header<"X-Token", std::string> token,
                        Header<"X-Retry", std::vector<int>> retries,
                        Cookie<"session", std::optional<std::string>> session) {
    return json::value{{"token", *token},
                       {"retries", json::value_from(*retries)},
                       {"session", session->has_value() ? json::value(**session) : nullptr}};
  });
  app.post<"/items/{owner}">(
      [](Path<"owner", std::int64_t> owner, Body<ItemIn> item, Query<"dry", bool, false> dry) {
        (void)dry;
        return ItemOut{*owner * 100, *item->name, *item->price};
      },
      {.status_code = 201});
  app.get<"/items">([]() -> Task<std::vector<ItemOut>> {
    co_return std::vector<ItemOut>{{1, "a", 1.5}, {2, "b", 2.5}};
  });
  app.post<"/login">(
      []() { return Response::text("ok").header("Set-Cookie", "session=abc; Path=/; HttpOnly"); });
  return app;
}
}  // namespace

TEST_CASE("extractors: headers are case-insensitive, repeated ones collect", "[params]") {
  auto app = make_app();
  testing::TestClient client(app);
  auto r = client.get("/whoami")
               .header("x-token", "secret")
               .header("X-Retry", "1")
               .header("X-RETRY", "2")
               .cookie("session", "s1")
               .send();
  CHECK(r.status == 200);
  CHECK(r.json() == json::parse(R"({"token":"secret","retries":[1,2],"session":"s1"})"));

  r = client.get("/whoami").header("X-Retry", "x").send();
  REQUIRE(r.status == 422);
  auto d = r.json().at("detail");
  CHECK(d.at(0).at("loc") == json::array{"header", "x-token"});
  CHECK(d.at(0).at("type") == "missing");
  CHECK(d.at(1).at("loc") == json::array{"header", "x-retry"});
  CHECK(d.at(1).at("type") == "int_parsing");
}

TEST_CASE("extractors: the cookie jar keeps what responses set", "[params]") {
  auto app = make_app();
  testing::TestClient client(app);
  client.post("/login").send();
  CHECK(client.cookies().at("session") == "abc");
  auto r = client.get("/whoami").header("X-Token", "t").send();
  CHECK(r.json().at("session") == "abc");
}

TEST_CASE("extractors: a JSON body decodes into a model; all errors of all sources together",
          "[params]") {
  auto app = make_app();
  testing::TestClient client(app);
  auto r = client.post("/items/7").json(json::parse(R"({"name":"Lamp","price":9.5})")).send();
  CHECK(r.status == 201);
  auto out = r.json_as<ItemOut>();
  CHECK(out.id == 700);
  CHECK(out.name == "Lamp");

  r = client.post("/items/x?dry=maybe").json(json::parse(R"({"name":"L","price":-1})")).send();
  REQUIRE(r.status == 422);
  std::vector<std::string> locs;
  const auto body = r.json();
  for (const auto& e : body.at("detail").as_array())
    locs.push_back(json::serialize(e.at("loc")));
  CHECK(locs == std::vector<std::string>{R"(["path","owner"])", R"(["body","name"])",
                                         R"(["body","price"])", R"(["query","dry"])"});
}

TEST_CASE("extractors: bad, empty and non-JSON bodies", "[params]") {
  auto app = make_app();
  testing::TestClient client(app);
  auto r = client.post("/items/1").body("{\"name\": ", "application/json").send();
  REQUIRE(r.status == 422);
  CHECK(r.json().at("detail").at(0).at("type") == "json_invalid");
  CHECK(r.json().at("detail").at(0).at("loc").at(0) == "body");

  r = client.post("/items/1").send();
  REQUIRE(r.status == 422);
  CHECK(r.json().at("detail").at(0) ==
        json::parse(R"({"type":"missing","loc":["body"],"msg":"Field required","input":null})"));

  r = client.post("/items/1").body("name=x", "application/x-www-form-urlencoded").send();
  CHECK(r.status == 415);
  r = client.post("/items/1")
          .body(R"({"name":"Lamp","price":1})", "application/vnd.api+json")
          .send();
  CHECK(r.status == 201);
}

TEST_CASE("extractors: typed returns are encoded and documented", "[params]") {
  auto app = make_app();
  testing::TestClient client(app);
  auto r = client.get("/items").send();
  CHECK(r.status == 200);
  CHECK(r.json() ==
        json::parse(R"([{"id":1,"name":"a","price":1.5},{"id":2,"name":"b","price":2.5}])"));
  schema::schema_registry reg;
  const auto& routes = app.routes();
  REQUIRE(routes[1].info.body);
  CHECK(routes[1].info.body->media_type == "application/json");
  CHECK(routes[1].info.body->schema(reg) ==
        json::parse(R"({"$ref":"#/components/schemas/ItemIn"})"));
  CHECK(routes[2].info.response_schema(reg) ==
        json::parse(R"({"type":"array","items":{"$ref":"#/components/schemas/ItemOut"}})"));
}

namespace {
struct Login {
  Email username;
  Secret<min_len<8>> password;
  bool remember = false;
  std::vector<std::string> scope;
};
BOOST_DESCRIBE_STRUCT(Login, (), (username, password, remember, scope))
inline schema::model_options vivace_model(const Login*) {
  return {.fields = {{"remember", {.has_default = true}}, {"scope", {.has_default = true}}}};
}
}  // namespace

TEST_CASE("extractors: a urlencoded form decodes into a model", "[params]") {
  App app;
  app.post<"/login">([](Form<Login> form) {
    return json::value{{"user", form->username.value},
                       {"remember", form->remember},
                       {"scopes", form->scope.size()},
                       {"password_length", form->password.reveal().size()}};
  });
  testing::TestClient client(app);
  auto r = client.post("/login")
               .form({{"username", "ann@example.com"},
                      {"password", "correct horse"},
                      {"remember", "on"},
                      {"scope", "read"},
                      {"scope", "write"}})
               .send();
  CHECK(r.status == 200);
  CHECK(
      r.json() ==
      json::parse(R"({"user":"ann@example.com","remember":true,"scopes":2,"password_length":13})"));

  r = client.post("/login").form({{"username", "nope"}, {"password", "short"}}).send();
  REQUIRE(r.status == 422);
  auto d = r.json().at("detail");
  CHECK(d.at(0).at("loc") == json::array{"body", "username"});
  CHECK(d.at(1).at("loc") == json::array{"body", "password"});
  CHECK(d.at(1).at("input") == "**********");

  CHECK(client.post("/login").json(json::parse(R"({"username":"a@b.co"})")).send().status == 415);
  // the client's query builder encodes spaces and reserved characters
  App echo;
  echo.get<"/q">([](Query<"q", std::string> q) { return *q; });
  testing::TestClient echo_client(echo);
  CHECK(echo_client.get("/q").query("q", "a b&c=d/é").send().json() == "a b&c=d/é");
  REQUIRE(app.routes()[0].info.body);
  CHECK(app.routes()[0].info.body->media_type == "application/x-www-form-urlencoded");
}

namespace {
struct Named {
  Str<min_len<1>> name;
};
BOOST_DESCRIBE_STRUCT(Named, (), (name))
}  // namespace

// Every source of text, not only JSON bodies (which Boost.JSON's parser checks), must be UTF-8:
// bytes that are not are a 422 at their own location, echoed as U+FFFD in valid JSON, and the
// handler never runs. Before, a path, query, header, cookie or form value reached it as it was.
TEST_CASE("extractors: text that is not UTF-8 is a 422 wherever it comes from", "[params]") {
  App app;
  int calls = 0;
  app.get<"/p/{name}">([&](Path<"name", std::string> name) { return ++calls, *name; });
  app.get<"/q">([&](Query<"q", std::string> q) { return ++calls, *q; });
  app.get<"/s">([&](Query<"s", Str<max_len<5>>> s) { return ++calls, std::string(*s); });
  app.get<"/h">([&](Header<"X-Name", std::string> h) { return ++calls, *h; });
  app.get<"/c">([&](Cookie<"name", std::string> c) { return ++calls, *c; });
  app.post<"/f">([&](Form<Named> f) { return ++calls, std::string(f->name.value); });
  app.post<"/m">([&](Form<Named> f, File<"doc", std::string> doc) {
    return ++calls, std::string(f->name.value) + ":" + std::to_string(doc->size());
  });
  testing::TestClient client(app);
  const std::string overlong = "\xC0\xAF";  // '/' in two bytes
  const std::string surrogate = "\xED\xA0\x80";
  auto check = [](const testing::TestResponse& r, json::array loc) {
    INFO(r.body);
    REQUIRE(r.status == 422);
    const auto body = json::parse(r.body);  // valid JSON
    const auto& e = body.at("detail").at(0);
    CHECK(e.at("type") == "string_unicode");
    CHECK(e.at("loc") == loc);
    CHECK(std::string_view(e.at("input").as_string()).find("\xEF\xBF\xBD") !=
          std::string_view::npos);
  };
  check(client.get("/p/a%C0%AF").send(), {"path", "name"});
  check(client.get("/q").query("q", "a" + surrogate).send(), {"query", "q"});
  check(client.get("/s").query("s", overlong).send(), {"query", "s"});
  check(client.get("/h").header("X-Name", "a" + overlong).send(), {"header", "x-name"});
  check(client.get("/c").cookie("name", "a" + surrogate).send(), {"cookie", "name"});
  check(client.post("/f").form({{"name", "\xF5\x80\x80\x80"}}).send(), {"body", "name"});
  check(client.post("/m").field("name", overlong).file("doc", "a.bin", "x").send(),
        {"body", "name"});
  CHECK(calls == 0);
  // an uploaded file is bytes: not checked
  auto upload = client.post("/m")
                    .field("name", "ok")
                    .file("doc", "a.bin", std::string("\xFF\xFE\x00z", 4))
                    .send();
  CHECK(upload.status == 200);
  CHECK(upload.json() == "ok:4");
  calls = 0;
  // and valid text still passes, multi-byte included
  CHECK(client.get("/q").query("q", "\xF0\x9D\x84\x9E").send().json() == "\xF0\x9D\x84\x9E");
  CHECK(calls == 1);
}
