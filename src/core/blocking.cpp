// A thread-local depth of NonBlockingScope: the scope is always synchronous (no co_await
// inside it), so a coroutine that moves to another thread never carries it along.

#include "vivace/core/blocking.hpp"

namespace vivace {

namespace {
thread_local int non_blocking_depth = 0;
}

NonBlockingScope::NonBlockingScope() noexcept {
  ++non_blocking_depth;
}

NonBlockingScope::~NonBlockingScope() {
  --non_blocking_depth;
}

bool must_not_block() noexcept {
  return non_blocking_depth > 0;
}

}  // namespace vivace
