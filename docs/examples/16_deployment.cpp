// Deployment: address, threads and TLS from settings, a command line over them; a health
// check; request ids and an access log for the logs your process manager collects.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

// HOST, PORT, WORKERS and LOG_LEVEL come from the library's ServerSettings (and --host,
// --port, --workers, --log-level of `serve`).
struct Settings : vivace::cli::ServerSettings {
  std::optional<std::string> tls_certificate;                           // TLS_CERTIFICATE (PEM)
  std::optional<std::string> tls_private_key;                           // TLS_PRIVATE_KEY (PEM)
  std::vector<std::string> allowed_hosts = {"localhost", "127.0.0.1"};  // ALLOWED_HOSTS=a,b
};
BOOST_DESCRIBE_STRUCT(Settings, (vivace::cli::ServerSettings),
                      (tls_certificate, tls_private_key, allowed_hosts))
inline vivace::schema::model_options vivace_model(const Settings*) {
  return {.all_defaulted = true};
}

std::unique_ptr<vivace::App> make_app(const Settings& s) {
  auto app = std::make_unique<vivace::App>(vivace::AppOptions{.title = "Deployment"});
  app->add_middleware(vivace::middleware::trusted_host(s.allowed_hosts));
  app->add_middleware(vivace::middleware::access_log());
  app->add_middleware(vivace::middleware::request_id());
  app->get<"/health">([] { return boost::json::value{{"status", "ok"}}; });
  return app;
}

Settings load(const vivace::cli::Args& args) {
  return vivace::settings::load_settings<Settings>(
      {.environment_overrides = args.variables(), .overrides_origin = "command line"});
}

int main(int argc, char** argv) {
  vivace::cli::Program cli({.name = "deployment"});
  cli.serve([](const vivace::cli::Args& args) {  // the default command
    const Settings s = load(args);
    vivace::cli::Served served{make_app(s), s.server_config(), s.log_level};
    if (s.tls_certificate && s.tls_private_key)
      served.config.tls = {.certificate_chain_file = *s.tls_certificate,
                           .private_key_file = *s.tls_private_key};
    return served;  // runs until SIGTERM or SIGINT, then stops gracefully
  });
  cli.openapi([](const vivace::cli::Args& args) { return make_app(load(args)); });
  return cli.run(argc, argv);  // 2 for a usage error or bad settings, naming the variable
}
