#pragma once
// Private to src/: the RequestContext that runs blocking work on an Asio thread pool. Shared by
// the server and the test client.

#include <exception>
#include <functional>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "vivace/http/handler.hpp"

namespace vivace::detail {

// Runs blocking work on the worker pool and resumes the awaiting coroutine on its own executor.
class pool_context final : public RequestContext {
 public:
  explicit pool_context(boost::asio::thread_pool& pool) : pool_(pool) {}

  Task<void> run_blocking(std::function<void()> work) override {
    co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                         void(std::exception_ptr)>(
        [this, &work](auto handler) {
          auto ex = boost::asio::get_associated_executor(handler);
          boost::asio::post(pool_, [handler = std::move(handler), &work,
                                    guard = boost::asio::make_work_guard(ex)]() mutable {
            std::exception_ptr ep;
            try {
              work();
            } catch (...) {
              ep = std::current_exception();
            }
            auto ex2 = guard.get_executor();
            boost::asio::post(ex2, [handler = std::move(handler), ep]() mutable { handler(ep); });
          });
        },
        boost::asio::use_awaitable);
  }

 private:
  boost::asio::thread_pool& pool_;
};

}  // namespace vivace::detail
