// pg_floor: what PostgreSQL and libpq alone cost for the blog's database endpoints, the floor
// under any server that answers them from PostgreSQL: the example's statements, prepared
// once, sent in libpq's pipeline mode with many requests in flight (as Vivace's pipelined
// connection does under load, and cheaper for the backend than one query per round trip),
// every column of every row read as text. One connection, one thread; pin this program and
// the cluster to one core (bench/floors.sh does) and the time per request is the CPU of both.
//
// usage: pg_floor <connection string> post|list|me|create [--seconds S (3)] [--depth N (32)]
//   post    the post by id (the one in the middle of the posts)
//   list    the first 20 published posts with their authors
//   me      the current user, unless the token was revoked
//   create  the current user, the free-slug search, the insert returning the row: one
//           transaction per post (a sync after each), as the server's autocommit runs them
// The database is one blog-server made (bench/blog.sh's seeding: one user, 50 posts).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "floor_statements.hpp"

namespace {

namespace statements = floor_statements;

PGconn* conn = nullptr;

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "pg_floor: %s: %s\n", what, conn ? PQerrorMessage(conn) : "");
  std::exit(1);
}

void prepare(const char* name, const std::string& sql) {
  PGresult* r = PQprepare(conn, name, sql.c_str(), 0, nullptr);
  if (PQresultStatus(r) != PGRES_COMMAND_OK)
    die(name);
  PQclear(r);
}

std::string one_value(const char* sql) {
  PGresult* r = PQexec(conn, sql);
  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
    die(sql);
  std::string v = PQgetvalue(r, 0, 0);
  PQclear(r);
  return v;
}

struct Call {
  const char* statement;
  std::vector<std::string> params;
};

void send(const Call& c) {
  std::vector<const char*> values;
  for (const auto& p : c.params)
    values.push_back(p.c_str());
  if (!PQsendQueryPrepared(conn, c.statement, static_cast<int>(values.size()), values.data(),
                           nullptr, nullptr, 0))
    die("send");
}

long long bytes = 0;

// Reads one statement's result (every column of every row), then its terminating null.
void receive() {
  PGresult* r = PQgetResult(conn);
  if (!r)
    die("no result");
  const auto status = PQresultStatus(r);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    die(PQresultErrorMessage(r));
  for (int row = 0, rows = PQntuples(r); row < rows; ++row)
    for (int c = 0, n = PQnfields(r); c < n; ++c)
      bytes += PQgetisnull(r, row, c) ? 0 : PQgetlength(r, row, c) + (PQgetvalue(r, row, c)[0] & 1);
  PQclear(r);
  if (PQgetResult(conn) != nullptr)
    die("more than one result");
}

void receive_sync() {
  PGresult* r = PQgetResult(conn);
  if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC)
    die("no sync");
  PQclear(r);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: pg_floor <connection string> post|list|me|create [--seconds S] "
                 "[--depth N]\n");
    return 2;
  }
  const std::string mode = argv[2];
  double seconds = 3;
  int depth = 32;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seconds") == 0)
      seconds = std::atof(argv[i + 1]);
    else if (std::strcmp(argv[i], "--depth") == 0)
      depth = std::atoi(argv[i + 1]);
  }
  conn = PQconnectdb(argv[1]);
  if (PQstatus(conn) != CONNECTION_OK)
    die("connect");
  const std::string author = one_value(statements::first_user.c_str());
  const std::string middle = one_value(statements::middle_post.c_str());
  prepare("post", statements::post_by_id);
  prepare("list", statements::published);
  prepare("me", statements::current_user);
  prepare("slugs", statements::taken_slugs_postgresql);
  prepare("insert", statements::insert_post);
  const std::string& jti = statements::jti;
  const std::string& content = statements::content;
  const std::string& at = statements::created_at;
  const std::string tag =
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  long long serial = 0;
  // One request's statements.
  auto request = [&]() -> std::vector<Call> {
    if (mode == "post")
      return {{"post", {middle}}};
    if (mode == "list")
      return {{"list", {"20", "0"}}};
    if (mode == "me")
      return {{"me", {author, jti}}};
    if (mode == "create") {
      const std::string n = std::to_string(serial++);
      const std::string slug = "bench-floor-" + tag + "-post-" + n;
      return {
          {"me", {author, jti}},
          {"slugs", {slug, slug + "."}},
          {"insert",
           {"Bench floor " + tag + " post " + n, content, "", slug, "true", author, at, at, at}}};
    }
    std::fprintf(stderr, "pg_floor: unknown mode %s\n", mode.c_str());
    std::exit(2);
  };
  if (!PQenterPipelineMode(conn))
    die("pipeline mode");

  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  long long requests = 0;
  while (clock::now() < end) {
    // `depth` requests in flight, each ending with a sync (its own transaction), then their
    // results in order.
    std::vector<std::size_t> statements;
    for (int k = 0; k < depth; ++k) {
      const auto calls = request();
      for (const auto& c : calls)
        send(c);
      if (!PQpipelineSync(conn))
        die("sync");
      statements.push_back(calls.size());
    }
    if (PQflush(conn) != 0)
      die("flush");
    for (std::size_t n : statements) {
      for (std::size_t i = 0; i < n; ++i)
        receive();
      receive_sync();
      ++requests;
    }
  }
  const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
  std::printf("%s: %lld requests, %.2f us per request (%lld bytes of columns)\n", mode.c_str(),
              requests, elapsed * 1e6 / static_cast<double>(requests), bytes);
  PQfinish(conn);
}
