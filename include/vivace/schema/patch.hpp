#pragma once
/// @file
/// `Patch<T>`: absent, null or a value — for PATCH/PUT bodies (FastAPI's `exclude_unset`);
/// `Patch<T, not_null>`: absent or a value.

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace vivace {

/// `Patch<T>`'s default: the field may be sent as null (which clears a nullable column).
struct nullable {};
/// `Patch<T, not_null>`: the field may be left out, but null is refused with `T`'s own error
/// for null (pydantic's `title: str = None` in an update model), and the schema has no null.
struct not_null {};

/// A field that tells "not sent" from "sent as null" from "sent with a value".
///
/// @code
/// struct UserUpdate { vivace::Patch<std::string> bio; };
/// if (update.bio.is_set()) user.bio = update.bio.to_optional();  // null clears
/// @endcode
template <class T, class Null = nullable>
class Patch {
  static_assert(std::is_same_v<Null, nullable> || std::is_same_v<Null, not_null>,
                "vivace: Patch<T, N>: N is vivace::nullable (the default) or vivace::not_null");

 public:
  /// Whether null may be sent (`Patch<T>`), or only a value (`Patch<T, not_null>`).
  static constexpr bool accepts_null = std::is_same_v<Null, nullable>;
  Patch() = default;
  /// Sent as null.
  Patch(std::nullptr_t) : set_(true) {}
  /// Sent with a value.
  Patch(T v) : set_(true), value_(std::move(v)) {}

  /// Sent at all (as null or a value).
  [[nodiscard]] bool is_set() const noexcept { return set_; }
  /// Sent as null.
  [[nodiscard]] bool is_null() const noexcept { return set_ && !value_; }
  /// Sent with a value.
  [[nodiscard]] bool has_value() const noexcept { return value_.has_value(); }
  /// The value; throws `std::bad_optional_access` when there is none.
  [[nodiscard]] const T& value() const { return value_.value(); }
  /// The value; throws `std::bad_optional_access` when there is none.
  [[nodiscard]] T& value() { return value_.value(); }
  /// The value, or nullopt for null (only meaningful when `is_set()`).
  [[nodiscard]] const std::optional<T>& to_optional() const noexcept { return value_; }

  /// Equal when both are unset, both null, or both hold equal values.
  friend bool operator==(const Patch&, const Patch&) = default;

 private:
  bool set_ = false;
  std::optional<T> value_;
};

}  // namespace vivace
