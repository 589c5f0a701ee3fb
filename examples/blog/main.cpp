// blog-server: the example application's command line (vivace::cli): serve (the default),
// migrate, create-superuser, openapi; `blog-server --help`. Flags win over the environment
// and .env, as uvicorn's do, and are checked by the settings they stand for.

#include <iostream>

#include <vivace/cli/program.hpp>
#include <vivace/db.hpp>

#include "app.hpp"
#include "database.hpp"
#include "services/users.hpp"

namespace {

using vivace::cli::Args;
using vivace::cli::UsageError;

int create_superuser(const Args& args) {
  const auto settings = blog::load_settings();
  const std::string email = args.value("email").value_or(
      settings.first_superuser_email ? settings.first_superuser_email->value : "");
  if (email.empty())
    throw UsageError("no e-mail: pass --email or set FIRST_SUPERUSER_EMAIL");
  std::string password;
  if (args.has("password-stdin") || !settings.first_superuser_password) {
    if (!args.has("password-stdin") && !vivace::cli::stdin_is_terminal())
      throw UsageError(
          "no password: pass --password-stdin, set FIRST_SUPERUSER_PASSWORD, or run at a "
          "terminal");
    password = vivace::cli::read_secret();
  } else {
    password = settings.first_superuser_password->reveal();
  }
  if (password.empty())
    throw UsageError("the password is empty");
  auto db = blog::open_database(settings);
  vivace::db::Session s(*db);
  const bool created = blog::services::ensure_superuser(
      s, blog::Context(settings), email,
      args.value("username").value_or(settings.first_superuser_username), password);
  std::cout << (created ? "created superuser " : "a user with this e-mail exists: ") << email
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  vivace::cli::Program cli(
      {.name = "blog-server",
       .epilog = "Settings come from the environment and a .env file in the working directory "
                 "(DATABASE_URL,\nSECRET_KEY, ...; see .env.example); a flag wins over both."});
  cli.serve(
      [](const Args& args) {
        const auto s = blog::load_settings(args.variables(), true, "command line");
        return vivace::cli::Served{blog::make_app(s), s.server_config(), s.log_level};
      },
      "serve the API, migrating the database first (the default command)");
  cli.command({
      .name = "migrate",
      .summary = "apply or inspect the schema migrations (default: upgrade)",
      .positional = "[upgrade [VERSION|head] | downgrade VERSION|base|-1 | current | history]",
      .run =
          [](const Args& args) {
            vivace::db::Database db(blog::load_settings().database_url);
            auto words = args.positional();
            if (words.empty())
              words.emplace_back("upgrade");
            return blog::migrations().run_cli(db, words, std::cout, std::cerr);
          },
  });
  cli.command({
      .name = "create-superuser",
      .summary = "create a superuser (nothing when the e-mail exists)",
      .options = {{"email", "the superuser's e-mail (FIRST_SUPERUSER_EMAIL)"},
                  {"username", "the username (FIRST_SUPERUSER_USERNAME; admin)"},
                  {"password-stdin",
                   "read the password from standard input (else FIRST_SUPERUSER_PASSWORD, else a "
                   "prompt)",
                   "", true},
                  {"password", "refused: a password on the command line shows in ps", "", false,
                   "--password is not accepted: a command line is visible to every user (ps). "
                   "Use --password-stdin, FIRST_SUPERUSER_PASSWORD or the prompt."}},
      .run = create_superuser,
  });
  cli.openapi([](const Args&) { return blog::make_app(blog::load_settings()); });
  return cli.run(argc, argv);
}
