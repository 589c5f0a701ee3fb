#pragma once
// The example application under test: a fresh database (SQLite file or the throwaway
// PostgreSQL cluster), cheap password hashing, a temporary upload folder, and helpers to
// register and log in.

#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <vivace/testing/client.hpp>

#include "app.hpp"
#include "core/security.hpp"
#include "database.hpp"
#include "db_support.hpp"
#include "services/users.hpp"

namespace blogtest {

namespace json = boost::json;

class blog_app {
 public:
  explicit blog_app(const std::string& backend, std::map<std::string, std::string> env = {})
      : fresh_(backend) {
    static int counter = 0;
    uploads_ =
        std::filesystem::temp_directory_path() /
        ("blog-test-uploads-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    env.emplace("DATABASE_URL", fresh_.url());
    env.emplace("PASSWORD_HASH_COST", "10");
    env.emplace("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost");
    env.emplace("UPLOAD_DIR", uploads_.string());
    env.emplace("ENVIRONMENT", "test");
    env.emplace("FIRST_SUPERUSER_EMAIL", "root@example.com");
    env.emplace("FIRST_SUPERUSER_PASSWORD", "rootpassword");
    env.emplace("FIRST_SUPERUSER_USERNAME", "root");
    env.emplace("SECRET_KEY", "test-secret-key-0123456789abcdef0123456789abcdef");
    settings_ = blog::load_settings(env, false);
    db_ = blog::open_database(settings_);
    app_ = blog::make_app(settings_, db_);
    {  // what start-up does with FIRST_SUPERUSER_* when the app opens its own pool
      vivace::db::Session s(*db_);
      (void)blog::services::ensure_superuser(s, *app_->scope().get<blog::Context>(),
                                             "root@example.com", "root", "rootpassword");
    }
    client_ = std::make_unique<vivace::testing::TestClient>(*app_);
  }
  ~blog_app() {
    client_.reset();
    app_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(uploads_, ec);
  }
  vivace::testing::TestClient& client() { return *client_; }
  vivace::App& app() { return *app_; }
  vivace::db::Database& db() { return *db_; }
  const blog::Settings& settings() const { return settings_; }
  const std::filesystem::path& uploads() const { return uploads_; }

 private:
  dbtest::fresh_database fresh_;
  std::filesystem::path uploads_;
  blog::Settings settings_;
  std::shared_ptr<vivace::db::Database> db_;
  std::unique_ptr<vivace::App> app_;
  std::unique_ptr<vivace::testing::TestClient> client_;
};

inline const std::string api = "/api/v1";

inline json::value register_user(vivace::testing::TestClient& c, const std::string& name,
                                 const std::string& password = "password123") {
  auto r = c.post(api + "/auth/register")
               .json({{"email", name + "@example.com"}, {"username", name}, {"password", password}})
               .send();
  REQUIRE(r.status == 200);
  return r.json();
}

struct tokens {
  std::string access;
  std::string refresh;
  [[nodiscard]] std::string bearer() const { return "Bearer " + access; }
};

inline tokens login(vivace::testing::TestClient& c, const std::string& email,
                    const std::string& password = "password123") {
  auto r = c.post(api + "/auth/login").form({{"username", email}, {"password", password}}).send();
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto j = r.json();
  return {std::string(j.at("access_token").as_string()),
          std::string(j.at("refresh_token").as_string())};
}

/// Registers `name` and logs in.
inline tokens user(vivace::testing::TestClient& c, const std::string& name) {
  register_user(c, name);
  return login(c, name + "@example.com");
}

/// The superuser and two users most post tests start from.
struct cast {
  tokens root, ann, bob;
};
inline cast people(vivace::testing::TestClient& c) {
  auto root = login(c, "root@example.com", "rootpassword");
  auto ann = user(c, "ann");
  return {root, ann, user(c, "bob")};
}

/// `POST /posts/` with `body` as the holder of `t`.
inline vivace::testing::TestResponse create_post(vivace::testing::TestClient& c, const tokens& t,
                                                 const json::value& body) {
  return c.post(api + "/posts/").header("Authorization", t.bearer()).json(body).send();
}

}  // namespace blogtest
