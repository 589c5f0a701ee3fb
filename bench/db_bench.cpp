// db_bench: `GET /items/{id}` reading one row through the framework (routing, the session
// provider, the pool, row mapping into a described struct, JSON) against a bare loop of the
// same SOCI query (a pooled session, the same SELECT into plain variables), in the same run,
// at the same concurrency (threads = pool size). Framework requests go through the in-process
// TestClient, so neither side pays for sockets: the ratio is the framework's own cost around
// the query.
//
// usage: db_bench <database-url> [--threads N (4)] [--seconds S (3)] [--rounds R (3)]
// bench/db.sh runs it on SQLite and on a throwaway PostgreSQL cluster.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/db.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

namespace {

struct Item {
  std::int64_t id = 0;
  std::string name;
  double price = 0;
  std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, name, price, note))

constexpr int rows = 1000;
constexpr const char* query = "SELECT id, name, price, note FROM items WHERE id = :id";

void setup(vivace::db::Database& db) {
  vivace::db::Session s(db);
  s.execute("DROP TABLE IF EXISTS items");
  s.execute(
      "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price DOUBLE "
      "PRECISION NOT NULL, note TEXT)");
  for (int i = 1; i <= rows; ++i)
    s.execute("INSERT INTO items (id, name, price, note) VALUES (:i, :n, :p, NULL)", i,
              "item " + std::to_string(i), i * 1.5);
  s.commit();
}

/// Requests per second of `threads` threads running `one(thread, i)` for `seconds`.
template <class F>
double rate(int threads, double seconds, F one) {
  std::atomic<bool> stop{false};
  std::atomic<long long> done{0};
  std::vector<std::thread> ts;
  const auto t0 = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      long long n = 0;
      for (int i = t; !stop.load(std::memory_order_relaxed); ++i, ++n)
        one(t, i % rows + 1);
      done += n;
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : ts)
    t.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return static_cast<double>(done) / s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: db_bench <database-url> [--threads N] [--seconds S] [--rounds R]\n");
    return 2;
  }
  int threads = 4;
  double seconds = 3;
  int rounds = 3;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads"))
      threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seconds"))
      seconds = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rounds"))
      rounds = std::atoi(argv[i + 1]);
  }
  vivace::log::set_level(vivace::log::level::warning);
  auto db = std::make_shared<vivace::db::Database>(
      argv[1], vivace::db::DatabaseOptions{.pool_size = static_cast<std::size_t>(threads)});
  setup(*db);

  vivace::App app;
  app.provide<vivace::db::Database>(db);
  app.get<"/items/{id}">([](vivace::Path<"id", std::int64_t> id,
                            vivace::db::SessionDep s) { return s->one<Item>(query, *id); },
                         {.not_found_if_empty = true});
  app.get<"/read/{id}">([](vivace::Path<"id", std::int64_t> id,
                           vivace::db::ReadSessionDep s) { return s->one<Item>(query, *id); },
                        {.not_found_if_empty = true});
  std::vector<std::unique_ptr<vivace::testing::TestClient>> clients;
  for (int t = 0; t < threads; ++t)
    clients.push_back(std::make_unique<vivace::testing::TestClient>(app));

  auto bare = [&](int, int id) {
    auto c = db->acquire();
    long long out_id = 0;
    std::string name;
    double price = 0;
    std::string note;
    soci::indicator note_ind = soci::i_ok;
    c.sql() << query, soci::use(id), soci::into(out_id), soci::into(name), soci::into(price),
        soci::into(note, note_ind);
    if (out_id != id)
      std::abort();
  };
  auto framework = [&](int t, int id) {
    auto r = clients[static_cast<std::size_t>(t)]->get("/items/" + std::to_string(id)).send();
    if (r.status != 200)
      std::abort();
  };
  auto framework_read = [&](int t, int id) {
    auto r = clients[static_cast<std::size_t>(t)]->get("/read/" + std::to_string(id)).send();
    if (r.status != 200)
      std::abort();
  };
  if (const char* only = std::getenv("DB_BENCH_ONLY")) {  // for a profiler: one side only
    const std::string o = only;
    std::printf("%.0f\n", o == "bare"   ? rate(threads, seconds, bare)
                          : o == "read" ? rate(threads, seconds, framework_read)
                                        : rate(threads, seconds, framework));
    return 0;
  }
  (void)rate(threads, 0.5, bare);  // warm up
  (void)rate(threads, 0.5, framework);
  (void)rate(threads, 0.5, framework_read);
  std::vector<double> tx_ratios, read_ratios;
  double best_bare = 0, best_tx = 0, best_read = 0;
  for (int r = 0; r < rounds; ++r) {
    const double b = rate(threads, seconds, bare);
    const double f = rate(threads, seconds, framework);
    const double g = rate(threads, seconds, framework_read);
    best_bare = std::max(best_bare, b);
    best_tx = std::max(best_tx, f);
    best_read = std::max(best_read, g);
    tx_ratios.push_back(b / f);
    read_ratios.push_back(b / g);
  }
  std::sort(tx_ratios.begin(), tx_ratios.end());
  std::sort(read_ratios.begin(), read_ratios.end());
  const char* name = db->backend() == vivace::db::Backend::sqlite ? "SQLite" : "PostgreSQL";
  std::printf("| %s | %d | %.0f | %.0f (%.2fx) | %.0f (%.2fx) |\n", name, threads, best_bare,
              best_read, read_ratios[read_ratios.size() / 2], best_tx,
              tx_ratios[tx_ratios.size() / 2]);
  return 0;
}
