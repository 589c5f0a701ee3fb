#pragma once
/// @file
/// `multipart/form-data`: uploaded files (`UploadFile`) and the incremental parser that
/// reads them while the body arrives, spooling large files to temporary files.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vivace/http/headers.hpp"
#include "vivace/http/request.hpp"

namespace vivace {

/// One uploaded file: in memory when small, in a temporary file (deleted when the last copy
/// of this handle goes, after the response) above the app's `upload_spool_threshold`.
class UploadFile {
 public:
  UploadFile();
  /// The name the client gave (`filename=` of the part); may be empty. Never use it as a path
  /// unchecked.
  [[nodiscard]] const std::string& filename() const noexcept;
  /// The part's `Content-Type` (`application/octet-stream` when not sent).
  [[nodiscard]] const std::string& content_type() const noexcept;
  /// Known without reading the content, in memory or on disk.
  [[nodiscard]] std::uint64_t size() const noexcept;
  /// Every header of the part.
  [[nodiscard]] const Headers& headers() const noexcept;
  /// Whether the content was spooled to a temporary file.
  [[nodiscard]] bool on_disk() const noexcept;
  /// The temporary file (empty when in memory).
  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  /// The whole content. Reads the temporary file when on disk.
  /// @throws std::system_error when the temporary file cannot be read.
  [[nodiscard]] std::string read() const;
  /// Copies the content to `to`, replacing a file already there.
  /// @throws std::system_error (or std::filesystem::filesystem_error) when it cannot be written.
  void save(const std::filesystem::path& to) const;

  struct impl;
  /// Made by the multipart parser.
  explicit UploadFile(std::shared_ptr<impl> p) : impl_(std::move(p)) {}

 private:
  std::shared_ptr<impl> impl_;
};

namespace params {

/// Limits of one multipart body (besides the route's body size limit, which the server
/// enforces with a 413). Starlette's defaults.
struct multipart_limits {
  std::size_t spool_threshold = 1024 * 1024;  ///< files above go to a temporary file
  std::size_t max_fields = 1000;              ///< text parts
  std::size_t max_files = 1000;               ///< file parts
  std::size_t max_field_bytes = 1024 * 1024;  ///< one text part
  std::size_t max_header_bytes = 16 * 1024;   ///< the header block of one part
};

/// A parsed `multipart/form-data` body.
struct multipart_form {
  std::vector<std::pair<std::string, std::string>> fields;  ///< text parts, in order
  std::vector<std::pair<std::string, UploadFile>> files;    ///< file parts, in order
  std::string error;                                        ///< why the body is invalid
};

/// The `boundary` parameter of a `multipart/form-data` content type, if it is one.
[[nodiscard]] std::optional<std::string> multipart_boundary(std::string_view content_type);

namespace detail {
/// `application/x-www-form-urlencoded`, parameters ignored.
bool is_form_media_type(std::string_view content_type) noexcept;
}  // namespace detail

/// A sink that parses the body as it is read and stores the form in the request.
[[nodiscard]] std::unique_ptr<BodySink> make_multipart_sink(Request& req, std::string boundary,
                                                            multipart_limits limits);

/// The request's form: the one the server parsed while reading, or parsed now from
/// `Request::body` (the test client). Null when the request is not `multipart/form-data`.
/// @throws HTTPException 400 when the body is not valid multipart.
[[nodiscard]] const multipart_form* multipart_of(Request& req);

}  // namespace params
}  // namespace vivace
