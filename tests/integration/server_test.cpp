// The server over real sockets: keep-alive, pipelining, limits, timeouts, TLS, shutdown.

#include <atomic>
#include <chrono>
#include <future>
#include <random>
#include <thread>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <vivace/vivace.hpp>

#include "http_client.hpp"
#include "tls_cert.hpp"

using namespace vivace;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

struct test_server {
  std::unique_ptr<App> app;
  std::optional<Server> server;

  explicit test_server(const std::function<void(App&)>& setup, ServerConfig cfg = {},
                       AppOptions opts = {}) {
    app = std::make_unique<App>(std::move(opts));
    app->add_middleware(middleware::process_time());
    setup(*app);
    cfg.port = 0;
    cfg.handle_signals = false;
    if (cfg.threads == 0)
      cfg.threads = 2;
    server.emplace(app->make_server(std::move(cfg)));
    server->start();
  }
  ~test_server() { server->stop(); }
  [[nodiscard]] std::uint16_t port() const { return server->port(); }
};

void standard_routes(App& app) {
  app.get<"/hello">([]() -> Task<json::value> { co_return json::object{{"hello", "world"}}; });
  app.get<"/users/{user_id}">([](Path<"user_id", std::int64_t> id) { return json::value(*id); });
  app.post<"/echo">([](Request& req) { return Response::text(req.body); });
  app.post<"/small">([](Request& req) { return Response::text(req.body); }, {.max_body_size = 16});
  app.get<"/sleep/{ms}">([](Path<"ms", int> ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(*ms));
    return json::value(*ms);
  });
  app.get<"/boom">([]() -> json::value { throw std::runtime_error("secret detail"); });
  app.get<"/inject">([] {
    return Response::text("x")
        .header("X-Evil", "a\r\nSet-Cookie: session=stolen")
        .header("X-Fine", "ok");
  });
  app.get<"/close">([] { return Response::text("bye").header("Connection", "close"); });
}

std::string get(std::string_view target, std::string_view extra = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

}  // namespace

TEST_CASE("server: answers over a real socket with JSON", "[server]") {
  test_server s(standard_routes);
  auto r = vt::request(s.port(), "GET", "/hello");
  CHECK(r.status == 200);
  CHECK(r.body == R"({"hello":"world"})");
  CHECK(r.headers.get("Content-Type") == "application/json");
  CHECK(r.headers.get("Content-Length") == "17");
  CHECK(r.headers.contains("Date"));
  CHECK(r.headers.contains("X-Process-Time"));
}

TEST_CASE("server: 404, 405 and 422 in the error format", "[server]") {
  test_server s(standard_routes);
  auto r = vt::request(s.port(), "GET", "/nope");
  CHECK(r.status == 404);
  CHECK(r.body == R"({"detail":"Not Found"})");
  r = vt::request(s.port(), "DELETE", "/hello");
  CHECK(r.status == 405);
  CHECK(r.headers.get("Allow") == "GET, HEAD, OPTIONS");
  r = vt::request(s.port(), "GET", "/users/abc");
  CHECK(r.status == 422);
  auto body = json::parse(r.body);
  CHECK(body.at("detail").at(0).at("type") == "int_parsing");
  CHECK(body.at("detail").at(0).at("loc") == json::array{"path", "user_id"});
  r = vt::request(s.port(), "GET", "/boom");
  CHECK(r.status == 500);
  CHECK(r.body == R"({"detail":"Internal Server Error"})");
}

TEST_CASE("server: a header with CR or LF from a handler is dropped, not sent", "[server]") {
  test_server s(standard_routes);
  vt::connection c(s.port());
  c.send(get("/inject") + get("/hello"));
  auto r = c.read();
  CHECK(r.status == 200);
  CHECK_FALSE(r.headers.contains("X-Evil"));
  CHECK_FALSE(r.headers.contains("Set-Cookie"));
  CHECK(r.headers.get("X-Fine") == "ok");
  CHECK(c.read().body == R"({"hello":"world"})");  // the stream is intact
}

TEST_CASE("server: a handler can close the connection", "[server]") {
  test_server s(standard_routes);
  vt::connection c(s.port());
  c.send(get("/close"));
  auto r = c.read();
  CHECK(r.body == "bye");
  CHECK_FALSE(r.keep_alive);
  CHECK(c.closed_within(2s));
}

TEST_CASE("server: a port in use is a std::system_error naming the address", "[server]") {
  test_server s(standard_routes);
  App other;
  ServerConfig cfg;
  cfg.port = s.port();
  cfg.handle_signals = false;
  auto server = other.make_server(cfg);
  try {
    server.start();
    FAIL("start() should have thrown");
  } catch (const std::system_error& e) {
    CHECK(std::string(e.what()).find("127.0.0.1:" + std::to_string(s.port())) != std::string::npos);
  }
}

TEST_CASE("server: keep-alive serves many requests on one connection", "[server]") {
  test_server s(standard_routes);
  vt::connection c(s.port());
  for (int i = 0; i < 5; ++i) {
    c.send(get("/users/" + std::to_string(i)));
    auto r = c.read();
    CHECK(r.status == 200);
    CHECK(r.body == std::to_string(i));
    CHECK(r.keep_alive);
  }
}

TEST_CASE("server: HTTP/1.0 closes unless keep-alive is asked for", "[server]") {
  test_server s(standard_routes);
  {
    vt::connection c(s.port());
    c.send("GET /hello HTTP/1.0\r\n\r\n");
    auto r = c.read();
    CHECK(r.status == 200);
    CHECK(r.version == 10);
    CHECK(c.closed_within(2s));
  }
  {
    vt::connection c(s.port());
    c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(c.read().keep_alive);
    c.send("GET /users/3 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(c.read().body == "3");
  }
}

TEST_CASE("server: pipelined requests are answered in order", "[server]") {
  test_server s(standard_routes);
  vt::connection c(s.port());
  // The first is slow (a blocking handler on the worker pool); order must still hold.
  c.send(get("/sleep/150") + get("/users/2") + get("/hello") + get("/users/4"));
  CHECK(c.read().body == "150");
  CHECK(c.read().body == "2");
  CHECK(c.read().body == R"({"hello":"world"})");
  CHECK(c.read().body == "4");
}

TEST_CASE("server: blocking handlers do not stall the I/O threads", "[server]") {
  ServerConfig cfg;
  cfg.threads = 1;
  test_server s(standard_routes, cfg);
  auto slow =
      std::async(std::launch::async, [&] { return vt::request(s.port(), "GET", "/sleep/1500"); });
  std::this_thread::sleep_for(100ms);
  // With one I/O thread, this answer can only come first if the slow handler runs elsewhere.
  auto fast = vt::request(s.port(), "GET", "/users/1");
  CHECK(fast.status == 200);
  CHECK(slow.wait_for(0s) != std::future_status::ready);
  CHECK(slow.get().status == 200);
}

TEST_CASE("server: Expect 100-continue gets an interim response", "[server]") {
  test_server s(standard_routes);
  vt::connection c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  CHECK(c.read_raw(25) == "HTTP/1.1 100 Continue\r\n\r\n");
  c.send("hello");
  auto r = c.read();
  CHECK(r.status == 200);
  CHECK(r.body == "hello");
}

TEST_CASE("server: Expect 100-continue with a body too large is refused up front", "[server]") {
  test_server s(standard_routes);
  vt::connection c(s.port());
  c.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n");
  auto r = c.read();
  CHECK(r.status == 413);
  CHECK(r.body == R"({"detail":"Payload Too Large"})");
}

TEST_CASE("server: chunked request bodies are de-chunked", "[server]") {
  test_server s(standard_routes);
  vt::connection c(s.port());
  c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
  auto r = c.read();
  CHECK(r.status == 200);
  CHECK(r.body == "hello, world");
}

TEST_CASE("server: framing RFC 9112 forbids is refused with 400 (or 501) and a close", "[server]") {
  test_server s(standard_routes);
  const std::string post = "POST /echo HTTP/1.1\r\nHost: t\r\n";
  const std::string chunked = post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
  const std::pair<std::string, int> cases[] = {
      // §3.2: one Host, whether the two agree or not.
      {"GET /hello HTTP/1.1\r\nHost: t\r\nHost: evil.example\r\n\r\n", 400},
      {"GET /hello HTTP/1.1\r\nHost: t\r\nHost: t\r\n\r\n", 400},
      // §7.1: the last chunk and the trailer end with CRLF; a bare LF used to hang the request
      // until the client gave up.
      {chunked + "0\r\n\n", 400},
      {chunked + "0\r\nX-Trailer: a\n", 400},
      // §6.1, §6.3: a body whose length cannot be known from its codings.
      {post + "Transfer-Encoding: gzip\r\n\r\nhello", 400},
      {post + "Transfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400},
      {post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n", 400},
      {"POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400},
      {post + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501},
  };
  for (const auto& [bytes, status] : cases) {
    INFO(bytes);
    vt::connection c(s.port());
    c.send(bytes);
    CHECK(c.read().status == status);
    CHECK(c.closed_within(3s));
  }
  // What the rules allow still works: chunked with a trailer and an extension, one Host.
  vt::connection c(s.port());
  c.send(chunked + "7;note=\"a b\"\r\n, world\r\n0\r\nX-Trailer: a\r\n\r\n");
  auto r = c.read();
  CHECK(r.status == 200);
  CHECK(r.body == "hello, world");
}

TEST_CASE("server: HEAD has GET's headers and no body", "[server]") {
  test_server s(standard_routes);
  vt::connection c(s.port());
  c.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n" + get("/users/9"));
  auto head = c.read(/*head=*/true);
  CHECK(head.status == 200);
  CHECK(head.headers.get("Content-Length") == "17");
  CHECK(head.body.empty());
  // the next response parses cleanly: no stray body bytes were sent
  CHECK(c.read().body == "9");
}

TEST_CASE("server: size limits answer 413, 414 and 431", "[server]") {
  ServerConfig cfg;
  cfg.limits.header_bytes = 1024;
  cfg.limits.url_bytes = 256;
  test_server s(standard_routes, cfg, {.max_body_size = 64});

  SECTION("a body over the app limit, announced") {
    auto r = vt::request(s.port(), "POST", "/echo", {}, std::string(65, 'x'));
    CHECK(r.status == 413);
    CHECK(r.headers.contains("X-Process-Time"));  // server errors pass the middleware too
  }
  SECTION("a body at the app limit is fine") {
    CHECK(vt::request(s.port(), "POST", "/echo", {}, std::string(64, 'x')).status == 200);
  }
  SECTION("a chunked body over the limit") {
    vt::connection c(s.port());
    c.send(
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        "40\r\n" +
        std::string(64, 'a') + "\r\n10\r\n" + std::string(16, 'b') + "\r\n0\r\n\r\n");
    CHECK(c.read().status == 413);
  }
  SECTION("a route's own, smaller limit") {
    CHECK(vt::request(s.port(), "POST", "/small", {}, std::string(17, 'x')).status == 413);
    CHECK(vt::request(s.port(), "POST", "/small", {}, std::string(16, 'x')).status == 200);
  }
  SECTION("a URL too long") {
    auto r = vt::request(s.port(), "GET", "/users/" + std::string(300, '1'));
    CHECK(r.status == 414);
  }
  SECTION("a URL far beyond every limit") {
    auto r = vt::request(s.port(), "GET", "/users/" + std::string(5000, '1'));
    CHECK(r.status == 414);
  }
  SECTION("a header block too large") {
    auto r = vt::request(s.port(), "GET", "/hello", "X-Big: " + std::string(1100, 'h') + "\r\n");
    CHECK(r.status == 431);
  }
  SECTION("many headers too large together") {
    std::string many;
    for (int i = 0; i < 40; ++i)
      many += "X-H" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
    CHECK(vt::request(s.port(), "GET", "/hello", many).status == 431);
  }
}

TEST_CASE("server: malformed requests get 400 and the server lives on", "[server]") {
  test_server s(standard_routes);
  for (const char* bad : {"BLAH\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                          "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
                          "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                          "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    vt::connection c(s.port());
    c.send(bad);
    auto r = c.read();
    CHECK(r.status == 400);
  }
  // random garbage: any answer or a close, never a crash or a hang
  std::mt19937 rng(1234);
  for (int i = 0; i < 50; ++i) {
    std::string junk(1 + rng() % 300, '\0');
    for (auto& ch : junk)
      ch = static_cast<char>(rng() % 256);
    vt::connection c(s.port());
    c.send(junk + "\r\n\r\n");
    CHECK(c.closed_within(3s));
  }
  CHECK(vt::request(s.port(), "GET", "/hello").status == 200);
}

TEST_CASE("server: a client trickling its header is cut off (slowloris)", "[server]") {
  ServerConfig cfg;
  cfg.timeouts.header = 300ms;
  test_server s(standard_routes, cfg);
  vt::connection c(s.port());
  auto started = std::chrono::steady_clock::now();
  c.send("GET /hello HTTP/1.1\r\n");
  bool closed = false;
  for (int i = 0; i < 20 && !closed; ++i) {
    try {
      c.send("X-Slow: 1\r\n");  // a byte every 100 ms keeps no deadline alive
    } catch (const std::exception&) {
      closed = true;
      break;
    }
    closed = c.closed_within(100ms);
  }
  CHECK(closed);
  // cut off by the header deadline, not by the client's own patience
  CHECK(std::chrono::steady_clock::now() - started >= 250ms);
}

TEST_CASE("server: a header that stops arriving gets 408, and a body too", "[server]") {
  ServerConfig cfg;
  cfg.timeouts.header = 300ms;
  cfg.timeouts.request = 300ms;
  test_server s(standard_routes, cfg);
  {
    vt::connection c(s.port());
    c.send("GET /hello HTTP/1.1\r\nHost: x\r\n");  // the blank line never comes
    auto r = c.read({}, 3s);
    CHECK(r.status == 408);
    CHECK(c.closed_within(3s));
  }
  {
    vt::connection c(s.port());
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    auto r = c.read({}, 3s);
    CHECK(r.status == 408);
    CHECK(c.closed_within(3s));
  }
  CHECK(vt::request(s.port(), "GET", "/hello").status == 200);
}

TEST_CASE("server: an idle keep-alive connection is closed", "[server]") {
  ServerConfig cfg;
  cfg.timeouts.keep_alive = 200ms;
  test_server s(standard_routes, cfg);
  vt::connection c(s.port());
  c.send(get("/hello"));
  CHECK(c.read().status == 200);
  CHECK(c.closed_within(2s));
}

TEST_CASE("server: a handler past the request deadline gets a 503", "[server]") {
  ServerConfig cfg;
  cfg.timeouts.request = 200ms;
  test_server s(standard_routes, cfg);
  auto r = vt::request(s.port(), "GET", "/sleep/1000");
  CHECK(r.status == 503);
  CHECK(vt::request(s.port(), "GET", "/sleep/10").status == 200);
}

TEST_CASE("server: TLS serves the same handlers", "[server][tls]") {
  auto files = vt::make_self_signed_cert();
  ServerConfig cfg;
  cfg.tls.certificate_chain_file = files.certificate;
  cfg.tls.private_key_file = files.key;
  test_server s(standard_routes, cfg);
  vt::connection c(s.port(), /*tls=*/true);
  c.send(get("/hello"));
  auto r = c.read();
  CHECK(r.status == 200);
  CHECK(r.body == R"({"hello":"world"})");
  c.send(get("/users/8"));
  CHECK(c.read().body == "8");
  // a plain-text client on the TLS port gets nothing it can parse, and the server lives on
  vt::connection plain(s.port());
  plain.send(get("/hello"));
  CHECK_THROWS(plain.read({}, 2s));
  CHECK(vt::request(s.port(), "GET", "/users/1", {}, {}, /*tls=*/true).body == "1");
}

TEST_CASE("server: graceful stop lets in-flight requests finish", "[server]") {
  auto app = std::make_unique<App>();
  standard_routes(*app);
  std::vector<std::string> events;
  app->on_shutdown([&] { events.push_back("shutdown hook"); });
  ServerConfig cfg;
  cfg.port = 0;
  cfg.threads = 2;
  cfg.handle_signals = false;
  auto server = app->make_server(cfg);
  server.start();
  const auto port = server.port();

  vt::connection idle(port);  // an idle keep-alive connection must not hold the stop up
  idle.send(get("/hello"));
  CHECK(idle.read().status == 200);

  auto in_flight =
      std::async(std::launch::async, [&] { return vt::request(port, "GET", "/sleep/400"); });
  std::this_thread::sleep_for(100ms);
  auto stopper = std::async(std::launch::async, [&] {
    server.stop();
    app->shutdown();
  });
  auto r = in_flight.get();
  CHECK(r.status == 200);
  CHECK(r.body == "400");
  CHECK_FALSE(r.keep_alive);  // told to close
  stopper.get();
  CHECK(events == std::vector<std::string>{"shutdown hook"});
  CHECK(idle.closed_within(1s));
  CHECK_THROWS(vt::connection(port));  // no longer accepting
}

TEST_CASE("server: SIGTERM stops run() gracefully", "[server]") {
  App app;
  standard_routes(app);
  ServerConfig cfg;
  cfg.port = 0;
  cfg.threads = 1;
  auto server = app.make_server(cfg);
  std::atomic<bool> returned{false};
  std::thread runner([&] {
    server.run();
    returned = true;
  });
  for (int i = 0; i < 100 && server.port() == 0; ++i)
    std::this_thread::sleep_for(10ms);
  CHECK(vt::request(server.port(), "GET", "/hello").status == 200);
  std::raise(SIGTERM);
  runner.join();
  CHECK(returned);
}

TEST_CASE("server: CORS preflight, gzip and the per-address rate limit over a socket",
          "[server][middleware]") {
  std::atomic<int> runs{0};
  test_server s([&](App& app) {
    app.add_middleware(middleware::rate_limit({.requests_per_second = 0.001, .burst = 3}));
    app.add_middleware(middleware::gzip({.minimum_size = 100}));
    app.add_middleware(middleware::cors({.allow_origins = {"https://app.example"},
                                         .allow_methods = {"GET", "PUT"},
                                         .allow_headers = {"X-Token"}}));
    app.put<"/big">([&] {
      ++runs;
      return Response::text(std::string(4000, 'z'));
    });
  });
  auto pre = vt::request(s.port(), "OPTIONS", "/big",
                         "Origin: https://app.example\r\nAccess-Control-Request-Method: PUT\r\n"
                         "Access-Control-Request-Headers: x-token\r\n");
  CHECK(pre.status == 200);
  CHECK(pre.headers.get("Access-Control-Allow-Origin") == "https://app.example");
  CHECK(runs == 0);  // the preflight never reaches the handler
  auto z = vt::request(s.port(), "PUT", "/big",
                       "Origin: https://app.example\r\nAccept-Encoding: gzip\r\n");
  CHECK(z.status == 200);
  CHECK(z.headers.get("Content-Encoding") == "gzip");
  CHECK(z.headers.get("Access-Control-Allow-Origin") == "https://app.example");
  CHECK(z.body.size() < 200);
  CHECK(z.headers.get("Content-Length") == std::to_string(z.body.size()));
  // Every connection comes from another port of 127.0.0.1: one bucket for the address (CORS
  // is outermost, added last: the preflight took no token).
  CHECK(vt::request(s.port(), "PUT", "/big").status == 200);
  CHECK(vt::request(s.port(), "PUT", "/big").status == 200);
  auto refused = vt::request(s.port(), "PUT", "/big");
  CHECK(refused.status == 429);
  CHECK(refused.headers.contains("Retry-After"));
  CHECK(runs == 3);
}
