// sqlite_floor: what SQLite alone costs for the blog's database endpoints, the floor under any
// server that answers them from SQLite: the example's statements, each prepared once, bound,
// stepped through every row with every column read (integers as integers, text as text) and
// reset, with the pragmas Vivace sets (WAL, synchronous=NORMAL, foreign keys), on one thread,
// no mutex of SQLite's taken by the caller. Pin it to one core (bench/blog.sh does).
//
// usage: sqlite_floor <blog database file> post|list|me|create [--seconds S (3)]
//   post    the post by id (the one in the middle of the posts)
//   list    the first 20 published posts with their authors
//   me      the current user, unless the token was revoked
//   create  the current user, the free-slug search, the insert returning the row, each in
//           autocommit as the server runs them (the insert commits), a title of its own each
// The database is one blog-server made (bench/blog.sh's seeding: one user, 50 posts); the
// posts `create` adds stay, as bench/blog.sh's POSTs do.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <sqlite3.h>

#include "floor_statements.hpp"

namespace {

namespace statements = floor_statements;

sqlite3* db = nullptr;

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "sqlite_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
  std::exit(1);
}

sqlite3_stmt* prepare(const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
    die("prepare");
  return st;
}

void text(sqlite3_stmt* st, int i, const std::string& s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

long long bytes = 0;

// Steps to the end, reading every column, and resets; returns the rows.
long long run(sqlite3_stmt* st) {
  long long rows = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    ++rows;
    for (int c = 0, n = sqlite3_column_count(st); c < n; ++c) {
      if (sqlite3_column_type(st, c) == SQLITE_INTEGER) {
        bytes += sqlite3_column_int64(st, c) & 1;
      } else {
        const auto* t = sqlite3_column_text(st, c);
        bytes += t ? sqlite3_column_bytes(st, c) : 0;
      }
    }
  }
  if (rc != SQLITE_DONE)
    die("step");
  sqlite3_reset(st);
  return rows;
}

sqlite3_int64 one_integer(const char* sql) {
  sqlite3_stmt* st = prepare(sql);
  if (sqlite3_step(st) != SQLITE_ROW)
    die(sql);
  const auto v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: sqlite_floor <blog database file> post|list|me|create [--seconds S]\n");
    return 2;
  }
  const std::string mode = argv[2];
  double seconds = 3;
  for (int i = 3; i + 1 < argc; i += 2)
    if (std::strcmp(argv[i], "--seconds") == 0)
      seconds = std::atof(argv[i + 1]);
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    die("open");
  for (const char* pragma : {"PRAGMA busy_timeout=5000", "PRAGMA journal_mode=WAL",
                             "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"})
    if (sqlite3_exec(db, pragma, nullptr, nullptr, nullptr) != SQLITE_OK)
      die(pragma);
  const sqlite3_int64 author = one_integer(statements::first_user.c_str());
  const sqlite3_int64 middle = one_integer(statements::middle_post.c_str());
  sqlite3_stmt* post = prepare(statements::post_by_id);
  sqlite3_stmt* list = prepare(statements::published);
  sqlite3_stmt* me = prepare(statements::current_user);
  sqlite3_stmt* slugs = prepare(statements::taken_slugs_sqlite);
  sqlite3_stmt* insert = prepare(statements::insert_post);
  const std::string& jti = statements::jti;
  const std::string& content = statements::content;
  const std::string& at = statements::created_at;
  const std::string tag =
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  long long serial = 0;
  auto current_user = [&] {
    sqlite3_bind_int64(me, 1, author);
    text(me, 2, jti);
    if (run(me) != 1)
      die("the current user");
  };
  auto request = [&] {
    if (mode == "post") {
      sqlite3_bind_int64(post, 1, middle);
      if (run(post) != 1)
        die("the post");
    } else if (mode == "list") {
      sqlite3_bind_int64(list, 1, 20);
      sqlite3_bind_int64(list, 2, 0);
      run(list);
    } else if (mode == "me") {
      current_user();
    } else if (mode == "create") {
      current_user();
      const std::string n = std::to_string(serial++);
      const std::string slug = "bench-floor-" + tag + "-post-" + n;
      text(slugs, 1, slug);
      text(slugs, 2, slug + ".");
      run(slugs);
      text(insert, 1, "Bench floor " + tag + " post " + n);
      text(insert, 2, content);
      sqlite3_bind_null(insert, 3);
      text(insert, 4, slug);
      sqlite3_bind_int(insert, 5, 1);
      sqlite3_bind_int64(insert, 6, author);
      text(insert, 7, at);
      text(insert, 8, at);
      text(insert, 9, at);
      if (run(insert) != 1)
        die("the insert");
    } else {
      std::fprintf(stderr, "sqlite_floor: unknown mode %s\n", mode.c_str());
      std::exit(2);
    }
  };

  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  long long requests = 0;
  while (clock::now() < end)
    for (int k = 0; k < 50; ++k, ++requests)
      request();
  const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
  std::printf("%s: %lld requests, %.2f us per request (%lld bytes of columns)\n", mode.c_str(),
              requests, elapsed * 1e6 / static_cast<double>(requests), bytes);
  for (sqlite3_stmt* st : {post, list, me, slugs, insert})
    sqlite3_finalize(st);
  sqlite3_close(db);
}
