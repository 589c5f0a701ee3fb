#include "app.hpp"

#include <filesystem>

#include <vivace/db.hpp>
#include <vivace/vivace.hpp>

#include "api/v1/api.hpp"
#include "core/errors.hpp"
#include "core/security.hpp"
#include "services/users.hpp"

namespace blog {

namespace {
// Creates FIRST_SUPERUSER_* when set and missing.
void create_first_superuser(vivace::db::Database& db, const Context& ctx) {
  const Settings& settings = ctx.settings;
  if (!settings.first_superuser_email || !settings.first_superuser_password)
    return;
  vivace::db::Session s(db);
  if (services::ensure_superuser(s, ctx, settings.first_superuser_email->value,
                                 settings.first_superuser_username,
                                 settings.first_superuser_password->reveal()))
    vivace::log::info("created the superuser " + settings.first_superuser_email->value);
}
}  // namespace

std::unique_ptr<vivace::App> make_app(const Settings& settings,
                                      std::shared_ptr<vivace::db::Database> database) {
  const std::string& api = settings.api_v1_str;
  auto app = std::make_unique<vivace::App>(vivace::AppOptions{
      .title = settings.project_name,
      .version = settings.version,
      .description = "Users, posts and authentication: the example application of Vivace.",
      .openapi_tags = {{"auth", "Registration, login, token refresh and logout"},
                       {"users", "Profiles and administration"},
                       {"posts", "Blog posts"},
                       {"health", "Liveness"}},
      .openapi_url = api + "/openapi.json",
      .docs_url = api + "/docs",
      .redoc_url = api + "/redoc",
      .max_body_size = settings.body_limit(),
  });

  // One Context (signing key, dummy hash) for the requests and the start-up work.
  auto context = std::make_shared<Context>(settings);
  app->provide<Context>(context);
  if (database) {
    app->provide<vivace::db::Database>(std::move(database));
  } else {
    app->provide<vivace::db::Database>([context] {
      auto db = open_database(context->settings);
      create_first_superuser(*db, *context);
      return db;
    });
  }

  // Errors of the services, rendered as the contract says.
  app->exception_handler<Error>([](vivace::Request&, const Error& e) {
    auto r = vivace::Response::error(static_cast<int>(e.kind), e.what());
    if (e.kind == ErrorKind::unauthorized)
      r.header("WWW-Authenticate", "Bearer");
    return r;
  });
  app->exception_handler<AppError>([](vivace::Request&, const AppError& e) {
    auto r = vivace::Response::json(
        boost::json::object{{"error", e.code}, {"message", e.what()}, {"details", e.details}},
        e.status);
    if (e.retry_after)
      r.header("Retry-After", std::to_string(*e.retry_after));
    return r;
  });

  // A coroutine: it neither blocks nor computes, so it runs on the I/O thread (a plain
  // function would take a trip to the worker pool and back, two thread switches).
  app->get<"/health">(
      [](vivace::Inject<Context> ctx) -> vivace::Task<Health> {
        co_return Health{"healthy", ctx->settings.version, ctx->settings.environment};
      },
      {.summary = "Liveness", .tags = {"health"}});

  // Uploaded avatars (the names are ours: `<user id>-<uuid>.<ext>`).
  app->get<"/uploads/avatars/{name}">(
      [](vivace::Path<"name", vivace::Str<vivace::pattern<"^[0-9]+-[0-9a-f-]{36}\\.[a-z]+$">>> name,
         vivace::Inject<Context> ctx) {
        const auto path = std::filesystem::path(ctx->settings.upload_dir) / "avatars" / *name;
        if (!std::filesystem::is_regular_file(path))
          throw vivace::HTTPException(404, "Not Found");
        return vivace::FileResponse(path);
      },
      {.include_in_schema = false});

  for (const auto& router : {api::auth_router(), api::users_router(), api::posts_router()})
    app->include_router(router, api);  // under API_V1_STR

  // Middleware: the last added runs first. Timing and the request id wrap everything, so
  // that every response (trusted-host 400s, CORS preflights, 413s) carries both headers. The
  // host check comes before CORS, which answers preflights itself: a request for an unknown
  // host is a 400, preflights included.
  app->add_middleware(vivace::middleware::cors({
      .allow_origins = settings.backend_cors_origins,
      .allow_methods = {"*"},
      .allow_headers = {"*"},
      .allow_credentials = true,
  }));
  app->add_middleware(vivace::middleware::trusted_host(settings.allowed_hosts));
  app->add_middleware(vivace::middleware::access_log());
  app->add_middleware(vivace::middleware::request_id());
  app->add_middleware(vivace::middleware::process_time());
  return app;
}

}  // namespace blog
