#pragma once
/// @file
/// The error vocabulary shared by every layer: HTTP exceptions and validation errors.

#include <chrono>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

namespace vivace {

/// An `HTTPException`'s extra header: set on the error response, replacing one of that name.
using header_pair = std::pair<std::string, std::string>;

/// Thrown by handlers to answer with an HTTP error: renders as `{"detail": detail}`.
///
/// @code
/// throw vivace::HTTPException{404, "User not found"};
/// @endcode
class HTTPException : public std::exception {
 public:
  /// `detail` defaults to the status code's reason phrase ("Not Found").
  explicit HTTPException(int status);
  /// Any JSON as the `detail` (an object, a list), with extra response headers
  /// (`WWW-Authenticate`, `Retry-After`, ...).
  HTTPException(int status, boost::json::value detail, std::vector<header_pair> headers = {});
  /// Takes a string literal (`{404, "User not found"}`) without ambiguity between the
  /// `std::string` and JSON overloads.
  HTTPException(int status, const char* detail, std::vector<header_pair> headers = {});
  /// A text `detail`, with extra response headers.
  HTTPException(int status, std::string detail, std::vector<header_pair> headers = {});

  /// Not checked: one outside 100–999 becomes a 500 when the server sends the response.
  [[nodiscard]] int status() const noexcept { return status_; }
  /// What the response's `detail` member holds.
  [[nodiscard]] const boost::json::value& detail() const noexcept { return detail_; }
  /// Headers added to the response.
  [[nodiscard]] const std::vector<header_pair>& headers() const noexcept { return headers_; }
  /// `"404: User not found"`: the status and the detail (serialised when not text).
  [[nodiscard]] const char* what() const noexcept override { return what_.c_str(); }

 private:
  int status_;
  boost::json::value detail_{};
  std::vector<header_pair> headers_{};
  std::string what_{};
};

/// The server cannot take this work now: an executor's queue is full, a job waited too long,
/// the connection pool has too many waiters, or the database stayed busy. Renders as 503
/// `{"detail":"Service Unavailable"}` with `Retry-After` (whole seconds, at least 1); a
/// `reason`, when given, is logged as a warning (never sent to the client).
class Overloaded : public HTTPException {
 public:
  /// `retry_after`: when the client may try again (at least 1 s); `reason`: what ran out, for
  /// the log (empty: an executor's ordinary refusal, seen in the access log's 503s).
  explicit Overloaded(std::chrono::seconds retry_after, std::string reason = {});
  /// The seconds sent in `Retry-After`.
  [[nodiscard]] std::chrono::seconds retry_after() const noexcept { return retry_after_; }
  /// What ran out (for logs).
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::chrono::seconds retry_after_;
  std::string reason_;
};

/// One validation failure, in FastAPI's shape: `{"type", "loc", "msg", "input"}`.
struct ValidationError {
  std::string type{};          ///< machine-readable rule, e.g. `int_parsing`, `missing`
  boost::json::array loc{};    ///< where: `["path", "user_id"]`, `["body", "items", 0, "name"]`
  std::string msg{};           ///< a sentence for people
  boost::json::value input{};  ///< the offending value (for a missing field: the enclosing object)
  boost::json::value ctx{};    ///< optional rule parameters (`{"ge": 1}`); null when absent

  /// `{"type", "loc", "msg", "input"}`, with `"ctx"` when it is not null.
  [[nodiscard]] boost::json::value to_json() const;
};

/// Every validation error of one request. Rendered as a 422 `{"detail": [...]}`.
class RequestValidationError : public std::exception {
 public:
  /// Every error found, in the order found.
  explicit RequestValidationError(std::vector<ValidationError> errors)
      : errors_(std::move(errors)) {}

  /// The errors, in the order found.
  [[nodiscard]] const std::vector<ValidationError>& errors() const noexcept { return errors_; }
  /// "request validation failed".
  [[nodiscard]] const char* what() const noexcept override { return "request validation failed"; }
  /// The response body: `{"detail": [ {type, loc, msg, input}, ... ]}`.
  [[nodiscard]] boost::json::value to_json() const;

 private:
  std::vector<ValidationError> errors_{};
};

/// The standard reason phrase of a status code ("Not Found"), or "Unknown" for unknown codes.
[[nodiscard]] std::string_view reason_phrase(int status) noexcept;

}  // namespace vivace
