#pragma once
/// @file
/// A UUID value (RFC 9562) as used by path, query and body parameters.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vivace {

/// 16 bytes. Parses the canonical 8-4-4-4-12 form, with or without hyphens, braces or a
/// `urn:uuid:` prefix, in either case; prints the lower-case canonical form.
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  [[nodiscard]] static std::optional<Uuid> parse(std::string_view text) noexcept;
  /// A random (version 4) UUID from OpenSSL's CSPRNG.
  [[nodiscard]] static Uuid random();
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

}  // namespace vivace
