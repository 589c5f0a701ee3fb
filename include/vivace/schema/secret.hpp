#pragma once
/// @file
/// `Secret<Cs...>`: a string (with optional constraints) that never leaves in output: encoded
/// as `"**********"`, echoed as `"**********"` in validation errors.

#include <string>
#include <utility>

namespace vivace {

template <class... Cs>
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string v) : value_(std::move(v)) {}

  /// The actual value; the name makes every use visible in review.
  [[nodiscard]] const std::string& reveal() const noexcept { return value_; }

  friend bool operator==(const Secret&, const Secret&) = default;

 private:
  std::string value_;
};

/// A secret string with no constraints.
using SecretStr = Secret<>;

}  // namespace vivace
