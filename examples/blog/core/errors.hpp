#pragma once
// Errors of the services, without HTTP types: `app.cpp` renders them. `Error` is a
// `{"detail": ...}` error with a kind; `AppError` is the FastAPI app's `CustomException`
// (`{"error", "message", "details"}`).

#include <optional>
#include <stdexcept>
#include <string>

#include <boost/json/object.hpp>

namespace blog {

enum class ErrorKind { bad_request, unauthorized, forbidden, not_found, too_large };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& detail) : std::runtime_error(detail), kind_(kind) {}
  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

class AppError : public std::runtime_error {
 public:
  AppError(int status, std::string code, const std::string& message,
           boost::json::object details = {}, std::optional<long long> retry_after = {})
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        details_(std::move(details)),
        retry_after_(retry_after) {}
  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  [[nodiscard]] const boost::json::object& details() const noexcept { return details_; }
  /// Seconds for a `Retry-After` header, when the client should wait.
  [[nodiscard]] std::optional<long long> retry_after() const noexcept { return retry_after_; }

 private:
  int status_;
  std::string code_;
  boost::json::object details_;
  std::optional<long long> retry_after_;
};

}  // namespace blog
