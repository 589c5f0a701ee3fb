// The per-request session: a pooled connection, a transaction begun on first use, committed
// before the response, rolled back after a failure.

#include "vivace/db/session.hpp"

#include "vivace/core/log.hpp"

namespace vivace::db {

void detail::run_once(soci::statement& st, std::string_view query) {
  st.alloc();
  st.prepare(std::string(query), soci::details::st_one_time_query);
  st.define_and_bind();
  st.execute(true);
}

struct Session::state {
  std::optional<Connection> conn;
  Request* req = nullptr;
  bool in_transaction = false;
  bool autocommit = false;  // read_session: no BEGIN/COMMIT, each statement on its own

  state(Connection c, Request* r) : conn(std::move(c)), req(r) {}
  state(const state&) = delete;
  state& operator=(const state&) = delete;
  ~state() { close(true); }

  soci::session& sql() {
    if (!conn)
      throw std::logic_error("db::Session: used after the request's transaction ended");
    if (!in_transaction && !autocommit) {
      conn->begin();
      in_transaction = true;
    }
    return conn->sql();
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
    conn.reset();
  }

  /// Commits (when a transaction is open) and gives the connection back. On failure the
  /// transaction is rolled back and the connection given back before the error propagates.
  void commit_and_close() {
    if (conn && in_transaction) {
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

Session::Session(Database& db, Request* req) : st_(std::make_shared<state>(db.acquire(), req)) {}

Session::Session(Connection conn, Request* req)
    : st_(std::make_shared<state>(std::move(conn), req)) {}

Session::~Session() = default;

soci::session& Session::sql() const {
  return st_->sql();
}

Backend Session::backend() const noexcept {
  return st_->conn ? st_->conn->backend() : Backend::sqlite;
}

void Session::begin() {
  if (!st_->conn)
    throw std::logic_error("db::Session: used after the request's transaction ended");
  st_->autocommit = false;
  (void)st_->sql();
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
      st_->conn->sql().rollback();
      st_->in_transaction = false;
    }
  });
}

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
  Session s(co_await db->acquire_async(), &req);
  attach(req, s.st_);
  co_return s;
}

Task<Session> read_session(Inject<Database> db, Request& req) {
  Session s(co_await db->acquire_async(), &req);
  s.st_->autocommit = true;
  attach(req, s.st_);
  co_return s;
}

namespace {
void attach(Request& req, const std::shared_ptr<Session::state>& st) {
  // On success: commit on the worker that ran the handler, before the response is written.
  req.before_response([st](Request&) { st->commit_and_close(); });
  // After a failure (the handler, a later dependency or the commit): roll back.
  req.on_cleanup([st](Request& r) -> Task<void> {
    if (st->conn && st->in_transaction)
      co_await run_blocking(r, [&] { st->close(true); });
    else
      st->close(false);
  });
}
}  // namespace

}  // namespace vivace::db
