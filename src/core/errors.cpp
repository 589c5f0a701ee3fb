#include "vivace/core/errors.hpp"

#include <algorithm>

#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace vivace {

namespace {
std::string describe(int status, const boost::json::value& detail) {
  std::string out = std::to_string(status);
  out += ": ";
  out += detail.is_string() ? std::string{detail.as_string()} : boost::json::serialize(detail);
  return out;
}
}  // namespace

HTTPException::HTTPException(int status)
    : HTTPException(status, boost::json::value(reason_phrase(status))) {}

HTTPException::HTTPException(int status, boost::json::value detail,
                             std::vector<header_pair> headers)
    : status_(status),
      detail_(std::move(detail)),
      headers_(std::move(headers)),
      what_(describe(status_, detail_)) {}

HTTPException::HTTPException(int status, const char* detail, std::vector<header_pair> headers)
    : HTTPException(status, boost::json::value(detail), std::move(headers)) {}

HTTPException::HTTPException(int status, std::string detail, std::vector<header_pair> headers)
    : HTTPException(status, boost::json::value(detail), std::move(headers)) {}

namespace {
std::chrono::seconds at_least_one_second(std::chrono::seconds s) {
  return std::max(std::chrono::seconds(1), s);
}
}  // namespace

Overloaded::Overloaded(std::chrono::seconds retry_after, std::string reason)
    : HTTPException(503, "Service Unavailable",
                    {{"Retry-After", std::to_string(at_least_one_second(retry_after).count())}}),
      retry_after_(at_least_one_second(retry_after)),
      reason_(std::move(reason)) {}

boost::json::value ValidationError::to_json() const {
  boost::json::object o;
  o["type"] = type;
  o["loc"] = loc;
  o["msg"] = msg;
  o["input"] = input;
  if (!ctx.is_null())
    o["ctx"] = ctx;
  return o;
}

boost::json::value RequestValidationError::to_json() const {
  boost::json::array items;
  items.reserve(errors_.size());
  for (const auto& e : errors_)
    items.push_back(e.to_json());
  return boost::json::object{{"detail", std::move(items)}};
}

std::string_view reason_phrase(int status) noexcept {
  // Codes registered after Beast's table was written (RFC 9110 and friends).
  switch (status) {
    case 418:
      return "I'm a Teapot";
    case 421:
      return "Misdirected Request";
    case 425:
      return "Too Early";
    default:
      break;
  }
  if (status < 100 || status > 999)
    return "Unknown";
  auto s = boost::beast::http::obsolete_reason(
      static_cast<boost::beast::http::status>(static_cast<unsigned>(status)));
  std::string_view out{s.data(), s.size()};
  return out == "<unknown-status>" ? std::string_view{"Unknown"} : out;
}

}  // namespace vivace
