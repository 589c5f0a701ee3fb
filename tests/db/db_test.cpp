// The database layer on SQLite and PostgreSQL: URLs, row mapping, typed constraint errors,
// per-request transactions (plain and coroutine handlers), pool exhaustion, reconnection after
// a server restart, concurrent writers.

#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <vivace/core/log.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

#include <soci/sqlite3/soci-sqlite3.h>

#include "db_support.hpp"
#include "http_client.hpp"

using namespace vivace;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

enum class Mood { calm, busy };
BOOST_DESCRIBE_ENUM(Mood, calm, busy)

struct Item {
  std::int64_t id = 0;
  Str<min_len<1>> name;
  std::optional<std::string> note;
  bool active = true;
  double price = 0;
  Mood mood = Mood::calm;
  DateTime created;
  SecretStr token;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, name, note, active, price, mood, created, token))

std::string items_table(db::Backend b) {
  return std::string("CREATE TABLE items (id ") +
         (b == db::Backend::sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY") +
         ", name TEXT NOT NULL UNIQUE, note TEXT, active BOOLEAN NOT NULL, price DOUBLE PRECISION "
         "NOT NULL, mood TEXT NOT NULL, created " +
         (b == db::Backend::sqlite ? "TEXT" : "TIMESTAMPTZ") + " NOT NULL, token TEXT NOT NULL)";
}

void create_items(db::Database& database) {
  auto c = database.acquire();
  c.sql() << items_table(database.backend());
}

Item sample(std::string name) {
  Item it;
  it.name = Str<min_len<1>>(std::move(name));
  it.note = std::nullopt;
  it.active = false;
  it.price = 2.5;
  it.mood = Mood::busy;
  it.created = *DateTime::parse("2026-11-25T10:11:12Z");
  it.token = SecretStr("s3cret");
  return it;
}

// Plain members only: each column is written into its member without JSON.
struct Plain {
  std::int64_t id = 0;
  int small = 0;
  bool flag = false;
  double ratio = 0;
  std::string text;
  std::optional<std::string> maybe;
  DateTime at;
  std::optional<DateTime> maybe_at;
};
BOOST_DESCRIBE_STRUCT(Plain, (), (id, small, flag, ratio, text, maybe, at, maybe_at))

void create_plain(db::Database& database) {
  auto c = database.acquire();
  if (database.backend() == db::Backend::sqlite) {
    c.sql() << "CREATE TABLE plain (id INTEGER PRIMARY KEY, small INTEGER, flag INTEGER, "
               "ratio REAL, text TEXT, maybe TEXT, at TEXT, maybe_at TEXT)";
    c.sql() << "INSERT INTO plain VALUES (1, -7, 1, 0.25, 'one', NULL, '2026-11-25 10:11:12', "
               "NULL), (2, 2147483647, 0, 3, '', 'two', '2026-11-25T10:11:12+02:00', "
               "'2026-11-26 00:00:00')";
  } else {
    c.sql() << "CREATE TABLE plain (id BIGINT PRIMARY KEY, small BIGINT, flag BOOLEAN, "
               "ratio DOUBLE PRECISION, text TEXT, maybe TEXT, at TIMESTAMPTZ, maybe_at "
               "TIMESTAMPTZ)";
    c.sql() << "INSERT INTO plain VALUES (1, -7, TRUE, 0.25, 'one', NULL, '2026-11-25 "
               "10:11:12+00', NULL), (2, 2147483647, FALSE, 3, '', 'two', '2026-11-25 "
               "08:11:12+00', '2026-11-26 00:00:00+00')";
  }
}

void insert(db::Session& s, const Item& it) {
  s.execute(
      "INSERT INTO items (name, note, active, price, mood, created, token) "
      "VALUES (:name, :note, :active, :price, :mood, :created, :token)",
      it);  // a described struct binds by member name
}

}  // namespace

TEST_CASE("db: DATABASE_URL forms, passwords kept out of logs", "[db]") {
  auto memory = db::DatabaseUrl::parse("sqlite://:memory:");
  CHECK(memory.in_memory());
  CHECK(db::DatabaseUrl::parse("sqlite:///data/app.db").sqlite_path == "data/app.db");
  CHECK(db::DatabaseUrl::parse("sqlite:////var/lib/app.db").sqlite_path == "/var/lib/app.db");
  auto pg = db::DatabaseUrl::parse(
      "postgresql://blog:p%40ss%27word@db.internal:6543/blog?sslmode=require&connect_timeout=5");
  CHECK(pg.backend == db::Backend::postgresql);
  CHECK(pg.connect_string ==
        "host='db.internal' port='6543' user='blog' password='p@ss\\'word' dbname='blog' "
        "sslmode='require' connect_timeout='5'");
  CHECK(pg.redacted ==
        "postgresql://blog:***@db.internal:6543/blog?sslmode=require&connect_timeout=5");
  CHECK(db::DatabaseUrl::parse("postgres://localhost/x").connect_string ==
        "host='localhost' dbname='x'");
  auto refused = [](std::string_view url) {
    try {
      (void)db::DatabaseUrl::parse(url);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(refused("mysql://u:pw@h/db"), Catch::Contains("unsupported scheme 'mysql'"));
  CHECK_THAT(refused("sqlite://relative.db"), Catch::Contains("sqlite:///relative.db"));
  CHECK_THAT(refused("postgresql://u:topsecret@h/db?bad key=1"), !Catch::Contains("topsecret"));
  CHECK_THAT(refused("postgresql://h/a/b"), Catch::Contains("database name"));
}

TEST_CASE("db: described structs map to rows both ways", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 2});
      create_items(database);
      db::Session s(database);
      CHECK(s.all<Item>("SELECT * FROM items").empty());
      insert(s, sample("lamp"));
      auto it = s.one<Item>("SELECT * FROM items WHERE name = :n", "lamp");
      REQUIRE(it);
      CHECK(it->id >= 1);
      CHECK(*it->name == "lamp");
      CHECK_FALSE(it->note);  // NULL
      CHECK(it->active == false);
      CHECK(it->price == 2.5);
      CHECK(it->mood == Mood::busy);
      CHECK(it->created == *DateTime::parse("2026-11-25T10:11:12Z"));
      CHECK(it->token.reveal() == "s3cret");  // stored as it is, not masked
      s.execute("UPDATE items SET note = :n WHERE id = :id", "bright", it->id);
      CHECK(s.one<Item>("SELECT * FROM items WHERE id = :id", it->id)->note == "bright");
      // std::optional parameters: empty binds NULL.
      s.execute("UPDATE items SET note = :n WHERE id = :id", std::optional<std::string>{}, it->id);
      CHECK_FALSE(s.one<Item>("SELECT * FROM items WHERE id = :id", it->id)->note);
      s.execute("UPDATE items SET note = :n WHERE id = :id", std::optional<std::string>("dim"),
                std::optional<std::int64_t>(it->id));
      CHECK(s.one<Item>("SELECT * FROM items WHERE id = :id", it->id)->note == "dim");
      CHECK_FALSE(s.one<Item>("SELECT * FROM items WHERE id = :id", 999));
      CHECK(s.one<long long>("SELECT COUNT(*) FROM items") == 1);
      insert(s, sample("desk"));
      auto all = s.all<Item>("SELECT * FROM items ORDER BY name");
      REQUIRE(all.size() == 2);
      CHECK(*all[0].name == "desk");
      CHECK(*all[1].name == "lamp");
      CHECK(s.all<std::string>("SELECT name FROM items ORDER BY name DESC") ==
            std::vector<std::string>{"lamp", "desk"});
      // A single NULL column: nothing from one(), an error from all() (no value to give).
      CHECK_FALSE(s.one<std::string>("SELECT note FROM items WHERE name = 'desk'"));
      CHECK_THROWS(s.all<std::string>("SELECT note FROM items"));
      // A row that does not fit the model: an error naming the column and the rule.
      s.execute("UPDATE items SET name = '' WHERE name = 'desk'");
      try {
        (void)s.all<Item>("SELECT * FROM items");
        FAIL("a row breaking min_len was accepted");
      } catch (const db::RowError& e) {
        REQUIRE(e.errors().size() == 1);
        CHECK(e.errors()[0].loc == json::array{"name"});
        CHECK(e.errors()[0].type == "string_too_short");
        CHECK_THAT(e.what(),
                   Catch::Contains(R"(["name"]: String should have at least 1 character)") &&
                       Catch::Contains(R"(got "")"));
      }
    }
  }
}

TEST_CASE("db: timestamps keep their microseconds, in a transaction, autocommit and pipelined",
          "[db][pipeline]") {
  // SOCI 4.0 reads a PostgreSQL timestamptz as std::tm, to the second: rows go through libpq.
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 2});
      create_items(*database);
      auto it = sample("clock");
      it.created = *DateTime::parse("2026-11-25T10:11:12.123456Z");
      auto round = sample("round");
      round.created = *DateTime::parse("2026-11-25T10:11:12.5+02:00");
      {
        db::Session s(*database);
        insert(s, it);
        insert(s, round);
        s.commit();
      }
      const std::string one = "SELECT * FROM items WHERE name = :n";
      {  // in a transaction
        db::Session s(*database);
        s.begin();
        const auto r = s.one<Item>(one, "clock");
        REQUIRE(r);
        CHECK(r->created.to_string() == "2026-11-25T10:11:12.123456Z");
        CHECK(s.all<Item>("SELECT * FROM items ORDER BY name").at(1).created.utc ==
              DateTime::parse("2026-11-25T08:11:12.5Z")->utc);
      }
      {  // autocommit, off an I/O thread
        db::Session s(*database, nullptr);
        CHECK(s.one<Item>(one, "clock")->created == it.created);
      }
      // A read run inline (PostgreSQL: the pipelined connection), the JSON it answers.
      App app;
      app.provide<db::Database>(database);
      app.get<"/items/{name}">(
          [&](Path<"name", std::string> name, db::ReadSessionDep s) {
            return s->one<Item>("SELECT * FROM items WHERE name = :n", *name);
          },
          {.not_found_if_empty = true, .run_inline = true});
      testing::TestClient client(app);
      CHECK(client.get("/items/clock").send().json().at("created") ==
            "2026-11-25T10:11:12.123456Z");
      const auto half = client.get("/items/round").send().json().at("created").as_string();
      CHECK(DateTime::parse(half)->utc == DateTime::parse("2026-11-25T08:11:12.5Z")->utc);
    }
  }
}

TEST_CASE("db: timestamp parameters compare in time order, whatever their offset or fraction",
          "[db]") {
  // SQLite compares the stored text: `10:00:00Z` sorts after `10:00:00.5Z` and `10:30+01:00`
  // after both unless every timestamp is written in UTC with one width.
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 1});
      create_items(database);
      db::Session s(database);
      for (const auto& [name, at] :
           {std::pair{"whole", "2026-11-25T10:00:00Z"}, std::pair{"half", "2026-11-25T10:00:00.5Z"},
            std::pair{"offset", "2026-11-25T10:30:00+01:00"}}) {
        auto it = sample(name);
        it.created = *DateTime::parse(at);
        insert(s, it);  // a struct's member
      }
      const std::string scalar =
          "INSERT INTO items (name, active, price, mood, created, token) "
          "VALUES (:n, FALSE, 1, 'calm', :c, 't')";
      s.execute(scalar, "quarter", *DateTime::parse("2026-11-25T11:00:00.25+01:00"));
      using namespace std::chrono;
      const sys_days day = year{2026} / November / 25;
      s.execute(scalar, "clock", system_clock::time_point(day + 10h + 750ms));
      using names = std::vector<std::string>;
      CHECK(s.all<std::string>("SELECT name FROM items ORDER BY created") ==
            names{"offset", "whole", "quarter", "half", "clock"});
      CHECK(s.all<std::string>("SELECT name FROM items WHERE created > :t ORDER BY created",
                               *DateTime::parse("2026-11-25T10:00:00.1Z")) ==
            names{"quarter", "half", "clock"});
      CHECK(s.all<std::string>("SELECT name FROM items WHERE created >= :t ORDER BY created",
                               *DateTime::parse("2026-11-25T11:00:00+01:00")) ==
            names{"whole", "quarter", "half", "clock"});
      CHECK(s.one<Item>("SELECT * FROM items WHERE name = 'offset'")->created.utc ==
            DateTime::parse("2026-11-25T09:30:00Z")->utc);
    }
  }
}

TEST_CASE("db: unique and foreign-key violations are typed, with the constraint", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 1});
      create_items(database);
      db::Session s(database);
      s.execute(
          std::string("CREATE TABLE tags (id INTEGER PRIMARY KEY, item_id INTEGER NOT "
                      "NULL CONSTRAINT tags_item_fk REFERENCES items(id))"));
      insert(s, sample("lamp"));
      s.commit();
      try {
        insert(s, sample("lamp"));
        FAIL("duplicate accepted");
      } catch (const db::UniqueViolation& e) {
        CHECK(e.kind() == db::IntegrityError::Kind::unique);
        CHECK(e.constraint() == (which == "sqlite" ? "items.name" : "items_name_key"));
      }
      s.rollback();  // PostgreSQL: the failed statement ended the transaction
      // The same through a row read back (SQLite reads it natively): the constraint is the
      // table and column only, not the statement's text.
      try {
        (void)s.one<Item>(
            "INSERT INTO items (name, note, active, price, mood, created, token) "
            "VALUES ('lamp', 'note_name', TRUE, 1.0, 'calm', '2026-11-25T10:11:12Z', 't') "
            "RETURNING *");
        FAIL("duplicate accepted");
      } catch (const db::UniqueViolation& e) {
        CHECK(e.constraint() == (which == "sqlite" ? "items.name" : "items_name_key"));
      }
      s.rollback();
      try {
        s.execute("INSERT INTO tags (id, item_id) VALUES (1, :i)", 4242);
        FAIL("dangling reference accepted");
      } catch (const db::ForeignKeyViolation& e) {
        CHECK(e.constraint() == (which == "sqlite" ? "" : "tags_item_fk"));
      }
      s.rollback();
      try {
        s.execute("INSERT INTO tags (id) VALUES (2)");
        FAIL("NULL accepted");
      } catch (const db::NotNullViolation& e) {
        CHECK(e.constraint() == (which == "sqlite" ? "tags.item_id" : "item_id"));
      }
    }
  }
}

namespace {
struct NewItem {
  std::string name;
  std::optional<bool> fail;
};
BOOST_DESCRIBE_STRUCT(NewItem, (), (name, fail))

std::unique_ptr<App> items_app(std::shared_ptr<db::Database> database) {
  auto app = std::make_unique<App>();
  app->provide<db::Database>(database);
  app->exception_handler<db::UniqueViolation>([](Request&, const db::UniqueViolation& e) {
    return Response::error(409, "Already exists: " + e.constraint());
  });
  // A plain handler: runs on the worker pool with its session.
  app->post<"/items">([](db::SessionDep db, Body<NewItem> in) {
    Item it = sample(in->name);
    insert(*db, it);
    if (in->fail.value_or(false))
      throw HTTPException(400, "refused after the insert");
    return db->one<long long>("SELECT COUNT(*) FROM items").value_or(0);
  });
  // A coroutine handler: on the I/O thread, the database through run().
  app->post<"/co/items">([](db::SessionDep db, Body<NewItem> in) -> Task<long long> {
    co_await db->run([&](db::Session& s) { insert(s, sample(in->name)); });
    if (in->fail.value_or(false))
      throw std::runtime_error("failed after the insert");
    co_return co_await db->run(
        [](db::Session& s) { return s.one<long long>("SELECT COUNT(*) FROM items").value_or(0); });
  });
  app->get<"/items/count">([](db::SessionDep db) {
    return db->one<long long>("SELECT COUNT(*) FROM items").value_or(0);
  });
  return app;
}
}  // namespace

TEST_CASE("db: a request's transaction commits on success, rolls back on failure", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 2});
      create_items(*database);
      auto app = items_app(database);
      testing::TestClient client(*app);
      auto count = [&] { return client.get("/items/count").send().json(); };
      CHECK(client.post("/items").json({{"name", "a"}}).send().json() == 1);
      CHECK(count() == 1);
      CHECK(client.post("/items").json({{"name", "b"}, {"fail", true}}).send().status == 400);
      CHECK(count() == 1);  // rolled back
      auto dup = client.post("/items").json({{"name", "a"}}).send();
      CHECK(dup.status == 409);
      CHECK(dup.json().at("detail") ==
            (which == "sqlite" ? "Already exists: items.name" : "Already exists: items_name_key"));
      CHECK(client.post("/co/items").json({{"name", "c"}}).send().json() == 2);
      CHECK(client.post("/co/items").json({{"name", "d"}, {"fail", true}}).send().status == 500);
      CHECK(count() == 2);
      // Every connection went back to the pool.
      std::vector<db::Connection> held;
      held.push_back(database->acquire());
      held.push_back(database->acquire());
    }
  }
}

TEST_CASE("db: a commit that fails is the response, not a 200", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 1});
      {
        auto c = database->acquire();
        c.sql() << "CREATE TABLE parents (id INTEGER PRIMARY KEY)";
        c.sql() << "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
                   "REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)";
      }
      App app;
      app.provide<db::Database>(database);
      app.exception_handler<db::ForeignKeyViolation>([](Request&, const db::ForeignKeyViolation&) {
        return Response::error(409, "The parent does not exist");
      });
      app.post<"/children/{parent}">([](db::SessionDep db, Path<"parent", int> parent) {
        db->execute("INSERT INTO children (id, parent_id) VALUES (1, :p)", *parent);
        return "inserted";  // the deferred check fails at commit, after this
      });
      testing::TestClient client(app);
      auto r = client.post("/children/7").send();
      CHECK(r.status == 409);
      CHECK(r.json().at("detail") == "The parent does not exist");
      db::Session s(*database);
      CHECK(s.one<long long>("SELECT COUNT(*) FROM children") == 0);
    }
  }
}

namespace {
struct live_server {
  std::unique_ptr<App> app;
  std::optional<Server> server;
  live_server(std::unique_ptr<App> a, std::size_t workers) : app(std::move(a)) {
    ServerConfig cfg;
    cfg.port = 0;
    cfg.handle_signals = false;
    cfg.threads = 2;
    cfg.workers = static_cast<unsigned>(workers);
    server.emplace(app->make_server(std::move(cfg)));
    server->start();
  }
  ~live_server() { server->stop(); }
};
}  // namespace

TEST_CASE("db: an exhausted pool answers 503 within the timeout, then recovers", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database = std::make_shared<db::Database>(
          fresh.url(), db::DatabaseOptions{.pool_size = 1, .acquire_timeout = 300ms});
      create_items(*database);
      auto app = std::make_unique<App>();
      app->provide<db::Database>(database);
      app->get<"/slow">([](db::SessionDep db) {
        // The first statement takes the connection; the open transaction keeps it.
        auto n = db->one<long long>("SELECT COUNT(*) FROM items").value_or(-1);
        std::this_thread::sleep_for(1500ms);
        return n;
      });
      app->get<"/count">([](db::SessionDep db) {
        return db->one<long long>("SELECT COUNT(*) FROM items").value_or(-1);
      });
      live_server s(std::move(app), 4);
      const auto port = s.server->port();
      auto slow = std::async(std::launch::async, [&] { return vt::request(port, "GET", "/slow"); });
      std::this_thread::sleep_for(300ms);  // the slow request holds the only connection
      const auto t0 = std::chrono::steady_clock::now();
      auto busy = vt::request(port, "GET", "/count");
      const auto waited = std::chrono::steady_clock::now() - t0;
      CHECK(busy.status == 503);
      CHECK(busy.body == R"({"detail":"Service Unavailable"})");
      CHECK(busy.headers.get("Retry-After").value_or("") == "1");
      CHECK(waited >= 250ms);
      CHECK(waited < 1000ms);  // the timeout, not the slow request's end
      CHECK(slow.get().status == 200);
      CHECK(vt::request(port, "GET", "/count").status == 200);
    }
  }
}

TEST_CASE("db: 100 parallel inserts through the server, none lost", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database = std::make_shared<db::Database>(
          fresh.url(), db::DatabaseOptions{.pool_size = 4, .acquire_timeout = 20s});
      create_items(*database);
      live_server s(items_app(database), 8);
      const auto port = s.server->port();
      std::vector<std::future<vt::reply>> replies;
      for (int i = 0; i < 100; ++i)
        replies.push_back(std::async(std::launch::async, [port, i] {
          const std::string body = R"({"name":"item-)" + std::to_string(i) + R"("})";
          return vt::request(port, "POST", "/items", "Content-Type: application/json\r\n", body);
        }));
      int ok = 0;
      for (auto& r : replies)
        ok += r.get().status == 200 ? 1 : 0;
      CHECK(ok == 100);
      db::Session check(*database);
      CHECK(check.one<long long>("SELECT COUNT(*) FROM items") == 100);
    }
  }
}

TEST_CASE("db: a transaction that reads, then writes, waits for a concurrent writer", "[db]") {
  // On SQLite a deferred BEGIN takes a read snapshot; a writer committing in between made
  // the later write fail at once (SQLITE_BUSY_SNAPSHOT). Transactions now begin IMMEDIATE.
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 2});
      create_items(database);
      db::Session a(database);
      CHECK(a.one<long long>("SELECT COUNT(*) FROM items") == 0);  // the transaction reads
      auto other = std::async(std::launch::async, [&] {
        db::Session b(database);
        insert(b, sample("from b"));
        b.commit();
      });
      std::this_thread::sleep_for(100ms);  // b is waiting for a's lock (SQLite) or row (none)
      insert(a, sample("from a"));
      a.commit();
      CHECK_NOTHROW(other.get());
      db::Session check(database);
      CHECK(check.one<long long>("SELECT COUNT(*) FROM items") == 2);
    }
  }
}

TEST_CASE("db: an autocommit session switches to a transaction with begin()", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 1});
      create_items(*database);
      App app;
      app.provide<db::Database>(database);
      app.post<"/items">([](db::ReadSessionDep s, Query<"fail", bool, false> fail) {
        (void)s->one<long long>("SELECT COUNT(*) FROM items");  // autocommit read
        s->begin();
        insert(*s, sample("x"));
        if (*fail)
          throw HTTPException(400, "failed");
        return true;
      });
      testing::TestClient client(app);
      auto count = [&] {
        return db::Session(*database).one<long long>("SELECT COUNT(*) FROM items");
      };
      CHECK(client.post("/items?fail=true").send().status == 400);
      CHECK(count() == 0);  // rolled back
      CHECK(client.post("/items").send().status == 200);
      CHECK(count() == 1);  // committed
    }
  }
}

TEST_CASE("db: PostgreSQL restarted under the pool: connections are re-opened", "[db]") {
  const char* restart = std::getenv("VIVACE_TEST_POSTGRES_RESTART");
  if (!restart)
    FAIL("VIVACE_TEST_POSTGRES_RESTART is not set: run through tests/db/with-postgres.sh");
  dbtest::fresh_database fresh("postgresql");
  auto database = std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 2});
  create_items(*database);
  auto app = items_app(database);
  testing::TestClient client(*app);
  CHECK(client.post("/items").json({{"name", "before"}}).send().status == 200);
  REQUIRE(std::system(restart) == 0);
  // Both pooled connections are dead now; each is re-opened on its next use.
  CHECK(client.post("/items").json({{"name", "after"}}).send().json() == 2);
  CHECK(client.get("/items/count").send().json() == 2);
  std::vector<db::Session> both;
  both.emplace_back(*database);
  both.emplace_back(*database);
  CHECK(both[1].one<long long>("SELECT COUNT(*) FROM items") == 2);
}

TEST_CASE("db: concurrent read-then-write transactions with savepoints and unique clashes",
          "[db]") {
  // The path of the blog's create_post, from many threads at once: begin (BEGIN IMMEDIATE on
  // SQLite), read, then write under a savepoint, rolling back to it on a unique violation.
  // Catch2 is not thread-safe: the threads only report, the checks are made here.
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 4, .acquire_timeout = 20s});
      create_items(database);
      {
        db::Session s(database);
        insert(s, sample("taken"));
        s.commit();
      }
      constexpr int threads = 12, rounds = 4;
      struct outcome {
        int clashes = 0;
        std::string error;
      };
      std::vector<std::future<outcome>> workers;
      for (int t = 0; t < threads; ++t)
        workers.push_back(std::async(std::launch::async, [&] {
          outcome out;
          try {
            for (int r = 0; r < rounds; ++r) {
              db::Session s(database);
              s.begin();
              for (;;) {
                // The next free name: read, then write (another transaction may take it
                // first on PostgreSQL; SQLite's write lock makes them serial).
                const auto n = s.one<long long>("SELECT COUNT(*) FROM items").value_or(-1);
                s.execute("SAVEPOINT next_name");
                try {
                  insert(s, sample("taken"));  // always refused
                } catch (const db::UniqueViolation&) {
                  ++out.clashes;
                  s.execute("ROLLBACK TO SAVEPOINT next_name");
                }
                try {
                  insert(s, sample("item-" + std::to_string(n)));
                  s.execute("RELEASE SAVEPOINT next_name");
                  break;
                } catch (const db::UniqueViolation&) {
                  s.execute("ROLLBACK TO SAVEPOINT next_name");
                }
              }
              s.commit();
            }
          } catch (const std::exception& e) {
            out.error = e.what();
          }
          return out;
        }));
      int clashes = 0;
      for (auto& w : workers) {
        auto out = w.get();
        INFO(out.error);
        CHECK(out.error.empty());
        clashes += out.clashes;
      }
      CHECK(clashes >= threads * rounds);
      db::Session check(database);
      CHECK(check.one<long long>("SELECT COUNT(*) FROM items") == 1 + threads * rounds);
      CHECK(check.one<long long>("SELECT COUNT(DISTINCT name) FROM items") == 1 + threads * rounds);
      CHECK(check.one<long long>("SELECT COUNT(*) FROM items WHERE name = 'taken'") == 1);
    }
  }
}

TEST_CASE("db: statements stay prepared per connection, and a kept one holds no stale snapshot",
          "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 1});
      create_items(*database);
      const bool pg = database->backend() == db::Backend::postgresql;
      const auto created = *DateTime::parse("2026-11-25T10:11:12Z");
      const char* insert_one =
          "INSERT INTO items (name, active, price, mood, created, token) "
          "VALUES (:name, :active, :price, 'calm', :created, 't')";
      // The server's prepared statements whose text contains `part` (PostgreSQL), as SOCI
      // sends them (placeholders as $1...).
      auto prepared = [&](db::Session& s, const std::string& part) {
        return *s.one<long long>(
            "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE :p",
            "%" + part + "%");
      };
      {
        db::Session s(*database);
        s.execute(insert_one, "a", true, 1.0, created);
        s.commit();
      }
      {  // the kept INSERT fails; its transaction is rolled back
        db::Session s(*database);
        CHECK_THROWS_AS(s.execute(insert_one, "a", true, 1.0, created), db::UniqueViolation);
      }
      {  // the same INSERT works again, and the failed one left nothing on the server
        db::Session s(*database);
        CHECK(s.execute(insert_one, "b", false, 2.0, created) == 1);
        s.commit();
        for (int i = 0; i < 5; ++i)
          CHECK(s.one<double>("SELECT price FROM items WHERE name = :name", "b") == 2.0);
        if (pg) {
          CHECK(prepared(s, "INSERT INTO items") == 1);
          CHECK(prepared(s, "SELECT price FROM items WHERE name = $1") == 1);
        }
      }

      // Reads in autocommit, a write from another connection in between, then a different
      // statement on the first connection: it sees the write (a kept SQLite statement that
      // was not reset would have kept its read transaction, and the old snapshot, open).
      App app;
      app.provide<db::Database>(database);
      app.get<"/a/{id}">([](Path<"id", std::int64_t> id, db::ReadSessionDep s) {
        return s->one<std::string>("SELECT name FROM items WHERE id = :id", *id);
      });
      app.get<"/b/{id}">([](Path<"id", std::int64_t> id, db::ReadSessionDep s) {
        return s->one<std::string>("SELECT name FROM items WHERE :id = id", *id);
      });
      testing::TestClient client(app);
      CHECK(client.get("/a/1").send().json() == "a");
      {
        db::Database other(fresh.url(), {.pool_size = 1});
        db::Session s(other);
        CHECK(s.execute("UPDATE items SET name = 'z' WHERE id = 1") == 1);
        s.commit();
      }
      CHECK(client.get("/b/1").send().json() == "z");
      CHECK(client.get("/a/1").send().json() == "z");

      if (pg) {  // no cache: nothing stays prepared
        db::Database uncached(fresh.url(), {.pool_size = 1, .statement_cache_size = 0});
        db::Session s(uncached);
        for (int i = 0; i < 3; ++i)
          CHECK(s.one<double>("SELECT price FROM items WHERE name = :name", "b") == 2.0);
        CHECK(prepared(s, "FROM items") == 0);
      }
    }
  }
}

namespace {
struct Pair {
  std::int64_t a = 0;
  std::string b;
};
BOOST_DESCRIBE_STRUCT(Pair, (), (a, b))
struct Triple {
  std::int64_t a = 0;
  std::string b;
  std::optional<std::string> c;
};
BOOST_DESCRIBE_STRUCT(Triple, (), (a, b, c))
// A described struct with a row conversion of its own, which must be used.
struct Shout {
  std::string b;
};
BOOST_DESCRIBE_STRUCT(Shout, (), (b))
}  // namespace

template <>
struct soci::type_conversion<Shout> {
  using base_type = soci::values;
  static void from_base(const soci::values& v, soci::indicator, Shout& out) {
    out.b = v.get<std::string>("b") + "!";
  }
  static void to_base(const Shout& in, soci::values& v, soci::indicator& ind) {
    v.set("b", in.b);
    ind = soci::i_ok;
  }
};

TEST_CASE("db: a kept SELECT * after its table gained a column", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 1});
      db::Session s(database);
      s.execute("CREATE TABLE pairs (a INTEGER NOT NULL, b TEXT NOT NULL)");
      s.execute("INSERT INTO pairs (a, b) VALUES (1, 'one')");
      s.commit();
      auto first = s.one<Pair>("SELECT * FROM pairs");
      REQUIRE(first);
      CHECK(first->b == "one");
      s.commit();
      s.execute("ALTER TABLE pairs ADD COLUMN c TEXT");
      s.commit();
      std::optional<Pair> again;
      if (database.backend() == db::Backend::postgresql) {
        // PostgreSQL refuses the kept plan once (docs/database.md); the failed statement is
        // dropped with the transaction, and the next use prepares it again.
        CHECK_THROWS_WITH(s.one<Pair>("SELECT * FROM pairs"),
                          Catch::Contains("cached plan must not change result type"));
        s.rollback();
      }
      again = s.one<Pair>("SELECT * FROM pairs");  // SQLite re-prepares it by itself
      REQUIRE(again);
      CHECK(again->b == "one");
      // The kept statement's columns are the new ones: the added column is read too.
      s.execute("UPDATE pairs SET c = 'three'");
      s.commit();
      auto wider = s.one<Triple>("SELECT * FROM pairs");
      REQUIRE(wider);
      CHECK(wider->c == "three");
      // A conversion of the user's own is used, on every backend.
      CHECK(s.one<Shout>("SELECT b FROM pairs")->b == "one!");
      CHECK(s.all<Shout>("SELECT b FROM pairs").at(0).b == "one!");
    }
  }
}

TEST_CASE("db: a connection given back goes to the longest waiter, not to a newcomer", "[db]") {
  dbtest::fresh_database fresh("sqlite");
  db::Database database(fresh.url(), {.pool_size = 1, .acquire_timeout = 10s});
  std::mutex m;
  std::vector<std::string> order;
  auto note = [&](std::string who) {
    std::lock_guard lock(m);
    order.push_back(std::move(who));
  };
  std::optional<db::Connection> held(database.acquire());
  auto waiter = std::async(std::launch::async, [&] {
    auto c = database.acquire();  // queued: the only connection is held
    note("waiter");
    std::this_thread::sleep_for(50ms);
  });
  std::this_thread::sleep_for(200ms);  // let the waiter queue up
  held.reset();                        // given back: handed to the waiter ...
  auto c = database.acquire();         // ... so this newcomer waits its turn
  note("newcomer");
  waiter.get();
  CHECK(order == std::vector<std::string>{"waiter", "newcomer"});
}

TEST_CASE("db: a request abandoned while it waits for a connection does not keep one", "[db]") {
  dbtest::fresh_database fresh("sqlite");
  db::Database database(fresh.url(), {.pool_size = 1, .acquire_timeout = 500ms});
  std::optional<db::Connection> held(database.acquire());
  {
    boost::asio::io_context ioc;
    boost::asio::co_spawn(
        ioc, [&]() -> Task<void> { (void)co_await database.acquire_async(); },
        boost::asio::detached);
    ioc.poll();  // the coroutine is queued for the held connection
  }              // its executor goes away with the coroutine still waiting
  held.reset();  // nobody is waiting any more: the connection goes back to the pool
  CHECK_NOTHROW(database.acquire());
}

TEST_CASE(
    "db: a session holds a connection only from its first statement; autocommit gives it "
    "back after each",
    "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      // One connection: whoever holds it keeps everyone else out.
      auto database = std::make_shared<db::Database>(
          fresh.url(), db::DatabaseOptions{.pool_size = 1, .acquire_timeout = 200ms});
      create_items(*database);
      App app;
      app.provide<db::Database>(database);
      app.get<"/steps">([](db::ReadSessionDep db, Inject<db::Database> pool) {
        json::object out;
        out["before"] = db->holds_connection();
        (void)db->one<long long>("SELECT COUNT(*) FROM items");
        out["after_read"] = db->holds_connection();
        // Another session can take the only connection now: this one gave it back.
        {
          db::Session other(*pool);
          out["other_read"] = other.one<long long>("SELECT COUNT(*) FROM items").value_or(-1);
        }
        db->begin();
        out["after_begin"] = db->holds_connection();
        db->execute(
            "INSERT INTO items (name, active, price, mood, created, token) VALUES "
            "('x', TRUE, 1, 'calm', '2024-01-01T00:00:00Z', 't')");
        out["in_transaction"] = db->holds_connection();
        return json::value(out);
      });
      testing::TestClient client(app);
      auto r = client.get("/steps").send();
      REQUIRE(r.status == 200);
      const auto j = r.json();
      CHECK(j.at("before") == false);
      CHECK(j.at("after_read") == false);
      CHECK(j.at("other_read") == 0);
      CHECK(j.at("after_begin") == false);  // BEGIN goes with the next statement
      CHECK(j.at("in_transaction") == true);
      db::Session check(*database);
      CHECK(check.one<long long>("SELECT COUNT(*) FROM items") == 1);  // committed
    }
  }
}

TEST_CASE("db: SQLite takes the write lock with the transaction's first statement, not at begin()",
          "[db]") {
  dbtest::fresh_database fresh("sqlite");
  db::Database database(fresh.url(), {.pool_size = 2, .sqlite_busy_timeout = 100ms});
  create_items(database);
  db::Session slow(database);
  slow.begin();  // e.g. then a password is hashed: no lock may be held meanwhile
  {
    db::Session other(database);
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_NOTHROW(insert(other, sample("first")));
    CHECK_NOTHROW(other.commit());
    CHECK(std::chrono::steady_clock::now() - t0 < 100ms);  // did not wait for a lock
  }
  insert(slow, sample("second"));  // now the lock is taken
  slow.commit();
  CHECK(slow.one<long long>("SELECT COUNT(*) FROM items") == 2);
}

TEST_CASE("db: a database that stays locked answers 503 with Retry-After, never 500", "[db]") {
  dbtest::fresh_database fresh("sqlite");
  auto database = std::make_shared<db::Database>(
      fresh.url(), db::DatabaseOptions{.pool_size = 2, .sqlite_busy_timeout = 100ms});
  create_items(*database);
  // Another process holds the write lock (a migration, a backup): opened beside the pool.
  soci::session locker(soci::sqlite3, fresh.url().substr(std::string("sqlite:///").size()));
  locker << "BEGIN IMMEDIATE";
  auto app = items_app(database);
  testing::TestClient client(*app);
  std::mutex logged_m;
  std::vector<std::string> warnings;
  log::set_sink([&](log::level l, std::string_view m) {
    std::lock_guard lock(logged_m);
    if (l == log::level::warning)
      warnings.emplace_back(m);
  });
  auto r = client.post("/items").json(json::object{{"name", "locked out"}}).send();
  log::set_sink({});
  // The operator learns why (the client only that it may retry).
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("503 for POST /items: database busy: ") == 0);
  CHECK(warnings[0].find("locked") != std::string::npos);
  CHECK(r.status == 503);
  CHECK(r.headers.get("Retry-After") == std::optional<std::string_view>("1"));
  CHECK(r.json().at("detail") == "Service Unavailable");
  locker << "ROLLBACK";
  CHECK(client.post("/items").json(json::object{{"name", "in"}}).send().status == 200);
}

TEST_CASE("db: Session::transaction runs its work again after a serialization failure", "[db]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      db::Database database(fresh.url(), {.pool_size = 2, .sqlite_busy_timeout = 20ms});
      create_items(database);
      int runs = 0;
      if (database.backend() == db::Backend::postgresql) {
        // The first two runs end as PostgreSQL ends a transaction it cannot serialise.
        db::Session s(database);
        const auto n = s.transaction(
            [&](db::Session& tx) {
              insert(tx, sample("run-" + std::to_string(++runs)));
              if (runs < 3)
                tx.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = "
                    "'serialization_failure'; END $$");
              return tx.one<long long>("SELECT COUNT(*) FROM items").value_or(-1);
            },
            5);
        CHECK(runs == 3);
        CHECK(n == 1);  // the failed runs' inserts were rolled back
      } else {
        // Another connection holds the write lock for a while: BEGIN IMMEDIATE is busy past
        // the 20 ms timeout, and the work runs again once the lock is gone.
        std::promise<void> locked;
        auto holder = std::async(std::launch::async, [&] {
          db::Session h(database);
          insert(h, sample("holder"));
          locked.set_value();
          std::this_thread::sleep_for(150ms);
          h.commit();
        });
        locked.get_future().wait();
        db::Session s(database);
        const auto n = s.transaction(
            [&](db::Session& tx) {
              ++runs;
              insert(tx, sample("mine"));
              return tx.one<long long>("SELECT COUNT(*) FROM items").value_or(-1);
            },
            30);
        holder.get();
        CHECK(runs >= 2);  // busy at first, then through
        CHECK(n == 2);
      }
      // Exhausted attempts: the last Busy goes to the caller (a 503 in a request).
      db::Session s(database);
      CHECK_THROWS_AS(s.transaction([](db::Session&) { throw db::Busy("always"); }, 2), db::Busy);
    }
  }
}

TEST_CASE("db: a run_inline read runs on the I/O thread on SQLite; what would block moves",
          "[db][inline]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database = std::make_shared<db::Database>(
          fresh.url(), db::DatabaseOptions{.pool_size = 2, .sqlite_busy_timeout = 2000ms});
      create_items(*database);
      {
        db::Session s(*database);
        insert(s, sample("first"));
        s.commit();
      }
      const bool sqlite = database->backend() == db::Backend::sqlite;
      std::mutex m;
      std::vector<std::pair<std::string, bool>> calls;  // route, on the test's (I/O) thread
      const auto io = std::this_thread::get_id();
      auto called = [&](std::string route) {
        std::lock_guard lock(m);
        calls.emplace_back(std::move(route), std::this_thread::get_id() == io);
      };
      auto taken = [&] {
        std::lock_guard lock(m);
        return std::exchange(calls, {});
      };
      using Calls = std::vector<std::pair<std::string, bool>>;
      App app;
      app.provide<db::Database>(database);
      app.get<"/name">(
          [&](db::ReadSessionDep db) {
            called("name");
            return db->one<std::string>("SELECT name FROM items WHERE id = 1").value_or("");
          },
          {.run_inline = true});
      int written = 0;
      app.post<"/write">(
          [&](db::ReadSessionDep db) {
            called("write");
            insert(*db, sample("written " + std::to_string(++written)));
            return db->one<long long>("SELECT COUNT(*) FROM items").value_or(0);
          },
          {.run_inline = true});
      // A read that runs for a while: past the 1 ms budget on the I/O thread.
      app.get<"/slow">(
          [&](db::ReadSessionDep db) {
            called("slow");
            return db
                ->one<long long>(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < "
                    "300000) SELECT COUNT(*) FROM c")
                .value_or(0);
          },
          {.run_inline = true});
      testing::TestClient client(app);

      auto r = client.get("/name").send();
      CHECK(r.status == 200);
      CHECK(r.json() == "first");
      if (sqlite) {
        CHECK(taken() == Calls{{"name", true}});  // once, on the I/O thread
      } else {
        // PostgreSQL always blocks: tried once, then the route runs on a worker only.
        CHECK(taken() == Calls{{"name", true}, {"name", false}});
        CHECK(client.get("/name").send().json() == "first");
        CHECK(taken() == Calls{{"name", false}});
      }

      // A write: stopped before it runs, run once on a worker; the route stops trying.
      CHECK(client.post("/write").send().json() == 2);
      CHECK(taken() == Calls{{"write", true}, {"write", false}});
      CHECK(client.post("/write").send().json() == 3);
      CHECK(taken() == Calls{{"write", false}});
      {
        db::Session s(*database);
        CHECK(s.one<long long>("SELECT COUNT(*) FROM items") == 3);  // each write once
      }

      // Past the budget: interrupted inline, run again to the end on a worker.
      auto slow = client.get("/slow").send();
      CHECK(slow.status == 200);
      CHECK(slow.json() == 300000);
      CHECK(taken() == Calls{{"slow", true}, {"slow", false}});
      if (sqlite) {
        // A pass past the budget is no reason to stop trying: the quick read stays inline.
        CHECK(client.get("/name").send().status == 200);
        CHECK(taken() == Calls{{"name", true}});
      }
    }
  }
}

TEST_CASE("db: run_inline reads of rows on PostgreSQL go through the pipelined connection",
          "[db][inline][pipeline]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 1});
      create_items(*database);
      {
        db::Session s(*database);
        insert(s, sample("first"));
        auto second = sample("second: 'quoted'");
        second.note = "a note";
        second.active = true;
        second.price = 0.1;
        insert(s, second);
        s.commit();
      }
      const bool sqlite = database->backend() == db::Backend::sqlite;
      std::mutex m;
      std::vector<bool> calls;  // on the test's (I/O) thread
      const auto io = std::this_thread::get_id();
      auto called = [&] {
        std::lock_guard lock(m);
        calls.push_back(std::this_thread::get_id() == io);
      };
      auto taken = [&] {
        std::lock_guard lock(m);
        return std::exchange(calls, {});
      };
      App app;
      app.provide<db::Database>(database);
      app.get<"/items/{id}">(
          [&](Path<"id", std::int64_t> id, db::ReadSessionDep db) {
            called();
            // A cast, a literal and a comment with colons: none of them a placeholder.
            return db->one<Item>(sqlite ? "SELECT * FROM items WHERE id = :id AND name <> 'a:b'"
                                        : "SELECT * FROM items WHERE id = :id::bigint -- :no\n"
                                          "AND name <> 'a:b'",
                                 *id);
          },
          {.not_found_if_empty = true, .run_inline = true});
      // Two statements, the second with a NULL parameter.
      app.get<"/notes">(
          [&](Query<"note", std::optional<std::string>> note, db::ReadSessionDep db) {
            called();
            auto rows = db->all<Item>(sqlite ? "SELECT * FROM items WHERE note IS :n ORDER BY id"
                                             : "SELECT * FROM items WHERE note IS NOT DISTINCT "
                                               "FROM :n ORDER BY id",
                                      *note);
            auto all = db->all<Item>("SELECT * FROM items WHERE id > :after ORDER BY id DESC",
                                     std::int64_t{0});
            std::vector<std::string> names;
            for (const auto& r : rows)
              names.emplace_back(*r.name);
            names.emplace_back("|");
            for (const auto& r : all)
              names.emplace_back(*r.name);
            return names;
          },
          {.run_inline = true});
      app.get<"/broken">(
          [&](db::ReadSessionDep db) {
            called();
            return db->one<Item>("SELECT * FROM no_such_table WHERE id = :id", std::int64_t{1})
                .has_value();
          },
          {.run_inline = true});
      testing::TestClient client(app);

      auto r = client.get("/items/2").send();
      REQUIRE(r.status == 200);
      const auto item = r.json().as_object();
      CHECK(item.at("name") == "second: 'quoted'");
      CHECK(item.at("note") == "a note");
      CHECK(item.at("active") == true);
      CHECK(item.at("price") == 0.1);
      CHECK(item.at("mood") == "busy");
      CHECK(item.at("created") == "2026-11-25T10:11:12Z");
      // SQLite: once, on the I/O thread. PostgreSQL: on the I/O thread again with the answer.
      CHECK(taken() == (sqlite ? std::vector<bool>{true} : std::vector<bool>{true, true}));
      CHECK(client.get("/items/99").send().status == 404);
      taken();

      auto notes = client.get("/notes").send();  // note IS NULL
      CHECK(notes.status == 200);
      CHECK(notes.json() == json::parse(R"(["first","|","second: 'quoted'","first"])"));
      CHECK(taken() == (sqlite ? std::vector<bool>{true} : std::vector<bool>{true, true, true}));
      CHECK(client.get("/notes?note=a%20note").send().json() ==
            json::parse(R"(["second: 'quoted'","|","second: 'quoted'","first"])"));
      taken();

      // An error from the server is the route's error, and the route goes on trying inline.
      CHECK(client.get("/broken").send().status == 500);
      CHECK(taken() == (sqlite ? std::vector<bool>{true} : std::vector<bool>{true, true}));
      CHECK(client.get("/items/1").send().json().at("name") == "first");
      CHECK(taken() == (sqlite ? std::vector<bool>{true} : std::vector<bool>{true, true}));
    }
  }
}

TEST_CASE("db: rows of plain members read alike on every path, with the same errors",
          "[db][inline][pipeline]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 1});
      create_plain(*database);
      const bool sqlite = database->backend() == db::Backend::sqlite;
      const std::string all = "SELECT * FROM plain ORDER BY id";
      // Each column replaced in turn by a value its member cannot hold.
      const std::vector<std::pair<std::string, std::string>> bad = {
          {"text", "CAST(NULL AS TEXT) AS text"},
          {"small", "4294967296 AS small"},
          {"at", "'not a date' AS at"},
          {"flag", sqlite ? "'perhaps' AS flag" : "CAST('perhaps' AS TEXT) AS flag"},
      };
      auto with = [](const std::string& column, const std::string& replacement) {
        std::string cols;
        for (const char* c : {"id", "small", "flag", "ratio", "text", "maybe", "at", "maybe_at"})
          cols += (cols.empty() ? "" : ", ") + (c == column ? replacement : std::string(c));
        return "SELECT " + cols + " FROM plain WHERE id = :id";
      };

      // The rows a worker reads (SQLite natively, PostgreSQL through SOCI).
      {
        db::Session s(*database);
        const auto rows = s.all<Plain>(all);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].id == 1);
        CHECK(rows[0].small == -7);
        CHECK(rows[0].flag);
        CHECK(rows[0].ratio == 0.25);
        CHECK(rows[0].text == "one");
        CHECK_FALSE(rows[0].maybe);
        CHECK(rows[0].at == *DateTime::parse("2026-11-25T10:11:12Z"));
        CHECK_FALSE(rows[0].maybe_at);
        CHECK(rows[1].small == 2147483647);
        CHECK_FALSE(rows[1].flag);
        CHECK(rows[1].ratio == 3.0);
        CHECK(rows[1].text.empty());
        CHECK(rows[1].maybe == "two");
        CHECK(rows[1].at.utc == DateTime::parse("2026-11-25T08:11:12Z")->utc);
        CHECK(rows[1].maybe_at == *DateTime::parse("2026-11-26T00:00:00Z"));
        for (const auto& [column, replacement] : bad) {
          INFO(column);
          try {
            (void)s.one<Plain>(with(column, replacement), std::int64_t{1});
            FAIL("a row that does not fit was read");
          } catch (const db::RowError& e) {
            REQUIRE(e.errors().size() == 1);
            CHECK(e.errors()[0].loc == json::array{json::string(column)});
          }
        }
      }

      // The same rows on the I/O thread (SQLite natively, PostgreSQL pipelined), as JSON.
      App app;
      app.provide<db::Database>(database);
      app.get<"/plain">([&](db::ReadSessionDep db) { return db->all<Plain>(all); },
                        {.run_inline = true});
      app.get<"/bad/{column}">(
          [&](Path<"column", std::string> column, db::ReadSessionDep db) {
            for (const auto& [c, replacement] : bad)
              if (c == *column)
                return db->one<Plain>(with(c, replacement), std::int64_t{1}).has_value();
            return false;
          },
          {.run_inline = true});
      app.get<"/worker">([&](db::SessionDep db) { return db->all<Plain>(all); });
      testing::TestClient client(app);
      const auto inline_rows = client.get("/plain").send();
      REQUIRE(inline_rows.status == 200);
      const json::value got = inline_rows.json();
      CHECK(got == client.get("/worker").send().json());
      const auto& first = got.as_array().at(0).as_object();
      CHECK(first.at("at") == "2026-11-25T10:11:12Z");
      CHECK(first.at("maybe_at").is_null());
      CHECK(first.at("flag") == true);
      for (const auto& [column, replacement] : bad) {
        INFO(column);
        CHECK(client.get("/bad/" + column).send().status == 500);
      }
    }
  }
}

namespace {
// A nested model read from the `author.<field>` columns of a join.
struct Writer {
  std::int64_t id = 0;
  Email email;
  std::string name;
  std::optional<std::string> bio;
};
BOOST_DESCRIBE_STRUCT(Writer, (), (id, email, name, bio))
struct Book {
  std::int64_t id = 0;
  std::string title;
  Writer author;
};
BOOST_DESCRIBE_STRUCT(Book, (), (id, title, author))
}  // namespace

TEST_CASE("db: a nested model reads from its member.field columns on every path",
          "[db][inline][pipeline]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 1});
      {
        auto c = database->acquire();
        c.sql() << "CREATE TABLE writers (id BIGINT PRIMARY KEY, email TEXT NOT NULL, name TEXT "
                   "NOT NULL, bio TEXT)";
        c.sql() << "CREATE TABLE books (id BIGINT PRIMARY KEY, title TEXT NOT NULL, writer BIGINT "
                   "NOT NULL)";
        c.sql() << "INSERT INTO writers VALUES (7, 'ann@example.com', 'Ann', NULL), "
                   "(8, 'not an address', 'Bob', 'b')";
        c.sql() << "INSERT INTO books VALUES (1, 'One', 7), (2, 'Two', 8)";
      }
      const std::string join =
          "SELECT b.id, b.title, w.id AS \"author.id\", w.email AS \"author.email\", w.name "
          "AS \"author.name\", w.bio AS \"author.bio\" FROM books b JOIN writers w ON w.id = "
          "b.writer WHERE b.id = :id";
      auto check_one = [](const Book& b) {
        CHECK(b.id == 1);
        CHECK(b.title == "One");
        CHECK(b.author.id == 7);
        CHECK(b.author.email.value == "ann@example.com");
        CHECK(b.author.name == "Ann");
        CHECK_FALSE(b.author.bio);
      };
      {
        db::Session s(*database);
        auto book = s.one<Book>(join, std::int64_t{1});
        REQUIRE(book);
        check_one(*book);
        try {  // the nested model's own rules hold: a bad address names its column
          (void)s.one<Book>(join, std::int64_t{2});
          FAIL("a row that does not fit was read");
        } catch (const db::RowError& e) {
          REQUIRE(e.errors().size() == 1);
          CHECK(e.errors()[0].loc == json::array{"author", "email"});
        }
        try {  // none of its columns: the member itself is missing
          (void)s.one<Book>("SELECT id, title FROM books WHERE id = :id", std::int64_t{1});
          FAIL("a row without its nested model was read");
        } catch (const db::RowError& e) {
          REQUIRE(e.errors().size() == 1);
          CHECK(e.errors()[0].loc == json::array{"author"});
          CHECK(e.errors()[0].type == "missing");
        }
        // SOCI's own row mapping reads it too.
        Book through_soci;
        s.sql() << "SELECT b.id, b.title, w.id AS \"author.id\", w.email AS \"author.email\", "
                   "w.name AS \"author.name\", w.bio AS \"author.bio\" FROM books b JOIN "
                   "writers w ON w.id = b.writer WHERE b.id = 1",
            soci::into(through_soci);
        check_one(through_soci);
      }
      // On the I/O thread (SQLite natively, PostgreSQL pipelined) and on a worker.
      App app;
      app.provide<db::Database>(database);
      app.get<"/inline">(
          [&](db::ReadSessionDep db) { return db->one<Book>(join, std::int64_t{1}); },
          {.run_inline = true});
      app.get<"/worker">([&](db::SessionDep db) { return db->one<Book>(join, std::int64_t{1}); });
      testing::TestClient client(app);
      const auto expected = json::parse(
          R"({"id":1,"title":"One","author":{"id":7,"email":"ann@example.com","name":"Ann","bio":null}})");
      CHECK(client.get("/inline").send().json() == expected);
      CHECK(client.get("/worker").send().json() == expected);
    }
  }
}

TEST_CASE("db: pipelined reads under concurrent requests each get their own rows",
          "[db][inline][pipeline]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      dbtest::fresh_database fresh(which);
      auto database =
          std::make_shared<db::Database>(fresh.url(), db::DatabaseOptions{.pool_size = 2});
      create_items(*database);
      constexpr int items = 40;
      {
        db::Session s(*database);
        for (int i = 1; i <= items; ++i)
          insert(s, sample("item " + std::to_string(i)));
        s.commit();
      }
      auto app = std::make_unique<App>();
      app->provide<db::Database>(database);
      app->get<"/items/{id}">(
          [](Path<"id", std::int64_t> id, db::ReadSessionDep db) {
            auto it = db->one<Item>("SELECT * FROM items WHERE id = :id", *id);
            auto count = db->all<Item>("SELECT * FROM items WHERE id <= :id", *id).size();
            return std::to_string(it ? it->id : -1) + " " + (it ? *it->name : "") + " " +
                   std::to_string(count);
          },
          {.run_inline = true});
      app->startup();
      auto server = app->make_server({.port = 0, .threads = 2, .handle_signals = false});
      server.start();
      const auto port = server.port();
      std::atomic<int> wrong = 0, failed = 0;
      std::vector<std::thread> clients;
      for (int c = 0; c < 8; ++c)
        clients.emplace_back([&, c] {
          try {
            vt::connection conn(port);
            for (int k = 0; k < 50; ++k) {
              const int id = 1 + (c * 7 + k * 3) % items;
              conn.send("GET /items/" + std::to_string(id) +
                        " HTTP/1.1\r\nHost: localhost\r\n\r\n");
              const auto reply = conn.read();
              const auto want = "\"" + std::to_string(id) + " item " + std::to_string(id) + " " +
                                std::to_string(id) + "\"";
              if (reply.status != 200 || reply.body != want)
                ++wrong;
            }
          } catch (const std::exception&) {
            ++failed;
          }
        });
      for (auto& t : clients)
        t.join();
      server.stop();
      app->shutdown();
      CHECK(wrong == 0);
      CHECK(failed == 0);
    }
  }
}
