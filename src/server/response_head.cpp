// The response head Vivace writes itself: status line, checked header fields, `Server`,
// `Date`, the framing fields, in one string (cheaper than Beast's generic serializer).

#include "connection.hpp"

#include <ctime>
#include <string_view>

#include "vivace/core/errors.hpp"
#include "vivace/core/log.hpp"
#include "vivace/core/text.hpp"

namespace vivace::server_detail {

namespace {
// The Date header, formatted at most once per second per thread (RFC 9110 §6.6.1).
std::string_view http_date() {
  thread_local std::time_t last = 0;
  thread_local char buf[64];
  std::time_t now = std::time(nullptr);
  if (now != last) {
    last = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  }
  return buf;
}

bool valid_field_name(std::string_view name) noexcept {
  if (name.empty())
    return false;
  for (unsigned char c : name)  // RFC 9110 token characters
    if (c <= 32 || c >= 127 ||
        std::string_view{"\"(),/:;<=>?@[\\]{}"}.find(static_cast<char>(c)) !=
            std::string_view::npos)
      return false;
  return true;
}
bool valid_field_value(std::string_view value) noexcept {
  for (unsigned char c : value)
    if (c == '\r' || c == '\n' || c == '\0')
      return false;
  return true;
}

}  // namespace

void format_head(std::string& out, Response& res, unsigned version, bool& keep_alive,
                 std::optional<std::uint64_t> length, bool chunked) {
  if (res.status < 100 || res.status > 999) {
    log::error("handler returned an invalid status " + std::to_string(res.status));
    res = Response::error(500, "Internal Server Error");
  }
  out.reserve(160 + res.headers.size() * 48);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(res.status);
  out += ' ';
  out += reason_phrase(res.status);
  out += "\r\n";
  for (const auto& [name, value] : res.headers) {
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
        iequals(name, "Date") || iequals(name, "Server"))
      continue;  // computed here
    if (iequals(name, "Connection")) {
      if (iequals(value, "close"))
        keep_alive = false;
      continue;
    }
    if (!valid_field_name(name) || !valid_field_value(value)) {
      log::error("dropped an invalid response header field: " + name);
      continue;
    }
    out.append(name).append(": ").append(value).append("\r\n");
  }
  out += "Server: vivace\r\nDate: ";
  out += http_date();
  out += "\r\n";
  if (chunked) {
    out += "Transfer-Encoding: chunked\r\n";
  } else if (!body_forbidden(res.status) && length) {
    out += "Content-Length: ";
    out += std::to_string(*length);
    out += "\r\n";
  }
  if (version >= 11 && !keep_alive)
    out += "Connection: close\r\n";
  if (version == 10 && keep_alive)
    out += "Connection: keep-alive\r\n";
  out += "\r\n";
}

}  // namespace vivace::server_detail
