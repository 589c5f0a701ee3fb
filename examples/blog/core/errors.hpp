#pragma once
// Errors of the services, without HTTP types: `app.cpp` renders them. `Error` is a
// `{"detail": ...}` error with a kind; `AppError` is the FastAPI app's `CustomException`
// (`{"error", "message", "details"}`).

#include <optional>
#include <stdexcept>
#include <string>

#include <boost/json/object.hpp>

namespace blog {

/// What went wrong, numbered as the HTTP status `app.cpp` answers it with.
enum class ErrorKind {
  bad_request = 400,
  unauthorized = 401,
  forbidden = 403,
  not_found = 404,
  too_large = 413
};

struct Error : std::runtime_error {
  Error(ErrorKind k, const std::string& detail) : std::runtime_error(detail), kind(k) {}
  ErrorKind kind;
};

struct AppError : std::runtime_error {
  AppError(int s, std::string c, const std::string& message, boost::json::object d = {},
           std::optional<long long> retry = {})
      : std::runtime_error(message),
        status(s),
        code(std::move(c)),
        details(std::move(d)),
        retry_after(retry) {}
  int status;
  std::string code;
  boost::json::object details;
  std::optional<long long> retry_after;  ///< seconds, for a `Retry-After` header
};

}  // namespace blog
