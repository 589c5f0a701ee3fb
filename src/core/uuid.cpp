#include "vivace/core/uuid.hpp"

#include <random>

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

Uuid Uuid::random_fast() noexcept {
  // xoshiro256** (Blackman and Vigna), seeded per thread with 256 bits from the CSPRNG.
  struct xoshiro {
    std::uint64_t s[4];
    xoshiro() noexcept {
      if (RAND_bytes(reinterpret_cast<unsigned char*>(s), sizeof s) != 1 ||
          (s[0] | s[1] | s[2] | s[3]) == 0) {
        std::random_device rd;
        for (auto& w : s)
          w = (std::uint64_t{rd()} << 32) ^ rd() ^ 0x9e3779b97f4a7c15ull;
      }
    }
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept {
      return (x << k) | (x >> (64 - k));
    }
    std::uint64_t next() noexcept {
      const std::uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = rotl(s[3], 45);
      return out;
    }
  };
  thread_local xoshiro gen;
  Uuid u;
  for (std::size_t half = 0; half < 2; ++half) {
    std::uint64_t v = gen.next();
    for (std::size_t i = 0; i < 8; ++i, v >>= 8)
      u.bytes[half * 8 + i] = static_cast<std::uint8_t>(v);
  }
  u.bytes[6] = static_cast<std::uint8_t>((u.bytes[6] & 0x0f) | 0x40);  // version 4
  u.bytes[8] = static_cast<std::uint8_t>((u.bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return u;
}

std::string Uuid::to_string() const {
  static constexpr char digits[] = "0123456789abcdef";
  // Written in place (it runs for the request id of every request).
  std::string out(36, '-');
  char* p = out.data();
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      ++p;  // the '-' already there
    *p++ = digits[bytes[i] >> 4];
    *p++ = digits[bytes[i] & 0xF];
  }
  return out;
}

}  // namespace vivace
