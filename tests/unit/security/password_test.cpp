// Password hashing: RFC 7914's scrypt vector, PHC strings, verification, rehash decisions.

#include <string>

#include <catch2/catch.hpp>
#include <vivace/security/password.hpp>

using namespace vivace;

namespace {
std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}
// Cheap parameters for the tests that are not about cost.
const password::Params fast{.log2_n = 10, .r = 8, .p = 1};
}  // namespace

TEST_CASE("password: scrypt matches RFC 7914's test vector", "[password]") {
  CHECK(hex(password::scrypt("password", "NaCl", 1024, 8, 16, 64)) ==
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109"
        "279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

TEST_CASE("password: PHC strings verify, salts differ, malformed ones never match", "[password]") {
  const auto a = password::hash("correct horse", fast);
  const auto b = password::hash("correct horse", fast);
  CHECK(a.starts_with("$scrypt$ln=10,r=8,p=1$"));
  CHECK(a != b);  // a fresh salt every time
  CHECK(password::verify("correct horse", a));
  CHECK(password::verify("correct horse", b));
  CHECK_FALSE(password::verify("correct horsf", a));
  CHECK_FALSE(password::verify("", a));
  for (std::string bad : {"", "$scrypt$", "$scrypt$ln=10,r=8,p=1$$", "$bcrypt$ln=10,r=8,p=1$a$b",
                          "$scrypt$ln=99,r=8,p=1$c2FsdA$aGFzaA", "plain text password"})
    CHECK_FALSE(password::verify("correct horse", bad));
  // A stored hash cut below 16 bytes is refused rather than compared on a short prefix.
  const auto salt_end = a.rfind('$');
  CHECK_FALSE(password::verify("correct horse", a.substr(0, salt_end + 1 + 20)));
}

TEST_CASE("password: the default cost is OWASP's, and outdated hashes need a rehash",
          "[password]") {
  const auto strong = password::hash("pw");
  CHECK(strong.starts_with("$scrypt$ln=17,r=8,p=1$"));
  CHECK(password::verify("pw", strong));
  CHECK_FALSE(password::needs_rehash(strong));
  const auto weak = password::hash("pw", fast);
  CHECK(password::needs_rehash(weak));
  CHECK_FALSE(password::needs_rehash(weak, fast));
  CHECK(password::needs_rehash("garbage"));
}
