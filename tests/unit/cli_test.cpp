// vivace::cli: commands, options standing for settings, refused options, exit statuses.

#include "vivace/cli/program.hpp"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "vivace/settings/settings.hpp"

using namespace vivace;

namespace {

// Runs `program` on `args` (after the program's name), capturing both streams.
struct Outcome {
  int status;
  std::string out, err;
};
Outcome run(const cli::Program& program, std::vector<const char*> args) {
  args.insert(args.begin(), "prog");
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  const int status = program.run(static_cast<int>(args.size()), args.data());
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {status, out.str(), err.str()};
}

}  // namespace

TEST_CASE("cli: a flag reaches the settings as its variable, checked by their rules", "[cli]") {
  cli::Program program({.name = "prog", .version = "9.8.7"});
  cli::ServerSettings seen;
  program.command({.name = "check",
                   .summary = "load the server settings",
                   .options = {{"port", "the port", "PORT"}, {"host", "the host", "HOST"}},
                   .run = [&](const cli::Args& args) {
                     seen = settings::load_settings<cli::ServerSettings>(
                         {.env_file = std::nullopt,
                          .read_environment = false,
                          .environment_overrides = args.variables(),
                          .overrides_origin = "command line"});
                     return 0;
                   }});
  CHECK(run(program, {"check", "--port", "8123", "--host=::1"}).status == 0);
  CHECK(*seen.port == 8123);
  CHECK(seen.host == "::1");
  CHECK(seen.log_level == log::level::info);
  const auto bad = run(program, {"check", "--port", "99999"});
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Catch::Contains("bad configuration") && Catch::Contains("PORT") &&
                          Catch::Contains("less_than_equal") &&
                          Catch::Contains("(from command line)"));
  // The first command runs when none is named.
  CHECK(run(program, {"--port", "1"}).status == 0);
  CHECK(*seen.port == 1);
  CHECK(run(program, {"--version"}).out == "prog (Vivace 9.8.7)\n");
}

TEST_CASE("cli: usage errors exit with 2 and say what was wrong", "[cli]") {
  cli::Program program({.name = "prog"});
  bool ran = false;
  program.command({.name = "go",
                   .summary = "go somewhere",
                   .options = {{"fast", "hurry", "", true},
                               {"secret", "refused", "", false, "no secrets on the command line"}},
                   .run = [&](const cli::Args& args) {
                     ran = true;
                     return args.has("fast") ? 7 : 0;
                   }});
  CHECK(run(program, {"go", "--fast"}).status == 7);
  CHECK(run(program, {"go"}).status == 0);
  const auto unknown = run(program, {"fly"});
  CHECK(unknown.status == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown command 'fly'") && Catch::Contains("go"));
  ran = false;
  const auto refused = run(program, {"go", "--secret=hunter2"});
  CHECK(refused.status == 2);
  CHECK_FALSE(ran);
  CHECK_THAT(refused.err, Catch::Contains("no secrets on the command line"));
  CHECK(run(program, {"go", "--colour"}).status == 2);
  CHECK(run(program, {"go", "extra"}).status == 2);
  const auto help = run(program, {"go", "--help"});
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Catch::Contains("usage: prog go") && Catch::Contains("--fast"));
  CHECK_THAT(run(program, {"--help"}).out, Catch::Contains("go somewhere"));
}

TEST_CASE("cli: a positional command takes its words as they are; a failure exits with 1",
          "[cli]") {
  cli::Program program({.name = "prog"});
  std::vector<std::string> words;
  program.command({.name = "migrate",
                   .summary = "migrate",
                   .positional = "[downgrade N]",
                   .run = [&](const cli::Args& args) {
                     words = args.positional();
                     return 0;
                   }});
  program.command({.name = "boom", .summary = "fails", .run = [](const cli::Args&) -> int {
                     throw std::runtime_error("disk full");
                   }});
  CHECK(run(program, {"migrate", "downgrade", "-1"}).status == 0);
  CHECK(words == std::vector<std::string>{"downgrade", "-1"});
  const auto boom = run(program, {"boom"});
  CHECK(boom.status == 1);
  CHECK(boom.err == "prog: disk full\n");
}
