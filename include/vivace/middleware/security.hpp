#pragma once
/// @file
/// HTTP-level protections as middleware: CORS, trusted hosts, HTTPS redirect, security
/// headers, request ids, gzip and a rate limiter. Compiled in `src/middleware/`.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vivace/di/depends.hpp"
#include "vivace/middleware/middleware.hpp"

namespace vivace::middleware {

/// CORS as the Fetch standard defines it (Starlette's CORSMiddleware options).
struct CorsOptions {
  std::vector<std::string> allow_origins{};       ///< exact origins, or "*"
  std::string allow_origin_regex{};               ///< a full-match regular expression (Boost.Regex)
  std::vector<std::string> allow_methods{"GET"};  ///< or "*"
  std::vector<std::string> allow_headers{};       ///< or "*" (CORS-safelisted ones always pass)
  bool allow_credentials = false;                 ///< then the origin is echoed, never "*"
  /// Response headers the browser lets scripts read (`Access-Control-Expose-Headers`).
  std::vector<std::string> expose_headers{};
  int max_age = 600;  ///< seconds a preflight may be cached
};
/// Answers preflights (`OPTIONS` with `Access-Control-Request-Method`) itself — 200 with the
/// allowed methods and headers, or 400 naming what is not allowed — and adds
/// `Access-Control-Allow-Origin` (and credentials, exposed headers, `Vary: Origin`) to the
/// responses of allowed origins. Requests without `Origin` pass untouched.
[[nodiscard]] Middleware cors(CorsOptions options);

/// 400 "Invalid host header" unless `Host` (port ignored) is one of `hosts`: exact names,
/// `*.example.com` (any subdomain, not the bare domain) or `*` (anything).
[[nodiscard]] Middleware trusted_host(std::vector<std::string> hosts);

/// Requests that did not arrive over TLS get a redirect to the same URL with `https`
/// (307, so the method and body are kept).
[[nodiscard]] Middleware https_redirect();

/// Headers every response gets unless the handler set them.
struct SecurityHeaders {
  bool nosniff = true;                          ///< `X-Content-Type-Options: nosniff`
  std::string frame_options = "DENY";           ///< `X-Frame-Options` (empty: not sent)
  std::string referrer_policy = "no-referrer";  ///< `Referrer-Policy` (empty: not sent)
  /// `Strict-Transport-Security: max-age=...; includeSubDomains`, on TLS responses only
  /// (0: not sent).
  std::chrono::seconds hsts_max_age{std::chrono::days{365}};
};
/// Adds the headers of `options` to every response that lacks them.
[[nodiscard]] Middleware security_headers(SecurityHeaders options = {});

/// `X-Request-ID`: kept from the request when it is a sane token (1–128 letters, digits, dots,
/// underscores or hyphens), otherwise a random UUID; set on the request (so `access_log` inside
/// it logs it) and on the response.
[[nodiscard]] Middleware request_id();
/// The id `request_id()` gave this request (empty without that middleware); `access_log`
/// adds it to its line.
[[nodiscard]] std::string_view current_request_id(Request& req);

/// Gzip for clients that accept it (`Accept-Encoding`, q-values honoured), for bodies of at
/// least `minimum_size` bytes that are not already compressed (images, audio, video, archives,
/// fonts) nor streamed. Adds `Content-Encoding: gzip` and `Vary: Accept-Encoding`. zlib.
struct GzipOptions {
  /// Smaller bodies are sent as they are.
  std::size_t minimum_size = 500;
  int level = 6;  ///< 1 (fast) .. 9 (small)
};
/// Compresses the responses that qualify, as described on `GzipOptions`.
[[nodiscard]] Middleware gzip(GzipOptions options = {});

/// Where the rate limiter keeps its buckets. Replace the in-memory store with a shared one
/// (a database, Redis...) when several instances serve one API.
class RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;
  /// Takes one token from `key`'s bucket (`rate` tokens per second, at most `burst`).
  /// Returns nothing when allowed, or how long until a token is available.
  virtual std::optional<std::chrono::milliseconds> take(
      const std::string& key, double rate, double burst,
      std::chrono::steady_clock::time_point now) = 0;
};
/// Buckets in this process's memory (a mutex and a map; idle buckets are swept).
[[nodiscard]] std::shared_ptr<RateLimitStore> memory_rate_limit_store();

/// The limits of `rate_limit`: a token bucket per key.
struct RateLimitOptions {
  double requests_per_second = 10;  ///< the refill rate
  double burst = 20;                ///< the bucket size
  /// The key of a request's bucket: the client's address (without port) by default; use a
  /// header, a token's subject, ...
  std::function<std::string(const Request&)> key{};
  std::shared_ptr<RateLimitStore> store{};  ///< in memory by default
  /// The time source (a fake one in tests).
  std::function<std::chrono::steady_clock::time_point()> clock = std::chrono::steady_clock::now;
};
/// A token bucket per key; refused requests get 429 `{"detail":"Too Many Requests"}` with
/// `Retry-After` in whole seconds.
[[nodiscard]] Middleware rate_limit(RateLimitOptions options = {});

/// A token bucket per key, called from a dependency: for limits keyed by what the request's
/// dependencies know (the authenticated user, an API key, a tenant) rather than its address.
class RateLimiter {
 public:
  /// The limits: a token bucket per key.
  struct Options {
    /// The refill rate.
    double requests_per_second = 10;
    /// The bucket size.
    double burst = 20;
    std::shared_ptr<RateLimitStore> store{};  ///< in memory by default
    /// The time source (a fake one in tests).
    std::function<std::chrono::steady_clock::time_point()> clock = std::chrono::steady_clock::now;
  };
  /// A limiter with `options` (an in-memory store when none is given).
  explicit RateLimiter(Options options);
  RateLimiter() : RateLimiter(Options{}) {}

  /// Takes a token from `key`'s bucket: nothing when allowed, else the wait for the next one.
  [[nodiscard]] std::optional<std::chrono::milliseconds> take(const std::string& key) const;
  /// Takes a token. @throws HTTPException 429 `{"detail":"Too Many Requests"}` with
  /// `Retry-After` (whole seconds) when the bucket is empty.
  void check(const std::string& key) const;

 private:
  Options o_;
};

namespace detail {
template <class T>
std::string rate_limit_key(const T& v) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>)
    return std::string(std::string_view(v));
  else if constexpr (std::is_integral_v<T>)
    return std::to_string(v);
  else
    static_assert(sizeof(T) == 0,
                  "rate_limited_by: the key provider must return text or an integer; "
                  "write a provider that returns the key");
}
}  // namespace detail

/// A dependency that rate-limits by the value `KeyProvider` returns (text or an integer):
///
///     const vivace::middleware::RateLimiter per_user({.requests_per_second = 2, .burst = 5});
///     app.get<"/feed">(feed, {.dependencies = {
///         vivace::dependency<vivace::middleware::rate_limited_by<user_name, per_user>>()}});
///
/// `KeyProvider`'s own parameters (a token, a header) are resolved and documented as usual,
/// and its value is cached for the request, so the handler can use it too.
template <auto KeyProvider, const RateLimiter& Limiter>
bool rate_limited_by(Depends<KeyProvider> key) {
  Limiter.check(detail::rate_limit_key(*key));
  return true;
}

}  // namespace vivace::middleware
