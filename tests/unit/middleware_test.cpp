#include "vivace/middleware/builtin.hpp"

#include <mutex>

#include <catch2/catch.hpp>

#include "../support/inprocess.hpp"
#include "vivace/core/log.hpp"
#include "vivace/middleware/security.hpp"
#include "vivace/params/path.hpp"
#include "vivace/testing/client.hpp"

using namespace vivace;

namespace {
// ^\d+(\.\d+)?$ without <regex> (whose GCC 12 code trips -Wmaybe-uninitialized under the
// sanitizers at -O1)
bool plain_decimal(std::string_view s) {
  auto digits = [](std::string_view d) {
    return !d.empty() && d.find_first_not_of("0123456789") == std::string_view::npos;
  };
  auto dot = s.find('.');
  if (dot == std::string_view::npos)
    return digits(s);
  return digits(s.substr(0, dot)) && digits(s.substr(dot + 1));
}
}  // namespace

TEST_CASE("middleware: X-Process-Time is a plain decimal on every response", "[middleware]") {
  App app;
  app.add_middleware(middleware::process_time());
  app.get<"/">([] { return "ok"; });
  for (auto target : {"/", "/missing"}) {
    auto r = vt::call(app, "GET", target);
    auto value = r.headers.get("X-Process-Time");
    REQUIRE(value);
    CHECK(plain_decimal(*value));
  }
}

TEST_CASE("middleware: the access log writes one line per request", "[middleware]") {
  std::mutex mu;
  std::vector<std::string> lines;
  log::set_sink([&](log::level, std::string_view m) {
    std::lock_guard lock(mu);
    lines.emplace_back(m);
  });
  App app;
  app.add_middleware(middleware::access_log());
  app.get<"/items/{id}">([](Path<"id", int> id) { return boost::json::value(*id); });
  auto r = vt::call(app, "GET", "/items/x?q=1");
  log::set_sink({});
  CHECK(r.status == 422);
  REQUIRE(lines.size() == 1);
  const std::string_view prefix = R"(- "GET /items/x?q=1 HTTP/1.1" 422 )";
  std::string_view line = lines[0];
  REQUIRE(line.substr(0, prefix.size()) == prefix);
  line.remove_prefix(prefix.size());
  REQUIRE(line.size() > 2);
  CHECK(line.substr(line.size() - 2) == "ms");
  line.remove_suffix(2);
  CHECK(plain_decimal(line));
  CHECK(line.size() - line.find('.') == 4);  // three decimals
}

TEST_CASE("middleware: the access log carries the request id", "[middleware]") {
  std::mutex mu;
  std::vector<std::string> lines;
  log::set_sink([&](log::level, std::string_view m) {
    std::lock_guard lock(mu);
    lines.emplace_back(m);
  });
  App app;
  app.add_middleware(middleware::access_log());
  app.add_middleware(middleware::request_id());  // outermost: the log line sees the id
  app.get<"/">([] { return 1; });
  vivace::testing::TestClient client(app);
  auto r = client.get("/").header("X-Request-ID", "req-42").send();
  log::set_sink({});
  CHECK(r.headers.get("X-Request-ID") == "req-42");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].ends_with(" id=req-42"));
}
