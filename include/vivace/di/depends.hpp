#pragma once
/// @file
/// `Depends<provider>`: FastAPI's dependency injection. A provider is a function (or a
/// captureless lambda) whose own parameters are extractors and other dependencies.

#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "vivace/core/callable.hpp"
#include "vivace/core/task.hpp"
#include "vivace/di/resolve.hpp"
#include "vivace/http/handler.hpp"

namespace vivace {

namespace di::detail {
template <class T>
struct unwrap_task {
  using type = T;
  static constexpr bool is_task = false;
};
template <class T, class E>
struct unwrap_task<boost::asio::awaitable<T, E>> {
  using type = T;
  static constexpr bool is_task = true;
};
/// One address per provider: the key of its per-request cache.
template <auto Provider>
inline constexpr char cache_key = 0;
}  // namespace di::detail

/// The value `Provider` returns for this request. The provider's parameters are resolved
/// first (recursively); their errors join the request's one 422. With `UseCache` (the
/// default) a provider runs at most once per request, however many dependencies use it.
/// Plain providers run on the worker pool (they may block); coroutine providers
/// (`Task<T>`) on the I/O thread.
///
/// @code
/// User current_user(vivace::Header<"Authorization", std::string> auth) { ... }
/// app.get<"/me">([](vivace::Depends<current_user> user) { return user->name; });
/// @endcode
template <auto Provider, bool UseCache = true>
struct Depends : params::value_holder<typename di::detail::unwrap_task<
                     typename vivace::detail::callable_traits<decltype(Provider)>::result>::type> {
  using traits = vivace::detail::callable_traits<decltype(Provider)>;
  using result = typename traits::result;
  using value_type = typename di::detail::unwrap_task<result>::type;
  static_assert(!std::is_void_v<value_type>, "vivace: a provider must return a value");

  static Task<std::optional<Depends>> extract_async(Request& req, params::error_list& errors) {
    const void* key = &di::detail::cache_key<Provider>;
    if constexpr (UseCache) {
      if (auto cached = req.state().get(key))
        co_return Depends{*static_cast<const value_type*>(cached.get())};
    }
    auto v = co_await resolve(req, errors, static_cast<typename traits::args*>(nullptr));
    if (!v)
      co_return std::nullopt;
    if constexpr (UseCache)
      req.state().set(key, std::make_shared<value_type>(*v));
    co_return Depends{std::move(*v)};
  }

  /// A provider's parameters are documented as the route's own (FastAPI flattens them).
  static void describe(RouteInfo& info) {
    describe_args(info, static_cast<typename traits::args*>(nullptr));
  }

 private:
  template <class... A>
  static void describe_args(RouteInfo& info, std::tuple<A...>*) {
    static_assert((di::detail::supported_param<A> && ...),
                  "vivace: every parameter of a provider must be an extractor (Path, Query, "
                  "Header, Cookie, Body, ...), a Depends<...> or Request&");
    (di::detail::describe_one<A>(info), ...);
  }

  template <class... A>
  static Task<std::optional<value_type>> resolve(Request& req, params::error_list& errors,
                                                 std::tuple<A...>*) {
    const auto before = errors.size();
    std::tuple<typename di::detail::slot<A>::type...> slots;
    co_await di::detail::extract_all<A...>(req, errors, slots, std::index_sequence_for<A...>{});
    if (errors.size() != before)
      co_return std::nullopt;
    auto call = [&]() -> decltype(auto) {
      return [&]<std::size_t... I>(std::index_sequence<I...>)->decltype(auto) {
        return Provider(di::detail::pass<A>(req, std::get<I>(slots))...);
      }
      (std::index_sequence_for<A...>{});
    };
    if constexpr (di::detail::unwrap_task<result>::is_task) {
      co_return co_await call();
    } else {
      std::optional<value_type> out;
      co_await run_blocking(req, [&] { out.emplace(call()); });
      co_return out;
    }
  }
};

}  // namespace vivace
