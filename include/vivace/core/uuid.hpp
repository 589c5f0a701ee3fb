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
  /// The 16 bytes, in network order (as printed).
  std::array<std::uint8_t, 16> bytes{};

  /// The UUID written in `text`, or nullopt when it is not one.
  [[nodiscard]] static std::optional<Uuid> parse(std::string_view text) noexcept;
  /// A random (version 4) UUID from the operating system's CSPRNG.
  [[nodiscard]] static Uuid random();
  /// A version 4 UUID from a per-thread Mersenne Twister seeded once from the CSPRNG: unique
  /// enough for request ids and log correlation, without a lock or a system call, but
  /// predictable to whoever sees enough of them. Never for tokens, keys or anything a client
  /// must not guess: use `random()`.
  [[nodiscard]] static Uuid random_fast() noexcept;
  /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower case.
  [[nodiscard]] std::string to_string() const;
  /// Byte-wise, so every form `parse` accepts (braces, upper case, `urn:uuid:`) compares equal.
  friend bool operator==(const Uuid&, const Uuid&) = default;
  /// Orders by bytes, as the canonical text sorts.
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

}  // namespace vivace
