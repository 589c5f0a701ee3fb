#pragma once
/// @file
/// Field constraints declared in the type (`Str<min_len<3>, max_len<50>>`), checked on input
/// and mirrored exactly in the JSON Schema.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "vivace/core/fixed_string.hpp"

namespace vivace {

/// Strings: at least `N` characters (Unicode code points, as pydantic counts).
template <std::size_t N>
struct min_len {};
/// Strings: at most `N` characters (code points).
template <std::size_t N>
struct max_len {};
/// Strings: must match the regular expression (ECMAScript syntax, searched like pydantic).
template <fixed_string P>
struct pattern {};
/// Numbers: `>= V`, `> V`, `<= V`, `< V`, a multiple of `V`.
template <auto V>
struct ge {};
template <auto V>
struct gt {};
template <auto V>
struct le {};
template <auto V>
struct lt {};
template <auto V>
struct multiple_of {};
/// Lists: at least / at most `N` items; all items distinct.
template <std::size_t N>
struct min_items {};
template <std::size_t N>
struct max_items {};
struct unique_items {};
/// Strings: one of the given literals (pydantic's `Literal["a", "b"]`).
template <fixed_string... Choices>
struct one_of {};
/// Floating point: accept `inf` and `nan` (refused by default).
struct allow_inf_nan {};

/// A value of type `T` with constraints `Cs...`. Behaves like a `T` (conversion, `*`, `->`).
///
/// @code
/// struct UserCreate {
///   vivace::Str<vivace::min_len<3>, vivace::max_len<50>> username;
///   vivace::Int<vivace::ge<0>> age;
/// };
/// @endcode
template <class T, class... Cs>
struct Constrained {
  using value_type = T;
  T value{};

  Constrained() = default;
  template <class U>
  requires std::is_constructible_v<T, U&&> Constrained(U&& u) : value(std::forward<U>(u)) {}

  const T& operator*() const noexcept { return value; }
  T& operator*() noexcept { return value; }
  const T* operator->() const noexcept { return &value; }
  T* operator->() noexcept { return &value; }
  operator const T&() const noexcept { return value; }

  friend bool operator==(const Constrained& a, const Constrained& b) { return a.value == b.value; }
  friend bool operator==(const Constrained& a, const T& b) { return a.value == b; }
};

template <class... Cs>
using Str = Constrained<std::string, Cs...>;
template <class... Cs>
using Int = Constrained<std::int64_t, Cs...>;
template <class... Cs>
using Float = Constrained<double, Cs...>;
template <class T, class... Cs>
using List = Constrained<std::vector<T>, Cs...>;

/// A union of models chosen by the tag field `Tag` (pydantic's discriminated union). Each
/// alternative declares the tag as a one-literal string: `Str<one_of<"cat">> pet_type;`.
template <fixed_string Tag, class... Ts>
struct Discriminated : std::variant<Ts...> {
  using std::variant<Ts...>::variant;
  using std::variant<Ts...>::operator=;
};

}  // namespace vivace
