#pragma once
// Private to src/: the RequestContext that runs blocking work on the worker pool and CPU-heavy
// work on the CPU pool, both bounded (an overloaded pool answers 503 with Retry-After at once).
// Shared by the server and the test client.

#include <exception>
#include <functional>
#include <memory>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bounded_pool.hpp"
#include "vivace/core/errors.hpp"
#include "vivace/http/handler.hpp"

namespace vivace::detail {

/// Runs `work` on `pool` and resumes the awaiting coroutine on its own executor; a full pool
/// (or a job shed after waiting too long) throws `Overloaded`.
inline Task<void> run_on(bounded_pool& pool, std::function<void()> work) {
  co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                       void(std::exception_ptr)>(
      [&pool, &work](auto handler) {
        using handler_t = decltype(handler);
        auto ex = boost::asio::get_associated_executor(handler);
        struct op {
          handler_t handler;
          boost::asio::executor_work_guard<decltype(ex)> guard;
        };
        auto state = std::make_shared<op>(op{std::move(handler), boost::asio::make_work_guard(ex)});
        auto done = [state](std::exception_ptr ep) {
          auto ex2 = state->guard.get_executor();
          boost::asio::post(ex2, [state, ep]() mutable { state->handler(ep); });
        };
        auto refused = pool.try_post([&pool, &work, done](bool run) {
          std::exception_ptr ep;
          if (!run) {
            ep = std::make_exception_ptr(Overloaded(pool.retry_after()));
          } else {
            try {
              work();
            } catch (...) {
              ep = std::current_exception();
            }
          }
          done(ep);
        });
        if (refused)
          done(std::make_exception_ptr(Overloaded(*refused)));
      },
      boost::asio::use_awaitable);
}

class pool_context final : public RequestContext {
 public:
  pool_context(bounded_pool& workers, bounded_pool& cpu) : workers_(workers), cpu_(cpu) {}

  Task<void> run_blocking(std::function<void()> work) override {
    return run_on(workers_, std::move(work));
  }
  Task<void> run_cpu(std::function<void()> work) override { return run_on(cpu_, std::move(work)); }

 private:
  bounded_pool& workers_;
  bounded_pool& cpu_;
};

}  // namespace vivace::detail
