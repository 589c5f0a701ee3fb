#pragma once
// Private to src/db: one non-blocking PostgreSQL connection in libpq's pipeline mode, driven by
// an io_context (see DatabaseOptions::pipeline). Requests of that context queue their reads on
// it; each read is its own implicit transaction (a Sync after each), so one failing read does
// not abort the others.

#include <atomic>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "vivace/core/task.hpp"
#include "vivace/db/session.hpp"  // pg_params, pg_answer

namespace vivace::db::detail {

class pg_pipeline : public std::enable_shared_from_this<pg_pipeline> {
 public:
  /// Not connected yet: the first query connects (asynchronously, on the context).
  static std::shared_ptr<pg_pipeline> make(boost::asio::io_context& ioc, std::string conninfo);
  virtual ~pg_pipeline() = default;
  pg_pipeline(const pg_pipeline&) = delete;
  pg_pipeline& operator=(const pg_pipeline&) = delete;

  /// Sends `sql` (`:name` placeholders, bound in order) with `params`, prepared on the
  /// connection the first time, and completes with its result or its error. Any thread.
  virtual Task<pg_answer> query(std::string sql, pg_params params) = 0;

  /// Whether its io_context has been destroyed: it can no longer be used.
  [[nodiscard]] virtual bool abandoned() const noexcept = 0;

  /// Queries sent or waiting to be.
  [[nodiscard]] std::size_t pending() const noexcept {
    return pending_.load(std::memory_order_relaxed);
  }

 protected:
  pg_pipeline() = default;
  std::atomic<std::size_t> pending_{0};
};

/// `sql` with its `:name` placeholders as `$1`, `$2`... in order of appearance (as SOCI binds
/// them); quotes, `::` casts and comments are left alone. `count`: the placeholders.
std::string pg_positional(std::string_view sql, int& count);

/// The error for `params` values given to a statement with `count` placeholders.
std::string pg_count_mismatch(std::size_t params, int count, std::string_view sql);

}  // namespace vivace::db::detail
