#include "bounded_pool.hpp"

#include <algorithm>
#include <exception>

#include <boost/asio/post.hpp>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "vivace/core/log.hpp"

namespace vivace::detail {

namespace {
void lower_priority(int nice) {
#if defined(__linux__)
  if (nice > 0) {
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    const int now = ::getpriority(PRIO_PROCESS, tid);
    (void)::setpriority(PRIO_PROCESS, tid, std::min(19, now + nice));
  }
#else
  (void)nice;
#endif
}
}  // namespace

bounded_pool::bounded_pool(bounded_pool_options options) : options_(options) {
  options_.threads = std::max(1u, options_.threads);
  work_.emplace(ioc_.get_executor());
  threads_.reserve(options_.threads);
  for (unsigned i = 0; i < options_.threads; ++i)
    threads_.emplace_back([this] {
      lower_priority(options_.nice);
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (const std::exception& e) {
          log::error(std::string{"worker thread: "} + e.what());
        }
      }
    });
}

bounded_pool::~bounded_pool() {
  join();
}

void bounded_pool::join() {
  work_.reset();
  for (auto& t : threads_)
    if (t.joinable())
      t.join();
  threads_.clear();
}

std::chrono::nanoseconds bounded_pool::estimated_wait(std::size_t ahead) const noexcept {
  return std::chrono::nanoseconds(mean_run_ns_.load(std::memory_order_relaxed) *
                                  static_cast<std::int64_t>(ahead) / options_.threads);
}

std::chrono::seconds bounded_pool::retry_after() const noexcept {
  const auto wait = estimated_wait(queued_.load(std::memory_order_relaxed) + options_.threads);
  return std::max(std::chrono::seconds(1),
                  std::chrono::ceil<std::chrono::seconds>(std::chrono::nanoseconds(wait)));
}

void bounded_pool::record(std::int64_t took_ns) noexcept {
  // The first `warm_up` jobs are averaged (a cold first job, preparing statements, must not
  // set the estimate alone); later ones move a mean over about the last eight jobs, each
  // counted as at most eight times the mean, so that one stalled job does not make the pool
  // refuse work, while a lasting change of cost is followed within a few jobs.
  const auto n = samples_.fetch_add(1, std::memory_order_relaxed);
  const auto mean = mean_run_ns_.load(std::memory_order_relaxed);
  std::int64_t next;
  if (n < warm_up)
    next = mean + (took_ns - mean) / static_cast<std::int64_t>(n + 1);
  else
    next = mean + (std::min(took_ns, 8 * mean) - mean) / 8;
  mean_run_ns_.store(std::max<std::int64_t>(1, next), std::memory_order_relaxed);
}

std::optional<std::chrono::seconds> bounded_pool::try_post(std::function<void(bool)> job) {
  // The jobs queued ahead of this one, and (when there are some) the running ones, each
  // counted as a whole mean run: an estimate on the safe side.
  const std::size_t ahead = queued_.fetch_add(1, std::memory_order_acq_rel);
  if (ahead >= options_.queue_limit ||
      (ahead > 0 && samples_.load(std::memory_order_relaxed) >= warm_up &&
       estimated_wait(ahead + options_.threads) > options_.max_wait)) {
    queued_.fetch_sub(1, std::memory_order_acq_rel);
    return retry_after();
  }
  const auto enqueued = std::chrono::steady_clock::now();
  boost::asio::post(ioc_, [this, job = std::move(job), enqueued] {
    queued_.fetch_sub(1, std::memory_order_acq_rel);
    const auto start = std::chrono::steady_clock::now();
    if (start - enqueued > options_.max_wait) {
      job(false);  // admitted on an estimate that proved short: shed now rather than late
      return;
    }
    job(true);
    const auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    record(took);
  });
  return std::nullopt;
}

}  // namespace vivace::detail
