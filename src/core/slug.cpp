#include "vivace/core/slug.hpp"

#include <cstdint>
#include <optional>

#include <utf8.h>  // utfcpp

namespace vivace {

namespace {

// The next code point of UTF-8 text; advances `i`. A byte that does not start a valid
// sequence is taken alone, as U+FFFD: a separator.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto at = s.begin() + static_cast<std::ptrdiff_t>(i);
  auto it = at;
  char32_t cp = 0xFFFD;
  try {
    cp = static_cast<char32_t>(utf8::next(it, s.end()));
  } catch (const utf8::exception&) {
    it = at + 1;
  }
  i = static_cast<std::size_t>(it - s.begin());
  return cp;
}

// Latin-1 Supplement and Latin Extended-A letters without their accents (what NFKD followed
// by dropping combining marks gives, plus the usual ligatures and special letters).
std::optional<std::string_view> fold(char32_t cp) {
  // U+00C0..U+00FF
  static constexpr std::string_view latin1[64] = {
      "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",
      "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};
  // U+0100..U+017F, two per letter (upper, lower) mostly
  static constexpr std::string_view ext_a[128] = {
      "A", "a", "A",  "a",  "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
      "D", "d", "E",  "e",  "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
      "G", "g", "G",  "g",  "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
      "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
      "l", "L", "l",  "N",  "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",
      "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
      "S", "s", "T",  "t",  "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
      "U", "u", "U",  "u",  "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s"};
  if (cp >= 0xC0 && cp <= 0xFF)
    return latin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F)
    return ext_a[cp - 0x100];
  if (cp >= 0x300 && cp <= 0x36F)  // combining marks (decomposed input): dropped
    return std::string_view{};
  return std::nullopt;
}

}  // namespace

std::string slugify(std::string_view text) {
  std::string out;
  bool pending_dash = false;
  auto put = [&](char c) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_dash && !out.empty())
        out += '-';
      pending_dash = false;
      out += c;
    } else {
      pending_dash = true;
    }
  };
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (cp < 0x80) {
      put(static_cast<char>(cp));
    } else if (auto f = fold(cp)) {
      if (f->empty() && cp >= 0x300)
        continue;  // a combining mark belongs to the letter before it
      if (f->empty())
        pending_dash = true;  // × and ÷
      for (char c : *f)
        put(c);
    } else {
      pending_dash = true;
    }
  }
  return out;
}

}  // namespace vivace
