#pragma once
/// @file
/// `Patch<T>`: absent, null or a value — for PATCH/PUT bodies (FastAPI's `exclude_unset`).

#include <optional>
#include <utility>

namespace vivace {

/// A field that tells "not sent" from "sent as null" from "sent with a value".
///
/// @code
/// struct UserUpdate { vivace::Patch<std::string> bio; };
/// if (update.bio.is_set()) user.bio = update.bio.to_optional();  // null clears
/// @endcode
template <class T>
class Patch {
 public:
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
