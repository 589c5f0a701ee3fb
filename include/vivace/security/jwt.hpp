#pragma once
/// @file
/// JSON Web Tokens (RFC 7519) as compact JWS (RFC 7515), following RFC 8725's best current
/// practices: the verifier names the algorithms it accepts and never trusts the header's
/// `alg`; `none` is always refused; HMAC keys shorter than the hash are refused when the key
/// is made; signatures are compared in constant time; base64url is strict (no padding, no
/// other characters); `exp`/`nbf`/`iat` with a leeway; `iss`/`aud`; a token-type claim so that
/// a refresh token is never taken for an access token. OpenSSL 3 in `src/security/`.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "vivace/schema/json.hpp"

namespace vivace::jwt {

/// The signature algorithms (RFC 7518 names).
enum class Algorithm { HS256, HS384, HS512, RS256, ES256 };

/// The algorithm's name as `alg` writes it: `"HS256"`, ...
[[nodiscard]] std::string_view name(Algorithm a) noexcept;

/// A signing or verification key, bound to one algorithm.
class Key {
 public:
  /// An HMAC secret. @throws std::invalid_argument when `alg` is not HS* or the secret is
  /// shorter than the hash (32, 48 or 64 bytes; RFC 7518 §3.2).
  [[nodiscard]] static Key hmac(Algorithm alg, std::string_view secret);
  /// A PEM key: a private key signs and verifies, a public key only verifies. RS256 needs an
  /// RSA key of at least 2048 bits, ES256 a P-256 key.
  /// @throws std::invalid_argument when the PEM is not such a key.
  [[nodiscard]] static Key pem(Algorithm alg, std::string_view pem);
  /// A JSON Web Key (RFC 7517/7518): `"kty":"oct"` (`k`) for HS*, `"RSA"` (`n`, `e`, and `d`
  /// with optionally `p`, `q`, `dp`, `dq`, `qi` for a private key) for RS256, `"EC"` with
  /// `"crv":"P-256"` (`x`, `y`, optionally `d`) for ES256. A JWK's own `alg` must be `alg`
  /// and its `use`, when given, `"sig"`. The same rules as `hmac`/`pem` apply to the key.
  /// @throws std::invalid_argument naming the member that is missing or wrong.
  [[nodiscard]] static Key jwk(Algorithm alg, const boost::json::object& jwk);
  /// Generates a new RS256 (2048-bit) or ES256 (P-256) key pair (tests, development).
  [[nodiscard]] static Key generate(Algorithm alg);
  /// The public half in PEM (RS256, ES256).
  [[nodiscard]] std::string public_pem() const;

  /// The one algorithm this key signs or verifies with.
  [[nodiscard]] Algorithm algorithm() const noexcept;
  /// Whether it holds a secret or private key (a public key only verifies).
  [[nodiscard]] bool can_sign() const noexcept;

  struct impl;
  /// Internal: the OpenSSL side (src/security/).
  [[nodiscard]] const impl& internals() const noexcept { return *impl_; }

 private:
  explicit Key(std::shared_ptr<const impl> p) : impl_(std::move(p)) {}
  std::shared_ptr<const impl> impl_;
};

/// Why a token was refused (the message says more; never show it to clients verbatim).
enum class Error {
  malformed,      ///< not three base64url parts of JSON objects, or too long
  algorithm,      ///< `alg` is `none`, not allowed, or not the key's
  signature,      ///< the signature does not match
  expired,        ///< `exp` is past (with the leeway)
  not_yet_valid,  ///< `nbf` (or `iat`) is in the future
  claims,         ///< a required claim is missing or has the wrong type
  issuer,         ///< `iss` differs
  audience,       ///< `aud` does not contain the expected audience
  token_type,     ///< the token-type claim differs (a refresh token used as an access token)
};

/// What `verify` throws: branch on `code()`; `what()` is for logs only.
class VerifyError : public std::runtime_error {
 public:
  /// Why, and a message for logs.
  VerifyError(Error code, const std::string& what) : std::runtime_error(what), code_(code) {}
  /// Why the token was refused.
  [[nodiscard]] Error code() const noexcept { return code_; }

 private:
  Error code_;
};

/// What a verifier accepts.
struct VerifyOptions {
  /// The algorithms accepted; the key's must be one of them. Never empty.
  std::vector<Algorithm> algorithms{};
  std::chrono::seconds leeway{0};         ///< tolerance for `exp`, `nbf` and `iat`
  bool require_exp = true;                ///< a token without `exp` is refused
  std::optional<std::string> issuer{};    ///< `iss` must equal it
  std::optional<std::string> audience{};  ///< `aud` (string or array) must contain it
  /// The token-type claim (`type_claim`) must equal it, e.g. "access" or "refresh".
  std::optional<std::string> token_type{};
  /// The claim `token_type` is compared with.
  std::string type_claim = "type";
  std::size_t max_length = 8192;  ///< longer tokens are refused before any parsing
  /// The clock (tests set it).
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
};

/// Signs `claims` into a compact JWS with header `{"alg": ..., "typ": "JWT"}` plus `header`.
/// @throws std::invalid_argument when the key cannot sign.
[[nodiscard]] std::string sign(const boost::json::object& claims, const Key& key,
                               const boost::json::object& header = {});

/// Verifies a token and returns its claims. @throws VerifyError.
[[nodiscard]] boost::json::object verify(std::string_view token, const Key& key,
                                         const VerifyOptions& options);

/// Verifies a token and decodes its claims into `Claims` with the schema layer.
/// @throws VerifyError (`Error::claims` when the claims do not fit `Claims`).
template <class Claims>
[[nodiscard]] Claims verify_as(std::string_view token, const Key& key,
                               const VerifyOptions& options) {
  auto claims = verify(token, key, options);
  auto r = schema::decode<Claims>(claims);
  if (!r)
    throw VerifyError(Error::claims, "the claims do not fit the expected model");
  return std::move(*r.value);
}

/// base64url without padding (RFC 7515 §2).
[[nodiscard]] std::string base64url_encode(std::string_view bytes);
/// Strict base64url: only `A-Z a-z 0-9 - _`, no padding, a valid length.
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace vivace::jwt
