// The smallest Vivace app: FastAPI's first steps.
//
//   GET /                      -> {"Hello": "World"}
//   GET /items/{item_id}?q=... -> {"item_id": 5, "q": "somequery"}
//
// Serves on --host/--port (or HOST/PORT), default 127.0.0.1:8000; `hello openapi` prints the
// OpenAPI document instead (also served at /openapi.json).

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <vivace/vivace.hpp>

namespace {
// A port number, or exit with a message naming where the bad value came from.
std::uint16_t parse_port(std::string_view text, std::string_view origin) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > 65535) {
    std::cerr << "hello: " << origin << " must be a port number (0-65535), got '" << text << "'\n";
    std::exit(2);
  }
  return static_cast<std::uint16_t>(value);
}
}  // namespace

int main(int argc, char** argv) {
  vivace::ServerConfig config;
  if (const char* h = std::getenv("HOST"))
    config.host = h;
  if (const char* p = std::getenv("PORT"))
    config.port = parse_port(p, "PORT");
  bool print_openapi = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "openapi") {
      print_openapi = true;
    } else if (arg == "--host" && i + 1 < argc) {
      config.host = argv[++i];
    } else if (arg == "--port" && i + 1 < argc) {
      config.port = parse_port(argv[++i], "--port");
    } else {
      std::cerr << "usage: hello [--host HOST] [--port PORT] | hello openapi\n";
      return arg == "--help" ? 0 : 2;
    }
  }

  vivace::App app({.title = "Hello"});
  app.add_middleware(vivace::middleware::access_log());
  app.add_middleware(vivace::middleware::process_time());

  app.get<"/">([] { return boost::json::value{{"Hello", "World"}}; }, {.name = "read_root"});

  app.get<"/items/{item_id}">(
      [](vivace::Path<"item_id", int> item_id,
         vivace::Query<"q", std::optional<std::string>> q) -> vivace::Task<boost::json::value> {
        boost::json::object out{{"item_id", *item_id}};
        out["q"] = q->has_value() ? boost::json::value(**q) : boost::json::value(nullptr);
        co_return out;
      },
      {.name = "read_item", .summary = "Read an item"});

  if (print_openapi) {
    std::cout << vivace::openapi::pretty(app.openapi());
    return 0;
  }
  app.run(config);
}
