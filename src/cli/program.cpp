#include "vivace/cli/program.hpp"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>

#include "vivace/openapi/openapi.hpp"
#include "vivace/settings/settings.hpp"
#include "vivace/version.hpp"

namespace vivace::cli {

namespace po = boost::program_options;

std::optional<std::string> Args::value(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end())
    return std::nullopt;
  return it->second;
}

ServerConfig ServerSettings::server_config() const {
  ServerConfig config;
  config.host = host;
  config.port = static_cast<std::uint16_t>(*port);
  config.threads = workers ? static_cast<unsigned>(**workers)
                           : std::max(1u, std::thread::hardware_concurrency());
  return config;
}

Program::Program(Info info) : info_(std::move(info)) {
  if (info_.version.empty())
    info_.version = VIVACE_VERSION_STRING;
}

Program& Program::command(Command c) {
  commands_.push_back(std::move(c));
  return *this;
}

Program& Program::serve(std::function<Served(const Args&)> make, std::string summary) {
  return command({
      .name = "serve",
      .summary = std::move(summary),
      .options = {{"host", "address to bind (HOST; 127.0.0.1)", "HOST"},
                  {"port", "port, 0 for any free one (PORT; 8000)", "PORT"},
                  {"workers", "I/O threads (WORKERS; one per core)", "WORKERS"},
                  {"log-level", "debug, info, warning or error (LOG_LEVEL; info)", "LOG_LEVEL"}},
      .run =
          [make = std::move(make)](const Args& args) {
            Served s = make(args);
            log::set_level(s.log_level);
            s.app->run(std::move(s.config));
            return 0;
          },
  });
}

Program& Program::openapi(std::function<std::unique_ptr<App>(const Args&)> make) {
  return command({
      .name = "openapi",
      .summary = "print the OpenAPI document",
      .run =
          [make = std::move(make)](const Args& args) {
            std::cout << openapi::pretty(make(args)->openapi());
            return 0;
          },
  });
}

int Program::run_command(const Command& c, const std::vector<std::string>& args) const {
  const std::string synopsis =
      info_.name + " " + c.name + (c.positional.empty() ? " [OPTIONS]" : " " + c.positional);
  Args out;
  if (!c.positional.empty()) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      std::cout << "usage: " << synopsis << "\n\n" << c.summary << "\n";
      return 0;
    }
    out.positional_ = args;
    return c.run(out);
  }
  po::options_description options(c.name);
  for (const auto& o : c.options) {
    if (o.is_flag)
      options.add_options()(o.name.c_str(), o.help.c_str());
    else if (!o.refused.empty())
      options.add_options()(o.name.c_str(), po::value<std::string>()->implicit_value(""),
                            o.help.c_str());
    else
      options.add_options()(o.name.c_str(), po::value<std::string>(), o.help.c_str());
  }
  options.add_options()("help,h", "this text");
  po::variables_map vm;
  try {
    po::command_line_parser parser(args);
    const po::positional_options_description none;
    parser.options(options).positional(none);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + "\n\nusage: " + synopsis);
  }
  if (vm.count("help")) {
    std::cout << "usage: " << synopsis << "\n\n" << c.summary << "\n\n" << options;
    return 0;
  }
  for (const auto& o : c.options) {
    if (!vm.count(o.name))
      continue;
    if (!o.refused.empty())
      throw UsageError(o.refused);
    const std::string v = o.is_flag ? std::string() : vm[o.name].as<std::string>();
    if (!o.variable.empty())
      out.variables_[o.variable] = v;
    out.values_[o.name] = v;
  }
  return c.run(out);
}

int Program::run(int argc, const char* const* argv) const noexcept {
  const std::string& name = info_.name;
  try {
    std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
    if (!args.empty() && (args[0] == "--version" || args[0] == "-V")) {
      std::cout << name << " (Vivace " << info_.version << ")\n";
      return 0;
    }
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      std::cout << "usage: " << name << " [COMMAND] [OPTIONS]\n\n";
      if (!info_.description.empty())
        std::cout << info_.description << "\n\n";
      std::cout << "commands:\n";
      for (const auto& c : commands_)
        std::cout << "  " << c.name << std::string(c.name.size() < 18 ? 18 - c.name.size() : 1, ' ')
                  << c.summary << "\n";
      std::cout << "\n`" << name << " COMMAND --help` describes a command's options.\n";
      if (!info_.epilog.empty())
        std::cout << info_.epilog << "\n";
      std::cout << "\n  --version         print the version\n  --help            this text\n";
      return 0;
    }
    if (commands_.empty())
      throw UsageError("no commands");
    const Command* command = &commands_.front();
    if (!args.empty() && !args[0].starts_with("-")) {
      const auto it = std::find_if(commands_.begin(), commands_.end(),
                                   [&](const Command& c) { return c.name == args[0]; });
      if (it == commands_.end()) {
        std::ostringstream known;
        for (const auto& c : commands_)
          known << (&c == &commands_.front() ? "" : ", ") << c.name;
        throw UsageError("unknown command '" + args[0] + "' (commands: " + known.str() + "; see " +
                         name + " --help)");
      }
      command = &*it;
      args.erase(args.begin());
    }
    return run_command(*command, args);
  } catch (const UsageError& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 2;
  } catch (const settings::SettingsError& e) {
    std::cerr << name << ": bad configuration:\n" << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  } catch (...) {
    std::cerr << name << ": unknown error\n";
    return 1;
  }
}

bool stdin_is_terminal() noexcept {
  return ::isatty(STDIN_FILENO) == 1;
}

std::string read_secret(std::string_view prompt) {
  const bool terminal = stdin_is_terminal();
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
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

}  // namespace vivace::cli
