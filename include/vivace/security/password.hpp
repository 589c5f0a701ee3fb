#pragma once
/// @file
/// Password hashing with scrypt (OpenSSL 3.0; memory-hard, RFC 7914) at OWASP's recommended
/// cost (N = 2^17, r = 8, p = 1: 128 MiB and a few hundred milliseconds per hash), a random
/// 16-byte salt, stored as a self-describing PHC string so that parameters can change:
/// `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (standard base64 without padding). Verification is
/// constant-time; `needs_rehash` says when a stored hash uses outdated parameters. Hashing is
/// slow on purpose: in a request, `co_await hash_async`/`verify_async` from a coroutine handler,
/// holding no database connection. They run on the server's CPU pool (fewer threads than
/// cores, bounded: a full pool answers 503 with `Retry-After`), so that logins never take the
/// CPU or the worker threads from cheap requests. `hash` and `verify` themselves are for
/// start-up work and tools, never for an I/O thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vivace/core/task.hpp"
#include "vivace/http/request.hpp"

namespace vivace::password {

/// scrypt's cost parameters.
struct Params {
  unsigned log2_n = 17;         ///< N = 2^log2_n
  std::uint32_t r = 8;          ///< block size
  std::uint32_t p = 1;          ///< parallelism
  std::size_t salt_bytes = 16;  ///< `hash` draws a fresh salt this long each time
  std::size_t hash_bytes = 32;  ///< derived key length
};

/// A new PHC string for `password` with a fresh random salt.
[[nodiscard]] std::string hash(std::string_view password, const Params& params = {});

/// Whether `password` matches the stored PHC string (false for a malformed one).
[[nodiscard]] bool verify(std::string_view password, std::string_view stored);

/// Whether the stored hash was made with other parameters than `params` (hash it again at
/// the next successful login).
[[nodiscard]] bool needs_rehash(std::string_view stored, const Params& params = {});

/// `hash` on the request's CPU pool. @throws Overloaded when the pool is full
[[nodiscard]] Task<std::string> hash_async(Request& req, std::string password, Params params = {});
/// `verify` on the request's CPU pool. @throws Overloaded when the pool is full
[[nodiscard]] Task<bool> verify_async(Request& req, std::string password, std::string stored);

/// Raw scrypt (RFC 7914), for test vectors. @throws std::runtime_error on failure.
[[nodiscard]] std::string scrypt(std::string_view password, std::string_view salt, std::uint64_t n,
                                 std::uint32_t r, std::uint32_t p, std::size_t length);

}  // namespace vivace::password
