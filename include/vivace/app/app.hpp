#pragma once
/// @file
/// `App`: wires routes, middleware, exception handlers, lifespan hooks and the server.

#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "vivace/di/scope.hpp"
#include "vivace/handler/router.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/middleware/middleware.hpp"
#include "vivace/openapi/openapi.hpp"
#include "vivace/server/server.hpp"

namespace vivace {

/// Given once, to the constructor; most of it only shapes the OpenAPI document and docs pages.
struct AppOptions {
  std::string title = "Vivace";    ///< for the docs
  std::string version = "0.1.0";   ///< of the API, for the docs
  std::string description{};       ///< for the docs (Markdown)
  std::string summary{};           ///< one line for the docs
  std::string terms_of_service{};  ///< a URL
  /// The API's contact, for the docs.
  std::optional<openapi::Contact> contact{};
  /// The API's license, for the docs.
  std::optional<openapi::License> license_info{};
  /// The servers the docs send requests to; empty: the page's own origin.
  std::vector<openapi::ServerInfo> servers{};
  std::vector<openapi::TagInfo> openapi_tags{};  ///< descriptions of the tags routes use
  /// Where the OpenAPI document is served (GET); empty: not served (nor are the docs pages).
  std::string openapi_url = "/openapi.json";
  /// Swagger UI (its assets under `docs_url + "/..."`); empty: not served.
  std::string docs_url = "/docs";
  /// ReDoc (its script under `redoc_url + "/..."`); empty: not served.
  std::string redoc_url = "/redoc";
  bool redirect_slashes = true;             ///< 307 from `/items/` to a declared `/items`, and back
  std::size_t max_body_size = 1024 * 1024;  ///< default body limit (413); routes may override
  /// Run for every route, before the routers' and the routes' own dependencies.
  std::vector<RouteDependency> dependencies{};
  /// Uploaded files larger than this are spooled to a temporary file instead of memory.
  std::size_t upload_spool_threshold = 1024 * 1024;
};

/// The application: a router plus everything that runs around the routes.
///
/// @code
/// vivace::App app;
/// app.get<"/">([] { return boost::json::value{{"Hello", "World"}}; });
/// app.run({.port = 8000});
/// @endcode
class App : public Router {
 public:
  /// An app with no routes yet. Routes added after it starts serving are not served.
  explicit App(AppOptions options = {});
  ~App();
  /// Before `make_server` only: a server made from `other` still calls `other`, left empty.
  App(App&&) noexcept;
  /// Before `make_server` only, for either app, as for the move constructor.
  App& operator=(App&&) noexcept;

  /// Adds a middleware (a coroutine around `next`, or `Middleware::steps`). The last added
  /// runs first (outermost), as in Starlette.
  void add_middleware(Middleware m);

  /// Handles exceptions of type `E` thrown by handlers: `f(Request&, const E&) -> Response`.
  /// Handlers are tried in registration order (register specific types first), before the
  /// built-in ones for `HTTPException` and `RequestValidationError`.
  template <class E, class F>
  void exception_handler(F f) {
    add_exception_handler(
        [f = std::move(f)](Request& req, std::exception_ptr ep) -> std::optional<Response> {
          try {
            std::rethrow_exception(ep);
          } catch (const E& e) {
            return f(req, e);
          } catch (...) {
            return std::nullopt;
          }
        });
  }

  /// Replacements for providers, for tests (FastAPI's `app.dependency_overrides`).
  [[nodiscard]] DependencyOverrides& dependency_overrides() noexcept;
  /// What the app shares with its requests (overrides and `Inject<T>` values).
  [[nodiscard]] AppScope& scope() noexcept;

  /// Makes `value` injectable as `Inject<T>` from now on.
  template <class T>
  void provide(std::shared_ptr<T> value) {
    scope().provide<T>(std::move(value));
  }
  /// Creates the `Inject<T>` value at startup with `make()` (returning `T` or
  /// `std::shared_ptr<T>`) and releases it at shutdown (in reverse order of startup).
  template <class T, class Factory>
  requires std::invocable<Factory&>
  void provide(Factory make) {
    on_startup([this, make = std::move(make)]() mutable {
      using R = std::invoke_result_t<Factory&>;
      if constexpr (std::is_convertible_v<R, std::shared_ptr<T>>)
        scope().provide<T>(make());
      else
        scope().provide<T>(std::make_shared<T>(make()));
    });
    on_shutdown([this] { scope().remove<T>(); });
  }

  /// Runs before the server accepts connections (FastAPI's startup event).
  void on_startup(std::function<void()> f);
  /// Runs after the server has stopped (FastAPI's shutdown event), in reverse order.
  void on_shutdown(std::function<void()> f);

  /// The whole pipeline for one request: middleware, routing, the handler, error rendering.
  /// Never throws: unexpected exceptions become 500 `{"detail":"Internal Server Error"}`.
  Task<Response> handle(Request& req);

  /// A server that serves this app. The app must outlive it.
  [[nodiscard]] Server make_server(ServerConfig config = {});
  /// Startup hooks, serve until SIGINT/SIGTERM, then shutdown hooks.
  void run(ServerConfig config = {});
  /// Runs the startup hooks (done by `run`; call it yourself around `make_server`).
  void startup();
  /// Runs the shutdown hooks in reverse order (done by `run`).
  void shutdown();

  /// Read-only: the options cannot change once the app is made.
  [[nodiscard]] const AppOptions& options() const noexcept;
  /// The OpenAPI 3.1 document of the app's routes, built on first use and then cached.
  [[nodiscard]] const boost::json::value& openapi();
  /// Every route, prefixes applied, in registration order.
  [[nodiscard]] const std::vector<Route>& routes() const noexcept { return table_.routes(); }

 private:
  using erased_exception_handler =
      std::function<std::optional<Response>(Request&, std::exception_ptr)>;
  void add_exception_handler(erased_exception_handler h);
  /// Builds the matcher and the middleware chain, once; routes added later are not served.
  void freeze();
  /// The first step of every request: ties it to this app and matches its route, once.
  void begin(Request& req);
  /// A parser that takes a form route's multipart body while it arrives (null: none needed).
  [[nodiscard]] std::unique_ptr<BodySink> form_sink(Request& req, const RouteInfo& info) const;

  struct impl;
  std::unique_ptr<impl> impl_{};
};

}  // namespace vivace
