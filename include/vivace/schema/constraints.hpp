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
/// Numbers: `>= V` (`greater_than_equal`; JSON Schema `minimum`).
template <auto V>
struct ge {};
/// Numbers: `> V` (`greater_than`; `exclusiveMinimum`).
template <auto V>
struct gt {};
/// Numbers: `<= V` (`less_than_equal`; `maximum`).
template <auto V>
struct le {};
/// Numbers: `< V` (`less_than`; `exclusiveMaximum`).
template <auto V>
struct lt {};
/// Numbers: a multiple of `V` (`multiple_of`; `multipleOf`).
template <auto V>
struct multiple_of {};
/// Lists: at least `N` items (`too_short`; `minItems`).
template <std::size_t N>
struct min_items {};
/// Lists: at most `N` items (`too_long`; `maxItems`).
template <std::size_t N>
struct max_items {};
/// Lists: all items distinct, compared as JSON (`uniqueItems`).
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
  /// `T`, what `value` and `*` give: for generic code that unwraps a `Constrained`.
  using value_type = T;
  /// Checked against `Cs...` when decoding only, not on construction or assignment.
  T value{};

  Constrained() = default;
  /// Wraps anything a `T` can be constructed from (unchecked).
  template <class U>
  requires std::is_constructible_v<T, U&&> Constrained(U&& u) : value(std::forward<U>(u)) {}

  /// `value` itself: `*name` is the plain `std::string` of a `Str<...>`.
  const T& operator*() const noexcept { return value; }
  /// `value` itself; a change made through it is not checked against `Cs...`.
  T& operator*() noexcept { return value; }
  /// `value`'s members: `name->size()`.
  const T* operator->() const noexcept { return &value; }
  /// `value`'s members; a change made through them is not checked against `Cs...`.
  T* operator->() noexcept { return &value; }
  /// Converts to the value, so a `Str<...>` passes where a `const std::string&` is expected.
  operator const T&() const noexcept { return value; }

  /// Compares the `value`s; needed because the conversion to `const T&` does not reach a
  /// templated `==` such as `std::string`'s.
  friend bool operator==(const Constrained& a, const Constrained& b) { return a.value == b.value; }
  /// Compares with a plain `T` without unwrapping: `name == std::string("admin")`.
  friend bool operator==(const Constrained& a, const T& b) { return a.value == b; }
};

/// Whether `T` is a `Constrained<U, Cs...>` (`Str`, `Int`, `Float`, `List`): extractors hand
/// out its plain value (`*limit` is the `std::int64_t` of a `Query<"limit", Int<le<100>>>`).
template <class T>
inline constexpr bool is_constrained_v = false;
/// The one true case: a `const` or reference-qualified `Constrained` does not match it.
template <class T, class... Cs>
inline constexpr bool is_constrained_v<Constrained<T, Cs...>> = true;

/// A constrained `std::string`: `Str<min_len<1>, max_len<50>>`.
template <class... Cs>
using Str = Constrained<std::string, Cs...>;
/// A constrained `std::int64_t`: `Int<ge<0>>`.
template <class... Cs>
using Int = Constrained<std::int64_t, Cs...>;
/// A constrained `double`: `Float<gt<0.0>, le<1.0>>`.
template <class... Cs>
using Float = Constrained<double, Cs...>;
/// A constrained `std::vector<T>`: `List<std::string, max_items<10>, unique_items>`.
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
