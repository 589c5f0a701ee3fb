#pragma once
/// @file
/// A service's command line, what `fastapi run`, uvicorn's flags and a Typer app give a
/// FastAPI service: `serve` with `--host/--port/--workers/--log-level`, `openapi`, commands
/// of your own, `--help` and `--version`, usage errors with exit status 2 (Boost.Program_options
/// underneath).
///
/// A flag that stands for a setting (`--port` for `PORT`) is not read by the command line:
/// it reaches `Args::variables()` as that variable, which the settings loader takes as an
/// override, so a flag is checked with the setting's own rules and messages:
///
/// @code
/// struct Settings : vivace::cli::ServerSettings { std::string database_url = "sqlite://"; };
/// BOOST_DESCRIBE_STRUCT(Settings, (vivace::cli::ServerSettings), (database_url))
///
/// int main(int argc, char** argv) {
///   vivace::cli::Program cli({.name = "shop"});
///   cli.serve([](const vivace::cli::Args& args) {
///     auto s = vivace::settings::load_settings<Settings>({.environment_overrides =
///     args.variables()}); return vivace::cli::Served{make_app(s), s.server_config(), s.log_level};
///   });
///   cli.openapi([](const vivace::cli::Args&) { return make_app(load()); });
///   return cli.run(argc, argv);
/// }
/// @endcode

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vivace/app/app.hpp"
#include "vivace/cli/server_settings.hpp"
#include "vivace/core/log.hpp"
#include "vivace/server/server.hpp"

namespace vivace::cli {

/// A mistake on the command line: `run` prints the program's name and the message, and exits
/// with status 2. Throw it from a command for a usage error of your own.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One `--name` option of a command.
struct Option {
  std::string name;  ///< without the dashes
  std::string help;  ///< one line for `--help`
  /// The setting the option stands for (`PORT` for `--port`): its value goes to
  /// `Args::variables()` under this name instead of being checked here.
  std::string variable{};
  bool is_flag = false;  ///< takes no value (`--password-stdin`)
  /// Non-empty: the option is refused with this message whenever it is given (a password on
  /// the command line, visible to every user in `ps`).
  std::string refused{};
};

/// What a command was given.
class Args {
 public:
  /// The value of option `name`, when given (a flag: empty text).
  [[nodiscard]] std::optional<std::string> value(std::string_view name) const;
  /// Whether option `name` was given.
  [[nodiscard]] bool has(std::string_view name) const { return value(name).has_value(); }
  /// The options that stand for settings, as variable → value: settings overrides.
  [[nodiscard]] const std::map<std::string, std::string>& variables() const noexcept {
    return variables_;
  }
  /// The positional arguments (only for a command that declares `positional`).
  [[nodiscard]] const std::vector<std::string>& positional() const noexcept { return positional_; }

 private:
  friend class Program;
  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, std::string> variables_;
  std::vector<std::string> positional_;
};

/// A command: `program NAME [OPTIONS]`.
struct Command {
  std::string name;               ///< the word that names it (`migrate`)
  std::string summary;            ///< one line, for the program's `--help`
  std::vector<Option> options{};  ///< `--help` is added to them
  /// Non-empty: the command takes its arguments as they are, positionally (`migrate downgrade
  /// -1`), and this is their synopsis; it then has no options but `--help`.
  std::string positional{};
  /// Runs the command; returns the exit status.
  std::function<int(const Args&)> run;
};

/// What `serve` runs: the app and the server's configuration, and the lowest log level
/// (`Served{make_app(s), s.server_config(), s.log_level}` from `ServerSettings`).
struct Served {
  std::unique_ptr<App> app;                 ///< run until SIGINT/SIGTERM
  ServerConfig config{};                    ///< host, port, threads, limits, TLS
  log::level log_level = log::level::info;  ///< set before the app starts
};

/// The program: its commands, `--help`, `--version`.
class Program {
 public:
  /// What the program says about itself.
  struct Info {
    std::string name;           ///< the program's name in messages and usage lines
    std::string description{};  ///< after the usage line of `--help`
    std::string epilog{};       ///< at the end of `--help` (where the settings come from)
    std::string version{};      ///< for `--version`; Vivace's version when empty
  };
  /// A program without commands yet.
  explicit Program(Info info);

  /// Adds a command. The first one added runs when no command is named.
  Program& command(Command c);
  /// Adds `serve`, with `--host`, `--port`, `--workers` and `--log-level` standing for HOST,
  /// PORT, WORKERS and LOG_LEVEL: `make` loads the settings with `args.variables()` as
  /// overrides and builds the app; `serve` logs at its level and runs it until SIGINT/SIGTERM.
  Program& serve(std::function<Served(const Args&)> make,
                 std::string summary = "serve the API (the default command)");
  /// Adds `openapi`, which prints the app's OpenAPI document.
  Program& openapi(std::function<std::unique_ptr<App>(const Args&)> make);

  /// Parses the command line and runs the command. Never throws: a usage error or bad settings
  /// are reported with status 2, any other exception with status 1.
  [[nodiscard]] int run(int argc, const char* const* argv) const noexcept;

 private:
  int run_command(const Command& c, const std::vector<std::string>& args) const;
  Info info_;
  std::vector<Command> commands_;
};

/// One line of standard input (a password), with the echo off and `prompt` on stderr when
/// standard input is a terminal.
[[nodiscard]] std::string read_secret(std::string_view prompt = "Password: ");
/// Whether standard input is a terminal (a prompt can be answered).
[[nodiscard]] bool stdin_is_terminal() noexcept;

}  // namespace vivace::cli
