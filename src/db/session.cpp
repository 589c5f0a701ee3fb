// The per-request session: a pooled connection, a transaction begun on first use, committed
// before the response, rolled back after a failure.

#include "vivace/db/session.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include "vivace/config.hpp"
#if VIVACE_WITH_POSTGRESQL
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <random>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>

#include "pg_pipeline.hpp"
#include "statement_cache.hpp"
#include "vivace/core/blocking.hpp"
#include "vivace/core/log.hpp"
#include "vivace/core/text.hpp"

namespace vivace::db {

struct Session::state {
  Database* db;  // null once the session has ended (committed or rolled back for good)
  std::optional<Connection> conn;
  Request* req = nullptr;
  bool in_transaction = false;  // BEGIN has been sent on `conn`
  bool autocommit = false;      // read_session: no BEGIN/COMMIT, each statement on its own
  bool pinned = false;          // the SOCI session was handed out: keep the connection
  // Reads answered by the pipelined connection (PostgreSQL, run_inline): kept for the
  // attempts that run the work again, until the session ends.
  struct pg_record {
    std::string sql;
    detail::pg_params params;
    detail::pg_answer answer;
  };
  std::vector<pg_record> pg_records;

  state(Database& d, Request* r) : db(&d), req(r) {}
  state(Connection c, Request* r) : db(&c.database()), conn(std::move(c)), req(r) {}
  state(const state&) = delete;
  state& operator=(const state&) = delete;
  ~state() { close(true); }

  /// The connection, acquired now when the session holds none (blocking, bounded by the
  /// pool's timeout): a session holds a connection only from its first statement on.
  Connection& connection() {
    if (!db)
      throw std::logic_error("db::Session: used after the request's transaction ended");
    if (!conn) {
      if (must_not_block()) {  // on an I/O thread (run_inline): SQLite only, no waiting
        if (db->backend() != Backend::sqlite)
          throw WouldBlock("a PostgreSQL statement", true);
        auto c = db->try_acquire();
        if (!c)
          throw WouldBlock("no free pooled connection");
        conn.emplace(std::move(*c));
      } else {
        conn.emplace(db->acquire());
      }
    }
    return *conn;
  }

  /// The SOCI session, inside the transaction unless autocommit: BEGIN is sent with the first
  /// statement after `begin()`, so that SQLite's write lock is taken then, not earlier.
  soci::session& sql() {
    auto& c = connection();
    if (!in_transaction && !autocommit) {
      if (must_not_block())
        throw WouldBlock("a transaction", true);
      c.begin();
      in_transaction = true;
    }
    return c.sql();
  }

  /// After a statement: an autocommit session outside a transaction gives its connection back
  /// at once, so that a handler that reads, then hashes a password, then writes holds no
  /// connection in between.
  void statement_done() noexcept {
    if (conn && autocommit && !in_transaction && !pinned) {
      conn->statements().flush();
      conn.reset();
    }
  }

  /// Ends the transaction (rolling back when `rollback` and one is open) and gives the
  /// connection back.
  void close(bool rollback) noexcept {
    if (!conn)
      return;
    if (rollback && in_transaction) {
      try {
        conn->sql().rollback();
      } catch (const std::exception& e) {
        // A dropped connection: the server has rolled back; the next use re-opens it.
        log::warning(std::string("database: rollback failed: ") + e.what());
      }
    }
    in_transaction = false;
    pinned = false;
    conn->statements().flush();  // between transactions: failed statements can go now
    conn.reset();
  }

  /// Commits (when a transaction is open) and gives the connection back. On failure the
  /// transaction is rolled back and the connection given back before the error propagates.
  void commit_and_close() {
    if (conn && in_transaction) {
      if (must_not_block())
        throw WouldBlock("a commit");
      try {
        conn->sql().commit();
        in_transaction = false;
      } catch (const soci::soci_error&) {
        // PostgreSQL has ended the transaction; SQLite keeps it open after a deferred
        // constraint fails: roll back either way (a no-op warning is not sent: see close()).
        if (conn->backend() == Backend::postgresql)
          in_transaction = false;
        close(true);
        rethrow_translated();
      }
    }
    close(false);
  }
};

// --- statements ---------------------------------------------------------------------------

namespace {
/// Statements worth keeping prepared: the ones that read or change rows (not DDL, PRAGMA,
/// transaction control or SET).
bool keepable(std::string_view query) {
  const auto start = query.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos)
    return false;
  query.remove_prefix(start);
  const auto word = query.substr(0, query.find_first_of(" \t\r\n("));
  for (std::string_view k : {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES"})
    if (iequals(word, k))
      return true;
  return false;
}
}  // namespace

detail::statement_use::statement_use(Session& s, std::string_view query, const void* tag,
                                     bool cacheable)
    : query_(query), tag_(tag), sql_(&s.st_->sql()), exceptions_(std::uncaught_exceptions()) {
  const auto& conn = *s.st_->conn;  // sql() above acquired it (and began the transaction)
  db_ = &conn.database();
  sqlite_ = conn.backend() == Backend::sqlite;
  if (!cacheable || conn.statements().capacity() == 0)
    return;
  auto& cache = conn.statements();
  if ((st_ = cache.take(query, tag))) {
    cache_ = &cache;
    prepared_ = true;
  } else if (keepable(query)) {
    cache_ = &cache;
  }
}

void detail::statement_use::execute() {
  soci::statement& st = *st_->st;
  if (!prepared_) {
    st.alloc();
    st.prepare(std::string(query_),
               cache_ ? soci::details::st_repeatable_query : soci::details::st_one_time_query);
    st.define_and_bind();
    prepared_ = true;
  }
  if (sqlite_ && must_not_block())
    limit_inline();
  st.execute(true);
}

// ---- SQLite rows read natively ---------------------------------------------------------------

namespace detail {
namespace {
[[noreturn]] void throw_sqlite(sqlite_api::sqlite3* db, int rc, std::string_view what,
                               std::string_view query) {
  // SOCI's own exception, so that the translation (Busy, IntegrityError, WouldBlock) applies.
  // The statement goes into the context, as SOCI puts it, not into the driver's message, which
  // the translation reads (a UNIQUE violation's `table.column`).
  soci::sqlite3_soci_error e(std::string(what) + ": " + sqlite_api::sqlite3_errmsg(db), rc);
  e.add_context("executing \"" + std::string(query) + "\"");
  throw e;
}
}  // namespace

/// A statement SOCI does not run: prepared, stepped and read through SQLite's API.
struct native_statement final : kept_statement {
  sqlite_api::sqlite3_stmt* stmt = nullptr;
  std::vector<std::string> names;  // the result's column names
  ~native_statement() override { sqlite_api::sqlite3_finalize(stmt); }
};

const void* native_tag() noexcept {
  static const char tag = 0;
  return &tag;
}

native_rows::native_rows(statement_use& use) : use_(use) {
  auto* db = static_cast<soci::sqlite3_session_backend*>(use.sql().get_backend())->conn_;
  auto* kept = static_cast<native_statement*>(use.st_.get());
  if (!kept) {
    auto fresh = std::make_unique<native_statement>();
    const int rc = sqlite_api::sqlite3_prepare_v2(
        db, use.query_.data(), static_cast<int>(use.query_.size()), &fresh->stmt, nullptr);
    if (rc != SQLITE_OK)
      throw_sqlite(db, rc, "error preparing statement", use.query_);
    kept = fresh.get();
    use.adopt(std::move(fresh));
  } else {
    sqlite_api::sqlite3_reset(kept->stmt);
    sqlite_api::sqlite3_clear_bindings(kept->stmt);
  }
  use.prepared_ = true;
  use.native_ = true;
  stmt_ = kept->stmt;
  names_ = &kept->names;
  // Held while the rows are read: SQLite's own lock on every call below (a serialized-mode
  // connection takes its recursive mutex in each sqlite3_column_*) is then a re-entry.
  mutex_ = sqlite_api::sqlite3_db_mutex(db);
  sqlite_api::sqlite3_mutex_enter(static_cast<sqlite_api::sqlite3_mutex*>(mutex_));
}

native_rows::~native_rows() {
  sqlite_api::sqlite3_mutex_leave(static_cast<sqlite_api::sqlite3_mutex*>(mutex_));
}

namespace {
void check_bind(void* stmt, int rc, std::string_view query) {
  if (rc != SQLITE_OK) {
    auto* st = static_cast<sqlite_api::sqlite3_stmt*>(stmt);
    throw_sqlite(sqlite_api::sqlite3_db_handle(st), rc, "failed to bind a parameter", query);
  }
}
}  // namespace

void native_rows::bind(int i, long long v) {
  check_bind(stmt_,
             sqlite_api::sqlite3_bind_int64(static_cast<sqlite_api::sqlite3_stmt*>(stmt_), i, v),
             use_.query_);
}
void native_rows::bind(int i, double v) {
  check_bind(stmt_,
             sqlite_api::sqlite3_bind_double(static_cast<sqlite_api::sqlite3_stmt*>(stmt_), i, v),
             use_.query_);
}
void native_rows::bind(int i, std::string_view v) {
  check_bind(
      stmt_,
      sqlite_api::sqlite3_bind_text(static_cast<sqlite_api::sqlite3_stmt*>(stmt_), i, v.data(),
                                    static_cast<int>(v.size()),
                                    // SQLITE_TRANSIENT: SQLite copies the text
                                    reinterpret_cast<sqlite_api::sqlite3_destructor_type>(-1)),
      use_.query_);
}
void native_rows::bind_null(int i) {
  check_bind(stmt_, sqlite_api::sqlite3_bind_null(static_cast<sqlite_api::sqlite3_stmt*>(stmt_), i),
             use_.query_);
}

bool native_rows::next() {
  auto* st = static_cast<sqlite_api::sqlite3_stmt*>(stmt_);
  if (!started_) {
    started_ = true;
    if (must_not_block())
      use_.limit_inline(stmt_);
  }
  next_column_ = 0;
  const int rc = sqlite_api::sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    if (!named_) {
      // SQLite prepares a kept statement again by itself when the schema changed (a `SELECT *`
      // after `ALTER TABLE`): take the columns' names from the run, not from the first prepare.
      named_ = true;
      const auto n = static_cast<std::size_t>(sqlite_api::sqlite3_column_count(st));
      names_->resize(n);
      for (std::size_t i = 0; i < n; ++i)
        if (const char* name = sqlite_api::sqlite3_column_name(st, static_cast<int>(i));
            (*names_)[i] != name)
          (*names_)[i] = name;
    }
    return true;
  }
  if (rc == SQLITE_DONE)
    return false;
  throw_sqlite(sqlite_api::sqlite3_db_handle(st), rc, "error reading a row", use_.query_);
}

}  // namespace detail

namespace {
// The running inline statement's deadline, read by SQLite's progress handler.
thread_local std::chrono::steady_clock::time_point inline_deadline;
int past_inline_deadline(void*) {
  return std::chrono::steady_clock::now() >= inline_deadline ? 1 : 0;
}
}  // namespace

void detail::statement_use::limit_inline() {
  auto* b = static_cast<soci::sqlite3_statement_backend*>(st_->st->get_backend());
  limit_inline(b ? b->stmt_ : nullptr);
}

void detail::statement_use::limit_inline(void* sqlite_stmt) {
  auto* stmt = static_cast<sqlite_api::sqlite3_stmt*>(sqlite_stmt);
  if (!stmt || !sqlite_api::sqlite3_stmt_readonly(stmt))
    throw WouldBlock("a statement that writes", true);
  auto* db = sqlite_api::sqlite3_db_handle(stmt);
  const auto& o = db_->options();
  inline_deadline = std::chrono::steady_clock::now() + o.inline_budget;
  sqlite_api::sqlite3_busy_timeout(db, 0);  // a locked database: SQLITE_BUSY at once
  // Checked every 1000 virtual-machine steps (a few microseconds): SQLITE_INTERRUPT past it.
  sqlite_api::sqlite3_progress_handler(db, 1000, &past_inline_deadline, nullptr);
  inline_db_ = db;
}

detail::statement_use::~statement_use() {
  if (inline_db_) {
    auto* db = static_cast<sqlite_api::sqlite3*>(inline_db_);
    sqlite_api::sqlite3_progress_handler(db, 0, nullptr, nullptr);
    sqlite_api::sqlite3_busy_timeout(db,
                                     static_cast<int>(db_->options().sqlite_busy_timeout.count()));
  }
  if (!cache_ || !st_)
    return;  // one-time: finalised with st_
  bool ok = prepared_ && std::uncaught_exceptions() == exceptions_;
  if (sqlite_) {
    // A stepped statement keeps SQLite's read transaction (and its snapshot) open until it is
    // reset: reset it now, so that the connection goes back to the pool idle.
    if (native_)
      sqlite_api::sqlite3_reset(static_cast<native_statement&>(*st_).stmt);
    else if (auto* b = static_cast<soci::sqlite3_statement_backend*>(st_->st->get_backend());
             b && b->stmt_)
      sqlite_api::sqlite3_reset(b->stmt_);
  }
  if (ok)
    cache_->put(query_, tag_, std::move(st_));
  else
    cache_->bury(std::move(st_));
}

Session::Session(Database& db, Request* req) : st_(std::make_shared<state>(db, req)) {}

Session::Session(Connection conn, Request* req)
    : st_(std::make_shared<state>(std::move(conn), req)) {}

Session::~Session() = default;

soci::session& Session::sql() const {
  if (must_not_block())  // what the caller does with it cannot be checked
    throw WouldBlock("Session::sql()", true);
  auto& s = st_->sql();
  st_->pinned = true;  // the caller may keep using it: the connection stays with the session
  return s;
}

void Session::statement_done() noexcept {
  st_->statement_done();
}

Backend Session::backend() const noexcept {
  return st_->db ? st_->db->backend() : Backend::sqlite;
}

bool Session::holds_connection() const noexcept {
  return st_->conn.has_value();
}

void Session::begin() {
  if (!st_->db)
    throw std::logic_error("db::Session: used after the request's transaction ended");
  st_->autocommit = false;  // BEGIN goes with the next statement
}

void Session::commit() {
  guarded([&] {
    if (st_->in_transaction) {
      st_->conn->sql().commit();
      st_->in_transaction = false;
    }
  });
}

void Session::rollback() {
  guarded([&] {
    if (st_->in_transaction) {
      st_->in_transaction = false;
      st_->conn->sql().rollback();
    }
  });
}

bool Session::transaction_begin() {
  const bool was = st_->autocommit;
  begin();
  return was;
}

void Session::transaction_end(bool was_autocommit, bool ok) {
  if (ok) {
    commit();  // on failure the caller's catch ends the transaction below
  } else {
    try {
      rollback();
    } catch (const std::exception& e) {
      log::warning(std::string("database: rollback failed: ") + e.what());
    }
  }
  st_->autocommit = was_autocommit;
  st_->statement_done();
}

void Session::retry_pause(int attempt) {
  // 5, 10, 20 ... ms (at most 200), each scaled by a random factor in [0.5, 1.5).
  thread_local std::minstd_rand rng{std::random_device{}()};
  const double base = std::min(200.0, 5.0 * static_cast<double>(1 << std::min(attempt, 6)));
  const double factor = std::uniform_real_distribution<double>(0.5, 1.5)(rng);
  std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(base * factor * 1000)));
}

bool Session::pipelinable() const noexcept {
  const auto& s = *st_;
  return s.db && s.autocommit && !s.in_transaction && !s.conn && s.db->pipelining();
}

namespace {
// Sends one read on the pipelined connection of the calling coroutine's io_context and keeps
// its answer in the session for the next attempt.
Task<void> pipeline_read(std::shared_ptr<Session::state> st, Database* db, std::string sql,
                         detail::pg_params params);
}  // namespace

const void* Session::pipelined(std::string_view query, const detail::pg_params& params) {
  auto& s = *st_;
  for (const auto& r : s.pg_records) {
    if (r.sql != query || r.params != params)
      continue;
    using how = detail::pg_answer::how;
    switch (r.answer.status) {
      case how::done:
        break;
      case how::unavailable:
        throw Unavailable("database: " + r.answer.error);
      case how::busy:  // the pipeline was full: this request's work moves to a worker
        if (must_not_block())
          throw WouldBlock("a full PostgreSQL pipeline");
        return nullptr;
      case how::never:  // not on an io_context: the route's plain work moves for good
        if (must_not_block())
          throw WouldBlock("a PostgreSQL statement off an io_context", true);
        return nullptr;
    }
    if (!r.answer.error.empty()) {
#if VIVACE_WITH_POSTGRESQL
      guarded([&] {
        soci::postgresql_soci_error e(r.answer.error, r.answer.sqlstate.c_str());
        throw e;
      });
#endif
      throw std::runtime_error(r.answer.error);
    }
    return r.answer.result.get();
  }
  if (!must_not_block())
    return nullptr;  // on a worker: on the session's own connection (pg_direct)
  throw WouldBlockUntil("a PostgreSQL statement",
                        [st = st_, db = s.db, sql = std::string(query), ps = params] {
                          return pipeline_read(st, db, sql, ps);
                        });
}

// ---- PostgreSQL rows read through libpq on the session's connection -----------------------

namespace detail {

/// A statement prepared with libpq (not SOCI) on a pooled connection; deallocated when the
/// cache drops it, between transactions (see statement_cache::bury).
struct pg_direct_statement final : kept_statement {
#if VIVACE_WITH_POSTGRESQL
  PGconn* conn = nullptr;
  std::string name;
  int params = 0;
  ~pg_direct_statement() override {
    if (conn && PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) != PQTRANS_INERROR)
      PQclear(PQexec(conn, ("DEALLOCATE " + name).c_str()));
  }
#endif
};

const void* pg_direct_tag() noexcept {
  static const char tag = 0;
  return &tag;
}

struct pg_direct_access {
  static std::string_view query(const statement_use& use) noexcept { return use.query_; }
  static bool keeps(const statement_use& use) noexcept { return use.cache_ != nullptr; }
  static kept_statement* kept(statement_use& use) noexcept { return use.st_.get(); }
  static void prepared(statement_use& use) noexcept { use.prepared_ = true; }
};

#if VIVACE_WITH_POSTGRESQL
namespace {
// The server's error as SOCI's own exception, so that the translation (IntegrityError,
// Unavailable) is the one every other statement gets.
[[noreturn]] void throw_pg(PGconn* conn, PGresult* r, std::string_view query) {
  const char* code = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  const std::string sqlstate = code ? code : "08006";  // no result: the connection failed
  PQclear(r);
  soci::postgresql_soci_error e(message, sqlstate.c_str());
  e.add_context("executing \"" + std::string(query) + "\"");
  throw e;
}
}  // namespace
#endif

std::shared_ptr<void> pg_direct(statement_use& use, const pg_params& params) {
#if VIVACE_WITH_POSTGRESQL
  PGconn* conn = static_cast<soci::postgresql_session_backend*>(use.sql().get_backend())->conn_;
  const std::string_view query = pg_direct_access::query(use);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params)
    values.push_back(p ? p->c_str() : nullptr);
  const auto check_count = [&](int count) {
    if (static_cast<std::size_t>(count) != params.size())
      throw soci::soci_error(pg_count_mismatch(params.size(), count, query));
  };
  auto* kept = static_cast<pg_direct_statement*>(pg_direct_access::kept(use));
  if (!kept && pg_direct_access::keeps(use)) {
    static std::atomic<unsigned long> counter{0};
    auto fresh = std::make_unique<pg_direct_statement>();
    const std::string text = pg_positional(query, fresh->params);
    check_count(fresh->params);
    fresh->name = "vivace_d" + std::to_string(++counter);
    PGresult* prepared = PQprepare(conn, fresh->name.c_str(), text.c_str(), fresh->params, nullptr);
    if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK)
      throw_pg(conn, prepared, query);
    PQclear(prepared);
    fresh->conn = conn;
    kept = fresh.get();
    use.adopt(std::move(fresh));
  }
  pg_direct_access::prepared(use);
  PGresult* r = nullptr;
  if (kept) {
    check_count(kept->params);
    r = PQexecPrepared(conn, kept->name.c_str(), static_cast<int>(values.size()), values.data(),
                       nullptr, nullptr, 0);
  } else {
    int count = 0;
    const std::string text = pg_positional(query, count);
    check_count(count);
    r = PQexecParams(conn, text.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0);
  }
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    throw_pg(conn, r, query);
  return std::shared_ptr<void>(r, [](void* p) { PQclear(static_cast<PGresult*>(p)); });
#else
  (void)use, (void)params;
  return nullptr;
#endif
}

}  // namespace detail

namespace {
Task<void> pipeline_read(std::shared_ptr<Session::state> st, Database* db, std::string sql,
                         detail::pg_params params) {
  detail::pg_answer answer;
  // The context of the request's executor: the server's connection strand, or the context's
  // own executor.
  const auto ex = co_await boost::asio::this_coro::executor;
  using io_executor = boost::asio::io_context::executor_type;
  boost::asio::io_context* ioc = nullptr;
  if (const auto* strand = ex.target<boost::asio::strand<io_executor>>())
    ioc = &strand->get_inner_executor().context();
  else if (const auto* plain = ex.target<io_executor>())
    ioc = &plain->context();
  if (!ioc) {
    answer.status = detail::pg_answer::how::never;
  } else {
    auto pipe = db->pipeline(*ioc);
    constexpr std::size_t max_pending = 1024;
    if (pipe->pending() >= max_pending)
      answer.status = detail::pg_answer::how::busy;
    else
      answer = co_await pipe->query(sql, params);
  }
  st->pg_records.push_back({std::move(sql), std::move(params), std::move(answer)});
}
}  // namespace

Task<void> Session::blocking(std::function<void()> work) {
  if (st_->req)
    co_await run_blocking(*st_->req, std::move(work));
  else
    work();
}

namespace {
void attach(Request& req, const std::shared_ptr<Session::state>& st);
}

Task<Session> session(Inject<Database> db, Request& req) {
  Session s(*db, &req);  // no connection yet: it is acquired with the first statement
  attach(req, s.st_);
  co_return s;
}

Task<Session> read_session(Inject<Database> db, Request& req) {
  Session s(*db, &req);
  s.st_->autocommit = true;
  attach(req, s.st_);
  co_return s;
}

namespace {
void attach(Request& req, const std::shared_ptr<Session::state>& st) {
  // On success: commit on the worker that ran the handler, before the response is written.
  req.scope().before_response([st](Request&) {
    st->commit_and_close();
    st->db = nullptr;  // the request's transaction is over
  });
  // After a failure (the handler, a later dependency or the commit): roll back.
  req.scope().on_cleanup([st](Request& r) -> Task<void> {
    if (st->conn && st->in_transaction) {
      try {
        co_await run_blocking(r, [&] { st->close(true); });
      } catch (const Overloaded&) {
        // the worker pool is full: roll back below, here, rather than keep the lock
      }
    }
    st->close(true);   // a no-op once closed
    st->db = nullptr;  // the request is over
  });
}
}  // namespace

}  // namespace vivace::db
