// First steps: one route, served on PORT (default 8000).
//   curl http://127.0.0.1:8000/   ->  {"message":"Hello World"}
#include <cstdint>
#include <cstdlib>
#include <string>

#include <vivace/vivace.hpp>

int main() {
  vivace::App app({.title = "First steps"});

  app.get<"/">([] { return boost::json::value{{"message", "Hello World"}}; });

  const char* port = std::getenv("PORT");  // PORT=0 picks a free port
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
