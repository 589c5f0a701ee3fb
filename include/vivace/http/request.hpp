#pragma once
/// @file
/// `Request`: a plain value holding one HTTP request, and its user data. No sockets, no
/// executors: the framework's part of a request is `RequestScope` (`request_scope.hpp`).

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "vivace/http/headers.hpp"
#include "vivace/http/request_scope.hpp"

namespace vivace {

/// Decoded query parameters, in order; repeated keys are kept.
class QueryParams {
 public:
  /// Both percent-decoded, `+` read as a space; keys compare exactly, case included.
  using param = std::pair<std::string, std::string>;

  QueryParams() = default;
  /// Parameters already decoded, in order.
  explicit QueryParams(std::vector<param> params) : params_(std::move(params)) {}

  /// The first value of `key`, if present.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view key) const noexcept {
    for (const auto& p : params_)
      if (p.first == key)
        return std::string_view{p.second};
    return std::nullopt;
  }
  /// Every value of `key`, in order (`?tag=a&tag=b`).
  [[nodiscard]] std::vector<std::string_view> get_all(std::string_view key) const {
    std::vector<std::string_view> out;
    for (const auto& p : params_)
      if (p.first == key)
        out.emplace_back(p.second);
    return out;
  }
  /// How many parameters (a repeated key counts each time).
  [[nodiscard]] std::size_t size() const noexcept { return params_.size(); }
  /// The first parameter, in order.
  [[nodiscard]] auto begin() const noexcept { return params_.begin(); }
  /// Past the last parameter.
  [[nodiscard]] auto end() const noexcept { return params_.end(); }

 private:
  std::vector<param> params_;
};

/// Parses a query string (without `?`): percent-decoding, `+` as space (HTML forms).
/// @throws HTTPException 400 when the string is not a valid query (bad `%` escape).
[[nodiscard]] QueryParams parse_query_string(std::string_view query);

class Request;

/// Receives a request body piece by piece while the server reads it (multipart uploads are
/// parsed and spooled to disk this way instead of being held in `Request::body`).
class BodySink {
 public:
  virtual ~BodySink() = default;
  /// The next bytes of the body, in order. Must not throw: record errors for later.
  virtual void write(std::string_view bytes) noexcept = 0;
  /// Called once after the last `write` when the whole body arrived; never for a body cut
  /// short (413, 408, 400).
  virtual void finish() noexcept = 0;
};

/// User data attached to one request, one value per C++ type: FastAPI's `request.state`, with
/// the type as the name (as axum's extensions). A middleware sets it, a dependency or the
/// handler reads it (`Request&` parameter); it is destroyed with the request, last set first.
///
/// @code
/// struct Tenant { std::string id; };
/// req.state.set(Tenant{"acme"});                        // in a middleware
/// if (const Tenant* t = req.state.get<Tenant>()) ...    // in a dependency
/// @endcode
class RequestState {
 public:
  RequestState() = default;
  RequestState(const RequestState&) = delete;
  RequestState& operator=(const RequestState&) = delete;
  /// The values themselves stay where they are: references from `set` and `get` stay valid.
  RequestState(RequestState&&) noexcept = default;
  /// Destroys this one's values, then takes over `other`'s.
  RequestState& operator=(RequestState&& other) noexcept {
    clear();
    items_ = std::move(other.items_);
    return *this;
  }
  /// Destroys the values, last set first.
  ~RequestState() { clear(); }

  /// Stores `value` as the request's `T`, replacing one already there; returns the stored one.
  template <class T>
  T& set(T value) {
    return emplace<std::remove_cvref_t<T>>(std::move(value));
  }
  /// Constructs the request's `T` in place from `args`, replacing one already there.
  template <class T, class... Args>
  T& emplace(Args&&... args) {
    auto owned = std::make_shared<T>(std::forward<Args>(args)...);
    T& out = *owned;
    for (auto& [type, value] : items_)
      if (*type == typeid(T)) {
        value = std::move(owned);
        return out;
      }
    items_.emplace_back(&typeid(T), std::move(owned));
    return out;
  }
  /// The request's `T`, or null when none was set.
  template <class T>
  [[nodiscard]] T* get() noexcept {
    return const_cast<T*>(std::as_const(*this).template get<T>());
  }
  /// The request's `T`, or null when none was set.
  template <class T>
  [[nodiscard]] const T* get() const noexcept {
    for (const auto& [type, value] : items_)
      if (*type == typeid(T))
        return static_cast<const T*>(value.get());
    return nullptr;
  }
  /// The exact type only, as for `get`: a `Derived` that was set is no `Base`.
  template <class T>
  [[nodiscard]] bool contains() const noexcept {
    return get<T>() != nullptr;
  }
  /// Destroys the request's `T`; false when there was none.
  template <class T>
  bool erase() noexcept {
    for (auto it = items_.begin(); it != items_.end(); ++it)
      if (*it->first == typeid(T)) {
        items_.erase(it);
        return true;
      }
    return false;
  }
  /// One per type, however often each was set.
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  /// Destroys every value, last set first.
  void clear() noexcept {
    while (!items_.empty())
      items_.pop_back();
  }

 private:
  std::vector<std::pair<const std::type_info*, std::shared_ptr<void>>> items_;
};

/// One HTTP request as the application sees it: a plain value.
///
/// The server fills the message fields; routing fills `path_params`. Handlers normally take
/// typed extractors (`Path`, `Query`, ...) instead of reading this directly. What the
/// framework keeps while serving it (executors, the matched route, the work after the
/// response) is apart, in `scope()`.
class Request {
 public:
  std::string method;          ///< upper-case token: `GET`, `POST`, ...
  std::string target;          ///< the request-target as sent: `/items/1?q=x`
  unsigned version = 11;       ///< 10 for HTTP/1.0, 11 for HTTP/1.1
  Headers headers;             ///< names as sent; look-ups ignore case
  std::string body;            ///< the whole body, de-chunked
  std::string remote_address;  ///< peer address and port, when served over a socket
  bool tls = false;            ///< set from the connection, never from `X-Forwarded-Proto`
  /// When its header block had been read (the server and the test client set it; a request
  /// made by hand has the zero time point): where `X-Process-Time` and the access log start.
  std::chrono::steady_clock::time_point received{};

  /// Path parameters after routing: template name and percent-decoded value.
  std::vector<std::pair<std::string_view, std::string>> path_params;

  /// User data for this request, one value per type (FastAPI's `request.state`).
  RequestState state;

  /// The path part of the target, still percent-encoded.
  [[nodiscard]] std::string_view path() const noexcept {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
  }
  /// The query part of the target, without `?` (empty when none).
  [[nodiscard]] std::string_view query_string() const noexcept {
    std::string_view t = target;
    auto q = t.find('?');
    return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
  }
  /// The decoded query parameters, parsed on first use.
  [[nodiscard]] const QueryParams& query() const {
    if (!query_)
      query_.emplace(parse_query_string(query_string()));
    return *query_;
  }
  /// The value of the cookie `name` from the `Cookie` header(s), if sent.
  [[nodiscard]] std::optional<std::string_view> cookie(std::string_view name) const;

  /// The decoded value of the path parameter `name`, if the route has one.
  [[nodiscard]] std::optional<std::string_view> path_param(std::string_view name) const noexcept {
    for (const auto& p : path_params)
      if (p.first == name)
        return std::string_view{p.second};
    return std::nullopt;
  }

  /// Rarely needed by handlers: the typed adapter, the resolver and the server use it.
  [[nodiscard]] RequestScope& scope() noexcept { return scope_; }
  /// The same, read-only: `match()`, `executors()`, `error()`, ...
  [[nodiscard]] const RequestScope& scope() const noexcept { return scope_; }

 private:
  mutable std::optional<QueryParams> query_;
  RequestScope scope_;
};

}  // namespace vivace
