#pragma once
/// @file
/// Response classes as Starlette names them: `JSONResponse`, `PlainTextResponse`,
/// `HTMLResponse`, `RedirectResponse`, `FileResponse` and `StreamingResponse`. Each is a
/// `Response` (return it from a handler, or from a middleware); `media_type` is what the
/// OpenAPI document shows for a route that returns it.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "vivace/core/generator.hpp"
#include "vivace/core/task.hpp"
#include "vivace/http/response.hpp"

namespace vivace {

/// `application/json`.
struct JSONResponse : Response {
  /// The media type the OpenAPI document shows.
  static constexpr std::string_view media_type = "application/json";
  /// `content` serialised, with `status_code`.
  explicit JSONResponse(const boost::json::value& content, int status_code = 200)
      : Response(Response::json(content, status_code)) {}
};

/// `text/plain; charset=utf-8`.
struct PlainTextResponse : Response {
  /// The media type the OpenAPI document shows.
  static constexpr std::string_view media_type = "text/plain";
  /// `content` sent as it is: not checked for UTF-8, though the type says `charset=utf-8`.
  explicit PlainTextResponse(std::string content, int status_code = 200)
      : Response(Response::text(std::move(content), status_code)) {}
};

/// `text/html; charset=utf-8`.
struct HTMLResponse : Response {
  /// The media type the OpenAPI document shows.
  static constexpr std::string_view media_type = "text/html";
  /// `content` sent as it is: nothing in it is escaped.
  explicit HTMLResponse(std::string content, int status_code = 200)
      : Response(Response::html(std::move(content), status_code)) {}
};

/// A redirect, 307 by default (keeps the method and body; use 303 after a POST).
struct RedirectResponse : Response {
  /// None: a redirect has no documented body.
  static constexpr std::string_view media_type = "";
  /// An empty body with `Location: url` and `status_code` (301, 302, 303, 307 or 308).
  explicit RedirectResponse(std::string url, int status_code = 307)
      : Response(Response::redirect(std::move(url), status_code)) {}
};

/// What a `FileResponse` sends beside the file's bytes.
struct FileResponseOptions {
  std::string media_type{};  ///< defaults from the file name's extension
  std::string filename{};    ///< when set: `Content-Disposition: attachment; filename=...`
  /// The status code (the server makes it 206 or 416 for a range request).
  int status = 200;
};

/// A file from disk, streamed in pieces read on the worker pool. `Content-Type` comes from the
/// extension; `ETag`, `Last-Modified` and `Accept-Ranges: bytes` are sent, and a single-range
/// `Range` request (honouring `If-Range`) gets a 206 with `Content-Range`, an unsatisfiable
/// one a 416. A request with several ranges gets the whole file (RFC 9110 allows it).
/// @throws std::system_error when the file cannot be opened or is not a regular file.
struct FileResponse : Response {
  /// The media type the OpenAPI document shows.
  static constexpr std::string_view media_type = "application/octet-stream";
  /// Opens the file at `path` now (so that a missing file fails in the handler); the bytes are
  /// read while the response is sent.
  explicit FileResponse(const std::filesystem::path& path, FileResponseOptions options = {});
};

/// A body produced while it is sent, chunked (`Transfer-Encoding: chunked`).
///
/// @code
/// return vivace::StreamingResponse([]() -> vivace::Generator<std::string> {
///   for (int i = 0; i < 3; ++i) co_yield std::to_string(i) + "\n";
/// }(), "text/plain");
/// @endcode
struct StreamingResponse : Response {
  /// The media type the OpenAPI document shows.
  static constexpr std::string_view media_type = "application/octet-stream";
  /// Asynchronous source, awaited on the I/O thread: returns the next piece or
  /// `std::nullopt` at the end.
  using source = std::function<Task<std::optional<std::string>>()>;
  /// Sends what `next` returns until it returns `std::nullopt`, as `content_type`.
  StreamingResponse(source next, std::string content_type = "application/octet-stream",
                    int status_code = 200);
  /// A synchronous generator; every step runs on the worker pool (it may block).
  StreamingResponse(Generator<std::string> generator,
                    std::string content_type = "application/octet-stream", int status_code = 200);
};

/// The media type for a file name's extension (`application/octet-stream` when unknown);
/// text types carry `charset=utf-8`.
[[nodiscard]] std::string media_type_for(const std::filesystem::path& path);

}  // namespace vivace
