#pragma once
/// @file
/// What a handler parameter can be.

#include <concepts>
#include <optional>

#include "vivace/core/task.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/routing/route_info.hpp"
#include "vivace/schema/constraints.hpp"

namespace vivace {

namespace params {
/// The value an extractor carries and the accessors every extractor shares: `*p`, `p->`,
/// and conversion to the value. Extractors stay aggregates (`Body{value}` still works). A
/// constrained value (`Int<ge<1>>`, `Str<...>`) is handed out as its plain value: `*limit`
/// is the `std::int64_t` of `Query<"limit", Int<ge<1>, le<100>>>`, with one dereference.
template <class T>
struct value_holder {
  /// The extracted value (a constrained one still wrapped: `value.value` is the plain one).
  T value;

  /// The plain value: `value.value` for a constrained `T`, else `value`.
  decltype(auto) operator*() const noexcept { return (plain()); }
  /// The plain value, to change in place; a change is not validated again.
  decltype(auto) operator*() noexcept { return (plain()); }
  /// The plain value's members: `name->size()` for a `Query<"name", Str<...>>`.
  auto operator->() const noexcept { return &plain(); }
  /// The plain value's members, to change in place; a change is not validated again.
  auto operator->() noexcept { return &plain(); }
  /// Converts to the value, so the parameter passes where a `const T&` is expected.
  operator const T&() const noexcept { return value; }

 private:
  [[nodiscard]] const auto& plain() const noexcept {
    if constexpr (is_constrained_v<T>)
      return value.value;
    else
      return value;
  }
  [[nodiscard]] auto& plain() noexcept {
    if constexpr (is_constrained_v<T>)
      return value.value;
    else
      return value;
  }
};
}  // namespace params

/// A parameter type that extracts itself from the request, collecting errors, and describes
/// itself for the OpenAPI document (`Path`, `Query`, `Header`, `Cookie`, `Body`, ...).
template <class T>
concept extractor = requires(Request& req, params::error_list& errors, RouteInfo& info) {
  { T::extract(req, errors) } -> std::same_as<std::optional<T>>;
  {T::describe(info)};
};

/// An extractor that needs to wait (a dependency whose provider is a coroutine or blocks).
template <class T>
concept async_extractor = requires(Request& req, params::error_list& errors, RouteInfo& info) {
  { T::extract_async(req, errors) } -> std::same_as<Task<std::optional<T>>>;
  {T::describe(info)};
};

}  // namespace vivace
