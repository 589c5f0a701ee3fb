#include "vivace/app/app.hpp"

#include <atomic>
#include <mutex>
#include <stdexcept>

#include <boost/json/serialize.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/core/log.hpp"
#include "vivace/openapi/docs.hpp"
#include "vivace/params/multipart.hpp"
#include "vivace/routing/matcher.hpp"

namespace vivace {

namespace {

// Where `make_server`'s reject hook puts the status its chain answers.
constexpr char reject_status_key = 0;

// The app's own pages (the OpenAPI document, Swagger UI, ReDoc), answered before routing.
struct own_pages {
  std::string_view openapi_url, docs_url, redoc_url;
  std::function<const std::string&()> openapi_body;
  std::string swagger_html, redoc_html;
};

Response html_page(const std::string& html) {
  Response r = Response::html(html);
  r.headers.set("Cache-Control", "no-cache");
  return r;
}

Response asset_response(std::string_view name) {
  auto asset = openapi::find_asset(name);
  if (!asset)
    return Response::error(404, "Not Found");
  Response r;
  r.headers.add("Content-Type", std::string{asset->content_type});
  r.headers.add("Cache-Control", "public, max-age=86400");
  r.body.assign(asset->data);
  return r;
}

// The page for the request, if it is one of the app's own.
std::optional<Response> own_page(const own_pages& p, const Request& req) {
  if (p.openapi_url.empty() || (req.method != "GET" && req.method != "HEAD"))
    return std::nullopt;
  const std::string_view path = req.path();
  if (path == p.openapi_url) {
    Response r;
    r.headers.add("Content-Type", "application/json");
    r.body = p.openapi_body();
    return r;
  }
  auto under = [&](std::string_view base) -> std::optional<std::string_view> {
    if (base.empty() || !path.starts_with(base))
      return std::nullopt;
    auto rest = path.substr(base.size());
    if (rest.empty())
      return rest;
    if (rest.front() != '/' || rest.find('/', 1) != std::string_view::npos)
      return std::nullopt;
    return rest.substr(1);
  };
  if (auto rest = under(p.docs_url)) {
    if (rest->empty())
      return html_page(p.swagger_html);
    if (*rest != "redoc.standalone.js")
      return asset_response(*rest);
  }
  if (auto rest = under(p.redoc_url)) {
    if (rest->empty())
      return html_page(p.redoc_html);
    if (*rest == "redoc.standalone.js")
      return asset_response(*rest);
  }
  return std::nullopt;
}

std::string missing_assets_page(std::string_view what) {
  return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         std::string{what} +
         "</title></head><body><p>This build of Vivace does not embed the docs assets "
         "(VIVACE_DOCS_ASSETS=OFF, or they could not be downloaded when it was configured), "
         "and none were found at run time: fill a folder with <code>cmake -P "
         "&lt;prefix&gt;/share/vivace/fetch-docs-assets.cmake FOLDER</code> (installed with "
         "the library; it downloads them from the npm registry) and name it in the "
         "environment variable <code>VIVACE_DOCS_ASSETS_DIR</code>, or fill "
         "<code>&lt;prefix&gt;/share/vivace/docs-assets</code>. The OpenAPI document is "
         "still served; open it with any OpenAPI viewer.</p></body></html>";
}

}  // namespace

struct App::impl {
  AppOptions options;
  std::vector<Middleware> middleware;
  std::vector<erased_exception_handler> exception_handlers;
  std::vector<std::function<void()>> startup_hooks, shutdown_hooks;

  AppScope scope;
  std::once_flag frozen;
  std::atomic<bool> is_frozen{false};  // set once `frozen` has run: no call_once per request
  std::once_flag documented;
  boost::json::value openapi_doc;
  std::string openapi_body;  // the document serialised, served at options.openapi_url
  own_pages pages;
  routing::matcher matcher;
  Handler chain;               // middleware around dispatch, built once
  Handler reject_chain;        // middleware around a server-made error, built once
  ExceptionRenderer renderer;  // exception handlers, then the built-in rules

  explicit impl(AppOptions o)
      : options(std::move(o)), matcher(routing::matcher_options{options.redirect_slashes}) {}
};

App::App(AppOptions options) : impl_(std::make_unique<impl>(std::move(options))) {}
App::~App() = default;
App::App(App&&) noexcept = default;
App& App::operator=(App&&) noexcept = default;

const AppOptions& App::options() const noexcept {
  return impl_->options;
}
DependencyOverrides& App::dependency_overrides() noexcept {
  return impl_->scope.overrides;
}
AppScope& App::scope() noexcept {
  return impl_->scope;
}

const boost::json::value& App::openapi() {
  freeze();
  auto& s = *impl_;
  std::call_once(s.documented, [this, &s] {
    openapi::DocumentInfo info;
    info.title = s.options.title;
    info.version = s.options.version;
    info.summary = s.options.summary;
    info.description = s.options.description;
    info.terms_of_service = s.options.terms_of_service;
    info.contact = s.options.contact;
    info.license = s.options.license_info;
    info.servers = s.options.servers;
    info.tags = s.options.openapi_tags;
    s.openapi_doc = openapi::document(table_.routes(), info);
    s.openapi_body = boost::json::serialize(s.openapi_doc);
  });
  return s.openapi_doc;
}

void App::add_middleware(Middleware m) {
  impl_->middleware.push_back(std::move(m));
}
void App::add_exception_handler(erased_exception_handler h) {
  impl_->exception_handlers.push_back(std::move(h));
}
void App::on_startup(std::function<void()> f) {
  impl_->startup_hooks.push_back(std::move(f));
}
void App::on_shutdown(std::function<void()> f) {
  impl_->shutdown_hooks.push_back(std::move(f));
}

void App::startup() {
  for (auto& f : impl_->startup_hooks)
    f();
}
void App::shutdown() {
  for (auto it = impl_->shutdown_hooks.rbegin(); it != impl_->shutdown_hooks.rend(); ++it) {
    try {
      (*it)();
    } catch (const std::exception& e) {
      log::error(std::string{"shutdown hook failed: "} + e.what());
    }
  }
}

namespace {

// Matches `req` once, keeping the outcome (and the path parameters) in the request. An
// error (a path that cannot be decoded) is kept too, for dispatch to render.
void match_once(const routing::matcher& matcher, Request& req) noexcept {
  try {
    auto m = matcher.match(req.method, req.path());
    RouteMatch& out = req.scope().match();
    using kind = routing::match_result::kind;
    switch (m.outcome) {
      case kind::found:
        out.result = RouteMatch::outcome::found;
        out.route = m.route;
        req.path_params = std::move(m.params);
        break;
      case kind::not_found:
        out.result = RouteMatch::outcome::not_found;
        break;
      case kind::method_not_allowed:
        out.result = RouteMatch::outcome::method_not_allowed;
        out.allow = std::move(m.allow);
        break;
      case kind::redirect:
        out.result = RouteMatch::outcome::redirect;
        out.location = std::move(m.location);
        break;
    }
  } catch (...) {
    RouteMatch& failed = req.scope().match();
    failed = RouteMatch{};
    failed.result = RouteMatch::outcome::failed;
    failed.error = std::current_exception();
    req.path_params.clear();
  }
}

// The innermost step: the app's own pages, then the matched route (or the answer for no
// route). Not a coroutine: a route's handler Task is returned as it is (one frame fewer on
// the hot path); route handlers render their own exceptions.
Task<Response> dispatch(const routing::matcher& matcher, const std::vector<Route>& routes,
                        const own_pages& pages, Request& req) {
  if (!pages.openapi_url.empty()) {
    try {
      if (auto page = own_page(pages, req))
        return ready_response(std::move(*page));
    } catch (...) {
      return ready_response(render_exception(req, std::current_exception()));
    }
  }
  RouteMatch& m = req.scope().match();
  if (m.result == RouteMatch::outcome::none)
    match_once(matcher, req);  // a request handled without begin
  switch (m.result) {
    case RouteMatch::outcome::found:
      return routes[m.route].handler(req);
    case RouteMatch::outcome::method_not_allowed: {
      Response r = req.method == "OPTIONS" ? Response::empty(204)
                                           : Response::error(405, "Method Not Allowed");
      r.headers.set("Allow", std::move(m.allow));
      return ready_response(std::move(r));
    }
    case RouteMatch::outcome::redirect: {
      std::string location = std::move(m.location);
      if (auto q = req.query_string(); !q.empty()) {
        location += '?';
        location += q;
      }
      return ready_response(Response::redirect(std::move(location), 307));
    }
    case RouteMatch::outcome::failed:
      return ready_response(render_exception(req, m.error));
    default:
      return ready_response(Response::error(404, "Not Found"));
  }
}

}  // namespace

void App::freeze() {
  auto& s = *impl_;
  std::call_once(s.frozen, [this, &s] {
    table_.attach_to_all(s.options.dependencies);
    s.pages.openapi_url = s.options.openapi_url;
    s.pages.docs_url = s.options.docs_url;
    s.pages.redoc_url = s.options.redoc_url;
    if (openapi::have_assets()) {
      s.pages.swagger_html =
          openapi::swagger_ui_html(s.options.title, s.options.openapi_url, s.options.docs_url);
      s.pages.redoc_html =
          openapi::redoc_html(s.options.title, s.options.openapi_url, s.options.redoc_url);
    } else {
      s.pages.swagger_html = missing_assets_page("Swagger UI");
      s.pages.redoc_html = missing_assets_page("ReDoc");
    }
    s.pages.openapi_body = [this]() -> const std::string& {
      (void)openapi();
      return impl_->openapi_body;
    };
    const auto& rs = table_.routes();
    for (std::size_t i = 0; i < rs.size(); ++i)
      s.matcher.add(rs[i].info.method, rs[i].info.path, i);
    // Exceptions to responses: user handlers in registration order, then the built-in rules.
    s.renderer = [&s](Request& req, std::exception_ptr ep) -> Response {
      for (const auto& h : s.exception_handlers) {
        try {
          if (auto r = h(req, ep))
            return std::move(*r);
        } catch (...) {
          ep = std::current_exception();  // a handler that throws hands on its own exception
        }
      }
      return render_builtin_exception(req, ep);
    };
    // Added last runs first: the chain takes them outermost first.
    const std::vector<Middleware> outermost_first(s.middleware.rbegin(), s.middleware.rend());
    s.chain = middleware::compose(outermost_first, [&s, this](Request& r) -> Task<Response> {
      return dispatch(s.matcher, table_.routes(), s.pages, r);
    });
    // Server-made errors pass through the same middleware (timing, request id, CORS...) with
    // a terminal that answers the error the server names (see `make_server`).
    s.reject_chain = middleware::compose(outermost_first, [](Request& r) -> Task<Response> {
      const int status = *static_cast<const int*>(r.scope().slots().find(&reject_status_key));
      return ready_response(Response::error(status, reason_phrase(status)));
    });
    s.is_frozen.store(true, std::memory_order_release);
  });
}

namespace {
Task<Response> guarded(const Handler& chain, Request& req) {
  std::exception_ptr ep;
  try {
    co_return co_await chain(req);
  } catch (...) {
    ep = std::current_exception();
  }
  // An exception escaped the middleware (Starlette's ServerErrorMiddleware): always a 500.
  try {
    std::rethrow_exception(ep);
  } catch (const std::exception& e) {
    log::error(std::string{"exception in middleware: "} + e.what());
  } catch (...) {
    log::error("non-standard exception in middleware");
  }
  co_return Response::error(500, "Internal Server Error");
}
}  // namespace

void App::begin(Request& req) {
  auto& s = *impl_;
  req.scope().set_app(&s.scope, &s.renderer, s.options.upload_spool_threshold);
  match_once(s.matcher, req);
}

Task<Response> App::handle(Request& req) {
  if (!impl_->is_frozen.load(std::memory_order_acquire))
    freeze();
  auto& s = *impl_;
  if (req.scope().app() != &s.scope)  // not begun by this app's server (the test client)
    begin(req);
  // Without middleware the chain is `dispatch`, which turns every exception into a response
  // itself: one coroutine frame fewer on the hot path.
  if (s.middleware.empty())
    return dispatch(s.matcher, table_.routes(), s.pages, req);
  return guarded(s.chain, req);
}

Server App::make_server(ServerConfig config) {
  freeze();  // the matcher must exist before the first request begins
  ServerHooks hooks;
  // The request's way: `begin` (match once, the body's plan), `handle`, or `reject`.
  hooks.begin = [this](Request& r, bool has_body) -> BodyPlan {
    begin(r);
    BodyPlan plan{impl_->options.max_body_size};
    const RouteMatch& m = r.scope().match();
    if (m.result != RouteMatch::outcome::found)
      return plan;
    const RouteInfo& info = table_.routes()[m.route].info;
    if (info.options.max_body_size)
      plan.limit = *info.options.max_body_size;
    if (has_body)
      plan.sink = form_sink(r, info);
    return plan;
  };
  hooks.handle = [this](Request& r) { return handle(r); };
  hooks.reject = [this](Request& r, int status) -> Task<Response> {
    // The status, for the chain's terminal, lives in this frame while the chain runs.
    r.scope().slots().set(&reject_status_key,
                          std::shared_ptr<void>(std::shared_ptr<void>{}, &status));
    co_return co_await impl_->reject_chain(r);
  };
  return Server(std::move(config), std::move(hooks));
}

std::unique_ptr<BodySink> App::form_sink(Request& r, const RouteInfo& info) const {
  // Multipart bodies of routes that take files or forms are parsed while they arrive.
  if (!info.body || info.body->media_type.find("form") == std::string::npos)
    return nullptr;
  auto ct = r.headers.get("Content-Type");
  if (!ct)
    return nullptr;
  auto boundary = params::multipart_boundary(*ct);
  if (!boundary || boundary->empty())
    return nullptr;
  params::multipart_limits limits;
  limits.spool_threshold = impl_->options.upload_spool_threshold;
  return params::make_multipart_sink(r, std::move(*boundary), limits);
}

void App::run(ServerConfig config) {
  startup();
  {
    Server server = make_server(std::move(config));
    server.start();
    const auto& host = server.config().host;
    const std::string base = std::string(server.config().tls.enabled() ? "https" : "http") + "://" +
                             (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                             std::to_string(server.port());
    const auto& docs = impl_->options.docs_url;
    log::info("Vivace listening on " + base +
              (docs.empty() ? std::string() : " (API docs: " + base + docs + ")"));
    server.run();
  }
  shutdown();
}

}  // namespace vivace
