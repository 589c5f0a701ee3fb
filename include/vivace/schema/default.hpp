#pragma once
/// @file
/// `Default<T>`: a model member that may be left out and then keeps its initialiser. C++
/// cannot see a member's initialiser, so the type says that there is one; the schema shows
/// the initialiser's value as the field's `default`, as pydantic does for `published: bool =
/// False`:
///
/// @code
/// struct PostCreate {
///   Title title;
///   vivace::Default<bool> published = false;  // optional in the body, false when absent
/// };
/// @endcode

#include <type_traits>
#include <utility>

namespace vivace {

/// A `T` that a body may leave out (see the file comment). Reads as a `T`: it converts to
/// `const T&`, and `*d` / `d->` reach the value.
template <class T>
class Default {
 public:
  Default() = default;
  /// The initialiser's value, or one decoded.
  Default(T v) : value_(std::move(v)) {}  // NOLINT: implicit, as `= false` is written

  /// Reads as the value: `if (in.published)`, `bool b = in.published;`.
  [[nodiscard]] operator const T&() const noexcept { return value_; }  // NOLINT: implicit
  /// The value (where a conversion is not enough: a template, `auto`).
  [[nodiscard]] const T& operator*() const noexcept { return value_; }
  /// The value, to change it.
  [[nodiscard]] T& operator*() noexcept { return value_; }
  /// A member of the value.
  [[nodiscard]] const T* operator->() const noexcept { return &value_; }
  /// A member of the value, to change it.
  [[nodiscard]] T* operator->() noexcept { return &value_; }

  /// Equal when the values are (whether sent or defaulted is not kept).
  friend bool operator==(const Default&, const Default&) = default;

 private:
  T value_{};
};

template <class T>
struct is_default : std::false_type {};
template <class T>
struct is_default<Default<T>> : std::true_type {};

}  // namespace vivace
