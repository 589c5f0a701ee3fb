#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

#include "vivace/core/errors.hpp"
#include "vivace/core/log.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/http/response.hpp"

namespace vivace {

namespace {
Response with_body(const char* content_type, std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.reserve(4);  // room for what the usual middlewares add (one allocation, not three)
  r.headers.add("Content-Type", content_type);
  r.body = std::move(body);
  return r;
}
}  // namespace

Response Response::json(const boost::json::value& v, int status) {
  return with_body("application/json", boost::json::serialize(v), status);
}

Response Response::json_text(std::string text, int status) {
  return with_body("application/json", std::move(text), status);
}

Response Response::text(std::string body, int status) {
  return with_body("text/plain; charset=utf-8", std::move(body), status);
}

Response Response::html(std::string body, int status) {
  return with_body("text/html; charset=utf-8", std::move(body), status);
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

Response render_exception(Request& req, std::exception_ptr ep) {
  if (const auto* r = req.scope().renderer())
    return (*r)(req, std::move(ep));
  return render_builtin_exception(req, std::move(ep));
}

Response render_builtin_exception(Request& req, std::exception_ptr ep) {
  try {
    std::rethrow_exception(std::move(ep));
  } catch (const RequestValidationError& e) {
    return Response::json(e.to_json(), 422);
  } catch (const HTTPException& e) {
    // A 503 for a cause the client is not told (the database stayed locked, the pool ran
    // out): the operator is.
    if (const auto* o = dynamic_cast<const Overloaded*>(&e); o && !o->reason().empty())
      log::warning("503 for " + req.method + " " + std::string{req.path()} + ": " + o->reason());
    Response r = Response::json(boost::json::object{{"detail", e.detail()}}, e.status());
    for (const auto& [k, v] : e.headers())
      r.headers.set(k, v);
    return r;
  } catch (const std::exception& e) {
    log::error("unhandled exception in " + req.method + " " + std::string{req.path()} + ": " +
               e.what());
  } catch (...) {
    log::error("unhandled non-standard exception in " + req.method + " " + std::string{req.path()});
  }
  return Response::error(500, "Internal Server Error");
}

void BodyStream::prepare(const Request&, Response&) {}

namespace {
void log_failure(std::string_view what, std::exception_ptr ep) {
  try {
    std::rethrow_exception(std::move(ep));
  } catch (const std::exception& e) {
    log::error(std::string{what} + " failed: " + e.what());
  } catch (...) {
    log::error(std::string{what} + " failed with a non-standard exception");
  }
}
}  // namespace

void run_before_response(Request& req) {
  auto& steps = req.scope().before_response_;
  // Last added first; a step that throws stays (with those before it), so that work tried
  // inline and stopped by WouldBlock can run again on the worker pool.
  while (!steps.empty()) {
    auto step = std::move(steps.back());
    steps.pop_back();
    try {
      step(req);
    } catch (...) {
      steps.push_back(std::move(step));
      throw;
    }
  }
}

Task<void> rewind(Request& req, RequestScope::mark m) {
  auto& s = req.scope();
  s.before_response_.resize(std::min(s.before_response_.size(), m.before_response));
  s.after_response_.resize(std::min(s.after_response_.size(), m.after_response));
  if (s.cleanups_.size() > m.cleanups) {
    // The exits see the attempt as failed (a yield-dependency rolls back), then the error is
    // forgotten: the work runs again.
    auto saved = s.error_;
    s.error_ = std::make_exception_ptr(WouldBlock("work tried on an I/O thread"));
    co_await RequestScope::exit_dependencies(req, m.cleanups);
    s.error_ = std::move(saved);
  }
  s.slots_.truncate(m.slots);
}

Task<void> RequestScope::exit_dependencies(Request& req, std::size_t keep) {
  auto& cleanups = req.scope().cleanups_;
  while (cleanups.size() > keep) {
    auto exit = std::move(cleanups.back());
    cleanups.pop_back();
    std::exception_ptr ep;
    try {
      co_await exit(req);
    } catch (...) {
      ep = std::current_exception();
    }
    if (ep)
      log_failure("dependency cleanup", ep);
  }
}

void InlinePolicy::missed(const WouldBlock& e, const Request& req) noexcept {
  if (!e.always() || off_.exchange(true, std::memory_order_relaxed))
    return;
  try {
    log::info(req.method + " " + std::string(req.path()) + ": run_inline: " + e.what() +
              " always blocks; this route's plain work runs on the worker pool from now on");
  } catch (...) {
    // a log line that could not be made
  }
}

Task<void> run_plain(Request& req, std::function<void()> work) {
  if (auto* p = req.scope().inline_policy(); p && p->enabled() && req.scope().executors()) {
    const auto m = req.scope().current_mark();
    // A call that can be made without blocking (WouldBlockUntil) is made, and the work runs
    // again inline with its result; a few times at most (one per statement of a read).
    constexpr int max_suspensions = 8;
    for (int suspensions = 0;; ++suspensions) {
      std::function<Task<void>()> start;
      try {
        const NonBlockingScope scope;
        work();
        co_return;
      } catch (const WouldBlockUntil& e) {
        if (suspensions < max_suspensions)
          start = e.start();
      } catch (const WouldBlock& e) {
        p->missed(e, req);
      }
      co_await rewind(req, m);
      if (!start)
        break;
      co_await start();
    }
  }
  co_await run_blocking(req, std::move(work));
}

Task<void> finish_request(Request& req) {
  auto& s = req.scope();
  s.before_response_.clear();
  // Background tasks first (they may still use what the dependencies provide), in order.
  auto tasks = std::move(s.after_response_);
  s.after_response_.clear();
  for (auto& t : tasks) {
    std::exception_ptr ep;
    try {
      co_await t(req);
    } catch (...) {
      ep = std::current_exception();
    }
    if (ep)
      log_failure("background task", ep);
  }
  // Then the dependencies' exits, last entered first.
  co_await RequestScope::exit_dependencies(req, 0);
  s.slots_.clear();
}

Task<Response> ready_response(Response r) {
  co_return r;
}

Task<void> run_blocking(Request& req, std::function<void()> work) {
  if (auto* ctx = req.scope().executors()) {
    co_await ctx->run_blocking(std::move(work));
  } else {
    work();
  }
}

Task<void> run_cpu(Request& req, std::function<void()> work) {
  if (auto* ctx = req.scope().executors()) {
    co_await ctx->run_cpu(std::move(work));
  } else {
    work();
  }
}

}  // namespace vivace
