// Deployment: address, threads and TLS from settings; a health check; request ids and an
// access log for the logs your process manager collects.
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

struct ServerSettings {
  std::string host = "127.0.0.1";                             // HOST; 0.0.0.0 in a container
  vivace::Int<vivace::ge<0>, vivace::le<65535>> port = 8000;  // PORT
  unsigned threads = 0;                                       // THREADS; 0: one per core
  std::optional<std::string> tls_certificate;                 // TLS_CERTIFICATE (PEM chain)
  std::optional<std::string> tls_private_key;                 // TLS_PRIVATE_KEY (PEM)
  std::vector<std::string> allowed_hosts = {"localhost", "127.0.0.1"};  // ALLOWED_HOSTS=a,b
};
BOOST_DESCRIBE_STRUCT(ServerSettings, (),
                      (host, port, threads, tls_certificate, tls_private_key, allowed_hosts))
inline vivace::schema::model_options vivace_model(const ServerSettings*) {
  return {.fields = {{"host", {.has_default = true}},
                     {"port", {.has_default = true}},
                     {"threads", {.has_default = true}},
                     {"allowed_hosts", {.has_default = true}}}};
}

int main() try {
  const auto s = vivace::settings::load_settings<ServerSettings>();

  vivace::App app({.title = "Deployment"});
  app.add_middleware(vivace::middleware::trusted_host(s.allowed_hosts));
  app.add_middleware(vivace::middleware::access_log());
  app.add_middleware(vivace::middleware::request_id());
  app.get<"/health">([] { return boost::json::value{{"status", "ok"}}; });

  vivace::ServerConfig config{
      .host = s.host, .port = static_cast<std::uint16_t>(*s.port), .threads = s.threads};
  if (s.tls_certificate && s.tls_private_key)
    config.tls = {.certificate_chain_file = *s.tls_certificate,
                  .private_key_file = *s.tls_private_key};
  app.run(config);  // until SIGTERM or SIGINT, then a graceful stop
} catch (const vivace::settings::SettingsError& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
