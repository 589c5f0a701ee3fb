// vivace::slugify: titles folded to ASCII URL slugs.

#include "vivace/core/slug.hpp"

#include <catch2/catch.hpp>

TEST_CASE("slugify: titles fold to lower-case ASCII words joined by one dash", "[slug]") {
  using vivace::slugify;
  CHECK(slugify("Hello, World!") == "hello-world");
  CHECK(slugify("  Crème brûlée à la façon de Zoë  ") == "creme-brulee-a-la-facon-de-zoe");
  CHECK(slugify("Łódź — Straße / Æsir") == "lodz-strasse-aesir");
  CHECK(slugify("e\xCC\x81t\xC3\xA9") == "ete");  // a decomposed é, then a composed one
  CHECK(slugify("C++20 & Boost 1.81") == "c-20-boost-1-81");
  CHECK(slugify("2 × 3 ÷ 4") == "2-3-4");  // × and ÷ separate
  // Nothing to keep: empty, for the caller's fallback.
  CHECK(slugify("日本語").empty());
  CHECK(slugify("--- ---").empty());
  CHECK(slugify("").empty());
  // A byte that starts no valid UTF-8 sequence is a separator, never a crash.
  CHECK(slugify("ab\xFF\xFE"
                "cd") == "ab-cd");
  CHECK(slugify("\xC3") == "");
}
