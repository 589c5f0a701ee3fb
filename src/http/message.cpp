#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/http/response.hpp"

namespace vivace {

Response Response::json(const boost::json::value& v, int status) {
  Response r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = boost::json::serialize(v);
  return r;
}

Response Response::text(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.add("Content-Type", "text/html; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

Response Response::redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.headers.add("Location", std::move(location));
  return r;
}

Response Response::error(int status, std::string_view detail) {
  return json(boost::json::object{{"detail", detail}}, status);
}

Task<void> run_blocking(Request& req, std::function<void()> work) {
  if (auto* ctx = req.context()) {
    co_await ctx->run_blocking(std::move(work));
  } else {
    work();
  }
}

}  // namespace vivace
