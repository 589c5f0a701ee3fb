// Uuid is Vivace's own value type (so that no Boost header reaches a user's translation
// unit); parsing, printing and generation are Boost.Uuid's.
#include "vivace/core/uuid.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace vivace {

namespace {

Uuid from_boost(const boost::uuids::uuid& b) noexcept {
  Uuid u;
  std::copy(b.begin(), b.end(), u.bytes.begin());
  return u;
}

boost::uuids::uuid to_boost(const Uuid& u) noexcept {
  boost::uuids::uuid b;
  std::copy(u.bytes.begin(), u.bytes.end(), b.begin());
  return b;
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char p, char c) {
           return p == (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
         });
}

}  // namespace

std::optional<Uuid> Uuid::parse(std::string_view s) noexcept {
  // Boost's string_generator reads the 32 digits with all four hyphens or none, and braces;
  // RFC 9562's URN form is stripped here.
  if (istarts_with(s, "urn:uuid:")) {
    s.remove_prefix(9);
    if (s.starts_with('{'))
      return std::nullopt;  // a URN holds the bare form
  }
  if (s.size() != 32 && s.size() != 34 && s.size() != 36 && s.size() != 38)
    return std::nullopt;  // the common wrong lengths, without the exception below
  try {
    return from_boost(boost::uuids::string_generator{}(s.begin(), s.end()));
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
}

Uuid Uuid::random() {
  // random_generator draws from the operating system's CSPRNG (getrandom) on every call.
  thread_local boost::uuids::random_generator gen;
  return from_boost(gen());
}

Uuid Uuid::random_fast() noexcept {
  // A 64-bit Mersenne Twister, seeded once per thread by Boost from the operating system's
  // CSPRNG: no system call per id.
  thread_local boost::uuids::basic_random_generator<std::mt19937_64> gen;
  return from_boost(gen());
}

std::string Uuid::to_string() const {
  std::string out(36, '-');
  boost::uuids::to_chars(to_boost(*this), out.data(), out.data() + out.size());
  return out;
}

}  // namespace vivace
