#pragma once
// Private to src/security/: base64 through OpenSSL's EVP codec, with the strictness tokens and
// stored hashes need (one alphabet, padding as declared, canonical encodings only).

#include <optional>
#include <string>
#include <string_view>

namespace vivace::detail {

enum class base64_alphabet { standard, url };

/// `bytes` in base64; `pad` keeps the trailing `=`.
[[nodiscard]] std::string base64_encode(std::string_view bytes, base64_alphabet alphabet, bool pad);

/// The bytes of `text`, or nothing unless `text` is the canonical encoding in `alphabet`, with
/// padding exactly when `padded` (no whitespace, no other characters, no stray bits).
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text,
                                                       base64_alphabet alphabet, bool padded);

}  // namespace vivace::detail
