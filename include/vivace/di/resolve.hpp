#pragma once
/// @file
/// Extracting a list of parameters (a handler's or a provider's) into slots: synchronously
/// when every one is a plain extractor, as a coroutine when one of them is a dependency.

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "vivace/core/task.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/concepts.hpp"

namespace vivace::di::detail {

template <class A>
using param_t = std::remove_cvref_t<A>;

template <class A>
constexpr bool is_request_ref = std::is_same_v<A, Request&> || std::is_same_v<A, const Request&>;

template <class A>
constexpr bool async_param = !is_request_ref<A> && async_extractor<param_t<A>>;

/// Whether the parameter type is something the resolver can supply.
template <class A>
constexpr bool supported_param =
    is_request_ref<A> || extractor<param_t<A>> || async_extractor<param_t<A>>;

template <class A>
struct slot {
  using type = std::conditional_t<is_request_ref<A>, char, std::optional<param_t<A>>>;
};

template <class A>
decltype(auto) pass(Request& req, typename slot<A>::type& s) {
  if constexpr (is_request_ref<A>)
    return (req);
  else
    return std::move(*s);
}

template <class A>
void extract_sync(Request& req, params::error_list& errors, typename slot<A>::type& out) {
  if constexpr (!is_request_ref<A>)
    out = param_t<A>::extract(req, errors);
}

template <class A>
Task<void> extract_step(Request& req, params::error_list& errors, typename slot<A>::type& out) {
  if constexpr (async_param<A>)
    out = co_await param_t<A>::extract_async(req, errors);
  else
    extract_sync<A>(req, errors, out);
  co_return;
}

/// Extracts every parameter in order (so errors come in parameter order).
template <class... A, std::size_t... I>
Task<void> extract_all(Request& req, params::error_list& errors,
                       std::tuple<typename slot<A>::type...>& slots, std::index_sequence<I...>) {
  (co_await extract_step<A>(req, errors, std::get<I>(slots)), ...);
}

template <class A>
void describe_one(RouteInfo& info) {
  if constexpr (!is_request_ref<A>)
    param_t<A>::describe(info);
}

}  // namespace vivace::di::detail
