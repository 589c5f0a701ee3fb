// Middleware: one of your own around every request, and the built-in CORS, hosts and gzip.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <vivace/vivace.hpp>

namespace mw = vivace::middleware;

int main() {
  vivace::App app({.title = "Middleware and CORS"});
  app.get<"/">([] { return boost::json::value{{"message", "Hello World"}}; });

  // The last added runs first: access_log sees every request, even those refused inside.
  app.add_middleware(
      [](vivace::Request& req, const vivace::Handler& next) -> vivace::Task<vivace::Response> {
        vivace::Response response = co_await next(req);
        response.header("X-Served-By", "vivace-guide");
        co_return response;
      });
  app.add_middleware(mw::gzip({.minimum_size = 1000}));
  app.add_middleware(mw::cors({.allow_origins = {"https://app.example.com"},
                               .allow_methods = {"GET", "POST"},
                               .allow_headers = {"Authorization", "Content-Type"},
                               .allow_credentials = true}));
  app.add_middleware(mw::trusted_host({"localhost", "127.0.0.1", "*.example.com"}));
  app.add_middleware(mw::process_time());
  app.add_middleware(mw::access_log());

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
