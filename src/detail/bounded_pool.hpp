#pragma once
// Private to src/: a thread pool whose queue is bounded in length and in waiting time, so that
// an overloaded executor answers at once (503 with Retry-After) instead of letting requests
// time out behind work that cannot finish in time. Shared by the server and the test client.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace vivace::detail {

struct bounded_pool_options {
  unsigned threads = 1;
  /// Jobs waiting (not running) beyond which a new one is refused.
  std::size_t queue_limit = 1024;
  /// A new job whose estimated wait (jobs ahead × mean run time / threads) exceeds this is
  /// refused; a job that has waited longer than this when a thread takes it is shed.
  std::chrono::milliseconds max_wait{2000};
  /// Added to the threads' nice value (Linux: per thread), so that they yield the CPU to the
  /// I/O threads and ordinary handlers.
  int nice = 0;
};

class bounded_pool {
 public:
  explicit bounded_pool(bounded_pool_options options);
  bounded_pool(const bounded_pool&) = delete;
  bounded_pool& operator=(const bounded_pool&) = delete;
  /// Finishes the queued jobs and joins the threads.
  ~bounded_pool();

  /// Queues `job`. `job(true)` runs it; `job(false)` tells it that it was shed after waiting
  /// past `max_wait` (it must then only report that). Returns nothing when queued, or the
  /// seconds after which a client may retry when the queue is full (nothing is queued).
  [[nodiscard]] std::optional<std::chrono::seconds> try_post(std::function<void(bool run)> job);

  /// Stops accepting work once the queued jobs have run, and joins the threads. Idempotent.
  void join();

  /// The seconds a client should wait before retrying: the current estimated wait, at least 1.
  [[nodiscard]] std::chrono::seconds retry_after() const noexcept;

 private:
  [[nodiscard]] std::chrono::nanoseconds estimated_wait(std::size_t ahead) const noexcept;
  void record(std::int64_t took_ns) noexcept;

  /// Jobs run before the estimate is trusted to refuse work.
  static constexpr std::uint64_t warm_up = 8;

  bounded_pool_options options_;
  boost::asio::io_context ioc_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<std::int64_t> mean_run_ns_{0};  // see record()
  std::atomic<std::uint64_t> samples_{0};
};

}  // namespace vivace::detail
