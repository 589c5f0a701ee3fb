// blog-server: the example application's command line (Boost.Program_options).
//
//   blog-server [serve] [--host H] [--port P] [--workers N] [--log-level L]
//   blog-server migrate [upgrade [VERSION] | downgrade VERSION|base|-1 | current | history]
//   blog-server create-superuser --email E [--username U] [--password-stdin]
//   blog-server openapi
//   blog-server --version | --help | COMMAND --help
//
// Flags win over the environment and .env (as uvicorn's do): each one is handed to the
// settings as the variable it stands for, so it is checked with the same rules and messages.

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>
#include <vivace/core/log.hpp>
#include <vivace/db.hpp>
#include <vivace/version.hpp>
#include <vivace/vivace.hpp>

#include "app.hpp"
#include "database.hpp"
#include "services/users.hpp"

namespace po = boost::program_options;

namespace {

constexpr const char* overview = R"(usage: blog-server [COMMAND] [OPTIONS]

commands:
  serve             serve the API, migrating the database first (the default command)
  migrate           apply or inspect the schema migrations
  create-superuser  create a superuser (nothing when the e-mail exists)
  openapi           print the OpenAPI document

`blog-server COMMAND --help` describes a command's options. Settings come from the
environment and a .env file in the working directory (DATABASE_URL, SECRET_KEY, ...; see
.env.example); a flag wins over both.

  --version         print the version
  --help            this text
)";

/// A usage error: the message, then exit status 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Parses `args` against `options` (no positional arguments); `--help` prints the command's
/// description and returns nullopt.
std::optional<po::variables_map> parse(const std::vector<std::string>& args,
                                       const po::options_description& options,
                                       const std::string& synopsis) {
  po::options_description all;
  all.add(options).add_options()("help,h", "this text");
  po::variables_map vm;
  try {
    const po::positional_options_description none;
    po::command_line_parser parser(args);
    parser.options(all).positional(none);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw usage_error(std::string(e.what()) + "\n\nusage: " + synopsis);
  }
  if (vm.count("help")) {
    std::cout << "usage: " << synopsis << "\n\n" << all;
    return std::nullopt;
  }
  return vm;
}

int serve(const std::vector<std::string>& args) {
  po::options_description options("serve");
  options.add_options()("host", po::value<std::string>(), "address to bind (HOST; 127.0.0.1)")(
      "port", po::value<std::string>(), "port, 0 for any free one (PORT; 8000)")(
      "workers", po::value<std::string>(), "I/O threads (WORKERS; one per core)")(
      "log-level", po::value<std::string>(), "debug, info, warning or error (LOG_LEVEL; info)");
  const auto vm = parse(args, options, "blog-server serve [OPTIONS]");
  if (!vm)
    return 0;
  std::map<std::string, std::string> flags;
  for (const auto& [flag, variable] :
       {std::pair{"host", "HOST"}, std::pair{"port", "PORT"}, std::pair{"workers", "WORKERS"},
        std::pair{"log-level", "LOG_LEVEL"}})
    if (vm->count(flag))
      flags[variable] = (*vm)[flag].as<std::string>();
  const auto settings = blog::load_settings(std::move(flags), true, "command line");
  // LogLevel lists the library's levels in their order.
  constexpr auto same = [](blog::LogLevel a, vivace::log::level b) {
    return static_cast<int>(a) == static_cast<int>(b);
  };
  static_assert(same(blog::LogLevel::debug, vivace::log::level::debug) &&
                same(blog::LogLevel::info, vivace::log::level::info) &&
                same(blog::LogLevel::warning, vivace::log::level::warning) &&
                same(blog::LogLevel::error, vivace::log::level::error));
  vivace::log::set_level(static_cast<vivace::log::level>(settings.log_level));
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

/// One line of standard input; echo off while it is typed at a terminal.
std::string read_password() {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << "Password: " << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  return line;
}

int create_superuser(const std::vector<std::string>& args) {
  po::options_description options("create-superuser");
  options.add_options()("email", po::value<std::string>(),
                        "the superuser's e-mail (FIRST_SUPERUSER_EMAIL)")(
      "username", po::value<std::string>(), "the username (FIRST_SUPERUSER_USERNAME; admin)")(
      "password-stdin", po::bool_switch(),
      "read the password from standard input (else FIRST_SUPERUSER_PASSWORD, else a prompt)")(
      "password", po::value<std::string>()->implicit_value(""),
      "refused: a password on the command line shows in ps");
  const auto vm = parse(args, options, "blog-server create-superuser [--email EMAIL] [OPTIONS]");
  if (!vm)
    return 0;
  if (vm->count("password"))
    throw usage_error(
        "--password is not accepted: a command line is visible to every user (ps). Use "
        "--password-stdin, FIRST_SUPERUSER_PASSWORD or the prompt.");
  const auto settings = blog::load_settings();
  const std::string email = vm->count("email")               ? (*vm)["email"].as<std::string>()
                            : settings.first_superuser_email ? settings.first_superuser_email->value
                                                             : std::string();
  if (email.empty())
    throw usage_error("no e-mail: pass --email or set FIRST_SUPERUSER_EMAIL");
  std::string password;
  if ((*vm)["password-stdin"].as<bool>() || !settings.first_superuser_password) {
    if (!(*vm)["password-stdin"].as<bool>() && ::isatty(STDIN_FILENO) != 1)
      throw usage_error(
          "no password: pass --password-stdin, set FIRST_SUPERUSER_PASSWORD, or run at a "
          "terminal");
    password = read_password();
  } else {
    password = settings.first_superuser_password->reveal();
  }
  if (password.empty())
    throw usage_error("the password is empty");
  const std::string username = vm->count("username") ? (*vm)["username"].as<std::string>()
                                                     : settings.first_superuser_username;
  auto db = blog::open_database(settings);
  blog::Context ctx(settings);
  vivace::db::Session s(*db);
  const bool created = blog::services::ensure_superuser(s, ctx, email, username, password);
  std::cout << (created ? "created superuser " : "a user with this e-mail exists: ") << email
            << "\n";
  return 0;
}

int migrate(std::vector<std::string> args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: blog-server migrate [upgrade [VERSION|head] | downgrade "
                 "VERSION|base|-1 | current | history]\n\n(default: upgrade)\n";
    return 0;
  }
  const auto settings = blog::load_settings();
  vivace::db::Database db(settings.database_url);
  if (args.empty())
    args.emplace_back("upgrade");
  return blog::migrations().run_cli(db, args, std::cout, std::cerr);
}

int openapi(const std::vector<std::string>& args) {
  po::options_description none("openapi");
  if (!parse(args, none, "blog-server openapi"))
    return 0;
  auto app = blog::make_app(blog::load_settings());
  std::cout << vivace::openapi::pretty(app->openapi());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = "serve";
  if (!args.empty() && !args[0].starts_with("-")) {
    command = args[0];
    args.erase(args.begin());
  } else if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << overview;
    return 0;
  } else if (!args.empty() && (args[0] == "--version" || args[0] == "-V")) {
    std::cout << "blog-server (Vivace " << VIVACE_VERSION_STRING << ")\n";
    return 0;
  }
  try {
    if (command == "serve")
      return serve(args);
    if (command == "migrate")
      return migrate(args);
    if (command == "create-superuser")
      return create_superuser(args);
    if (command == "openapi")
      return openapi(args);
    throw usage_error("unknown command '" + command + "'\n\n" + overview);
  } catch (const usage_error& e) {
    std::cerr << "blog-server: " << e.what() << "\n";
    return 2;
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
