// The smallest Vivace app: FastAPI's first steps.
//
//   GET /                      -> {"Hello": "World"}
//   GET /items/{item_id}?q=... -> {"item_id": 5, "q": "somequery"}
//
// `hello` serves on --host/--port (or HOST/PORT), default 127.0.0.1:8000; `hello openapi`
// prints the OpenAPI document instead (also served at /openapi.json).

#include <memory>
#include <optional>
#include <string>

#include <vivace/cli/program.hpp>
#include <vivace/vivace.hpp>

namespace {

std::unique_ptr<vivace::App> make_app() {
  auto app = std::make_unique<vivace::App>(vivace::AppOptions{.title = "Hello"});
  app->add_middleware(vivace::middleware::access_log());
  app->add_middleware(vivace::middleware::process_time());

  app->get<"/">([] { return boost::json::value{{"Hello", "World"}}; }, {.name = "read_root"});

  app->get<"/items/{item_id}">(
      [](vivace::Path<"item_id", int> item_id,
         vivace::Query<"q", std::optional<std::string>> q) -> vivace::Task<boost::json::value> {
        boost::json::object out{{"item_id", *item_id}};
        out["q"] = q->has_value() ? boost::json::value(**q) : boost::json::value(nullptr);
        co_return out;
      },
      {.name = "read_item", .summary = "Read an item"});
  return app;
}

}  // namespace

int main(int argc, char** argv) {
  vivace::cli::Program cli({.name = "hello"});
  cli.serve([](const vivace::cli::Args& args) {
    // Flags win over HOST, PORT, ... which win over the defaults.
    const auto s = vivace::settings::load_settings<vivace::cli::ServerSettings>(
        {.environment_overrides = args.variables(), .overrides_origin = "command line"});
    return vivace::cli::Served{make_app(), s.server_config(), s.log_level};
  });
  cli.openapi([](const vivace::cli::Args&) { return make_app(); });
  return cli.run(argc, argv);
}
