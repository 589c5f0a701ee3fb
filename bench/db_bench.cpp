// db_bench: `GET /items/{id}` reading one row through the framework (routing, the session
// provider, the pool, the worker hand-off, row mapping into a described struct, JSON) against
// a bare loop of the same SOCI query, in the same run, at the same concurrency: N requests in
// flight on N pooled connections.
//
// - bare: N threads, each leasing a pooled connection and running `sql << query, use, into`
//   (prepared afresh each time, as that form is).
// - bare, prepared once: the same with a statement prepared once per thread and connection,
//   the fastest SOCI loop (what the framework's per-connection statement cache approaches).
// - framework: the app served in process the way the server serves it, without sockets: I/O
//   threads running N request loops (`App::handle`, then `Request::finish`), plain handlers
//   and the database on the worker pool; thread counts as the server's defaults.
//
// usage: db_bench <database-url> [--threads N (4)] [--seconds S (3)] [--rounds R (5)]
//                 [--io-threads N] [--workers N]
// bench/db.sh runs it on SQLite and on a throwaway PostgreSQL cluster.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/describe.hpp>
#include <vivace/db.hpp>
#include <vivace/vivace.hpp>

#include "../src/detail/pool_context.hpp"

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

/// Requests per second of the app served in process as the server serves it: `io_threads`
/// running `concurrency` request loops, blocking work on a pool of `workers` threads.
double served_rate(vivace::App& app, const std::string& prefix, int concurrency, int io_threads,
                   int workers, double seconds) {
  boost::asio::io_context ioc;
  vivace::detail::bounded_pool pool({.threads = static_cast<unsigned>(workers),
                                     .queue_limit = std::size_t(1) << 20,
                                     .max_wait = std::chrono::hours(1)});
  vivace::detail::bounded_pool cpu({.threads = 1});
  vivace::detail::pool_context context(pool, cpu);
  std::atomic<bool> stop{false};
  std::atomic<long long> done{0};
  auto loop = [&](int c) -> vivace::Task<void> {
    for (int i = c; !stop.load(std::memory_order_relaxed); ++i) {
      vivace::Request req;
      req.method = "GET";
      req.target = prefix + std::to_string(i % rows + 1);
      req.headers.add("Host", "bench");
      req.scope().set_executors(&context);
      vivace::Response res = co_await app.handle(req);
      co_await finish_request(req);
      if (res.status != 200)
        std::abort();
      ++done;
    }
  };
  for (int c = 0; c < concurrency; ++c)
    boost::asio::co_spawn(ioc, loop(c), boost::asio::detached);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> io;
  for (int i = 0; i < io_threads; ++i)
    io.emplace_back([&] { ioc.run(); });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : io)
    t.join();
  pool.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return static_cast<double>(done) / s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: db_bench <database-url> [--threads N] [--seconds S] [--rounds R] "
                 "[--io-threads N] [--workers N]\n");
    return 2;
  }
  int threads = 4;
  double seconds = 3;
  int rounds = 5;
  // The server's defaults (ServerConfig): an I/O thread per core, max(4, 2 x cores) workers.
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int io_threads = cores;
  int workers = std::max(4, 2 * cores);
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads"))
      threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seconds"))
      seconds = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rounds"))
      rounds = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--io-threads"))
      io_threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--workers"))
      workers = std::atoi(argv[i + 1]);
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
  app.startup();

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
  // Each thread keeps its connection and its prepared statement for the whole phase.
  struct prepared_state {
    std::optional<vivace::db::Connection> conn;
    std::optional<soci::statement> st;
    long long id = 0, out_id = 0;
    std::string name, note;
    double price = 0;
    soci::indicator note_ind = soci::i_ok;
  };
  auto bare_prepared_rate = [&](double secs) {
    std::vector<prepared_state> prepared(static_cast<std::size_t>(threads));
    return rate(threads, secs, [&](int t, int id) {
      auto& p = prepared[static_cast<std::size_t>(t)];
      if (!p.st) {
        p.conn.emplace(db->acquire());
        p.st.emplace((p.conn->sql().prepare << query, soci::use(p.id), soci::into(p.out_id),
                      soci::into(p.name), soci::into(p.price), soci::into(p.note, p.note_ind)));
      }
      p.id = id;
      p.st->execute(true);
      if (p.out_id != id)
        std::abort();
    });
  };
  auto served = [&](const char* prefix, double secs) {
    return served_rate(app, prefix, threads, io_threads, workers, secs);
  };

  if (const char* only = std::getenv("DB_BENCH_ONLY")) {  // for a profiler: one side only
    const std::string o = only;
    std::printf("%.0f\n", o == "bare"            ? rate(threads, seconds, bare)
                          : o == "bare_prepared" ? bare_prepared_rate(seconds)
                          : o == "read"          ? served("/read/", seconds)
                                                 : served("/items/", seconds));
    app.shutdown();
    return 0;
  }
  (void)rate(threads, 0.5, bare);  // warm up
  (void)bare_prepared_rate(0.5);
  (void)served("/read/", 0.5);
  (void)served("/items/", 0.5);
  std::vector<double> read_ratios, read_prepared_ratios, tx_ratios;
  double best_bare = 0, best_prepared = 0, best_read = 0, best_tx = 0;
  for (int r = 0; r < rounds; ++r) {
    const double b = rate(threads, seconds, bare);
    const double p = bare_prepared_rate(seconds);
    const double g = served("/read/", seconds);
    const double f = served("/items/", seconds);
    best_bare = std::max(best_bare, b);
    best_prepared = std::max(best_prepared, p);
    best_read = std::max(best_read, g);
    best_tx = std::max(best_tx, f);
    read_ratios.push_back(b / g);  // time per request: framework / bare
    read_prepared_ratios.push_back(p / g);
    tx_ratios.push_back(b / f);
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const char* name = db->backend() == vivace::db::Backend::sqlite ? "SQLite" : "PostgreSQL";
  std::printf("| %s | %d | %.0f | %.0f | %.0f (%.2fx; %.2fx prepared) | %.0f (%.2fx) |\n", name,
              threads, best_bare, best_prepared, best_read, median(read_ratios),
              median(read_prepared_ratios), best_tx, median(tx_ratios));
  app.shutdown();
  return 0;
}
