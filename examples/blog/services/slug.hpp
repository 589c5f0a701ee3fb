#pragma once
// URL slugs from titles: folded to ASCII (accents dropped), lower-cased, every run of other
// characters one `-`, trimmed; empty → "post".

#include <string>
#include <string_view>

namespace blog::services {

[[nodiscard]] std::string slugify(std::string_view title);

/// `base`, then `base-2`, `base-3`, ...
[[nodiscard]] std::string slug_candidate(const std::string& base, int n);

}  // namespace blog::services
