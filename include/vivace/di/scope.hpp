#pragma once
/// @file
/// What an application shares with every request: dependency overrides (for tests) and
/// app-scoped values injected by type (`Inject<T>`: a connection pool, the settings).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "vivace/core/task.hpp"
#include "vivace/di/invoke.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/concepts.hpp"

namespace vivace {

namespace di::detail {
/// One address per provider: the key of its per-request cache and of its override.
template <auto Provider>
inline constexpr char provider_key = 0;
/// One address per type: the key of an app-scoped value.
template <class T>
inline constexpr char type_key = 0;
[[noreturn]] void throw_not_provided(const std::type_info& type);
}  // namespace di::detail

/// Replacements for providers, consulted on every request while not empty (FastAPI's
/// `app.dependency_overrides`). A replacement is any callable whose parameters are
/// extractors and dependencies, like a provider, returning the provider's value type (or
/// something convertible to it). Set them before requests are served, not during.
///
/// @code
/// auto restore = app.dependency_overrides().scoped<get_current_user>([] { return test_user; });
/// @endcode
class DependencyOverrides {
 public:
  /// Resolves the replacement from an I/O thread; returns the value's address (kept in the
  /// request, under the cache key when not null) or null when one of its parameters was
  /// invalid.
  using erased = std::function<Task<void*>(Request&, params::error_list&, const void* cache)>;
  /// The same on a pool thread, for replacements of plain providers.
  using erased_sync = std::function<void*(Request&, params::error_list&, const void* cache)>;
  /// What `find` returns; `scoped` keeps a copy to put back later.
  struct entry {
    /// Always set.
    erased async;
    erased_sync sync;  ///< set when the replacement needs no coroutine
  };

  /// Replaces `Provider` with `replacement` until `reset<Provider>()` or `clear()`. A plain
  /// provider (resolved on the worker pool with its whole tree) needs a replacement that is
  /// plain too; a coroutine provider can be replaced by either.
  template <auto Provider, class F>
  void set(F replacement) {
    using target_inv = di::detail::invoker<decltype(Provider)>;
    using target = typename target_inv::value_type;
    using inv = di::detail::invoker<F>;
    using produced = typename inv::value_type;
    static_assert(std::is_convertible_v<produced, target>,
                  "vivace: a dependency override must return the provider's value type");
    static_assert(!target_inv::sync_capable || inv::sync_capable,
                  "vivace: an override of a plain provider must be a plain function whose "
                  "parameters are extractors or plain dependencies (it is resolved on the "
                  "worker pool with the rest of the provider's tree)");
    entry e;
    e.async = [f = replacement](Request& req, params::error_list& errors,
                                const void* cache) -> Task<void*> {
      produced* p = nullptr;
      co_await inv::produce_async(f, req, errors, same<produced, target>() ? cache : nullptr, p);
      co_return convert<produced, target>(req, p, cache);
    };
    if constexpr (inv::sync_capable) {
      e.sync = [f = replacement](Request& req, params::error_list& errors,
                                 const void* cache) -> void* {
        F g = f;
        produced* p = inv::produce_sync(g, req, errors, same<produced, target>() ? cache : nullptr);
        return convert<produced, target>(req, p, cache);
      };
    }
    put(&di::detail::provider_key<Provider>, std::move(e));
  }
  /// Does nothing when `Provider` is not replaced.
  template <auto Provider>
  void reset() {
    remove(&di::detail::provider_key<Provider>);
  }
  /// A live `scoped` guard still puts its previous replacement back when destroyed.
  void clear() { entries_.clear(); }
  /// Whether no provider is replaced (requests then skip the look-up).
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }

  /// Replaces `Provider` until the returned guard is destroyed, then restores what was there
  /// before (another replacement, or none).
  template <auto Provider, class F>
  [[nodiscard]] auto scoped(F replacement) {
    const void* key = &di::detail::provider_key<Provider>;
    std::optional<entry> previous;
    if (const auto* e = find(key))
      previous = *e;
    set<Provider>(std::move(replacement));
    return guard{this, key, std::move(previous)};
  }

  /// The replacement for the provider with this key, if any.
  [[nodiscard]] const entry* find(const void* key) const noexcept {
    for (const auto& [k, e] : entries_)
      if (k == key)
        return &e;
    return nullptr;
  }

  /// Restores the previous replacement when destroyed.
  class guard {
   public:
    /// Restores `previous` (or removes the replacement) under `key` when destroyed.
    guard(DependencyOverrides* o, const void* key, std::optional<entry> previous)
        : o_(o), key_(key), previous_(std::move(previous)) {}
    /// Takes over the restoring; `other` then restores nothing.
    guard(guard&& other) noexcept
        : o_(std::exchange(other.o_, nullptr)),
          key_(other.key_),
          previous_(std::move(other.previous_)) {}
    guard(const guard&) = delete;
    guard& operator=(const guard&) = delete;
    guard& operator=(guard&&) = delete;
    ~guard() {
      if (!o_)
        return;
      if (previous_)
        o_->put(key_, std::move(*previous_));
      else
        o_->remove(key_);
    }

   private:
    DependencyOverrides* o_;
    const void* key_;
    std::optional<entry> previous_;
  };

 private:
  template <class P, class T>
  static constexpr bool same() {
    return std::is_same_v<P, T>;
  }
  // A replacement's value of another (convertible) type is converted and kept.
  template <class P, class T>
  static void* convert(Request& req, P* p, const void* cache) {
    if constexpr (std::is_same_v<P, T>) {
      return p;
    } else {
      if (!p)
        return nullptr;
      auto t = std::make_shared<T>(std::move(*p));
      T* raw = t.get();
      if (cache)
        req.scope().slots().set(cache, std::move(t));
      else
        req.scope().slots().keep(std::move(t));
      return raw;
    }
  }
  void put(const void* key, entry e) {
    for (auto& [k, g] : entries_)
      if (k == key) {
        g = std::move(e);
        return;
      }
    entries_.emplace_back(key, std::move(e));
  }
  void remove(const void* key) {
    std::erase_if(entries_, [key](const auto& e) { return e.first == key; });
  }
  std::vector<std::pair<const void*, entry>> entries_;
};

/// What an `App` shares with its requests.
class AppScope {
 public:
  /// Read by every request while not empty: change them between requests only.
  DependencyOverrides overrides;

  /// Makes `value` injectable as `Inject<T>` (replacing an earlier one of the same type).
  template <class T>
  void provide(std::shared_ptr<T> value) {
    const void* key = &di::detail::type_key<T>;
    for (auto& [k, v] : values_)
      if (k == key) {
        v = std::move(value);
        return;
      }
    values_.emplace_back(key, std::move(value));
  }
  /// The value provided for `T`, or null.
  template <class T>
  [[nodiscard]] std::shared_ptr<T> get() const noexcept {
    for (const auto& [k, v] : values_)
      if (k == &di::detail::type_key<T>)
        return std::static_pointer_cast<T>(v);
    return nullptr;
  }
  /// Later `Inject<T>` parameters fail (a 500); requests holding the value keep it alive.
  template <class T>
  void remove() noexcept {
    std::erase_if(values_, [](const auto& e) { return e.first == &di::detail::type_key<T>; });
  }
  /// Releases every value, last provided first (at shutdown).
  void release() noexcept {
    while (!values_.empty())
      values_.pop_back();
  }

 private:
  std::vector<std::pair<const void*, std::shared_ptr<void>>> values_;
};

/// An app-scoped value, injected by type: provided with `app.provide<T>(...)` (created at
/// startup, released at shutdown) and shared by every request. Usable in handlers and
/// providers. A missing value is a programming error: a 500, logged.
///
/// @code
/// app.provide<Settings>([] { return Settings::from_env(); });
/// app.get<"/info">([](vivace::Inject<Settings> s) { return s->app_name; });
/// @endcode
template <class T>
struct Inject {
  /// Shares ownership with the app: the value outlives `AppScope::remove` while this lives.
  std::shared_ptr<T> ptr;

  /// Never null after `extract`, which refuses a missing value.
  T& operator*() const noexcept { return *ptr; }
  /// `ptr`'s members; never null after `extract`.
  T* operator->() const noexcept { return ptr.get(); }
  /// Converts to the value, so the parameter passes where a `T&` is expected.
  operator T&() const noexcept { return *ptr; }

  /// The value provided for `T`; never adds errors.
  /// @throws std::logic_error when nothing was provided for `T` (a 500).
  static std::optional<Inject> extract(Request& req, params::error_list&) {
    const AppScope* s = req.scope().app();
    auto p = s ? s->get<T>() : nullptr;
    if (!p)
      di::detail::throw_not_provided(typeid(T));
    return Inject{std::move(p)};
  }
  /// Nothing to document.
  static void describe(RouteInfo&) {}
};

namespace di::detail {
inline const DependencyOverrides::entry* find_override(const Request& req, const void* key) {
  const AppScope* s = req.scope().app();
  return s ? s->overrides.find(key) : nullptr;
}
}  // namespace di::detail

}  // namespace vivace
