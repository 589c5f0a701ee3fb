#pragma once
/// @file
/// The middlewares every app wants: request timing and access logging.

#include "vivace/middleware/middleware.hpp"

namespace vivace::middleware {

/// Adds `X-Process-Time`: seconds from the moment the request's header had been read
/// (`Request::received`) to the response passing this middleware, as a plain decimal
/// (`0.000412`, never an exponent).
[[nodiscard]] Middleware process_time();

/// Logs one line per request at info level, timed as `process_time`:
/// `127.0.0.1:51234 "GET /items/1?q=x HTTP/1.1" 200 0.412ms`.
[[nodiscard]] Middleware access_log();

}  // namespace vivace::middleware
