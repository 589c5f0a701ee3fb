#include "config.hpp"

#include <vivace/core/log.hpp>
#include <vivace/version.hpp>

namespace blog {

namespace {
// Only ever used with ENVIRONMENT=development (a warning says so at start-up): a fixed key,
// so that development tokens survive restarts like production ones.
constexpr const char* development_key = "development-only-key-do-not-use-in-production-0123456789";
}  // namespace

std::size_t Settings::body_limit() const {
  if (max_request_body_size)
    return static_cast<std::size_t>(**max_request_body_size);
  return static_cast<std::size_t>(*max_file_size) + 1024 * 1024;
}

std::string Settings::signing_secret() const {
  if (secret_key)
    return secret_key->reveal();
  return development_key;
}

Settings load_settings(std::map<std::string, std::string> overrides, bool read_environment,
                       std::string overrides_origin) {
  auto s =
      vivace::settings::load_settings<Settings>({.read_environment = read_environment,
                                                 .environment_overrides = std::move(overrides),
                                                 .overrides_origin = std::move(overrides_origin)});
  if (s.version.empty())
    s.version = VIVACE_VERSION_STRING;
  std::vector<vivace::settings::SettingsProblem> problems;
  if (!s.secret_key && s.environment != "development")
    problems.push_back({.variable = "SECRET_KEY",
                        .type = "missing",
                        .message = "required unless ENVIRONMENT=development (ENVIRONMENT is \"" +
                                   s.environment + "\")"});
  if (s.secret_key && s.secret_key->reveal().size() < 32)
    problems.push_back({.variable = "SECRET_KEY",
                        .type = "string_too_short",
                        .message = "must be at least 32 bytes for HS256 (openssl rand -hex 32)",
                        .value = "**********"});
  if (s.first_superuser_email.has_value() != s.first_superuser_password.has_value())
    problems.push_back(
        {.variable = s.first_superuser_email ? "FIRST_SUPERUSER_PASSWORD" : "FIRST_SUPERUSER_EMAIL",
         .type = "missing",
         .message = "FIRST_SUPERUSER_EMAIL and FIRST_SUPERUSER_PASSWORD go "
                    "together"});
  if (!problems.empty())
    throw vivace::settings::SettingsError(std::move(problems));
  if (!s.secret_key)
    vivace::log::warning(
        "SECRET_KEY is not set: using the fixed development key (ENVIRONMENT=development). "
        "Never run like this in production.");
  return s;
}

}  // namespace blog
