#include "vivace/middleware/builtin.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>

#include "vivace/core/log.hpp"
#include "vivace/middleware/security.hpp"

namespace vivace::middleware {

namespace {
// `value` / 10^digits as a plain decimal with `digits` decimals ("0.000412", never
// "4.12e-04"), without printf.
void append_fixed(std::string& out, long long value, int digits) {
  long long scale = 1;
  for (int i = 0; i < digits; ++i)
    scale *= 10;
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value / scale);
  out.append(buf, end);
  out += '.';
  auto frac = value % scale;
  std::string decimals(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, frac /= 10)
    decimals[static_cast<std::size_t>(i)] = static_cast<char>('0' + frac % 10);
  out += decimals;
}

// Seconds with microsecond resolution.
std::string plain_seconds(std::chrono::steady_clock::duration d) {
  std::string out;
  append_fixed(
      out, std::max<long long>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count()),
      6);
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
      append_fixed(line, us, 3);  // milliseconds
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
