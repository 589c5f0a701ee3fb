// list_floor: what SQLite alone costs for the blog's `GET /api/v1/posts/?limit=20` query, the
// floor under any server that answers it: the example's statement prepared once, then in a
// loop bound, stepped through its 20 rows with every column read (integers as integers, text
// as text), and reset, on one thread, no mutex of SQLite's taken by the caller.
//
// usage: list_floor <blog database file> [--seconds S (3)] [--limit N (20)]
// The database is one blog-server made (bench/blog.sh's seeding: 50 published posts).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <sqlite3.h>

namespace {

constexpr const char* query =
    "SELECT p.id, p.title, p.content, p.excerpt, p.slug, p.published, p.author_id, "
    "p.created_at, p.updated_at, p.published_at, a.email AS a_email, a.username AS a_username, "
    "a.full_name AS a_full_name, a.bio AS a_bio, a.avatar_url AS a_avatar_url, "
    "a.is_active AS a_is_active, a.is_superuser AS a_is_superuser, a.created_at AS "
    "a_created_at, a.updated_at AS a_updated_at FROM posts p JOIN users a ON a.id = "
    "p.author_id WHERE p.published = TRUE ORDER BY p.created_at DESC, p.id DESC LIMIT ?1 "
    "OFFSET ?2";

[[noreturn]] void die(sqlite3* db, const char* what) {
  std::fprintf(stderr, "list_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: list_floor <blog database file> [--seconds S] [--limit N]\n");
    return 2;
  }
  double seconds = 3;
  int limit = 20;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seconds") == 0)
      seconds = std::atof(argv[i + 1]);
    else if (std::strcmp(argv[i], "--limit") == 0)
      limit = std::atoi(argv[i + 1]);
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    die(db, "open");
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db, query, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
    die(db, "prepare");

  using clock = std::chrono::steady_clock;
  const auto end = clock::now() + std::chrono::duration<double>(seconds);
  long long queries = 0, rows = 0, bytes = 0;
  const auto start = clock::now();
  while (clock::now() < end) {
    for (int k = 0; k < 100; ++k) {
      sqlite3_bind_int64(st, 1, limit);
      sqlite3_bind_int64(st, 2, 0);
      int rc;
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ++rows;
        const int n = sqlite3_column_count(st);
        for (int c = 0; c < n; ++c) {
          if (sqlite3_column_type(st, c) == SQLITE_INTEGER) {
            bytes += sqlite3_column_int64(st, c) & 1;
          } else {
            const auto* t = sqlite3_column_text(st, c);
            bytes += t ? sqlite3_column_bytes(st, c) : 0;
          }
        }
      }
      if (rc != SQLITE_DONE)
        die(db, "step");
      sqlite3_reset(st);
      ++queries;
    }
  }
  const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
  std::printf("%lld queries, %.1f rows each, %.0f bytes of columns each: %.2f us per query\n",
              queries, static_cast<double>(rows) / static_cast<double>(queries),
              static_cast<double>(bytes) / static_cast<double>(queries),
              elapsed * 1e6 / static_cast<double>(queries));
  sqlite3_finalize(st);
  sqlite3_close(db);
}
