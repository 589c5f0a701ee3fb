#pragma once
/// @file
/// Where a thread may not block: an attempt to run a plain handler on an I/O thread
/// (`RouteOptions::run_inline`), and the exception that ends the attempt when something would
/// block after all.

#include <exception>
#include <functional>
#include <utility>

#include "vivace/core/task.hpp"

namespace vivace {

/// Thrown by a call that would block (a PostgreSQL query, a write, a pool with no free
/// connection, a hash) while the thread must not block: the handler adapter catches it and runs
/// the work again from the start on the worker pool. Never reaches a client.
class WouldBlock : public std::exception {
 public:
  /// `what`: the call that would have blocked (a string literal). `always`: the same call
  /// blocks every time (not a passing state, such as a locked database): the route stops
  /// trying.
  explicit WouldBlock(const char* what, bool always = false) noexcept
      : what_(what), always_(always) {}
  /// The call that would have blocked.
  [[nodiscard]] const char* what() const noexcept override { return what_; }
  /// Whether the same call would block again on the next request.
  [[nodiscard]] bool always() const noexcept { return always_; }

 private:
  const char* what_;
  bool always_;
};

/// A `WouldBlock` whose call can be made without blocking: `start()` makes it on the I/O
/// thread's executor (a PostgreSQL query sent on a pipelined connection) and keeps its result
/// where the work will find it; the handler adapter awaits it, then runs the work again on the
/// I/O thread, where the call now answers at once. Bounded: after a few such suspensions the
/// work goes to the worker pool as for a plain `WouldBlock`.
class WouldBlockUntil : public WouldBlock {
 public:
  /// `what`: the call (a string literal); `start`: makes it, completing when its result is kept.
  WouldBlockUntil(const char* what, std::function<Task<void>()> start)
      : WouldBlock(what), start_(std::move(start)) {}
  /// Makes the call without blocking.
  [[nodiscard]] const std::function<Task<void>()>& start() const noexcept { return start_; }

 private:
  std::function<Task<void>()> start_;
};

/// While one is alive on a thread, `must_not_block()` is true there: code that would block
/// throws `WouldBlock` instead. Scopes nest.
class NonBlockingScope {
 public:
  NonBlockingScope() noexcept;
  ~NonBlockingScope();
  NonBlockingScope(const NonBlockingScope&) = delete;
  NonBlockingScope& operator=(const NonBlockingScope&) = delete;
};

/// Whether the calling thread is inside a `NonBlockingScope`.
[[nodiscard]] bool must_not_block() noexcept;

}  // namespace vivace
