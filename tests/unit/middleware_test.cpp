#include "vivace/middleware/builtin.hpp"

#include <mutex>
#include <regex>

#include <catch2/catch.hpp>

#include "../support/inprocess.hpp"
#include "vivace/core/log.hpp"
#include "vivace/params/path.hpp"

using namespace vivace;

TEST_CASE("middleware: X-Process-Time is a plain decimal on every response", "[middleware]") {
  App app;
  app.add_middleware(middleware::process_time());
  app.get<"/">([] { return "ok"; });
  const std::regex plain_decimal(R"(^\d+(\.\d+)?$)");
  for (auto target : {"/", "/missing"}) {
    auto r = vt::call(app, "GET", target);
    auto value = r.headers.get("X-Process-Time");
    REQUIRE(value);
    CHECK(std::regex_match(std::string{*value}, plain_decimal));
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
  CHECK(std::regex_match(lines[0],
                         std::regex(R"(^- "GET /items/x\?q=1 HTTP/1\.1" 422 \d+\.\d{3}ms$)")));
}
