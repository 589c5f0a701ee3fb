#pragma once
// Private to src/db: the prepared statements of one pooled connection, least recently used
// dropped first. Only the connection's current holder touches it, so it needs no lock.

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vivace/db/session.hpp"  // kept_statement

namespace vivace::db::detail {

class statement_cache {
 public:
  explicit statement_cache(std::size_t capacity) : capacity_(capacity) {}
  statement_cache(const statement_cache&) = delete;
  statement_cache& operator=(const statement_cache&) = delete;

  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  /// The statement kept for `query` with variables of the types `tag` names, taken out of
  /// its entry while it is used (null when none, or when it is in use already).
  std::unique_ptr<kept_statement> take(std::string_view query, const void* tag) {
    auto it = index_.find(key{query, tag});
    return it == index_.end() ? nullptr : std::move(it->second->st);
  }

  /// Gives a statement back after a successful use: the most recently used. Its entry is
  /// reused when there is one (no allocation on this path).
  void put(std::string_view query, const void* tag, std::unique_ptr<kept_statement> st) {
    if (auto it = index_.find(key{query, tag}); it != index_.end()) {
      auto node = it->second;
      if (node->st)  // made twice at once (nested uses): keep one
        graveyard_.push_back(std::move(st));
      else
        node->st = std::move(st);
      lru_.splice(lru_.begin(), lru_, node);
      return;
    }
    lru_.push_front(entry{std::string(query), tag, std::move(st)});
    index_.emplace(key{lru_.front().query, tag}, lru_.begin());
    while (lru_.size() > capacity_) {
      index_.erase(key{lru_.back().query, lru_.back().tag});
      if (lru_.back().st)  // else in use: its user makes a new entry
        graveyard_.push_back(std::move(lru_.back().st));
      lru_.pop_back();
    }
  }

  /// Keeps a statement that failed (or was evicted) until the connection is between
  /// transactions: PostgreSQL refuses DEALLOCATE inside a failed transaction, and SOCI would
  /// swallow that error, leaving the statement on the server.
  void bury(std::unique_ptr<kept_statement> st) { graveyard_.push_back(std::move(st)); }

  /// Drops the buried statements (their DEALLOCATE runs now). Call between transactions.
  void flush() noexcept { graveyard_.clear(); }

  /// Drops everything (before the connection is re-opened).
  void clear() noexcept {
    index_.clear();
    lru_.clear();
    graveyard_.clear();
  }

 private:
  struct entry {
    std::string query;
    const void* tag;
    std::unique_ptr<kept_statement> st;  // null while in use
  };
  struct key {
    std::string_view query;
    const void* tag;
    bool operator==(const key&) const = default;
  };
  struct key_hash {
    std::size_t operator()(const key& k) const noexcept {
      return std::hash<std::string_view>{}(k.query) ^ (std::hash<const void*>{}(k.tag) << 1);
    }
  };
  std::size_t capacity_;
  std::list<entry> lru_;  // front: most recently used
  std::unordered_map<key, std::list<entry>::iterator, key_hash> index_;
  std::vector<std::unique_ptr<kept_statement>> graveyard_;
};

}  // namespace vivace::db::detail
