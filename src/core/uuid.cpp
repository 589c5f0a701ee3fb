#include "vivace/core/uuid.hpp"

#include <openssl/rand.h>

#include <stdexcept>

namespace vivace {

namespace {
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}
bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  if (s.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i])
      return false;
  }
  return true;
}
}  // namespace

std::optional<Uuid> Uuid::parse(std::string_view s) noexcept {
  if (istarts_with(s, "urn:uuid:"))
    s.remove_prefix(9);
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}')
    s = s.substr(1, s.size() - 2);
  const bool hyphenated = s.size() == 36;
  if (!hyphenated && s.size() != 32)
    return std::nullopt;
  Uuid out;
  std::size_t byte = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (s[i] != '-')
        return std::nullopt;
      ++i;
      continue;
    }
    int hi = hex_value(s[i]);
    int lo = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
    if (hi < 0 || lo < 0)
      return std::nullopt;
    out.bytes[byte++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  if (byte != 16)
    return std::nullopt;
  return out;
}

Uuid Uuid::random() {
  Uuid u;
  if (RAND_bytes(u.bytes.data(), static_cast<int>(u.bytes.size())) != 1)
    throw std::runtime_error("uuid: no random bytes");
  u.bytes[6] = static_cast<std::uint8_t>((u.bytes[6] & 0x0f) | 0x40);  // version 4
  u.bytes[8] = static_cast<std::uint8_t>((u.bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return u;
}

std::string Uuid::to_string() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out.push_back('-');
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 0xF]);
  }
  return out;
}

}  // namespace vivace
