// blog-server: the example application's command line.
//
//   blog-server [serve]             serve (migrating first) on HOST:PORT
//   blog-server migrate [...]       apply pending migrations (or: current, history, downgrade)
//   blog-server create-superuser --email E --username U --password P
//   blog-server openapi             print the OpenAPI document
//   blog-server --help

#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <vivace/core/log.hpp>
#include <vivace/db.hpp>
#include <vivace/vivace.hpp>

#include "app.hpp"
#include "database.hpp"
#include "services/users.hpp"

namespace {

constexpr const char* usage = R"(usage: blog-server [command] [options]

commands:
  serve                 serve the API on HOST:PORT (default 127.0.0.1:8000), migrating the
                        database first (the default command)
  migrate [upgrade [VERSION] | downgrade VERSION|base|-1 | current | history]
                        apply (or inspect) the schema migrations (default: upgrade)
  create-superuser --email EMAIL --username NAME --password PASSWORD
                        create a superuser (nothing when the e-mail exists)
  openapi               print the OpenAPI document
  --help                this text (`blog-server COMMAND --help`: the same)

Configuration comes from environment variables and a .env file in the working directory
(DATABASE_URL, SECRET_KEY, HOST, PORT, ...; see .env.example).
)";

int serve(const blog::Settings& settings) {
  auto app = blog::make_app(settings);
  vivace::ServerConfig config;
  config.host = settings.host;
  config.port = static_cast<std::uint16_t>(*settings.port);
  config.threads = settings.workers ? static_cast<unsigned>(**settings.workers)
                                    : std::max(1u, std::thread::hardware_concurrency());
  config.limits.body_bytes = settings.body_limit();
  app->run(config);
  return 0;
}

int create_superuser(const blog::Settings& settings, const std::vector<std::string>& args) {
  std::string email, username = settings.first_superuser_username, password;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size())
        throw std::invalid_argument(args[i] + " needs a value");
      return args[++i];
    };
    if (args[i] == "--email")
      email = value();
    else if (args[i] == "--username")
      username = value();
    else if (args[i] == "--password")
      password = value();
    else
      throw std::invalid_argument("unknown option " + args[i]);
  }
  if (email.empty() || password.empty())
    throw std::invalid_argument("--email and --password are required");
  auto db = blog::open_database(settings);
  blog::Context ctx(settings);
  vivace::db::Session s(*db);
  const bool created = blog::services::ensure_superuser(s, ctx, email, username, password);
  std::cout << (created ? "created superuser " : "a user with this e-mail exists: ") << email
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = "serve";
  if (!args.empty() && !args[0].starts_with("-")) {
    command = args[0];
    args.erase(args.begin());
  }
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    }
  if (command != "serve" && command != "migrate" && command != "create-superuser" &&
      command != "openapi") {
    std::cerr << "blog-server: unknown command '" << command << "'\n\n" << usage;
    return 2;
  }
  try {
    const auto settings = blog::load_settings();
    if (command == "serve") {
      if (!args.empty()) {
        std::cerr << "blog-server: serve takes no arguments (use HOST, PORT)\n";
        return 2;
      }
      return serve(settings);
    }
    if (command == "openapi") {
      auto app = blog::make_app(settings);
      std::cout << vivace::openapi::pretty(app->openapi());
      return 0;
    }
    if (command == "migrate") {
      vivace::db::Database db(settings.database_url);
      if (args.empty())
        args.emplace_back("upgrade");
      return blog::migrations().run_cli(db, args, std::cout, std::cerr);
    }
    return create_superuser(settings, args);
  } catch (const vivace::settings::SettingsError& e) {
    std::cerr << "blog-server: bad configuration:\n" << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "blog-server: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "blog-server: " << e.what() << "\n";
    return 1;
  }
}
