#include "vivace/middleware/builtin.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
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

namespace {
// Where the request's timing starts: when its header had been read, or now for a request
// made by hand (the `before` step of the middlewares below).
std::optional<Response> start_clock(Request& req) {
  if (req.received == std::chrono::steady_clock::time_point{})
    req.received = std::chrono::steady_clock::now();
  return std::nullopt;
}
}  // namespace

Middleware process_time() {
  return Middleware::steps(start_clock, [](Request& req, Response& res) {
    res.headers.set("X-Process-Time",
                    plain_seconds(std::chrono::steady_clock::now() - req.received));
  });
}

Middleware access_log() {
  return Middleware::steps(start_clock, [](Request& req, Response& res) {
    if (!log::enabled(log::level::info))
      return;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - req.received)
                        .count();
    const auto id = current_request_id(req);
    thread_local std::string line;  // its memory reused by every request of the thread
    line.clear();
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
    append_fixed(line, std::max<long long>(0, us), 3);  // milliseconds
    line += "ms";
    if (!id.empty()) {
      line += " id=";
      line += id;
    }
    log::info(line);
  });
}

}  // namespace vivace::middleware
