#pragma once
/// @file
/// What a handler parameter can be.

#include <concepts>
#include <optional>

#include "vivace/core/task.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/routing/route_info.hpp"

namespace vivace {

namespace params {
/// The value an extractor carries and the accessors every extractor shares: `*p`, `p->`,
/// and conversion to the value. Extractors stay aggregates (`Body{value}` still works).
template <class T>
struct value_holder {
  /// The extracted value.
  T value;

  /// The value.
  const T& operator*() const noexcept { return value; }
  /// The value.
  T& operator*() noexcept { return value; }
  /// Member access on the value.
  const T* operator->() const noexcept { return &value; }
  /// Member access on the value.
  T* operator->() noexcept { return &value; }
  /// Converts to the value, so the parameter passes where a `const T&` is expected.
  operator const T&() const noexcept { return value; }
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
