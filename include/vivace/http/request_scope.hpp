#pragma once
/// @file
/// `RequestScope`: what the framework keeps for one request while serving it, beside the
/// request's own value (`Request`): where its work runs, the application and the route it
/// reached, the work that follows the response, and the layers' own per-request values.
/// Handlers and middleware rarely need it; the typed adapter, the dependency resolver and
/// the server do.

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vivace/core/errors.hpp"
#include "vivace/core/task.hpp"

namespace vivace {

class Request;
class RequestContext;
class AppScope;
class InlinePolicy;
struct Response;

/// Turns an exception thrown while handling a request into its response.
using ExceptionRenderer = std::function<Response(Request&, std::exception_ptr)>;

/// Values the layers keep for one request (the dependency cache, a parsed form, the
/// response changes of a `ResponseHandle`), each under the address of a key its owner
/// keeps private. User data goes in `Request::state` instead.
class RequestSlots {
 public:
  RequestSlots() = default;
  RequestSlots(const RequestSlots&) = delete;
  RequestSlots& operator=(const RequestSlots&) = delete;
  /// The values themselves stay where they are: pointers from `find` stay valid.
  RequestSlots(RequestSlots&&) noexcept = default;
  /// Destroys this one's values (last inserted first), then takes over `other`'s.
  RequestSlots& operator=(RequestSlots&& other) noexcept {
    clear();
    items_ = std::move(other.items_);
    return *this;
  }
  /// Values are destroyed last inserted first: a value may use those stored before it.
  ~RequestSlots() { clear(); }

  /// The value under `key`, sharing ownership (null when none).
  [[nodiscard]] std::shared_ptr<void> get(const void* key) const {
    for (const auto& [k, v] : items_)
      if (k == key)
        return v;
    return nullptr;
  }
  /// The value under `key`, without sharing ownership (null when none).
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
  /// How many values are stored (a `RequestScope::mark` records it).
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
  std::vector<std::pair<const void*, std::shared_ptr<void>>> items_;
};

/// Where routing sent a request. The app matches a request once, as soon as its header block
/// is read (the route decides the body's limit), and keeps the outcome here for dispatch.
struct RouteMatch {
  /// `none` until the request has been matched.
  enum class outcome { none, found, not_found, method_not_allowed, redirect, failed };
  outcome result = outcome::none;  ///< which of the fields below is meaningful
  std::size_t route = 0;           ///< `found`: the route's index in the app's table
  std::string allow;               ///< `method_not_allowed`: the `Allow` header's value
  std::string location;            ///< `redirect`: the declared form of the path
  /// `failed`: what made matching fail (a path that cannot be decoded), rendered by dispatch.
  std::exception_ptr error;
};

/// The framework's part of one request. See the file comment.
class RequestScope {
 public:
  RequestScope() = default;
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;
  /// Takes over another request's scope (before it is served).
  RequestScope(RequestScope&&) noexcept = default;
  /// Takes over another request's scope (before either is served).
  RequestScope& operator=(RequestScope&&) noexcept = default;
  ~RequestScope() = default;

  /// The executors the request runs on (null outside a server or test client).
  [[nodiscard]] RequestContext* executors() const noexcept { return executors_; }
  /// Set by the server or the test client before the request is handled.
  void set_executors(RequestContext* c) noexcept { executors_ = c; }

  /// Application-wide values (dependency overrides, injected singletons); null outside an App.
  [[nodiscard]] const AppScope* app() const noexcept { return app_; }
  /// The application's exception handlers (null: the built-in rules only).
  [[nodiscard]] const ExceptionRenderer* renderer() const noexcept { return renderer_; }
  /// Uploaded files larger than this are spooled to a temporary file (the app's setting).
  [[nodiscard]] std::size_t upload_spool_threshold() const noexcept { return spool_threshold_; }
  /// Set by the `App` when it first sees the request.
  void set_app(const AppScope* app, const ExceptionRenderer* renderer,
               std::size_t upload_spool_threshold) noexcept {
    app_ = app;
    renderer_ = renderer;
    spool_threshold_ = upload_spool_threshold;
  }

  /// The route the request reached (`outcome::none` before matching).
  [[nodiscard]] RouteMatch& match() noexcept { return match_; }
  /// The route the request reached (`outcome::none` before matching).
  [[nodiscard]] const RouteMatch& match() const noexcept { return match_; }

  /// Validation errors found by route-level dependencies, reported in one 422 with those of
  /// the handler's own parameters.
  [[nodiscard]] std::vector<ValidationError>& pending_errors() noexcept { return pending_; }

  /// The route's policy when it tries plain work on the I/O thread first (null: it does not).
  [[nodiscard]] InlinePolicy* inline_policy() const noexcept { return inline_; }
  /// Set by the typed adapter of a `run_inline` route.
  void set_inline_policy(InlinePolicy* p) noexcept { inline_ = p; }

  /// The exception the handler (or one of its dependencies) ended with, if any: what a
  /// yield-style dependency sees when it resumes.
  [[nodiscard]] std::exception_ptr error() const noexcept { return error_; }
  /// Records the exception the handler ended with (set by the typed adapter).
  void set_error(std::exception_ptr e) noexcept { error_ = std::move(e); }

  /// Blocking work that must succeed before the response is sent (commit a transaction): runs
  /// on the worker pool after the handler has returned, last added first, on success only. If
  /// it throws, the client gets that error's response instead and the request counts as failed.
  void before_response(std::function<void(Request&)> f) {
    before_response_.push_back(std::move(f));
  }
  /// Whether any `before_response` work is waiting.
  [[nodiscard]] bool has_before_response() const noexcept { return !before_response_.empty(); }
  /// Work that runs after the response has been sent (background tasks), in the order added.
  void after_response(std::function<Task<void>(Request&)> f) {
    after_response_.push_back(std::move(f));
  }
  /// A dependency's exit: runs after the response and the `after_response` work, last added
  /// first.
  void on_cleanup(std::function<Task<void>(Request&)> f) { cleanups_.push_back(std::move(f)); }
  /// Whether `finish_request` has work to run; without any, destroying the request does all
  /// that is left.
  [[nodiscard]] bool has_finish_work() const noexcept {
    return !after_response_.empty() || !cleanups_.empty();
  }

  /// The layers' values: destroyed by `finish_request`, or back to a `mark` by `rewind`.
  [[nodiscard]] RequestSlots& slots() noexcept { return slots_; }

  /// How much per-request work has been added so far (see `rewind`).
  struct mark {
    std::size_t before_response;  ///< `before_response` steps
    std::size_t after_response;   ///< background tasks
    std::size_t cleanups;         ///< dependency exits
    std::size_t slots;            ///< per-request values
  };
  /// Pass it to `rewind` to undo what is added after this point.
  [[nodiscard]] mark current_mark() const noexcept {
    return {before_response_.size(), after_response_.size(), cleanups_.size(), slots_.size()};
  }

 private:
  friend void run_before_response(Request& req);
  friend Task<void> finish_request(Request& req);
  friend Task<void> rewind(Request& req, mark m);
  // Runs the dependency exits added after the first `keep`, last added first, logging errors.
  static Task<void> exit_dependencies(Request& req, std::size_t keep);

  RequestContext* executors_ = nullptr;
  const AppScope* app_ = nullptr;
  const ExceptionRenderer* renderer_ = nullptr;
  InlinePolicy* inline_ = nullptr;
  std::size_t spool_threshold_ = 1024 * 1024;
  RouteMatch match_{};
  std::exception_ptr error_{};
  std::vector<ValidationError> pending_{};
  std::vector<std::function<void(Request&)>> before_response_{};
  std::vector<std::function<Task<void>(Request&)>> after_response_{};
  std::vector<std::function<Task<void>(Request&)>> cleanups_{};
  RequestSlots slots_;
};

/// Runs (and clears) the request's `before_response` work, last added first; called by the
/// typed adapter, on a worker. A step that throws stays queued with those before it, so that
/// work tried inline and stopped by `WouldBlock` can run again on the worker pool.
void run_before_response(Request& req);
/// Runs the work that follows a response once: background tasks in order, then dependency
/// exits last entered first, logging (never throwing) their errors; then destroys the
/// layers' per-request values. The server and the test client call it after the response
/// is written.
Task<void> finish_request(Request& req);
/// Undoes what was added to the request's scope since `m`: its dependency exits run (last
/// added first, seeing the attempt as failed), its background tasks and `before_response`
/// work are dropped, its per-request values destroyed. Used when work tried on an I/O thread
/// runs again on the worker pool.
Task<void> rewind(Request& req, RequestScope::mark m);

}  // namespace vivace
