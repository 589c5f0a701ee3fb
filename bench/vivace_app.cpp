// vivace_bench: the benchmark endpoints served by Vivace, to compare with beast_baseline.
//
//   GET /plaintext   -> 200 text/plain        Hello, World!
//   GET /json        -> 200 application/json  {"message":"Hello, World!"}
//   GET /users/{id}  -> 200 application/json  {"id":<id>,"name":"user<id>"}  (422 if not int64)
//
// By default the handlers are coroutines (`-> vivace::Task<...>`) and run on the I/O threads,
// like the baseline. With --blocking they are plain functions, which Vivace runs on its worker
// pool: that variant measures the cost of the hop to the pool and back.
//
// usage: vivace_bench [--host HOST] [--port PORT] [--threads N] [--workers N] [--blocking]

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include <vivace/vivace.hpp>

namespace {

using UserId = vivace::Path<"id", std::int64_t>;

boost::json::object user(std::int64_t id) {
  return boost::json::object{{"id", id}, {"name", "user" + std::to_string(id)}};
}

void add_async_routes(vivace::App& app) {
  app.get<"/plaintext">([]() -> vivace::Task<vivace::Response> {
    co_return vivace::Response::text("Hello, World!");
  });
  app.get<"/json">([]() -> vivace::Task<boost::json::object> {
    co_return boost::json::object{{"message", "Hello, World!"}};
  });
  app.get<"/users/{id}">(
      [](UserId id) -> vivace::Task<boost::json::object> { co_return user(*id); });
}

void add_blocking_routes(vivace::App& app) {
  app.get<"/plaintext">([] { return vivace::Response::text("Hello, World!"); });
  app.get<"/json">([] { return boost::json::object{{"message", "Hello, World!"}}; });
  app.get<"/users/{id}">([](UserId id) { return user(*id); });
}

int usage(std::ostream& out, int code) {
  out << "usage: vivace_bench [--host HOST] [--port PORT] [--threads N] [--workers N] "
         "[--blocking]\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  vivace::ServerConfig config;
  config.port = 8080;
  bool blocking = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--host" && i + 1 < argc) {
      config.host = argv[++i];
    } else if (arg == "--port" && i + 1 < argc) {
      config.port = static_cast<std::uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--threads" && i + 1 < argc) {
      config.threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else if (arg == "--workers" && i + 1 < argc) {
      config.workers = static_cast<unsigned>(std::atoi(argv[++i]));
    } else if (arg == "--blocking") {
      blocking = true;
    } else if (arg == "--help") {
      return usage(std::cout, 0);
    } else {
      return usage(std::cerr, 2);
    }
  }
  config.handle_signals = true;

  vivace::App app({.title = "Vivace benchmark"});
  if (blocking)
    add_blocking_routes(app);
  else
    add_async_routes(app);
  try {
    app.run(config);
  } catch (const std::exception& e) {  // e.g. the port is taken
    std::cerr << "vivace_bench: " << e.what() << '\n';
    return 1;
  }
}
