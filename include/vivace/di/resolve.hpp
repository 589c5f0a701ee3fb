#pragma once
/// @file
/// Extracting a list of parameters (a handler's or a provider's) into slots, and calling a
/// callable with them. Three kinds of parameter:
/// - plain extractors (`Path`, `Query`, `Body`, ...): `T::extract`, cheap, run anywhere;
/// - blocking extractors (`Depends` on a plain provider): `T::extract` too, but it may block,
///   so on an I/O thread it runs on the worker pool (`T::blocking`);
/// - asynchronous extractors (`Depends` on a coroutine provider): `T::extract_async` only.

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "vivace/core/blocking.hpp"
#include "vivace/core/task.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/concepts.hpp"

namespace vivace {

class AppScope;

namespace di::detail {

template <class A>
using param_t = std::remove_cvref_t<A>;

template <class A>
constexpr bool is_request_ref = std::is_same_v<A, Request&> || std::is_same_v<A, const Request&>;

/// Only `extract_async`: needs a coroutine.
template <class A>
constexpr bool async_param =
    !is_request_ref<A> && async_extractor<param_t<A>> && !extractor<param_t<A>>;

/// Has both: a dependency on plain providers, resolvable in one go on a pool thread.
template <class A>
constexpr bool dependency_param =
    !is_request_ref<A> && async_extractor<param_t<A>> && extractor<param_t<A>>;

template <class A>
constexpr bool blocking_param = requires {
  param_t<A>::blocking;
};

/// Whether the parameter type is something the resolver can supply.
template <class A>
constexpr bool supported_param =
    is_request_ref<A> || extractor<param_t<A>> || async_extractor<param_t<A>>;

/// Whether every parameter can be extracted synchronously (on a pool thread).
template <class... A>
constexpr bool all_sync = (!async_param<A> && ...);

template <class A>
struct slot {
  using type = std::conditional_t<is_request_ref<A>, char, std::optional<param_t<A>>>;
};

/// The argument for `A` from its slot: moved out of it, or copied (`Copy`: the slot is kept).
template <class A, bool Copy = false>
decltype(auto) pass(Request& req, typename slot<A>::type& s) {
  if constexpr (is_request_ref<A>)
    return (req);
  else if constexpr (Copy)
    return std::as_const(*s);
  else
    return std::move(*s);
}

/// Synchronous extraction, on the calling thread (a pool thread when it may block).
template <class A>
void extract_sync(Request& req, params::error_list& errors, typename slot<A>::type& out) {
  if constexpr (!is_request_ref<A>)
    out = param_t<A>::extract(req, errors);
}

/// Plain extractors: cheap, extracted inline wherever the code runs.
template <class A>
constexpr bool cheap_param = is_request_ref<A> ||
                             (!async_param<A> && !dependency_param<A> && !blocking_param<A>);

template <class A>
Task<void> extract_step_co(Request& req, params::error_list& errors, typename slot<A>::type& out) {
  if constexpr (async_param<A> || dependency_param<A>) {
    out = co_await param_t<A>::extract_async(req, errors);
  } else if constexpr (blocking_param<A>) {
    co_await run_blocking(req, [&] { out = param_t<A>::extract(req, errors); });
  } else {
    extract_sync<A>(req, errors, out);
  }
  co_return;
}

/// Extraction from an I/O thread: blocking work goes to the worker pool. Not a coroutine for
/// a dependency that fills its slot itself (one coroutine frame fewer per dependency).
template <class A>
Task<void> extract_step(Request& req, params::error_list& errors, typename slot<A>::type& out) {
  if constexpr (requires { param_t<A>::extract_into(req, errors, out); })
    return param_t<A>::extract_into(req, errors, out);
  else
    return extract_step_co<A>(req, errors, out);
}

template <class... A, std::size_t... I>
Task<void> extract_all_co(Request& req, params::error_list& errors,
                          std::tuple<typename slot<A>::type...>& slots, std::index_sequence<I...>) {
  (co_await extract_step<A>(req, errors, std::get<I>(slots)), ...);
}

/// Extracts every parameter in order (so errors come in parameter order), from an I/O thread.
/// The caller awaits the result at once.
template <class... A, std::size_t... I>
Task<void> extract_all(Request& req, params::error_list& errors,
                       std::tuple<typename slot<A>::type...>& slots, std::index_sequence<I...> is) {
  if constexpr (sizeof...(A) == 1)
    return extract_step<A...>(req, errors, std::get<0>(slots));
  else
    return extract_all_co<A...>(req, errors, slots, is);
}

/// Extracts every parameter synchronously (on a pool thread).
template <class... A, std::size_t... I>
void extract_all_sync(Request& req, params::error_list& errors,
                      std::tuple<typename slot<A>::type...>& slots, std::index_sequence<I...>) {
  (extract_sync<A>(req, errors, std::get<I>(slots)), ...);
}

template <class A>
void describe_one(RouteInfo& info) {
  if constexpr (!is_request_ref<A>)
    param_t<A>::describe(info);
}

/// Whether a parameter can be passed from its slot twice: copied the first time.
template <class A>
constexpr bool repeatable_param = [] {
  if constexpr (is_request_ref<A>)
    return true;
  else
    return std::is_constructible_v<A, const param_t<A>&>;
}();

/// Calls `f` with the extracted slots, moved into its parameters; copied instead during a
/// `run_inline` attempt (`must_not_block()`), which keeps them for a run on a worker.
template <class... A, class F, class Slots>
decltype(auto) call_with(F& f, Request& req, Slots& slots) {
  return [&]<std::size_t... I>(std::index_sequence<I...>)->decltype(auto) {
    if constexpr ((repeatable_param<A> && ...)) {
      if (must_not_block())
        return f(pass<A, true>(req, std::get<I>(slots))...);
    }
    return f(pass<A>(req, std::get<I>(slots))...);
  }
  (std::index_sequence_for<A...>{});
}

}  // namespace di::detail
}  // namespace vivace

namespace vivace::di {

/// A callable's parameter list as the resolver sees it: what an adapter (the typed route
/// adapter, or a user's own) needs to describe, extract and pass a handler's arguments.
/// Each `A` is an extractor (`Path`, `Body`, ...), a dependency (`Depends`, `Security`,
/// `Inject`) or `Request&`.
template <class... A>
struct parameters {
  /// Whether the resolver can supply every parameter.
  static constexpr bool supported = (detail::supported_param<A> && ...);
  /// Whether every parameter can be extracted on the calling thread (a worker): none needs a
  /// coroutine.
  static constexpr bool synchronous = detail::all_sync<A...>;
  /// Whether no parameter blocks or waits: extraction can run on an I/O thread as it is.
  static constexpr bool cheap = (detail::cheap_param<A> && ...);
  /// Whether the arguments can be passed twice (copied the first time): what lets a
  /// `run_inline` attempt run again on a worker.
  static constexpr bool repeatable = (detail::repeatable_param<A> && ...);
  /// Where the extracted arguments wait for the call.
  using slots = std::tuple<typename detail::slot<A>::type...>;

  /// Adds each parameter to the route's description, in order.
  static void describe(RouteInfo& info) { (detail::describe_one<A>(info), ...); }
  /// Extracts every parameter in order on the calling thread; errors go to `errors`.
  static void extract_sync(Request& req, params::error_list& errors, slots& out) {
    detail::extract_all_sync<A...>(req, errors, out, std::index_sequence_for<A...>{});
  }
  /// Extracts every parameter in order from an I/O thread (blocking work on the worker pool).
  /// Await the result at once.
  static Task<void> extract(Request& req, params::error_list& errors, slots& out) {
    return detail::extract_all<A...>(req, errors, out, std::index_sequence_for<A...>{});
  }
  /// Moves the arguments out of `in`, so once only; a `run_inline` attempt copies them instead
  /// (when `repeatable`), for the run on a worker.
  template <class F>
  static decltype(auto) call(F& f, Request& req, slots& in) {
    return detail::call_with<A...>(f, req, in);
  }
};

}  // namespace vivace::di
