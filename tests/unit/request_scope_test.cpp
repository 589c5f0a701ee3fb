// The request as a plain value with typed user state, the route matched once before the
// middleware, and the schema helpers the example leans on (Patch<T, not_null>, convert with a
// prefix, one dereference for a constrained parameter).

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

using namespace vivace;
using vivace::testing::TestClient;
namespace json = boost::json;

namespace {

struct Tenant {
  std::string id;
};

struct Tracker {
  std::vector<std::string>* log;
  std::string name;
  ~Tracker() { log->push_back(name); }
};
struct Other {
  Tracker t;
};

struct Update {
  Patch<Str<min_len<3>>, not_null> title;
  Patch<std::string> note;
  Patch<bool, not_null> flag;
};
BOOST_DESCRIBE_STRUCT(Update, (), (title, note, flag))

struct UserRow {
  std::int64_t id = 0;
  std::string email;
  std::string hash;
};
BOOST_DESCRIBE_STRUCT(UserRow, (), (id, email, hash))

struct UserOut {
  std::int64_t id = 0;
  Email email;
  std::string role = "member";  // not in the row: keeps its initialiser
};
BOOST_DESCRIBE_STRUCT(UserOut, (), (id, email, role))

struct Joined {
  std::int64_t id = 0;
  std::string a_email;
  std::int64_t a_id = 0;
};
BOOST_DESCRIBE_STRUCT(Joined, (), (id, a_email, a_id))

}  // namespace

TEST_CASE("request: user state holds one value per type, destroyed last set first", "[request]") {
  std::vector<std::string> log;
  {
    Request req;
    CHECK(req.state.get<Tenant>() == nullptr);
    req.state.set(Tenant{"acme"});
    REQUIRE(req.state.get<Tenant>() != nullptr);
    CHECK(req.state.get<Tenant>()->id == "acme");
    req.state.set(Tenant{"other"});  // replaces
    CHECK(req.state.size() == 1);
    CHECK(req.state.get<Tenant>()->id == "other");
    req.state.emplace<Tracker>(&log, "first");
    req.state.emplace<Other>(Tracker{&log, "second"});
    log.clear();  // the temporaries above
    CHECK(req.state.contains<Other>());
    CHECK(req.state.erase<Tenant>());
    CHECK_FALSE(req.state.erase<Tenant>());
    const Request& view = req;
    CHECK(view.state.get<Tracker>()->name == "first");
  }
  CHECK(log == std::vector<std::string>{"second", "first"});
}

TEST_CASE(
    "request: state set by a middleware reaches the handler; the framework's slots "
    "stay apart",
    "[request]") {
  App app;
  app.add_middleware([](Request& req, const Handler& next) -> Task<Response> {
    req.state.set(Tenant{std::string{req.headers.get("X-Tenant").value_or("none")}});
    co_return co_await next(req);
  });
  app.get<"/tenant">([](Request& req) {
    const Tenant* t = req.state.get<Tenant>();
    return json::value{{"tenant", t ? t->id : "missing"},
                       {"framework_slots_hidden", req.state.size() == 1}};
  });
  TestClient client(app);
  auto r = client.get("/tenant").header("X-Tenant", "acme").send();
  CHECK(r.status == 200);
  CHECK(r.json() == json::parse(R"({"tenant":"acme","framework_slots_hidden":true})"));
}

TEST_CASE("request: the route is matched once, before the middleware runs", "[request]") {
  App app;
  app.add_middleware([](Request& req, const Handler& next) -> Task<Response> {
    // The match is already there: the path parameters, and what kind of match it is.
    const bool found = req.scope().match().result == RouteMatch::outcome::found;
    std::string id{req.path_param("item_id").value_or("-")};
    Response r = co_await next(req);
    r.headers.set("X-Seen", id + (found ? " found" : " not found"));
    co_return r;
  });
  app.get<"/items/{item_id}">([](Path<"item_id", int> id) { return *id; });
  TestClient client(app);
  auto hit = client.get("/items/7").send();
  CHECK(hit.status == 200);
  CHECK(hit.headers.get("X-Seen") == "7 found");
  auto miss = client.get("/nothing").send();
  CHECK(miss.status == 404);
  CHECK(miss.headers.get("X-Seen") == "- not found");
}

TEST_CASE("params: a constrained parameter gives its plain value with one dereference",
          "[params]") {
  App app;
  app.get<"/page">(
      [](Query<"limit", Int<ge<1>, le<100>>, 10> limit, Query<"name", Str<min_len<1>>> name) {
        static_assert(std::is_same_v<decltype(*limit), const std::int64_t&> ||
                      std::is_same_v<decltype(*limit), std::int64_t&>);
        const std::int64_t n = *limit;
        return json::value{{"limit", n}, {"name", *name}, {"size", name->size()}};
      });
  TestClient client(app);
  CHECK(client.get("/page?limit=5&name=abc").send().json() ==
        json::parse(R"({"limit":5,"name":"abc","size":3})"));
  CHECK(client.get("/page?limit=500&name=a").send().status == 422);
}

TEST_CASE("schema: Patch<T, not_null> may be left out but refuses null with T's own error",
          "[schema]") {
  auto none = schema::decode_json<Update>("{}");
  REQUIRE(none);
  CHECK_FALSE(none->title.is_set());
  auto cleared = schema::decode_json<Update>(R"({"note": null, "title": "abcd", "flag": true})");
  REQUIRE(cleared);
  CHECK(cleared->note.is_null());
  CHECK(*cleared->title.value() == "abcd");
  CHECK(cleared->flag.value());

  auto bad = schema::decode_json<Update>(R"({"title": null, "flag": null, "note": null})");
  REQUIRE_FALSE(bad);
  REQUIRE(bad.errors.size() == 2);
  CHECK(bad.errors[0].type == "string_type");
  CHECK(bad.errors[0].loc == json::array{"title"});
  CHECK(bad.errors[0].msg == "Input should be a valid string");
  CHECK(bad.errors[1].type == "bool_type");
  CHECK(bad.errors[1].loc == json::array{"flag"});
  auto short_title = schema::decode_json<Update>(R"({"title": "ab"})");
  REQUIRE_FALSE(short_title);
  CHECK(short_title.errors[0].type == "string_too_short");

  // The schema: no null for the not_null fields, no default null either; none is required.
  schema::schema_registry reg;
  (void)schema::json_schema<Update>(reg);
  const auto& s = reg.schemas().at("Update").as_object();
  const auto& props = s.at("properties").as_object();
  CHECK(props.at("title").as_object().at("type") == "string");
  CHECK_FALSE(props.at("title").as_object().contains("default"));
  CHECK(props.at("flag").as_object().at("type") == "boolean");
  CHECK(props.at("note").as_object().contains("anyOf"));
  CHECK(props.at("note").as_object().at("default").is_null());
  CHECK_FALSE(s.contains("required"));
}

TEST_CASE("schema: convert builds a model from the fields another shares, under a prefix",
          "[schema]") {
  const UserRow row{7, "ann@example.com", "scrypt$..."};
  const auto out = schema::convert<UserOut>(row);
  CHECK(out.id == 7);
  CHECK(out.email.value == "ann@example.com");  // built from the row's text
  CHECK(out.role == "member");
  CHECK(schema::encode(out) ==
        json::parse(R"({"id":7,"email":"ann@example.com","role":"member"})"));

  const Joined joined{1, "bob@example.com", 42};
  const auto author = schema::convert<UserOut, "a_">(joined);
  CHECK(author.id == 42);  // a_id, not the joined row's own id
  CHECK(author.email.value == "bob@example.com");
}

namespace {
struct Options {
  std::int64_t port = 8000;
  std::string host = "127.0.0.1";
  std::optional<std::string> name;
};
BOOST_DESCRIBE_STRUCT(Options, (), (port, host, name))
[[maybe_unused]] schema::model_options vivace_model(const Options*) {
  return {.all_defaulted = true};
}
}  // namespace

TEST_CASE("schema: all_defaulted lets every field be left out, keeping its initialiser",
          "[schema]") {
  auto empty = schema::decode_json<Options>("{}");
  REQUIRE(empty);
  CHECK(empty->port == 8000);
  CHECK(empty->host == "127.0.0.1");
  auto some = schema::decode_json<Options>(R"({"port": 1})");
  REQUIRE(some);
  CHECK(some->port == 1);
  CHECK(some->host == "127.0.0.1");
  schema::schema_registry reg;
  (void)schema::json_schema<Options>(reg);
  const auto& s = reg.schemas().at("Options").as_object();
  CHECK_FALSE(s.contains("required"));
  CHECK(s.at("properties").as_object().at("port").as_object().at("default") == 8000);
  CHECK(s.at("properties").as_object().at("host").as_object().at("default") == "127.0.0.1");
}

namespace {
struct Draft {
  Str<min_len<1>> title;
  Default<bool> published = false;
  Default<std::int64_t> priority = 3;
};
BOOST_DESCRIBE_STRUCT(Draft, (), (title, published, priority))
}  // namespace

TEST_CASE("schema: a Default<T> member may be left out and keeps its initialiser", "[schema]") {
  auto absent = schema::decode_json<Draft>(R"({"title": "x"})");
  REQUIRE(absent);
  CHECK_FALSE(*absent->published);
  CHECK(*absent->priority == 3);
  auto sent = schema::decode_json<Draft>(R"({"title": "x", "published": true, "priority": 9})");
  REQUIRE(sent);
  const bool published = sent->published;  // reads as a T
  CHECK(published);
  CHECK(*sent->priority == 9);
  // Its value is checked like a T's; only the title is required.
  auto wrong = schema::decode_json<Draft>(R"({"published": "maybe"})");
  REQUIRE_FALSE(wrong);
  REQUIRE(wrong.errors.size() == 2);
  CHECK(wrong.errors[0].type == "missing");
  CHECK(wrong.errors[1].type == "bool_parsing");
  CHECK(schema::encode_json(*sent) == R"({"title":"x","published":true,"priority":9})");
  schema::schema_registry reg;
  (void)schema::json_schema<Draft>(reg);
  const auto& s = reg.schemas().at("Draft").as_object();
  CHECK(s.at("required") == boost::json::array{"title"});
  const auto& props = s.at("properties").as_object();
  CHECK(props.at("published").as_object().at("default") == false);
  CHECK(props.at("published").as_object().at("type") == "boolean");
  CHECK(props.at("priority").as_object().at("default") == 3);
}
