// Typed handlers over real sockets: every extractor, multipart uploads streamed by the server,
// streamed and file responses, work after the response, and blocking handlers that must not
// hold up the I/O threads.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <vivace/core/log.hpp>
#include <vivace/vivace.hpp>

#include "http_client.hpp"
#include "tls_cert.hpp"

using namespace vivace;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

struct served {
  std::unique_ptr<App> app;
  std::optional<Server> server;
  served(const std::function<void(App&)>& setup, AppOptions opts = {}, ServerConfig cfg = {}) {
    app = std::make_unique<App>(std::move(opts));
    setup(*app);
    cfg.port = 0;
    cfg.handle_signals = false;
    if (cfg.threads == 0)
      cfg.threads = 2;
    app->startup();
    server.emplace(app->make_server(std::move(cfg)));
    server->start();
  }
  ~served() {
    server->stop();
    app->shutdown();
  }
  [[nodiscard]] std::uint16_t port() const { return server->port(); }
};

struct Item {
  std::string name;
  double price = 0;
};
BOOST_DESCRIBE_STRUCT(Item, (), (name, price))

// A one-shot signal between the test and the server's threads.
struct latch {
  std::mutex mu;
  std::condition_variable cv;
  bool set = false;
  void open() {
    std::lock_guard lock(mu);
    set = true;
    cv.notify_all();
  }
  bool wait_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, d, [&] { return set; });
  }
};

std::string multipart(std::string_view boundary,
                      const std::vector<std::tuple<std::string, std::string, std::string>>& parts) {
  std::string out;
  for (const auto& [name, filename, content] : parts) {
    out +=
        "--" + std::string(boundary) + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!filename.empty())
      out += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
    out += "\r\n\r\n" + content + "\r\n";
  }
  out += "--" + std::string(boundary) + "--\r\n";
  return out;
}

}  // namespace

TEST_CASE("handlers: every extractor over a socket, and all errors in one 422", "[handlers]") {
  served s([](App& app) {
    app.put<"/items/{id}">([](Path<"id", int> id, Query<"q", std::optional<std::string>> q,
                              Header<"X-Token", std::string> token,
                              Cookie<"session", std::string> session, Body<Item> item) {
      return json::value{{"id", *id},
                         {"q", q->value_or("")},
                         {"token", *token},
                         {"session", *session},
                         {"name", item->name}};
    });
  });
  auto ok = vt::request(s.port(), "PUT", "/items/5?q=x",
                        "X-Token: t\r\nCookie: session=abc\r\nContent-Type: application/json\r\n",
                        R"({"name":"pen","price":1.5})");
  REQUIRE(ok.status == 200);
  CHECK(json::parse(ok.body) ==
        json::value{{"id", 5}, {"q", "x"}, {"token", "t"}, {"session", "abc"}, {"name", "pen"}});

  auto bad = vt::request(s.port(), "PUT", "/items/five", "Content-Type: application/json\r\n",
                         R"({"price":"free"})");
  REQUIRE(bad.status == 422);
  auto detail = json::parse(bad.body).at("detail").as_array();
  REQUIRE(detail.size() == 5);
  CHECK(detail[0].at("loc") == json::array{"path", "id"});
  CHECK(detail[1].at("loc") == json::array{"header", "x-token"});
  CHECK(detail[2].at("loc") == json::array{"cookie", "session"});
  CHECK(detail[3].at("loc") == json::array{"body", "name"});
  CHECK(detail[4].at("loc") == json::array{"body", "price"});
}

TEST_CASE("handlers: multipart uploads are parsed while read, spooled, and bounded", "[handlers]") {
  served s(
      [](App& app) {
        app.post<"/upload">(
            [](Request& req, File<"file"> f, Form<Item> meta) {
              return json::value{{"body_held", !req.body.empty()},
                                 {"on_disk", f->on_disk()},
                                 {"size", f->size()},
                                 {"intact", f->read() == std::string(200 * 1024, 'z')},
                                 {"name", meta->name}};
            },
            {.max_body_size = 512 * 1024});
      },
      AppOptions{.upload_spool_threshold = 1024});
  const std::string boundary = "b0undary";
  auto body = multipart(
      boundary,
      {{"name", "", "doc"}, {"price", "", "2"}, {"file", "big.bin", std::string(200 * 1024, 'z')}});
  auto r = vt::request(s.port(), "POST", "/upload",
                       "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n", body);
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body) == json::value{{"body_held", false},
                                           {"on_disk", true},
                                           {"size", 200 * 1024},
                                           {"intact", true},
                                           {"name", "doc"}});

  auto huge = multipart(boundary, {{"file", "huge.bin", std::string(600 * 1024, 'z')}});
  auto too_big =
      vt::request(s.port(), "POST", "/upload",
                  "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n", huge);
  CHECK(too_big.status == 413);
}

TEST_CASE("handlers: streamed responses are chunked (1.1) or closed (1.0)", "[handlers]") {
  served s([](App& app) {
    app.get<"/stream">([] {
      return StreamingResponse(
          []() -> Generator<std::string> {
            for (int i = 0; i < 100; ++i)
              co_yield "row " + std::to_string(i) + "\n";
          }(),
          "text/csv");
    });
    app.get<"/after">([] { return "next"; });
  });
  std::string expected;
  for (int i = 0; i < 100; ++i)
    expected += "row " + std::to_string(i) + "\n";

  vt::connection c(s.port());
  c.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\nGET /after HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = c.read();
  CHECK(r.status == 200);
  CHECK(r.headers.get("Transfer-Encoding") == "chunked");
  CHECK_FALSE(r.headers.contains("Content-Length"));
  CHECK(r.body == expected);
  CHECK(c.read().body == "\"next\"");  // the connection stays usable

  vt::connection c10(s.port());
  c10.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  auto r10 = c10.read();
  CHECK(r10.body == expected);
  CHECK_FALSE(r10.keep_alive);

  vt::connection h(s.port());
  h.send("HEAD /stream HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = h.read(true);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
}

TEST_CASE("handlers: file responses with ranges over a socket", "[handlers]") {
  auto path = std::filesystem::temp_directory_path() / "vivace-handlers-test.txt";
  std::string content(300 * 1024, 'q');
  content[150 * 1024] = 'X';
  std::ofstream(path, std::ios::binary) << content;
  served s([&](App& app) { app.get<"/file">([&] { return FileResponse(path); }); });
  auto full = vt::request(s.port(), "GET", "/file");
  CHECK(full.status == 200);
  CHECK(full.body == content);
  CHECK(full.headers.get("Content-Length") == std::to_string(content.size()));
  CHECK(full.headers.get("Content-Type") == "text/plain; charset=utf-8");
  auto part = vt::request(s.port(), "GET", "/file", "Range: bytes=153600-153609\r\n");
  CHECK(part.status == 206);
  CHECK(part.body == "Xqqqqqqqqq");
  CHECK(part.headers.get("Content-Length") == "10");
  std::filesystem::remove(path);
}

TEST_CASE("handlers: background tasks and dependency exits run after the response is sent",
          "[handlers]") {
  static latch response_seen, task_done, cleanup_done;
  static std::atomic<bool> task_saw_response{false}, cleanup_saw_response{false};
  struct Conn {
    int id = 1;
  };
  static constexpr auto session = []() -> Yield<Conn> {
    Conn c;
    auto exit = co_yield c;
    cleanup_saw_response = response_seen.wait_for(5s) && !exit.failed();
    cleanup_done.open();
  };
  served s([](App& app) {
    app.post<"/work">([](BackgroundTasks tasks, Depends<session> c) {
      tasks.add([] {
        task_saw_response = response_seen.wait_for(5s);
        task_done.open();
      });
      return c->id;
    });
  });
  auto r = vt::request(s.port(), "POST", "/work");
  CHECK(r.status == 200);
  response_seen.open();  // only now can the task and the cleanup finish in time
  REQUIRE(task_done.wait_for(5s));
  REQUIRE(cleanup_done.wait_for(5s));
  CHECK(task_saw_response);
  CHECK(cleanup_saw_response);
}

TEST_CASE("handlers: blocking handlers do not hold up the I/O threads", "[handlers]") {
  // 2 I/O threads; 50 requests to a plain handler that sleeps 200 ms are in flight (they
  // queue on the worker pool); a coroutine /health must still answer within 50 ms.
  served s(
      [](App& app) {
        app.get<"/slow">([] {
          std::this_thread::sleep_for(200ms);
          return "slept";
        });
        app.get<"/health">([]() -> Task<std::string> { co_return "ok"; });
      },
      // 50 × 200 ms on 4 workers is 2.5 s of queue: room for it (the default sheds at 2 s).
      {}, ServerConfig{.threads = 2, .max_queue_wait = 30s});
  std::vector<std::unique_ptr<vt::connection>> slow;
  for (int i = 0; i < 50; ++i) {
    slow.push_back(std::make_unique<vt::connection>(s.port()));
    slow.back()->send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  std::this_thread::sleep_for(50ms);  // the slow requests have reached the pool
  vt::connection health(s.port());
  const auto start = std::chrono::steady_clock::now();
  health.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = health.read();
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.status == 200);
  CHECK(took < 50ms);
  for (auto& c : slow)
    CHECK(c->read(false, 30s).status == 200);
}

TEST_CASE("handlers: a full worker queue answers 503 with Retry-After at once", "[handlers]") {
  // One worker, two places in its queue: of six slow requests, three are taken (one runs, two
  // wait) and three are refused without waiting for any of them.
  served s(
      [](App& app) {
        app.get<"/slow">([] {
          std::this_thread::sleep_for(400ms);
          return "slept";
        });
      },
      {}, ServerConfig{.threads = 2, .workers = 1, .queue_limit = 2, .max_queue_wait = 30s});
  std::vector<std::unique_ptr<vt::connection>> conns;
  for (int i = 0; i < 6; ++i) {
    conns.push_back(std::make_unique<vt::connection>(s.port()));
    conns.back()->send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
    std::this_thread::sleep_for(20ms);  // in this order
  }
  const auto start = std::chrono::steady_clock::now();
  for (int i = 3; i < 6; ++i) {
    auto r = conns[static_cast<std::size_t>(i)]->read();
    CHECK(r.status == 503);
    CHECK(r.headers.get("Retry-After").has_value());
    CHECK(r.body == R"({"detail":"Service Unavailable"})");
  }
  CHECK(std::chrono::steady_clock::now() - start < 300ms);  // not after the slow ones
  for (int i = 0; i < 3; ++i)
    CHECK(conns[static_cast<std::size_t>(i)]->read(false, 10s).status == 200);
}

TEST_CASE("handlers: CPU work runs on its own bounded pool; past its wait budget, 503 at once",
          "[handlers]") {
  // One CPU thread, a 400 ms budget, jobs of 150 ms: once the pool knows what a job costs
  // (after its warm-up), a burst of six gets a few taken (those that can start within the
  // budget) and the rest refused at once with Retry-After. Plain handlers meanwhile run on the
  // worker pool.
  std::atomic<int> ran{0};
  served s(
      [&](App& app) {
        app.get<"/hash">([&](Request& req) -> Task<std::string> {
          co_await run_cpu(req, [&] {
            std::this_thread::sleep_for(150ms);
            ++ran;
          });
          co_return "hashed";
        });
        app.get<"/cheap">([] { return "ok"; });
      },
      {}, ServerConfig{.threads = 2, .cpu_workers = 1, .max_queue_wait = 400ms});
  for (int i = 0; i < 8; ++i)  // the pool learns the cost
    REQUIRE(vt::request(s.port(), "GET", "/hash").status == 200);
  std::vector<std::unique_ptr<vt::connection>> conns;
  for (int i = 0; i < 6; ++i) {
    conns.push_back(std::make_unique<vt::connection>(s.port()));
    conns.back()->send("GET /hash HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  std::this_thread::sleep_for(30ms);
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(vt::request(s.port(), "GET", "/cheap").status == 200);
  CHECK(std::chrono::steady_clock::now() - t0 < 100ms);
  int ok = 0, refused = 0;
  for (auto& c : conns) {
    auto r = c->read(false, 10s);
    if (r.status == 200) {
      ++ok;
    } else {
      CHECK(r.status == 503);
      CHECK(r.headers.get("Retry-After").has_value());
      ++refused;
    }
  }
  CHECK(ok >= 2);       // the running job and at least one within the budget
  CHECK(refused >= 2);  // at most four fit in 400 ms and one run
  CHECK(ok + refused == 6);
  CHECK(ran == ok + 8);
}

TEST_CASE("handlers: one slow first job does not make the worker pool refuse the next ones",
          "[handlers]") {
  // A cold first request (statements prepared, caches filled) is slow; the burst after it is
  // fast. The pool's estimate must not take the first for the norm (it once refused this
  // burst with 503s at a server's start).
  std::atomic<bool> first{true};
  served s(
      [&](App& app) {
        app.get<"/work">([&] {
          std::this_thread::sleep_for(first.exchange(false) ? 300ms : 2ms);
          return "done";
        });
      },
      {}, ServerConfig{.threads = 2, .workers = 2, .max_queue_wait = 1000ms});
  REQUIRE(vt::request(s.port(), "GET", "/work").status == 200);
  std::vector<std::unique_ptr<vt::connection>> conns;
  for (int i = 0; i < 40; ++i) {
    conns.push_back(std::make_unique<vt::connection>(s.port()));
    conns.back()->send("GET /work HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  int ok = 0;
  for (auto& c : conns)
    ok += c->read(false, 10s).status == 200 ? 1 : 0;
  CHECK(ok == 40);
}

TEST_CASE("handlers: a plain handler declared cpu_bound runs on the CPU pool", "[handlers]") {
  // One CPU thread, four workers: four concurrent requests to the CPU-bound route all run on
  // one thread, those to the ordinary route on several.
  std::mutex m;
  std::set<std::thread::id> cpu_threads, worker_threads;
  served s(
      [&](App& app) {
        app.get<"/compute">(
            [&] {
              std::this_thread::sleep_for(100ms);
              std::lock_guard lock(m);
              cpu_threads.insert(std::this_thread::get_id());
              return "done";
            },
            {.cpu_bound = true});
        app.get<"/wait">([&] {
          std::this_thread::sleep_for(100ms);
          std::lock_guard lock(m);
          worker_threads.insert(std::this_thread::get_id());
          return "done";
        });
      },
      {}, ServerConfig{.threads = 2, .workers = 4, .cpu_workers = 1});
  for (const char* path : {"/compute", "/wait"}) {
    std::vector<std::unique_ptr<vt::connection>> conns;
    for (int i = 0; i < 4; ++i) {
      conns.push_back(std::make_unique<vt::connection>(s.port()));
      conns.back()->send(std::string("GET ") + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
    }
    for (auto& c : conns)
      CHECK(c->read(false, 10s).status == 200);
  }
  CHECK(cpu_threads.size() == 1);
  CHECK(worker_threads.size() > 1);
  CHECK(!worker_threads.contains(*cpu_threads.begin()));
}

TEST_CASE("handlers: the server tells handlers whether a request came over TLS", "[handlers]") {
  // HSTS and the HTTPS redirect depend on Request::tls, which only the server can set.
  auto setup = [](App& app) {
    app.add_middleware(middleware::security_headers());
    app.add_middleware(middleware::https_redirect());
    app.get<"/">([](Request& req) { return req.tls; });
  };
  const auto files = vt::make_self_signed_cert();
  ServerConfig tls_cfg;
  tls_cfg.tls.certificate_chain_file = files.certificate;
  tls_cfg.tls.private_key_file = files.key;
  served secure(setup, {}, tls_cfg);
  auto r = vt::request(secure.port(), "GET", "/", {}, {}, /*tls=*/true);
  CHECK(r.status == 200);
  CHECK(r.body == "true");
  CHECK(r.headers.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains");

  served plain(setup);
  auto redirect = vt::request(plain.port(), "GET", "/?a=1");  // Host: 127.0.0.1
  CHECK(redirect.status == 307);
  CHECK(redirect.headers.get("Location") == "https://127.0.0.1/?a=1");
}

TEST_CASE(
    "handlers: run_inline work runs on the I/O thread, and from the start on a worker "
    "when it would block",
    "[handlers][inline]") {
  static std::atomic<std::thread::id> io{};
  static std::atomic<int> entered{0}, exited{0}, tasks_run{0}, moves_calls{0}, always_calls{0};
  static constexpr auto resource = []() -> Yield<int> {
    ++entered;
    int value = 7;
    auto exit = co_yield value;
    ++exited;
  };
  served s(
      [](App& app) {
        app.get<"/io">([]() -> Task<bool> {
          io = std::this_thread::get_id();
          co_return true;
        });
        app.get<"/inline">([] { return std::this_thread::get_id() == io.load(); },
                           {.run_inline = true});
        app.get<"/plain">([] { return std::this_thread::get_id() == io.load(); });
        // A coroutine handler's plain provider is tried on the I/O thread too.
        static constexpr auto where = [] { return std::this_thread::get_id() == io.load(); };
        app.get<"/co">([](Depends<where> on_io) -> Task<bool> { co_return *on_io; },
                       {.run_inline = true});
        app.get<"/co-plain">([](Depends<where> on_io) -> Task<bool> { co_return *on_io; });
        // Would block on the I/O thread, every time: what the attempt added to the request
        // (the dependency, the background task) is undone before the run on a worker.
        app.get<"/moves">(
            [](Depends<resource> r, BackgroundTasks tasks) {
              tasks.add([] { ++tasks_run; });
              ++moves_calls;
              if (must_not_block())
                throw WouldBlock("a test's blocking call");
              return *r;
            },
            {.run_inline = true});
        app.get<"/always">(
            [] {
              ++always_calls;
              if (must_not_block())
                throw WouldBlock("a test's call", true);
              return std::this_thread::get_id() == io.load();
            },
            {.run_inline = true});
        CHECK_THROWS_AS(app.get<"/both">([] { return 1; }, {.cpu_bound = true, .run_inline = true}),
                        std::invalid_argument);
      },
      {}, ServerConfig{.threads = 1});
  REQUIRE(vt::request(s.port(), "GET", "/io").body == "true");
  CHECK(vt::request(s.port(), "GET", "/inline").body == "true");
  CHECK(vt::request(s.port(), "GET", "/plain").body == "false");
  CHECK(vt::request(s.port(), "GET", "/co").body == "true");
  CHECK(vt::request(s.port(), "GET", "/co-plain").body == "false");

  auto settled = [] {
    for (int i = 0; i < 500 && (tasks_run < 1 || exited != entered); ++i)
      std::this_thread::sleep_for(10ms);
  };
  for (int round = 1; round <= 2; ++round) {
    auto r = vt::request(s.port(), "GET", "/moves");
    CHECK(r.status == 200);
    CHECK(r.body == "7");
    settled();
    CHECK(moves_calls == 2 * round);  // tried inline, then on a worker: a passing reason
    CHECK(tasks_run == round);        // the abandoned attempt's task is dropped
    CHECK(exited == entered);         // and its dependency exited
    tasks_run = round;
  }
  std::mutex logged_m;
  std::vector<std::string> logged;
  log::set_sink([&](log::level, std::string_view m) {
    std::lock_guard lock(logged_m);
    if (m.find("run_inline") != std::string_view::npos)
      logged.emplace_back(m);
  });
  CHECK(vt::request(s.port(), "GET", "/always").body == "false");
  log::set_sink({});
  CHECK(always_calls == 2);
  REQUIRE(logged.size() == 1);  // once, saying which route and why
  CHECK(logged[0] ==
        "GET /always: run_inline: a test's call always blocks; this route's plain work runs on "
        "the worker pool from now on");
  CHECK(vt::request(s.port(), "GET", "/always").body == "false");
  CHECK(always_calls == 3);  // the route no longer tries
}
