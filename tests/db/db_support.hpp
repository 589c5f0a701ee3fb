#pragma once
// The backends every database test runs against: a fresh SQLite file and the throwaway
// PostgreSQL cluster of tests/db/with-postgres.sh (VIVACE_TEST_POSTGRES_URL).

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <vivace/db.hpp>

namespace dbtest {

struct backend {
  std::string name;
  std::string url;
};

/// A fresh database per call: a new SQLite file (deleted afterwards), or PostgreSQL's
/// `public` schema emptied.
class fresh_database {
 public:
  explicit fresh_database(const std::string& which) {
    if (which == "sqlite") {
      static std::atomic<int> counter{0};
      path_ =
          std::filesystem::temp_directory_path() / ("vivace-db-test-" + std::to_string(::getpid()) +
                                                    "-" + std::to_string(++counter) + ".db");
      url_ = "sqlite:///" + path_.string();  // sqlite:////tmp/... is absolute
    } else {
      const char* pg = std::getenv("VIVACE_TEST_POSTGRES_URL");
      if (!pg)
        FAIL(
            "VIVACE_TEST_POSTGRES_URL is not set: run the tests through "
            "tests/db/with-postgres.sh (ctest does)");
      url_ = pg;
      vivace::db::Database admin(url_, {.pool_size = 1});
      auto c = admin.acquire();
      c.sql() << "DROP SCHEMA public CASCADE";
      c.sql() << "CREATE SCHEMA public";
    }
  }
  ~fresh_database() {
    if (!path_.empty())
      for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path_.string() + suffix);
  }
  fresh_database(const fresh_database&) = delete;
  fresh_database& operator=(const fresh_database&) = delete;
  [[nodiscard]] const std::string& url() const { return url_; }

 private:
  std::filesystem::path path_;
  std::string url_;
};

inline std::vector<std::string> backends() {
  return {"sqlite", "postgresql"};
}

}  // namespace dbtest
