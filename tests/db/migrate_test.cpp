// Migrations on SQLite and PostgreSQL: up, down, checksums, a failing step, two migrators at
// once, the command line, and hostile SQL text.

#include <algorithm>
#include <fstream>
#include <future>
#include <sstream>

#include "db_support.hpp"

using namespace vivace;

namespace {

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("vivace-migrations-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
};

void write_steps(const temp_dir& d) {
  d.write("0001_users.up.sqlite.sql",
          "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n"
          "-- a comment; with a semicolon\n"
          "CREATE INDEX users_email ON users (email);");
  d.write("0001_users.up.postgresql.sql",
          "CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
          "email TEXT NOT NULL UNIQUE);\n"
          "CREATE INDEX users_email ON users (email);");
  d.write("0001_users.down.sql", "DROP TABLE users;");
  d.write("0002_posts.up.sql",
          "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT 'a;b', "
          "author_id INTEGER REFERENCES users(id));");
  d.write("0002_posts.down.sql", "DROP TABLE posts;");
  d.write("10_seed.up.sql", "INSERT INTO users (email) VALUES ('admin@example.com');");
  d.write("10_seed.down.sql", "DELETE FROM users WHERE email = 'admin@example.com';");
}

long long count(db::Database& d, const std::string& sql) {
  db::Session s(d);
  return s.one<long long>(sql).value_or(-1);
}

bool table_exists(db::Database& d, const std::string& table) {
  db::Session s(d);
  if (d.backend() == db::Backend::sqlite)
    return s.one<long long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :t",
                            table) == 1;
  return s.one<long long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = :t",
                          table) == 1;
}

}  // namespace

TEST_CASE("migrations: upgrade, current, history, downgrade", "[db][migrations]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 2});
      temp_dir dir;
      write_steps(dir);
      auto steps = db::Migrations::from_directory(dir.path);
      REQUIRE(steps.steps().size() == 3);
      CHECK(steps.steps()[2].version == "10");  // numeric order: 0001, 0002, 10
      CHECK_FALSE(steps.current(database));
      CHECK(steps.upgrade(database, "0002") == std::vector<std::string>{"0001", "0002"});
      CHECK(steps.current(database) == "0002");
      CHECK(steps.upgrade(database) == std::vector<std::string>{"10"});
      CHECK(steps.upgrade(database).empty());  // nothing left
      CHECK(count(database, "SELECT COUNT(*) FROM users") == 1);
      auto h = steps.history(database);
      REQUIRE(h.size() == 3);
      CHECK(h[0].name == "users");
      CHECK(h[0].checksum == db::Migrations::checksum(steps.steps()[0], database.backend()));
      CHECK(h[0].applied_at.ends_with("Z"));
      CHECK(steps.downgrade(database, "-1") == std::vector<std::string>{"10"});
      CHECK(count(database, "SELECT COUNT(*) FROM users") == 0);
      CHECK(steps.downgrade(database, "base") == std::vector<std::string>{"0002", "0001"});
      CHECK_FALSE(table_exists(database, "users"));
      CHECK_FALSE(steps.current(database));
      CHECK_THROWS_WITH(steps.downgrade(database, "0002"), Catch::Contains("not applied"));
      CHECK_THROWS_WITH(steps.upgrade(database, "9999"), Catch::Contains("no version 9999"));
    }
  }
}

TEST_CASE("migrations: an edited applied step is an error; a failing step leaves no trace",
          "[db][migrations]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 1});
      db::Migrations steps;
      steps.add({.version = "1", .name = "t", .up = "CREATE TABLE t (x INTEGER)"});
      steps.upgrade(database);
      db::Migrations edited;
      edited.add({.version = "1", .name = "t", .up = "CREATE TABLE t (x INTEGER, y INTEGER)"});
      CHECK_THROWS_WITH(edited.upgrade(database),
                        Catch::Contains("1 (t) was changed after it was applied"));
      db::Migrations unknown;
      CHECK_THROWS_WITH(unknown.upgrade(database), Catch::Contains("not known to this program"));
      // Step 2 creates a table, then fails: the table and the record are rolled back.
      steps.add({.version = "2",
                 .name = "broken",
                 .up = "CREATE TABLE u (x INTEGER); INSERT INTO nowhere VALUES (1);"});
      CHECK_THROWS_WITH(steps.upgrade(database),
                        Catch::Contains("2 (broken) failed and was rolled back"));
      CHECK(steps.current(database) == "1");
      CHECK_FALSE(table_exists(database, "u"));
      // A C++ step runs in the same transaction, after the SQL.
      db::Migrations with_code;
      with_code.add({.version = "1", .name = "t", .up = "CREATE TABLE t (x INTEGER)"});
      with_code.add({.version = "3",
                     .name = "fill",
                     .up = "INSERT INTO t VALUES (1)",
                     .down = "DELETE FROM t",
                     .up_step = [](soci::session& sql) { sql << "INSERT INTO t VALUES (2)"; },
                     .step_revision = "r1"});
      CHECK(with_code.upgrade(database) == std::vector<std::string>{"3"});
      CHECK(count(database, "SELECT COUNT(*) FROM t") == 2);
      CHECK_THROWS_WITH(with_code.downgrade(database, "base"),
                        Catch::Contains("1 (t) cannot be undone"));
      CHECK(count(database, "SELECT COUNT(*) FROM t") == 2);  // nothing undone
    }
  }
}

TEST_CASE("migrations: two migrators at once apply each step once", "[db][migrations]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Migrations steps;
      for (int i = 1; i <= 8; ++i)
        steps.add({.version = std::to_string(i),
                   .name = "step",
                   .up = "CREATE TABLE t" + std::to_string(i) + " (x INTEGER)"});
      auto run = [&] {
        db::Database d(fresh.url(),
                       {.pool_size = 1, .sqlite_busy_timeout = std::chrono::seconds(30)});
        return steps.upgrade(d).size();
      };
      auto a = std::async(std::launch::async, run);
      auto b = std::async(std::launch::async, run);
      CHECK(a.get() + b.get() == 8);  // no step twice, no error
      db::Database d(fresh.url(), {.pool_size = 1});
      CHECK(count(d, "SELECT COUNT(*) FROM schema_migrations") == 8);
    }
  }
}

TEST_CASE("migrations: the command line", "[db][migrations]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 1});
      temp_dir dir;
      write_steps(dir);
      auto steps = db::Migrations::from_directory(dir.path);
      auto cli = [&](std::vector<std::string> args) {
        std::ostringstream out, err;
        int rc = steps.run_cli(database, args, out, err);
        return std::tuple{rc, out.str(), err.str()};
      };
      CHECK(cli({"current"}) == std::tuple{0, std::string("base\n"), std::string()});
      CHECK(std::get<1>(cli({"upgrade"})) == "applied 0001\napplied 0002\napplied 10\n");
      CHECK(std::get<1>(cli({"upgrade", "head"})) == "up to date\n");
      CHECK_THAT(std::get<1>(cli({"history"})), Catch::Contains("0002 posts applied 20"));
      CHECK(std::get<1>(cli({"downgrade", "0001"})) == "undid 10\nundid 0002\n");
      CHECK(std::get<1>(cli({"current"})) == "0001\n");
      CHECK(std::get<0>(cli({"sideways"})) == 2);
      CHECK(std::get<0>(cli({"downgrade", "77"})) == 1);
    }
  }
}

TEST_CASE("migrations: a step's text is read by the database's own lexer", "[db][migrations]") {
  // Each of these broke a hand-written statement splitter: a `;` inside a nested comment, an
  // E'' string with an escaped quote, a dollar-quoted body, a trigger body, a `:name` that
  // SOCI would take for a parameter.
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 1});
      const bool pg = database.backend() == db::Backend::postgresql;
      std::string up = "CREATE TABLE t (x TEXT);\n";
      if (pg)
        up +=
            "/* outer /* inner; */ still a comment; INSERT INTO t VALUES ('no'); */\n"
            "INSERT INTO t VALUES (E'it\\'s; one');\n"
            "CREATE FUNCTION f() RETURNS text AS $body$ BEGIN RETURN 'a;b'; END; $body$ "
            "LANGUAGE plpgsql;\n"
            "INSERT INTO t VALUES (f());\n"
            "INSERT INTO t VALUES (':name ; :other');\n";
      else
        up +=
            "/* a comment; INSERT INTO t VALUES ('no'); */\n"
            "INSERT INTO t VALUES ('it''s; one');\n"
            "CREATE TABLE log (y TEXT);\n"
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('a;b'); END;\n"
            "INSERT INTO t VALUES ('a;b');\n"
            "INSERT INTO t VALUES (':name ; :other');\n";
      db::Migrations steps;
      steps.add({.version = "1", .name = "hostile", .up = up});
      CHECK(steps.upgrade(database) == std::vector<std::string>{"1"});
      {
        db::Session s(database);
        auto values = s.all<std::string>("SELECT x FROM t");
        std::sort(values.begin(), values.end());  // not by the database's collation
        CHECK(values == std::vector<std::string>{":name ; :other", "a;b", "it's; one"});
      }
      if (!pg)  // the trigger ran for the two rows inserted after it
        CHECK(count(database, "SELECT COUNT(*) FROM log") == 2);

      // A failing statement is named by its line in the step, and nothing of the step stays.
      steps.add({.version = "2",
                 .name = "typo",
                 .up = "CREATE TABLE u (x TEXT);\nINSERT INTO u VALUES ('a');\nINSRT INTO u "
                       "VALUES ('b');\n"});
      CHECK_THROWS_WITH(steps.upgrade(database),
                        Catch::Contains("2 (typo) failed and was rolled back") &&
                            Catch::Contains("line 3, column 1"));
      CHECK_FALSE(table_exists(database, "u"));
      CHECK(steps.current(database) == "1");
    }
  }
}
