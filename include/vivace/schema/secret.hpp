#pragma once
/// @file
/// `Secret<Cs...>`: a string (with optional constraints) that never leaves in output: encoded
/// as `"**********"`, echoed as `"**********"` in validation errors.

#include <string>
#include <string_view>
#include <utility>

namespace vivace {

/// A string that is never shown: encoded as `"**********"` (unless asked for storage), masked
/// in validation errors, `format: password` in the schema. `Cs...` constrain it like `Str`.
///
/// @code
/// struct Login { std::string username; vivace::Secret<vivace::min_len<8>> password; };
/// hash(login.password.reveal());
/// @endcode
template <class... Cs>
class Secret {
 public:
  Secret() = default;
  /// Wraps `v` (constraints are checked when decoding, not here).
  explicit Secret(std::string v) : value_(std::move(v)) {}

  /// The actual value; the name makes every use visible in review.
  [[nodiscard]] const std::string& reveal() const noexcept { return value_; }

  /// Compares the values (in no constant time: not for checking passwords).
  friend bool operator==(const Secret&, const Secret&) = default;

 private:
  std::string value_;
};

/// pydantic's `SecretStr`: any string, the empty one included.
using SecretStr = Secret<>;

/// What a secret shows instead of its value: in encoded output and in every validation error
/// that would echo it.
inline constexpr std::string_view secret_mask = "**********";

}  // namespace vivace
