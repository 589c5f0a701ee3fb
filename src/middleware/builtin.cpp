#include "vivace/middleware/builtin.hpp"

#include <charconv>
#include <chrono>
#include <string>

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
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, us / 1000000);
  std::string out(buf, end);
  const auto frac = std::to_string(1000000 + us % 1000000);  // "1xxxxxx": six digits after it
  out += '.';
  out.append(frac, 1, 6);
  return out;
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

namespace {
// "<n>.<mmm>": microseconds as milliseconds with three decimals, without printf.
void append_millis(std::string& out, long long us) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, us / 1000);
  out.append(buf, end);
  const auto frac = static_cast<int>(us % 1000);
  out += '.';
  out += static_cast<char>('0' + frac / 100);
  out += static_cast<char>('0' + frac / 10 % 10);
  out += static_cast<char>('0' + frac % 10);
}
}  // namespace

Middleware access_log() {
  return [](Request& req, const Handler& next) -> Task<Response> {
    auto start = std::chrono::steady_clock::now();
    Response res = co_await next(req);
    if (log::enabled(log::level::info)) {
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      const auto id = current_request_id(req);
      std::string line;
      line.reserve(64 + req.remote_address.size() + req.target.size() + id.size());
      line +=
          req.remote_address.empty() ? std::string_view{"-"} : std::string_view{req.remote_address};
      line += " \"";
      line += req.method.empty() ? std::string_view{"-"} : std::string_view{req.method};
      line += ' ';
      line += req.target;
      line += req.version == 10 ? " HTTP/1.0\" " : " HTTP/1.1\" ";
      char status[8];
      auto [end, ec] = std::to_chars(status, status + sizeof status, res.status);
      line.append(status, end);
      line += ' ';
      append_millis(line, us);
      line += "ms";
      if (!id.empty()) {
        line += " id=";
        line += id;
      }
      log::info(line);
    }
    co_return res;
  };
}

}  // namespace vivace::middleware
