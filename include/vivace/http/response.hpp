#pragma once
/// @file
/// `Response`: a plain value holding one HTTP response, with builders for the common kinds.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/fwd.hpp>

#include "vivace/core/task.hpp"
#include "vivace/http/headers.hpp"

namespace vivace {

class Request;
struct Response;

/// A body produced while it is being sent (`StreamingResponse`, `FileResponse`).
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  /// Called once before the head is written, with the request: adjusts the response to it
  /// (a `Range` request makes a file a 206). The default does nothing.
  virtual void prepare(const Request& req, Response& res);
  /// The total size when known in advance: sent as `Content-Length`; otherwise the body is
  /// chunked (HTTP/1.1) or delimited by closing the connection (HTTP/1.0).
  [[nodiscard]] virtual std::optional<std::uint64_t> size() const { return std::nullopt; }
  /// The next piece of the body; `std::nullopt` at the end. May run blocking work through
  /// `run_blocking(req, ...)`.
  virtual Task<std::optional<std::string>> next(Request& req) = 0;
};

/// One HTTP response. Handlers may return it directly for full control.
struct Response {
  int status = 200;  ///< 100 to 999; the server logs any other and sends a 500
  Headers headers;   ///< header fields; `Content-Length` is computed by the server
  std::string body;  ///< not sent for `HEAD` nor with a 1xx, 204 or 304 status
  /// A streamed body instead of `body` (when set, `body` is ignored).
  std::shared_ptr<BodyStream> stream{};

  /// `application/json` with the serialised value.
  [[nodiscard]] static Response json(const boost::json::value& v, int status = 200);
  /// `application/json` with `text` as it is (JSON text already: not checked).
  [[nodiscard]] static Response json_text(std::string text, int status = 200);
  /// `text/plain; charset=utf-8`.
  [[nodiscard]] static Response text(std::string body, int status = 200);
  /// `text/html; charset=utf-8`.
  [[nodiscard]] static Response html(std::string body, int status = 200);
  /// An empty body with the given status (204 by default).
  [[nodiscard]] static Response empty(int status = 204);
  /// A redirect (307 by default, which keeps the method and body) to `location`.
  [[nodiscard]] static Response redirect(std::string location, int status = 307);
  /// `{"detail": detail}` with the status, as FastAPI renders errors.
  [[nodiscard]] static Response error(int status, std::string_view detail);

  /// Sets a header, replacing any with the same name; returns `*this` for chaining.
  Response& header(std::string_view name, std::string value) {
    headers.set(name, std::move(value));
    return *this;
  }
};

}  // namespace vivace
