#pragma once
// Private to src/db: the prepared statements of one pooled connection, least recently used
// dropped first. Only the connection's current holder touches it, so it needs no lock.

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <soci/soci.h>

namespace vivace::db::detail {

class statement_cache {
 public:
  explicit statement_cache(std::size_t capacity) : capacity_(capacity) {}
  statement_cache(const statement_cache&) = delete;
  statement_cache& operator=(const statement_cache&) = delete;

  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::size_t size() const noexcept { return lru_.size(); }

  /// The statement prepared for `query`, taken out of the cache while it is used.
  std::optional<soci::statement> take(std::string_view query) {
    auto it = index_.find(query);
    if (it == index_.end())
      return std::nullopt;
    auto node = it->second;
    index_.erase(it);
    std::optional<soci::statement> out(std::move(node->second));
    lru_.erase(node);
    return out;
  }

  /// Gives a statement back after a successful use: the most recently used.
  void put(std::string query, soci::statement st) {
    if (index_.contains(query)) {  // prepared twice at once (nested uses): keep the first
      bury(std::move(st));
      return;
    }
    lru_.emplace_front(std::move(query), std::move(st));
    index_.emplace(lru_.front().first, lru_.begin());
    while (lru_.size() > capacity_) {
      index_.erase(lru_.back().first);
      graveyard_.push_back(std::move(lru_.back().second));
      lru_.pop_back();
    }
  }

  /// Keeps a statement that failed (or was evicted) until the connection is between
  /// transactions: PostgreSQL refuses DEALLOCATE inside a failed transaction, and SOCI would
  /// swallow that error, leaving the statement on the server.
  void bury(soci::statement st) { graveyard_.push_back(std::move(st)); }

  /// Drops the buried statements (their DEALLOCATE runs now). Call between transactions.
  void flush() noexcept { graveyard_.clear(); }

  /// Drops everything (before the connection is re-opened).
  void clear() noexcept {
    index_.clear();
    lru_.clear();
    graveyard_.clear();
  }

 private:
  std::size_t capacity_;
  std::list<std::pair<std::string, soci::statement>> lru_;  // front: most recently used
  std::unordered_map<std::string_view, decltype(lru_)::iterator> index_;
  std::vector<soci::statement> graveyard_;
};

}  // namespace vivace::db::detail
