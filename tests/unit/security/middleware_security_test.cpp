// CORS (simple and preflight, with and without credentials), trusted hosts, HTTPS redirect,
// security headers, request ids, gzip round trip, and the rate limiter with a fake clock.

#include <zlib.h>

#include <catch2/catch.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

using namespace vivace;
namespace json = boost::json;

namespace {
std::string gunzip(const std::string& in) {
  z_stream zs{};
  REQUIRE(inflateInit2(&zs, 15 + 16) == Z_OK);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

int handler_runs = 0;
App cors_app(middleware::CorsOptions o) {
  App app;
  app.add_middleware(middleware::cors(std::move(o)));
  app.get<"/data">([] {
    ++handler_runs;
    return "data";
  });
  app.post<"/data">([] { return "posted"; });
  return app;
}
}  // namespace

TEST_CASE("cors: simple requests and preflights, listed origins", "[cors]") {
  App app = cors_app({.allow_origins = {"https://a.example"},
                      .allow_methods = {"GET", "POST"},
                      .allow_headers = {"X-Token"},
                      .expose_headers = {"X-Total"},
                      .max_age = 60});
  testing::TestClient client(app);
  auto plain = client.get("/data").send();
  CHECK_FALSE(plain.headers.contains("Access-Control-Allow-Origin"));
  auto simple = client.get("/data").header("Origin", "https://a.example").send();
  CHECK(simple.headers.get("Access-Control-Allow-Origin") == "https://a.example");
  CHECK(simple.headers.get("Access-Control-Expose-Headers") == "X-Total");
  CHECK(simple.headers.get("Vary") == "Origin");
  auto foreign = client.get("/data").header("Origin", "https://evil.example").send();
  CHECK(foreign.status == 200);  // served, but the browser will not let the page read it
  CHECK_FALSE(foreign.headers.contains("Access-Control-Allow-Origin"));

  handler_runs = 0;
  auto pre = client.options("/data")
                 .header("Origin", "https://a.example")
                 .header("Access-Control-Request-Method", "POST")
                 .header("Access-Control-Request-Headers", "x-token, content-type")
                 .send();
  CHECK(pre.status == 200);
  CHECK(pre.headers.get("Access-Control-Allow-Origin") == "https://a.example");
  CHECK(pre.headers.get("Access-Control-Allow-Methods") == "GET, POST");
  CHECK(pre.headers.get("Access-Control-Allow-Headers") == "X-Token");
  CHECK(pre.headers.get("Access-Control-Max-Age") == "60");
  CHECK(handler_runs == 0);  // answered without reaching the handler
  auto bad_method = client.options("/data")
                        .header("Origin", "https://a.example")
                        .header("Access-Control-Request-Method", "DELETE")
                        .send();
  CHECK(bad_method.status == 400);
  CHECK(bad_method.body == "Disallowed CORS method");
  auto bad_all = client.options("/data")
                     .header("Origin", "https://evil.example")
                     .header("Access-Control-Request-Method", "PUT")
                     .header("Access-Control-Request-Headers", "X-Other")
                     .send();
  CHECK(bad_all.body == "Disallowed CORS origin, method, headers");
}

TEST_CASE("cors: wildcard origins, regex, credentials never with *", "[cors]") {
  {
    App app = cors_app({.allow_origins = {"*"}, .allow_methods = {"*"}, .allow_headers = {"*"}});
    testing::TestClient client(app);
    auto r = client.get("/data").header("Origin", "https://any.example").send();
    CHECK(r.headers.get("Access-Control-Allow-Origin") == "*");
    CHECK_FALSE(r.headers.contains("Vary"));
    auto pre = client.options("/data")
                   .header("Origin", "https://any.example")
                   .header("Access-Control-Request-Method", "PATCH")
                   .header("Access-Control-Request-Headers", "X-Anything")
                   .send();
    CHECK(pre.headers.get("Access-Control-Allow-Methods") == "PATCH");
    CHECK(pre.headers.get("Access-Control-Allow-Headers") == "X-Anything");
  }
  {
    App app = cors_app({.allow_origins = {"*"}, .allow_credentials = true});
    testing::TestClient client(app);
    auto r = client.get("/data").header("Origin", "https://any.example").send();
    CHECK(r.headers.get("Access-Control-Allow-Origin") == "https://any.example");
    CHECK(r.headers.get("Access-Control-Allow-Credentials") == "true");
    CHECK(r.headers.get("Vary") == "Origin");
  }
  {
    App app = cors_app({.allow_origin_regex = R"(https://[a-z]+\.example\.org)"});
    testing::TestClient client(app);
    CHECK(client.get("/data")
              .header("Origin", "https://app.example.org")
              .send()
              .headers.get("Access-Control-Allow-Origin") == "https://app.example.org");
    CHECK_FALSE(client.get("/data")
                    .header("Origin", "https://app.example.org.evil.com")
                    .send()
                    .headers.contains("Access-Control-Allow-Origin"));
  }
}

TEST_CASE("trusted hosts, HTTPS redirect, security headers, request ids", "[middleware]") {
  App app;
  app.add_middleware(middleware::security_headers());
  app.add_middleware(middleware::trusted_host({"api.example.com", "*.example.org"}));
  app.add_middleware(middleware::request_id());
  app.get<"/id">([](Request& req) { return std::string(*req.headers.get("X-Request-ID")); });
  testing::TestClient client(app);
  CHECK(client.get("/id").header("Host", "api.example.com:8443").send().status == 200);
  CHECK(client.get("/id").header("Host", "eu.example.org").send().status == 200);
  auto bare = client.get("/id").header("Host", "example.org").send();
  CHECK(bare.status == 400);
  CHECK(bare.body == "Invalid host header");
  CHECK(client.get("/id").header("Host", "evil.com").send().status == 400);

  auto r =
      client.get("/id").header("Host", "api.example.com").header("X-Request-ID", "abc-1").send();
  CHECK(r.json() == "abc-1");
  CHECK(r.headers.get("X-Request-ID") == "abc-1");
  CHECK(r.headers.get("X-Content-Type-Options") == "nosniff");
  CHECK(r.headers.get("X-Frame-Options") == "DENY");
  CHECK_FALSE(r.headers.contains("Strict-Transport-Security"));  // not over TLS
  auto generated = client.get("/id")
                       .header("Host", "api.example.com")
                       .header("X-Request-ID", "bad id\twith spaces")
                       .send();
  const std::string id(generated.json().as_string());
  CHECK(id.size() == 36);
  CHECK(id[14] == '4');  // a version-4 UUID
  CHECK(generated.headers.get("X-Request-ID") == id);

  App tls_only;
  tls_only.add_middleware(middleware::https_redirect());
  tls_only.get<"/x">([] { return 1; });
  testing::TestClient c2(tls_only);
  auto redirect = c2.get("/x?y=1").header("Host", "api.example.com:80").send();
  CHECK(redirect.status == 307);
  CHECK(redirect.headers.get("Location") == "https://api.example.com/x?y=1");
}

TEST_CASE("gzip: negotiated, round trip, skipped when small or already compressed",
          "[middleware]") {
  App app;
  app.add_middleware(middleware::gzip({.minimum_size = 100}));
  const std::string big(5000, 'a');
  app.get<"/big">([&] { return Response::text(big); });
  app.get<"/small">([] { return Response::text("tiny"); });
  app.get<"/png">(
      [&] { return Response(Response::text(big)).header("Content-Type", "image/png"); });
  testing::TestClient client(app);
  auto z = client.get("/big").header("Accept-Encoding", "br, gzip;q=0.8").send();
  CHECK(z.headers.get("Content-Encoding") == "gzip");
  CHECK(z.headers.get("Vary") == "Accept-Encoding");
  CHECK(z.body.size() < 200);
  CHECK(gunzip(z.body) == big);
  CHECK_FALSE(client.get("/big").send().headers.contains("Content-Encoding"));
  CHECK_FALSE(client.get("/big")
                  .header("Accept-Encoding", "gzip;q=0")
                  .send()
                  .headers.contains("Content-Encoding"));
  CHECK_FALSE(client.get("/small")
                  .header("Accept-Encoding", "gzip")
                  .send()
                  .headers.contains("Content-Encoding"));
  CHECK_FALSE(client.get("/png")
                  .header("Accept-Encoding", "gzip")
                  .send()
                  .headers.contains("Content-Encoding"));
}

TEST_CASE("rate limit: a token bucket per client, 429 with Retry-After, a fake clock",
          "[middleware]") {
  auto now = std::chrono::steady_clock::time_point{};
  App app;
  app.add_middleware(middleware::rate_limit(
      {.requests_per_second = 1,
       .burst = 2,
       .key = [](const Request& r) { return std::string(r.headers.get("X-Client").value_or("?")); },
       .clock = [&] { return now; }}));
  app.get<"/">([] { return "ok"; });
  testing::TestClient client(app);
  auto as = [&](std::string who) { return client.get("/").header("X-Client", who).send(); };
  CHECK(as("a").status == 200);
  CHECK(as("a").status == 200);
  auto refused = as("a");
  CHECK(refused.status == 429);
  CHECK(refused.json() == json::value{{"detail", "Too Many Requests"}});
  CHECK(refused.headers.get("Retry-After") == "1");
  CHECK(as("b").status == 200);  // another client, another bucket
  now += std::chrono::milliseconds(500);
  CHECK(as("a").status == 429);
  now += std::chrono::milliseconds(600);
  CHECK(as("a").status == 200);  // a token has come back
  CHECK(as("a").status == 429);
}

namespace {
auto limiter_now = std::chrono::steady_clock::time_point{};
const middleware::RateLimiter per_key({.requests_per_second = 1, .burst = 1, .clock = [] {
                                         return limiter_now;
                                       }});
int key_lookups = 0;
std::string api_key_owner(Header<"X-API-Key", std::string> key) {
  ++key_lookups;
  return "owner-of-" + *key;
}
}  // namespace

TEST_CASE("rate limit: keyed by a dependency's value, per route", "[middleware]") {
  App app;
  int served = 0;
  app.get<"/feed">(
      [&](Depends<api_key_owner> owner) {
        ++served;
        return *owner;
      },
      {.dependencies = {dependency<middleware::rate_limited_by<api_key_owner, per_key>>()}});
  app.get<"/free">([] { return "free"; });
  testing::TestClient client(app);
  auto as = [&](std::string key) { return client.get("/feed").header("X-API-Key", key).send(); };
  key_lookups = 0;
  CHECK(as("k1").json() == "owner-of-k1");
  CHECK(key_lookups == 1);  // the limiter and the handler share the provider's value
  auto refused = as("k1");
  CHECK(refused.status == 429);
  CHECK(refused.json() == json::value{{"detail", "Too Many Requests"}});
  CHECK(refused.headers.get("Retry-After") == "1");
  CHECK(served == 1);             // the handler did not run
  CHECK(as("k2").status == 200);  // another key, another bucket (same client address)
  CHECK(client.get("/free").send().status == 200);  // other routes are not limited
  CHECK(client.get("/feed").send().status == 422);  // the key provider's own validation
  limiter_now += std::chrono::milliseconds(1100);
  CHECK(as("k1").status == 200);
  // The key's header is documented on the limited route.
  const auto& params = app.routes().at(0).info.params;
  REQUIRE(params.size() == 1);
  CHECK(params[0].name == "X-API-Key");
}
