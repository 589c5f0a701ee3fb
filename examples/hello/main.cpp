// The smallest Vivace app: FastAPI's first steps.
//
//   GET /                      -> {"Hello": "World"}
//   GET /items/{item_id}?q=... -> {"item_id": 5, "q": "somequery"}
//
// Serves on --host/--port (or HOST/PORT), default 127.0.0.1:8000 (Boost.Program_options); `hello
// openapi` prints the OpenAPI document instead (also served at /openapi.json).

#include <cstdlib>
#include <iostream>
#include <string>

#include <boost/lexical_cast.hpp>
#include <boost/program_options.hpp>
#include <vivace/version.hpp>
#include <vivace/vivace.hpp>

namespace po = boost::program_options;

int main(int argc, char** argv) {
  // Flags win over HOST and PORT, which win over the defaults.
  std::string host = "127.0.0.1";
  if (const char* h = std::getenv("HOST"))
    host = h;
  unsigned port = 8000;
  if (const char* p = std::getenv("PORT")) {
    try {
      port = boost::lexical_cast<unsigned>(std::string(p));
    } catch (const boost::bad_lexical_cast&) {
      port = 65536;  // reported below, naming PORT
    }
  }
  po::options_description options("usage: hello [openapi] [--host HOST] [--port PORT]");
  options.add_options()("help,h", "this text")("version,V", "print the version")(
      "host", po::value(&host), "address to bind (HOST; 127.0.0.1)")(
      "port", po::value(&port), "port, 0 for any free one (PORT; 8000)");
  po::options_description all;  // with the positional command, left out of --help
  all.add(options).add_options()("command", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("command", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("command") && vm["command"].as<std::string>() != "openapi")
      throw po::error("unknown command '" + vm["command"].as<std::string>() + "'");
  } catch (const po::error& e) {
    std::cerr << "hello: " << e.what() << "\n\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "hello (Vivace " << VIVACE_VERSION_STRING << ")\n";
    return 0;
  }
  if (port > 65535) {
    std::cerr << "hello: " << (vm.count("port") ? "--port" : "PORT")
              << " must be a port number (0-65535)\n";
    return 2;
  }
  const bool print_openapi = vm.count("command") != 0;
  vivace::ServerConfig config;
  config.host = host;
  config.port = static_cast<std::uint16_t>(port);

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
