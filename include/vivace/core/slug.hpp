#pragma once
/// @file
/// URL slugs from titles, as Django's `slugify` and python-slugify make them.

#include <string>
#include <string_view>

namespace vivace {

/// `text` as a URL slug: Latin letters folded to ASCII (accents dropped, ligatures and special
/// letters spelled out: `Straße` → `strasse`, `Æsir` → `aesir`), lower-cased, every run of
/// other characters one `-`, no `-` at either end. Combining marks (decomposed input) are
/// dropped with their letter kept. Empty when `text` has no Latin letter or digit (`日本語`):
/// choose a fallback. Invalid UTF-8 bytes count as separators.
[[nodiscard]] std::string slugify(std::string_view text);

}  // namespace vivace
