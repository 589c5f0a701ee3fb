#include "vivace/middleware/builtin.hpp"

#include <chrono>
#include <cstdio>

#include "vivace/core/log.hpp"
#include "vivace/middleware/security.hpp"

namespace vivace::middleware {

namespace {
// Seconds with microsecond resolution as a plain decimal: "0.000412", never "4.12e-04".
std::string plain_seconds(std::chrono::steady_clock::duration d) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  if (us < 0)
    us = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(us / 1000000),
                static_cast<long long>(us % 1000000));
  return buf;
}
}  // namespace

Middleware process_time() {
  return [](Request& req, const Handler& next) -> Task<Response> {
    auto start = std::chrono::steady_clock::now();
    Response res = co_await next(req);
    res.headers.set("X-Process-Time", plain_seconds(std::chrono::steady_clock::now() - start));
    co_return res;
  };
}

Middleware access_log() {
  return [](Request& req, const Handler& next) -> Task<Response> {
    auto start = std::chrono::steady_clock::now();
    Response res = co_await next(req);
    if (log::enabled(log::level::info)) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
      char tail[64];
      std::snprintf(tail, sizeof tail, "\" %d %.3fms", res.status,
                    static_cast<double>(us) / 1000.0);
      std::string line = req.remote_address.empty() ? std::string{"-"} : req.remote_address;
      line += " \"";
      line += req.method.empty() ? std::string_view{"-"} : std::string_view{req.method};
      line += ' ';
      line += req.target;
      line += req.version == 10 ? " HTTP/1.0" : " HTTP/1.1";
      line += tail;
      if (auto id = current_request_id(req); !id.empty()) {
        line += " id=";
        line += id;
      }
      log::info(line);
    }
    co_return res;
  };
}

}  // namespace vivace::middleware
