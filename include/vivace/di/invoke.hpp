#pragma once
/// @file
/// Calling a provider (or a replacement from `dependency_overrides`) with its parameters
/// resolved, and keeping its value in the request until the response has been sent.

#include <cstddef>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "vivace/core/callable.hpp"
#include "vivace/core/task.hpp"
#include "vivace/di/resolve.hpp"
#include "vivace/di/yield.hpp"
#include "vivace/http/handler.hpp"

namespace vivace::di::detail {

/// What a provider returns: a value, `Task<value>` or `Yield<value>`.
template <class R>
struct provider_result {
  using value = R;
  static constexpr bool is_task = false, is_yield = false;
};
template <class T, class E>
struct provider_result<boost::asio::awaitable<T, E>> {
  using value = T;
  static constexpr bool is_task = true, is_yield = false;
};
template <class T>
struct provider_result<Yield<T>> {
  using value = T;
  static constexpr bool is_task = false, is_yield = true;
};

template <class F, class Args = vivace::callable_args<F>>
struct invoker;

template <class F, class... A>
struct invoker<F, std::tuple<A...>> {
  using R = vivace::callable_result<F>;
  using shape = provider_result<R>;
  using value_type = typename shape::value;
  static_assert(!std::is_void_v<value_type>, "vivace: a provider must return a value");
  static_assert((supported_param<A> && ...),
                "vivace: every parameter of a provider must be an extractor (Path, Query, "
                "Header, Cookie, Body, ...), a Depends<...> or Request&");
  /// A plain provider whose parameters need no coroutine: resolved in one go on a pool
  /// thread.
  static constexpr bool sync_capable = !shape::is_task && all_sync<A...>;
  using slots_t = std::tuple<typename slot<A>::type...>;

  static void describe(RouteInfo& info) { (describe_one<A>(info), ...); }

  /// Whether every parameter is a plain extractor (no coroutine needed to extract them).
  static constexpr bool cheap_params = (cheap_param<A> && ...);

  /// Keeps the provider's result in the request (destroyed after the response, last created
  /// first), under `cache` when not null, and returns the value's address. A `Yield` is entered
  /// here and its exit queued.
  static value_type* keep(Request& req, R&& r, const void* cache) {
    if constexpr (shape::is_yield) {
      auto holder = std::make_shared<R>(std::move(r));
      value_type& v = holder->enter();
      req.scope().on_cleanup([h = holder.get()](Request& rq) -> Task<void> {
        co_await run_blocking(rq, [&] { h->exit(rq.scope().error()); });
      });
      store(req, std::shared_ptr<void>(holder, &v), cache);
      return &v;
    } else {
      return keep_value(req, std::move(r), cache);
    }
  }
  static value_type* keep_value(Request& req, value_type&& v, const void* cache) {
    auto p = std::make_shared<value_type>(std::move(v));
    value_type* raw = p.get();
    store(req, std::move(p), cache);
    return raw;
  }
  static void store(Request& req, std::shared_ptr<void> p, const void* cache) {
    if (cache)
      req.scope().slots().set(cache, std::move(p));
    else
      req.scope().slots().keep(std::move(p));
  }

  /// On a pool thread: parameters, then the call. Null when a parameter was invalid.
  static value_type* produce_sync(F& f, Request& req, params::error_list& errors,
                                  const void* cache) requires sync_capable {
    const auto before = errors.size();
    slots_t slots;
    extract_all_sync<A...>(req, errors, slots, std::index_sequence_for<A...>{});
    if (errors.size() != before)
      return nullptr;
    return keep(req, call_with<A...>(f, req, slots), cache);
  }

  /// From an I/O thread; the value's address (null when a parameter was invalid) goes to
  /// `result`.
  static Task<void> produce_async(F f, Request& req, params::error_list& errors, const void* cache,
                                  value_type*& result) {
    result = nullptr;
    if constexpr (sync_capable) {
      // A tree of plain providers: resolved in one trip to the worker pool (or inline first,
      // on a run_inline route: then it may run twice).
      const auto before = errors.size();
      co_await run_plain(req, [&] {
        errors.erase(errors.begin() + static_cast<std::ptrdiff_t>(before), errors.end());
        result = produce_sync(f, req, errors, cache);
      });
    } else {
      const auto before = errors.size();
      slots_t slots;
      if constexpr (cheap_params)
        extract_all_sync<A...>(req, errors, slots, std::index_sequence_for<A...>{});
      else
        co_await extract_all<A...>(req, errors, slots, std::index_sequence_for<A...>{});
      if (errors.size() != before)
        co_return;
      if constexpr (shape::is_task) {
        auto v = co_await call_with<A...>(f, req, slots);
        result = keep_value(req, std::move(v), cache);
      } else {
        auto call = [&] { result = keep(req, call_with<A...>(f, req, slots), cache); };
        if constexpr ((repeatable_param<A> && ...))
          co_await run_plain(req, call);  // tried inline first on a run_inline route
        else
          co_await run_blocking(req, call);
      }
    }
  }
};

}  // namespace vivace::di::detail
