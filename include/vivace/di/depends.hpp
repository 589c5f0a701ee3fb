#pragma once
/// @file
/// `Depends<provider>`: FastAPI's dependency injection. A provider is a function (or a
/// captureless lambda) whose own parameters are extractors and other dependencies.

#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "vivace/core/task.hpp"
#include "vivace/di/invoke.hpp"
#include "vivace/di/resolve.hpp"
#include "vivace/di/scope.hpp"
#include "vivace/http/handler.hpp"

namespace vivace {

namespace di::detail {

/// Resolution of one provider with a cache key (null: no caching), honouring overrides.
template <auto Provider>
struct provider_resolver {
  using inv = invoker<decltype(Provider)>;
  using value_type = typename inv::value_type;

  static value_type* cached(Request& req, const void* cache) noexcept {
    return cache ? static_cast<value_type*>(req.scope().slots().find(cache)) : nullptr;
  }

  static value_type* obtain_sync(Request& req, params::error_list& errors,
                                 const void* cache) requires inv::sync_capable {
    if (auto* c = cached(req, cache))
      return c;
    if (const auto* o = find_override(req, &provider_key<Provider>))
      return static_cast<value_type*>(o->sync(req, errors, cache));
    auto f = Provider;
    return inv::produce_sync(f, req, errors, cache);
  }

  static Task<void> from_override(const DependencyOverrides::entry& o, Request& req,
                                  params::error_list& errors, const void* cache,
                                  value_type*& result) {
    result = static_cast<value_type*>(co_await o.async(req, errors, cache));
  }
  static Task<void> ready() { co_return; }

  /// Not a coroutine itself: returns the one that fills `result` (null on invalid input).
  static Task<void> obtain_async(Request& req, params::error_list& errors, const void* cache,
                                 value_type*& result) {
    if (auto* c = cached(req, cache)) {
      result = c;
      return ready();
    }
    if (const auto* o = find_override(req, &provider_key<Provider>))
      return from_override(*o, req, errors, cache, result);
    return inv::produce_async(Provider, req, errors, cache, result);
  }
};

/// The accessors a dependency parameter shares: the value lives in the request (so RAII
/// values are destroyed after the response), the parameter points at it.
template <class T>
struct dependency_value {
  T* ptr = nullptr;

  T& operator*() const noexcept { return *ptr; }
  T* operator->() const noexcept { return ptr; }
  operator T&() const noexcept { return *ptr; }
};

}  // namespace di::detail

/// The value `Provider` returns for this request. The provider's parameters are resolved
/// first (recursively); their errors join the request's one 422. With `UseCache` (the
/// default) a provider runs at most once per request, however many dependencies use it.
/// Plain providers run on the worker pool (they may block), a whole tree of them in one go;
/// coroutine providers (`Task<T>`) on the I/O thread. A provider returning `Yield<T>`
/// resumes after the response for its cleanup.
///
/// @code
/// User current_user(vivace::Header<"Authorization", std::string> auth) { ... }
/// app.get<"/me">([](vivace::Depends<current_user> user) { return user->name; });
/// @endcode
template <auto Provider, bool UseCache = true>
struct Depends
    : di::detail::dependency_value<typename di::detail::provider_resolver<Provider>::value_type> {
  /// Where `dependency_overrides` and the per-request cache are honoured.
  using resolver = di::detail::provider_resolver<Provider>;
  /// What the provider returns (the `T` of `Task<T>` or `Yield<T>`).
  using value_type = typename resolver::value_type;
  static constexpr bool blocking = true;  ///< a plain provider may block: not on an I/O thread

  /// The per-request cache key: the provider's with `UseCache`, none (null) without.
  static const void* cache_key() noexcept {
    return UseCache ? &di::detail::provider_key<Provider> : nullptr;
  }

  /// On a pool thread, for a tree of plain providers.
  static std::optional<Depends> extract(
      Request& req, params::error_list& errors) requires resolver::inv::sync_capable {
    if (auto* v = resolver::obtain_sync(req, errors, cache_key()))
      return Depends{{v}};
    return std::nullopt;
  }

  /// Fills the handler's slot for it (no coroutine frame of its own).
  static Task<void> extract_into(Request& req, params::error_list& errors,
                                 std::optional<Depends>& out) {
    out.emplace();  // null until resolved; never passed on when resolution fails
    return resolver::obtain_async(req, errors, cache_key(), out->ptr);
  }

  /// Resolves the provider when some of the tree is a coroutine. Returns nullopt after adding
  /// the errors of its parameters to `errors`; what the provider throws propagates.
  static Task<std::optional<Depends>> extract_async(Request& req, params::error_list& errors) {
    std::optional<Depends> out;
    co_await extract_into(req, errors, out);
    if (!out->ptr)
      out.reset();
    co_return out;
  }

  /// A provider's parameters are documented as the route's own (FastAPI flattens them).
  static void describe(RouteInfo& info) { resolver::inv::describe(info); }
};

/// A dependency that runs for every route it is attached to, its value unused (FastAPI's
/// `dependencies=[Depends(verify_token)]`): in `RouteOptions::dependencies`,
/// `RouterOptions::dependencies` or `AppOptions::dependencies`.
template <auto Provider, bool UseCache = true>
RouteDependency dependency() {
  using D = Depends<Provider, UseCache>;
  return RouteDependency{[](Request& req, params::error_list& errors) -> Task<void> {
                           std::optional<D> unused;
                           co_await di::detail::extract_step<D>(req, errors, unused);
                         },
                         [](RouteInfo& info) { D::describe(info); }};
}

}  // namespace vivace
