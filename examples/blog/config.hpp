#pragma once
// Typed settings (the FastAPI app's `core/config.py`): environment variables, then `.env`,
// then these defaults. See ../../../shared/spec (README of this example) for the table.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/cli/server_settings.hpp>
#include <vivace/schema/constraints.hpp>
#include <vivace/schema/model.hpp>
#include <vivace/schema/secret.hpp>
#include <vivace/schema/types.hpp>
#include <vivace/settings/settings.hpp>

namespace blog {

/// HOST, PORT, WORKERS and LOG_LEVEL come from the library's `ServerSettings`.
struct Settings : vivace::cli::ServerSettings {
  std::string project_name = "Blog API";
  std::string version;  // the library's version when not set
  std::string api_v1_str = "/api/v1";
  std::string environment = "development";
  bool debug = false;
  std::optional<vivace::SecretStr> secret_key;
  vivace::Int<vivace::ge<1>> access_token_expire_minutes = 30;
  vivace::Int<vivace::ge<1>> refresh_token_expire_minutes = 43200;
  std::string database_url = "sqlite:///./blog.db";
  std::vector<std::string> allowed_hosts{"localhost", "127.0.0.1"};
  std::vector<std::string> backend_cors_origins{"http://localhost:3000", "http://localhost:8000"};
  std::string upload_dir = "uploads";
  vivace::Int<vivace::ge<1>> max_file_size = 5242880;
  std::vector<std::string> allowed_extensions{".jpg", ".jpeg", ".png", ".gif", ".webp"};
  std::optional<vivace::Int<vivace::ge<1>>> max_request_body_size;
  vivace::Int<vivace::ge<1>> login_max_failures = 10;
  vivace::Int<vivace::ge<1>> login_failure_window_seconds = 900;
  std::optional<vivace::Email> first_superuser_email;
  std::optional<vivace::Secret<vivace::min_len<8>>> first_superuser_password;
  std::string first_superuser_username = "admin";
  /// Not in the FastAPI app: scrypt's cost as log2(N) (17 = OWASP's recommendation). Tests
  /// lower it; stored hashes carry their own cost, so changing it never locks anyone out.
  vivace::Int<vivace::ge<10>, vivace::le<20>> password_hash_cost = 17;

  /// MAX_REQUEST_BODY_SIZE, or MAX_FILE_SIZE + 1 MiB.
  [[nodiscard]] std::size_t body_limit() const;
  /// The JWT signing secret: SECRET_KEY, or the fixed development key in development.
  [[nodiscard]] std::string signing_secret() const;
};
BOOST_DESCRIBE_STRUCT(Settings, (vivace::cli::ServerSettings),
                      (project_name, version, api_v1_str, environment, debug, secret_key,
                       access_token_expire_minutes, refresh_token_expire_minutes, database_url,
                       allowed_hosts, backend_cors_origins, upload_dir, max_file_size,
                       allowed_extensions, max_request_body_size, login_max_failures,
                       login_failure_window_seconds, first_superuser_email,
                       first_superuser_password, first_superuser_username, password_hash_cost))
/// Every setting has a default (its initialiser), so every variable may be left unset.
inline vivace::schema::model_options vivace_model(const Settings*) {
  return {.name = "Settings", .all_defaulted = true};
}

/// Reads the settings (environment, `.env`, defaults) and checks them as a whole (SECRET_KEY
/// outside development, its length). `overrides` win over everything (tests, command lines).
/// @throws vivace::settings::SettingsError naming every bad variable.
Settings load_settings(std::map<std::string, std::string> overrides = {},
                       bool read_environment = true, std::string overrides_origin = "environment");

}  // namespace blog
