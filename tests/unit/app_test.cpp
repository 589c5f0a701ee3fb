// The App's request pipeline without sockets: routing, extraction, errors, middleware.

#include "vivace/app/app.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "../support/inprocess.hpp"
#include "vivace/params/path.hpp"
#include "vivace/params/query.hpp"
#include "vivace/schema/json.hpp"
#include "vivace/testing/client.hpp"

using namespace vivace;
namespace json = boost::json;

namespace {
json::value body_of(const Response& r) {
  return json::parse(r.body);
}
}  // namespace

TEST_CASE("app: typed path and query parameters reach the handler", "[app]") {
  App app;
  app.get<"/items/{item_id}">([](Path<"item_id", int> id, Query<"q", std::optional<std::string>> q,
                                 Query<"limit", int, 10> limit,
                                 Query<"tag", std::vector<std::string>> tags) {
    json::object o{{"item_id", *id}, {"limit", *limit}, {"tags", json::value_from(*tags)}};
    o["q"] = q->has_value() ? json::value(**q) : json::value(nullptr);
    return json::value(o);
  });
  auto r = vt::call(app, "GET", "/items/5?q=x%20y&tag=a&tag=b");
  CHECK(r.status == 200);
  CHECK(r.headers.get("content-type") == "application/json");
  CHECK(body_of(r) == json::parse(R"({"item_id":5,"limit":10,"tags":["a","b"],"q":"x y"})"));

  r = vt::call(app, "GET", "/items/5?limit=3");
  CHECK(body_of(r) == json::parse(R"({"item_id":5,"limit":3,"tags":[],"q":null})"));
}

TEST_CASE("app: every bad parameter is reported in one 422", "[app]") {
  App app;
  app.get<"/items/{item_id}">(
      [](Path<"item_id", int>, Query<"limit", int>, Query<"flag", bool, false>) { return "ok"; });
  auto r = vt::call(app, "GET", "/items/abc?flag=perhaps");
  REQUIRE(r.status == 422);
  CHECK(body_of(r) == json::parse(R"({"detail":[
    {"type":"int_parsing","loc":["path","item_id"],
     "msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"},
    {"type":"missing","loc":["query","limit"],"msg":"Field required","input":null},
    {"type":"bool_parsing","loc":["query","flag"],
     "msg":"Input should be a valid boolean, unable to interpret input","input":"perhaps"}]})"));
}

TEST_CASE("app: 404 and 405 in FastAPI's shape", "[app]") {
  App app;
  app.get<"/things">([] { return "ok"; });
  auto r = vt::call(app, "GET", "/nothing");
  CHECK(r.status == 404);
  CHECK(body_of(r) == json::parse(R"({"detail":"Not Found"})"));
  r = vt::call(app, "DELETE", "/things");
  CHECK(r.status == 405);
  CHECK(body_of(r) == json::parse(R"({"detail":"Method Not Allowed"})"));
  CHECK(r.headers.get("Allow") == "GET, HEAD, OPTIONS");
  r = vt::call(app, "OPTIONS", "/things");
  CHECK(r.status == 204);
  CHECK(r.headers.get("Allow") == "GET, HEAD, OPTIONS");
}

TEST_CASE("app: trailing-slash redirect keeps the query", "[app]") {
  App app;
  app.get<"/things/">([] { return "ok"; });
  auto r = vt::call(app, "GET", "/things?x=1");
  CHECK(r.status == 307);
  CHECK(r.headers.get("Location") == "/things/?x=1");
  App strict({.redirect_slashes = false});
  strict.get<"/things/">([] { return "ok"; });
  CHECK(vt::call(strict, "GET", "/things").status == 404);
}

TEST_CASE("app: HTTPException renders detail and headers", "[app]") {
  App app;
  app.get<"/secret">([]() -> json::value {
    throw HTTPException(401, "Not authenticated", {{"WWW-Authenticate", "Bearer"}});
  });
  app.get<"/teapot">([]() -> json::value { throw HTTPException(418); });
  auto r = vt::call(app, "GET", "/secret");
  CHECK(r.status == 401);
  CHECK(body_of(r) == json::parse(R"({"detail":"Not authenticated"})"));
  CHECK(r.headers.get("WWW-Authenticate") == "Bearer");
  r = vt::call(app, "GET", "/teapot");
  CHECK(r.status == 418);
  CHECK(body_of(r) == json::parse(R"({"detail":"I'm a Teapot"})"));
  CHECK(reason_phrase(299) == "Unknown");
  CHECK(reason_phrase(404) == "Not Found");
}

TEST_CASE("app: other exceptions are a 500 that leaks nothing", "[app]") {
  App app;
  app.get<"/boom">([]() -> json::value { throw std::runtime_error("password=hunter2"); });
  app.get<"/boom-async">([]() -> Task<json::value> {
    throw std::logic_error("internal state");
    co_return nullptr;
  });
  for (auto path : {"/boom", "/boom-async"}) {
    auto r = vt::call(app, "GET", path);
    CHECK(r.status == 500);
    CHECK(r.body == R"({"detail":"Internal Server Error"})");
  }
}

struct not_enough_credit : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST_CASE("app: exception handlers by type", "[app]") {
  App app;
  app.exception_handler<not_enough_credit>([](Request&, const not_enough_credit& e) {
    return Response::json(json::object{{"error", "credit"}, {"message", e.what()}}, 402);
  });
  app.get<"/buy">([]() -> json::value { throw not_enough_credit("balance too low"); });
  app.get<"/other">([]() -> json::value { throw std::runtime_error("x"); });
  auto r = vt::call(app, "GET", "/buy");
  CHECK(r.status == 402);
  CHECK(body_of(r) == json::parse(R"({"error":"credit","message":"balance too low"})"));
  CHECK(vt::call(app, "GET", "/other").status == 500);
}

TEST_CASE("app: middleware runs as an onion, last added outermost", "[app]") {
  App app;
  std::vector<std::string> trace;
  app.add_middleware([&trace](Request& req, const Handler& next) -> Task<Response> {
    trace.push_back("inner before");
    auto res = co_await next(req);
    trace.push_back("inner after");
    co_return res;
  });
  app.add_middleware([&trace](Request& req, const Handler& next) -> Task<Response> {
    trace.push_back("outer before");
    if (req.headers.get("X-Block"))
      co_return Response::error(403, "blocked");
    auto res = co_await next(req);
    res.headers.set("X-Outer", "1");
    trace.push_back("outer after");
    co_return res;
  });
  app.get<"/">([&trace] {
    trace.push_back("handler");
    return "hi";
  });
  auto r = vt::call(app, "GET", "/");
  CHECK(r.headers.get("X-Outer") == "1");
  CHECK(trace == std::vector<std::string>{"outer before", "inner before", "handler", "inner after",
                                          "outer after"});
  trace.clear();
  Headers h;
  h.add("X-Block", "1");
  r = vt::call(app, "GET", "/", {}, h);
  CHECK(r.status == 403);
  CHECK(trace == std::vector<std::string>{"outer before"});
  // middleware also sees 404s
  CHECK(vt::call(app, "GET", "/missing").headers.get("X-Outer") == "1");
}

TEST_CASE("app: plain-step and coroutine middleware nest in one onion", "[app]") {
  App app;
  std::vector<std::string> trace;
  auto steps = [&trace](std::string name, bool answers) {
    return Middleware::steps(
        [&trace, name, answers](Request& req) -> std::optional<Response> {
          trace.push_back(name + " before");
          if (answers && req.headers.get("X-Answer") == name)
            return Response::error(409, name);
          return std::nullopt;
        },
        [&trace, name](Request&, Response& res) {
          trace.push_back(name + " after");
          res.headers.add("X-Trace", name);
        });
  };
  // added innermost first: c (steps), b (coroutine), a2 and a1 (steps, one run)
  app.add_middleware(steps("c", true));
  app.add_middleware([&trace](Request& req, const Handler& next) -> Task<Response> {
    trace.push_back("b before");
    auto res = co_await next(req);
    trace.push_back("b after");
    co_return res;
  });
  app.add_middleware(steps("a2", true));
  app.add_middleware(steps("a1", false));
  app.add_middleware(Middleware::steps({}, {}));  // neither step: changes nothing
  app.get<"/">([&trace] {
    trace.push_back("handler");
    return "hi";
  });
  auto r = vt::call(app, "GET", "/");
  CHECK(r.status == 200);
  CHECK(trace == std::vector<std::string>{"a1 before", "a2 before", "b before", "c before",
                                          "handler", "c after", "b after", "a2 after", "a1 after"});
  // An answer from a `before` skips the rest, its own `after` included; the outer ones run.
  for (const auto& [who, expected] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"a2", {"a1 before", "a2 before", "a1 after"}},
           {"c",
            {"a1 before", "a2 before", "b before", "c before", "b after", "a2 after",
             "a1 after"}}}) {
    trace.clear();
    Headers h;
    h.add("X-Answer", who);
    r = vt::call(app, "GET", "/", {}, h);
    CHECK(r.status == 409);
    CHECK(trace == expected);
  }
  // A step that throws is a 500 like a coroutine middleware that throws.
  App failing;
  failing.add_middleware(Middleware::steps(
      [](Request&) -> std::optional<Response> { throw std::runtime_error("step failed"); }));
  failing.get<"/">([] { return "hi"; });
  CHECK(vt::call(failing, "GET", "/").status == 500);
}

TEST_CASE("app: routers nest with prefixes and tags", "[app]") {
  Router users({.prefix = "/users", .tags = {"users"}});
  users.get<"/{user_id}">([](Path<"user_id", std::int64_t> id) { return json::value(*id); },
                          {.summary = "Read a user", .tags = {"read"}});
  Router api({.prefix = "/api"});
  api.include_router(users, "/v1");
  App app;
  app.include_router(api);
  REQUIRE(app.routes().size() == 1);
  const auto& info = app.routes()[0].info;
  CHECK(info.path == "/api/v1/users/{user_id}");
  CHECK(info.options.tags == std::vector<std::string>{"users", "read"});
  CHECK(info.options.summary == "Read a user");
  REQUIRE(info.params.size() == 1);
  CHECK(info.params[0].in == ParamIn::path);
  CHECK(vt::call(app, "GET", "/api/v1/users/12").body == "12");
}

TEST_CASE("app: return types decide the response", "[app]") {
  App app;
  app.get<"/text">([] { return std::string("plain"); });
  app.get<"/resp">([] { return Response::text("hello", 202); });
  app.post<"/nothing">([] {});
  app.post<"/created">([] { return json::object{{"id", 1}}; }, {.status_code = 201});
  CHECK(vt::call(app, "GET", "/text").body == "\"plain\"");
  auto r = vt::call(app, "GET", "/resp");
  CHECK(r.status == 202);
  CHECK(r.body == "hello");
  CHECK(r.headers.get("Content-Type") == "text/plain; charset=utf-8");
  r = vt::call(app, "POST", "/nothing");
  CHECK(r.status == 204);
  CHECK(r.body.empty());
  CHECK(vt::call(app, "POST", "/created").status == 201);
  CHECK(app.routes()[2].info.status() == 204);
}

TEST_CASE("app: a raw Request parameter sees the whole request", "[app]") {
  App app;
  app.post<"/echo">([](Request& req) { return Response::text(req.method + " " + req.body); });
  CHECK(vt::call(app, "POST", "/echo", "payload").body == "POST payload");
}

TEST_CASE("app: lifespan hooks run in order, shutdown in reverse", "[app]") {
  App app;
  std::vector<std::string> events;
  app.on_startup([&] { events.push_back("open db"); });
  app.on_startup([&] { events.push_back("warm cache"); });
  app.on_shutdown([&] { events.push_back("close db"); });
  app.on_shutdown([&] { throw std::runtime_error("a failing hook does not stop the others"); });
  app.on_shutdown([&] { events.push_back("flush cache"); });
  app.startup();
  app.shutdown();
  CHECK(events == std::vector<std::string>{"open db", "warm cache", "flush cache", "close db"});
}

namespace {
enum class Order { asc, desc };
BOOST_DESCRIBE_ENUM(Order, asc, desc)
struct Paging {
  Int<ge<1>, le<100>> limit;
};
BOOST_DESCRIBE_STRUCT(Paging, (), (limit))
}  // namespace

TEST_CASE("app: parameters with schema types: constraints, enums, defaults", "[app]") {
  App app;
  app.get<"/posts">(
      [](Query<"skip", Int<ge<0>>, 0> skip, Query<"limit", Int<ge<1>, le<100>>, 100> limit,
         Query<"order", Order, Order::desc> order, Query<"since", std::optional<Date>> since) {
        return json::value{
            {"skip", *skip},
            {"limit", *limit},
            {"order", schema::encode(*order)},
            {"since", since->has_value() ? json::value((*since)->to_string()) : nullptr}};
      });
  auto r = vt::call(app, "GET", "/posts?limit=5&order=asc&since=2024-01-31");
  CHECK(r.status == 200);
  CHECK(body_of(r) == json::parse(R"({"skip":0,"limit":5,"order":"asc","since":"2024-01-31"})"));

  r = vt::call(app, "GET", "/posts?skip=-1&limit=0&order=up&since=yesterday");
  REQUIRE(r.status == 422);
  auto d = body_of(r).at("detail");
  CHECK(d.at(0).at("type") == "greater_than_equal");
  CHECK(d.at(0).at("loc") == json::array{"query", "skip"});
  CHECK(d.at(1).at("type") == "greater_than_equal");
  CHECK(d.at(1).at("msg") == "Input should be greater than or equal to 1");
  CHECK(d.at(2).at("type") == "enum");
  CHECK(d.at(3).at("type") == "date_parsing");

  const auto& params = app.routes()[0].info.params;
  CHECK(params[1].schema == json::parse(R"({"type":"integer","minimum":1,"maximum":100})"));
  CHECK(params[1].default_ == json::value(100));
  CHECK(params[2].schema ==
        json::parse(R"({"type":"string","enum":["asc","desc"],"title":"Order"})"));
  CHECK(params[2].default_ == json::value("desc"));
}

TEST_CASE("app: ?limit=abc and {\"limit\":\"abc\"} report the same error", "[app]") {
  App app;
  app.get<"/q">([](Query<"limit", Int<ge<1>, le<100>>>) { return "ok"; });
  auto q = body_of(vt::call(app, "GET", "/q?limit=abc")).at("detail").at(0).as_object();
  auto b = schema::decode_json<Paging>(R"({"limit":"abc"})").errors.at(0);
  CHECK(q.at("type") == json::value(b.type));
  CHECK(q.at("msg") == json::value(b.msg));
  CHECK(q.at("input") == b.input);
}

TEST_CASE("app: the OpenAPI document is served, cached, and can be moved or disabled", "[app]") {
  App app({.title = "Docs", .version = "2.0"});
  app.get<"/items/{id}">([](Path<"id", int> id) { return *id; }, {.name = "read_item"});
  app.get<"/secret">([] { return 1; }, {.include_in_schema = false});
  testing::TestClient client(app);
  auto r = client.get("/openapi.json").send();
  REQUIRE(r.status == 200);
  CHECK(r.headers.get("Content-Type") == "application/json");
  auto doc = r.json();
  CHECK(doc.at("openapi") == "3.1.0");
  CHECK(doc.at("info").at("title") == "Docs");
  CHECK(doc.at("paths").as_object().contains("/items/{id}"));
  CHECK_FALSE(doc.at("paths").as_object().contains("/secret"));
  CHECK(doc.at("paths").at("/items/{id}").at("get").at("operationId") ==
        "read_item_items__id__get");
  CHECK(&app.openapi() == &app.openapi());  // built once
  CHECK(client.get("/openapi.json").send().body == r.body);

  App moved({.openapi_url = "/api/schema.json"});
  moved.get<"/">([] { return 1; });
  testing::TestClient c2(moved);
  CHECK(c2.get("/api/schema.json").send().status == 200);
  CHECK(c2.get("/openapi.json").send().status == 404);

  App off({.openapi_url = ""});
  off.get<"/">([] { return 1; });
  testing::TestClient c3(off);
  CHECK(c3.get("/openapi.json").send().status == 404);
}

TEST_CASE("app: Swagger UI and ReDoc pages with their assets, offline", "[app]") {
  App app({.title = "Docs <&>"});
  app.get<"/">([] { return 1; });
  testing::TestClient client(app);
  auto docs = client.get("/docs").send();
  REQUIRE(docs.status == 200);
  CHECK(docs.headers.get("Content-Type") == "text/html; charset=utf-8");
  CHECK(docs.body.find("<title>Docs &lt;&amp;&gt; - Swagger UI</title>") != std::string::npos);
  CHECK(docs.body.find("src=\"/docs/swagger-ui-bundle.js\"") != std::string::npos);
  CHECK(docs.body.find("url: \"/openapi.json\"") != std::string::npos);
  CHECK(docs.body.find("http") == std::string::npos);  // nothing from another host
  auto js = client.get("/docs/swagger-ui-bundle.js").send();
  CHECK(js.status == 200);
  CHECK(js.headers.get("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(js.body.size() > 1000000);
  CHECK(client.get("/docs/swagger-ui.css").send().body.find(".swagger-ui") != std::string::npos);
  CHECK(client.get("/docs/oauth2-redirect.html").send().status == 200);
  CHECK(client.get("/docs/nothing.js").send().status == 404);
  auto redoc = client.get("/redoc").send();
  CHECK(redoc.body.find("<redoc spec-url=\"/openapi.json\">") != std::string::npos);
  CHECK(client.get("/redoc/redoc.standalone.js").send().body.size() > 500000);

  App off({.docs_url = "", .redoc_url = ""});
  off.get<"/">([] { return 1; });
  testing::TestClient c2(off);
  CHECK(c2.get("/docs").send().status == 404);
  CHECK(c2.get("/redoc").send().status == 404);
  CHECK(c2.get("/openapi.json").send().status == 200);
}

TEST_CASE("openapi: operation ids, converters, extras and where 422 is listed", "[openapi]") {
  App app;
  app.get<"/a/{p:path}">([](Path<"p", std::string> p) { return *p; }, {.name = "read"});
  app.post<"/a/{p:path}">([](Path<"p", std::string> p) { return *p; },
                          {.operation_id = "same", .openapi_extra = {{"x-a", {{"b", 1}}}}});
  app.put<"/b">([] { return 1; }, {.operation_id = "same", .openapi_extra = {{"summary", "S"}}});
  app.get<"/plain">([] { return 1; });
  const auto& doc = app.openapi();
  const auto& paths = doc.at("paths").as_object();
  REQUIRE(paths.contains("/a/{p}"));
  const auto& get = paths.at("/a/{p}").at("get");
  CHECK(get.at("operationId") == "read_a__p__get");
  CHECK(get.at("responses").as_object().contains("422"));
  const auto& post = paths.at("/a/{p}").at("post");
  CHECK(post.at("operationId") == "same");
  CHECK(post.at("x-a") == json::value{{"b", 1}});
  const auto& put = paths.at("/b").at("put");
  CHECK(put.at("operationId") == "same_2");                      // made unique, with a warning
  CHECK(put.at("summary") == "S");                               // openapi_extra wins
  CHECK_FALSE(put.at("responses").as_object().contains("422"));  // no input, nothing to fail
  CHECK(paths.at("/plain").at("get").at("operationId") == "plain_get");
}
