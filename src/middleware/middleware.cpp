#include "vivace/middleware/middleware.hpp"

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace vivace::middleware {

namespace {

// A run of plain-step middlewares, outermost first.
struct plain_run {
  std::vector<Middleware> steps;
  bool any_after = false;

  // The `after` steps of the first `n` middlewares, innermost first.
  void unwind(Request& req, Response& res, std::size_t n) const {
    while (n-- > 0)
      if (const auto& after = steps[n].after())
        after(req, res);
  }
};

// The one frame a run with `after` steps costs: awaits the rest, then unwinds.
Task<Response> finish_run(std::shared_ptr<const plain_run> run, Task<Response> rest, Request& req) {
  Response res = co_await std::move(rest);
  run->unwind(req, res, run->steps.size());
  co_return res;
}

Handler around_run(std::shared_ptr<const plain_run> run, Handler next) {
  return [run = std::move(run), next = std::move(next)](Request& req) -> Task<Response> {
    const auto& steps = run->steps;
    for (std::size_t i = 0; i < steps.size(); ++i)
      if (const auto& before = steps[i].before())
        if (auto answer = before(req)) {
          run->unwind(req, *answer, i);
          return ready_response(std::move(*answer));
        }
    if (!run->any_after)
      return next(req);
    return finish_run(run, next(req), req);
  };
}

}  // namespace

Handler compose(const std::vector<Middleware>& outermost_first, Handler terminal) {
  Handler next = std::move(terminal);
  // Innermost first: each coroutine middleware, and each run of plain ones, wraps the rest.
  std::size_t end = outermost_first.size();
  while (end > 0) {
    const Middleware& m = outermost_first[end - 1];
    if (m.around()) {
      next = [around = m.around(), next = std::move(next)](Request& req) -> Task<Response> {
        return around(req, next);
      };
      --end;
      continue;
    }
    std::size_t begin = end;
    while (begin > 0 && !outermost_first[begin - 1].around())
      --begin;
    auto run = std::make_shared<plain_run>();
    for (std::size_t i = begin; i < end; ++i) {
      run->steps.push_back(outermost_first[i]);
      run->any_after = run->any_after || static_cast<bool>(outermost_first[i].after());
    }
    next = around_run(std::move(run), std::move(next));
    end = begin;
  }
  return next;
}

}  // namespace vivace::middleware
