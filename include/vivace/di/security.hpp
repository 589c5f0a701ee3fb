#pragma once
/// @file
/// `Security<provider, "scope"...>`: a dependency that also declares the OAuth2 scopes it
/// needs, for the OpenAPI document and for the provider itself (`SecurityScopes`).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vivace/core/fixed_string.hpp"
#include "vivace/di/depends.hpp"

namespace vivace {

namespace di::detail {
/// The scopes asked for by the `Security` dependencies being resolved (outermost first).
std::vector<std::string>& security_scopes_of(Request& req);

template <auto Provider, fixed_string... Scopes>
inline constexpr char security_key = 0;

/// Pushes scopes for the time a provider is resolved.
class scopes_pushed {
 public:
  scopes_pushed(Request& req, std::initializer_list<std::string_view> scopes)
      : list_(security_scopes_of(req)), size_(list_.size()) {
    for (auto s : scopes)
      list_.emplace_back(s);
  }
  ~scopes_pushed() { list_.resize(size_); }
  scopes_pushed(const scopes_pushed&) = delete;
  scopes_pushed& operator=(const scopes_pushed&) = delete;

 private:
  std::vector<std::string>& list_;
  std::size_t size_;
};
}  // namespace di::detail

/// The scopes required by the `Security<...>` dependencies that lead to the provider taking
/// this parameter (FastAPI's `SecurityScopes`): check a token's scopes against `scopes`.
struct SecurityScopes {
  /// The scopes, outermost `Security` first, without repeats.
  std::vector<std::string> scopes;
  /// The scopes joined by spaces, for a `WWW-Authenticate: Bearer scope="..."` header.
  [[nodiscard]] std::string scope_str() const {
    std::string out;
    for (const auto& s : scopes) {
      if (!out.empty())
        out += ' ';
      out += s;
    }
    return out;
  }

  /// The scopes of the `Security` dependencies being resolved; never fails.
  static std::optional<SecurityScopes> extract(Request& req, params::error_list&) {
    auto all = di::detail::security_scopes_of(req);
    std::vector<std::string> unique;
    for (auto& s : all)
      if (std::find(unique.begin(), unique.end(), s) == unique.end())
        unique.push_back(std::move(s));
    return SecurityScopes{std::move(unique)};
  }
  /// Nothing to document.
  static void describe(RouteInfo&) {}
};

/// `Depends<Provider>` that also requires `Scopes`: the security schemes used below it are
/// listed on the operation with these scopes, and `SecurityScopes` parameters below it see
/// them. Cached per provider and set of scopes (as FastAPI does).
///
/// @code
/// app.get<"/items">([](vivace::Security<current_user, "items:read"> user) { ... });
/// @endcode
template <auto Provider, fixed_string... Scopes>
struct Security
    : di::detail::dependency_value<typename di::detail::provider_resolver<Provider>::value_type> {
  /// Where `dependency_overrides` and the per-request cache are honoured.
  using resolver = di::detail::provider_resolver<Provider>;
  /// What the provider returns (the `T` of `Task<T>` or `Yield<T>`).
  using value_type = typename resolver::value_type;
  /// A plain provider may block: not on an I/O thread.
  static constexpr bool blocking = true;

  /// The per-request cache key: one per provider and set of scopes.
  static const void* cache_key() noexcept { return &di::detail::security_key<Provider, Scopes...>; }

  /// Resolves the provider on the current (pool) thread, for a tree of plain providers.
  /// Returns nullopt after adding the errors of its parameters to `errors`; what the provider
  /// throws (an `HTTPException` 401) propagates.
  static std::optional<Security> extract(
      Request& req, params::error_list& errors) requires resolver::inv::sync_capable {
    di::detail::scopes_pushed pushed(req, {Scopes.view()...});
    if (auto* v = resolver::obtain_sync(req, errors, cache_key()))
      return Security{{v}};
    return std::nullopt;
  }

  /// Resolves the provider when some of the tree is a coroutine. Errors as for `extract`.
  static Task<std::optional<Security>> extract_async(Request& req, params::error_list& errors) {
    // Pushed for the whole resolution; popped in order because resolutions nest.
    auto& list = di::detail::security_scopes_of(req);
    const auto size = list.size();
    (list.emplace_back(Scopes.view()), ...);
    std::exception_ptr ep;
    value_type* v = nullptr;
    try {
      co_await resolver::obtain_async(req, errors, cache_key(), v);
    } catch (...) {
      ep = std::current_exception();
    }
    di::detail::security_scopes_of(req).resize(size);
    if (ep)
      std::rethrow_exception(ep);
    if (v)
      co_return Security{{v}};
    co_return std::nullopt;
  }

  /// Describes the provider, then adds the scopes to every security requirement below it.
  static void describe(RouteInfo& info) {
    RouteInfo sub;
    resolver::inv::describe(sub);
    for (auto& r : sub.security)
      (r.scopes.emplace_back(Scopes.view()), ...);
    info.merge(std::move(sub));
  }
};

/// A `Security` dependency whose value is unused, for `RouteOptions::dependencies`,
/// `RouterOptions::dependencies` or `AppOptions::dependencies`.
template <auto Provider, fixed_string... Scopes>
RouteDependency security() {
  using D = Security<Provider, Scopes...>;
  return RouteDependency{[](Request& req, params::error_list& errors) -> Task<void> {
                           std::optional<D> unused;
                           co_await di::detail::extract_step<D>(req, errors, unused);
                         },
                         [](RouteInfo& info) { D::describe(info); }};
}

}  // namespace vivace
