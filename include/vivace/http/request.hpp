#pragma once
/// @file
/// `Request`: a plain value holding one HTTP request. No sockets, no executors.

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vivace/core/task.hpp"
#include "vivace/http/headers.hpp"

namespace vivace {

/// Decoded query parameters, in order; repeated keys are kept.
class QueryParams {
 public:
  /// A decoded key and value.
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

class RequestContext;
class Request;
class AppScope;
class InlinePolicy;

/// Receives a request body piece by piece while the server reads it (multipart uploads are
/// parsed and spooled to disk this way instead of being held in `Request::body`).
class BodySink {
 public:
  virtual ~BodySink() = default;
  /// The next bytes of the body, in order. Must not throw: record errors for later.
  virtual void write(std::string_view bytes) noexcept = 0;
  /// The body is complete.
  virtual void finish() noexcept = 0;
};

/// Values stored on a request by the layers above (the dependency cache, middleware data),
/// keyed by an address the owner chooses.
class RequestState {
 public:
  RequestState() = default;
  RequestState(const RequestState&) = delete;
  RequestState& operator=(const RequestState&) = delete;
  /// Takes over `other`'s values.
  RequestState(RequestState&&) noexcept = default;
  /// Destroys this state's values (last inserted first), then takes over `other`'s.
  RequestState& operator=(RequestState&& other) noexcept {
    clear();
    items_ = std::move(other.items_);
    return *this;
  }
  /// Values are destroyed in reverse order of insertion (last created, first destroyed).
  ~RequestState() { clear(); }

  /// The value stored under `key`, sharing ownership (null when none).
  [[nodiscard]] std::shared_ptr<void> get(const void* key) const {
    for (const auto& [k, v] : items_)
      if (k == key)
        return v;
    return nullptr;
  }
  /// The value stored under `key`, without sharing ownership (null when none).
  [[nodiscard]] void* find(const void* key) const noexcept {
    for (const auto& [k, v] : items_)
      if (k == key)
        return v.get();
    return nullptr;
  }
  /// Stores `value` under `key`; a value already there is replaced (and released).
  void set(const void* key, std::shared_ptr<void> value) {
    for (auto& [k, v] : items_)
      if (k == key) {
        v = std::move(value);
        return;
      }
    reserve();
    items_.emplace_back(key, std::move(value));
  }
  /// Keeps `value` alive until the request ends, without a key.
  void keep(std::shared_ptr<void> value) {
    reserve();
    items_.emplace_back(nullptr, std::move(value));
  }
  /// Destroys every value, last inserted first.
  void clear() noexcept { truncate(0); }
  /// How many values are stored.
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  /// Destroys the values stored after the first `n`, last inserted first.
  void truncate(std::size_t n) noexcept {
    while (items_.size() > n)
      items_.pop_back();
  }

 private:
  void reserve() {
    if (items_.capacity() == 0)
      items_.reserve(8);
  }

 public:
 private:
  std::vector<std::pair<const void*, std::shared_ptr<void>>> items_;
};
struct Response;

/// Turns an exception thrown while handling a request into its response.
using ExceptionRenderer = std::function<Response(Request&, std::exception_ptr)>;

/// One HTTP request as the application sees it.
///
/// The server fills the message fields; routing fills `path_params`. Handlers normally take
/// typed extractors (`Path`, `Query`, ...) instead of reading this directly.
class Request {
 public:
  std::string method;          ///< upper-case token: `GET`, `POST`, ...
  std::string target;          ///< the request-target as sent: `/items/1?q=x`
  unsigned version = 11;       ///< 10 for HTTP/1.0, 11 for HTTP/1.1
  Headers headers;             ///< the request's header fields
  std::string body;            ///< the whole body, de-chunked
  std::string remote_address;  ///< peer address and port, when served over a socket
  bool tls = false;            ///< whether it arrived over TLS
  /// When its header block had been read (the server and the test client set it; a request
  /// made by hand has the zero time point): where `X-Process-Time` and the access log start.
  std::chrono::steady_clock::time_point received{};

  /// Path parameters after routing: template name and percent-decoded value.
  std::vector<std::pair<std::string_view, std::string>> path_params;

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
  /// Per-request values of the layers above (the dependency cache).
  [[nodiscard]] RequestState& state() noexcept { return state_; }

  /// Blocking work that must succeed before the response is sent (commit a transaction): runs
  /// on the worker pool after the handler has returned, last added first, on success only. If
  /// it throws, the client gets that error's response instead and the request counts as failed.
  void before_response(std::function<void(Request&)> f) {
    before_response_.push_back(std::move(f));
  }
  /// Whether any `before_response` work is waiting.
  [[nodiscard]] bool has_before_response() const noexcept { return !before_response_.empty(); }
  /// Runs (and clears) the work above; called by the typed handler adapter, on a worker.
  void run_before_response();

  /// Work that runs after the response has been sent: `after_response` (background tasks)
  /// in the order added, then `on_cleanup` (dependency exits) in reverse order.
  void after_response(std::function<Task<void>(Request&)> f) {
    after_response_.push_back(std::move(f));
  }
  /// Adds a dependency's exit, run after the response and the `after_response` work, last
  /// added first.
  void on_cleanup(std::function<Task<void>(Request&)> f) { cleanups_.push_back(std::move(f)); }
  /// Runs the work above once, logging (never throwing) its errors, then destroys the
  /// per-request values in reverse order. The server and the test client call it after the
  /// response is written.
  Task<void> finish();
  /// Whether `finish` has work to run (background tasks or dependency exits); without any,
  /// destroying the request does all that is left.
  [[nodiscard]] bool has_finish_work() const noexcept {
    return !after_response_.empty() || !cleanups_.empty();
  }
  /// The exception the handler (or one of its dependencies) ended with, if any: what a
  /// yield-style dependency sees when it resumes.
  [[nodiscard]] std::exception_ptr error() const noexcept { return error_; }
  /// Records the exception the handler ended with (set by the handler adapter).
  void set_error(std::exception_ptr e) noexcept { error_ = std::move(e); }

  /// Application-wide values (dependency overrides, injected singletons); null outside an App.
  [[nodiscard]] const AppScope* app_scope() const noexcept { return scope_; }
  /// Set by the `App` before routing.
  void set_app_scope(const AppScope* s) noexcept { scope_ = s; }

  /// How much per-request work has been added so far (see `rewind`).
  struct mark {
    std::size_t before_response;  ///< `before_response` steps
    std::size_t after_response;   ///< background tasks
    std::size_t cleanups;         ///< dependency exits
    std::size_t state;            ///< per-request values
  };
  /// The current mark.
  [[nodiscard]] mark current_mark() const noexcept {
    return {before_response_.size(), after_response_.size(), cleanups_.size(), state_.size()};
  }
  /// Undoes what was added since `m`: its dependency exits run (last added first), its
  /// background tasks and `before_response` work are dropped, its per-request values destroyed.
  /// Used when work tried on an I/O thread is run again on the worker pool.
  Task<void> rewind(mark m);

  /// The route's policy when it tries plain work on the I/O thread first (null: it does not).
  [[nodiscard]] InlinePolicy* inline_policy() const noexcept { return inline_; }
  /// Set by the handler adapter of a `run_inline` route.
  void set_inline_policy(InlinePolicy* p) noexcept { inline_ = p; }

  /// The executors this request runs on (null outside a server or test client).
  [[nodiscard]] RequestContext* context() const noexcept { return context_; }
  /// Set by the server or test client before routing.
  void set_context(RequestContext* c) noexcept { context_ = c; }
  /// The application's exception handlers (null: the built-in rules only).
  [[nodiscard]] const ExceptionRenderer* exception_renderer() const noexcept { return renderer_; }
  /// Set by the `App` before routing.
  void set_exception_renderer(const ExceptionRenderer* r) noexcept { renderer_ = r; }

 private:
  mutable std::optional<QueryParams> query_;
  RequestContext* context_ = nullptr;
  const ExceptionRenderer* renderer_ = nullptr;
  const AppScope* scope_ = nullptr;
  InlinePolicy* inline_ = nullptr;
  // Runs the dependency exits added after the first `keep`, last added first, logging errors.
  Task<void> exit_dependencies(std::size_t keep);
  std::exception_ptr error_{};
  std::vector<std::function<void(Request&)>> before_response_{};
  std::vector<std::function<Task<void>(Request&)>> after_response_{};
  std::vector<std::function<Task<void>(Request&)>> cleanups_{};
  RequestState state_;
};

}  // namespace vivace
