#pragma once
/// @file
/// `Task<T>`: the coroutine type of asynchronous handlers and providers.

#include <boost/asio/awaitable.hpp>

namespace vivace {

/// A coroutine that produces a `T`. Handlers returning `Task<T>` run on the I/O threads and can
/// `co_await` any Asio operation; plain functions run on the worker pool instead.
template <class T = void>
using Task = boost::asio::awaitable<T>;

}  // namespace vivace
