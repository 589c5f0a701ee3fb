#pragma once
/// @file
/// The database: a `DATABASE_URL`, a pool of SOCI sessions with a bounded wait, SQLite opened
/// for a server, PostgreSQL for production, and typed errors for constraint violations.
/// Compiled in `src/db/`; link `vivace::db`.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <soci/soci.h>

#include "vivace/core/errors.hpp"
#include "vivace/core/task.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace vivace::db {

/// The database systems Vivace speaks to.
enum class Backend { sqlite, postgresql };

/// A parsed `DATABASE_URL` (SQLAlchemy's forms):
/// - `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, `sqlite://:memory:`
/// - `postgresql://user:password@host:port/dbname?sslmode=require&connect_timeout=5`
///   (also `postgres://`; user, password and database are percent-decoded; every query
///   parameter is passed to libpq as a connection keyword).
struct DatabaseUrl {
  /// From the scheme: `sqlite://`, or `postgresql://` and `postgres://`. A build without
  /// PostgreSQL still parses such a URL; `Database` refuses it (`std::invalid_argument`).
  Backend backend = Backend::sqlite;
  std::string connect_string;  ///< for SOCI's backend (holds the password: never log it)
  std::string redacted;        ///< the URL with the password replaced by `***`: safe to log
  std::string sqlite_path;     ///< SQLite: the file, or `:memory:`
  /// Whether it is an in-memory SQLite database (one connection, gone when closed).
  [[nodiscard]] bool in_memory() const noexcept { return sqlite_path == ":memory:"; }

  /// Parses `url` in one of the forms above.
  /// @throws std::invalid_argument naming what is wrong (never echoing the password).
  [[nodiscard]] static DatabaseUrl parse(std::string_view url);
};

/// How the pool behaves.
struct DatabaseOptions {
  /// Connections kept open. An in-memory SQLite database is one connection (each connection
  /// would otherwise be a database of its own).
  std::size_t pool_size = 8;
  /// How long a request waits for a free connection before it gets 503.
  std::chrono::milliseconds acquire_timeout{5000};
  /// Requests that may wait for a connection at once; one more gets 503 (`Retry-After`) at
  /// once instead of joining a queue it cannot get through in time.
  std::size_t max_waiters = 64;
  /// SQLite: how long a writer waits for the database lock (`busy_timeout`).
  std::chrono::milliseconds sqlite_busy_timeout{5000};
  /// SQLite: how long one read may run on an I/O thread (`RouteOptions::run_inline`) before
  /// it is interrupted and the handler moves to the worker pool. Reads on the I/O thread never
  /// wait for a lock either: a locked database moves them at once.
  std::chrono::microseconds inline_budget{1000};
  /// Prepared statements kept per connection for `Session::one`, `all` and `execute` (the
  /// least recently used is dropped first). A query run again on the same connection skips
  /// parsing and planning: SQLite's prepare step, PostgreSQL's parse and plan. 0: every
  /// statement is prepared afresh.
  std::size_t statement_cache_size = 100;
  /// PostgreSQL: the reads of `RouteOptions::run_inline` routes (`Session::one` and `all` of a
  /// described struct, on an autocommit session outside a transaction) are sent from the I/O
  /// thread on one non-blocking connection per `io_context`, in libpq's pipeline mode, shared
  /// by the requests of that context: no worker thread, no pooled connection, and many reads
  /// in one round trip under load. That connection is one more than `pool_size`. `false`:
  /// those reads run on the worker pool like the others.
  bool pipeline = true;
};

/// No connection became free within `acquire_timeout`, or `max_waiters` requests already
/// wait: 503 `{"detail":"Service Unavailable"}` with `Retry-After: 1`.
class PoolTimeout : public Overloaded {
 public:
  /// `reason`: which limit was reached (logged with the 503).
  explicit PoolTimeout(std::string reason = "no pooled database connection became free in time")
      : Overloaded(std::chrono::seconds(1), std::move(reason)) {}
};

/// The database could not serialise this transaction with the others: SQLite stayed locked
/// past its busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED`), or PostgreSQL ended it with a
/// serialization failure (40001) or a deadlock (40P01). Nothing was written. `Session::
/// transaction` runs its work again (bounded, with jitter); elsewhere it is a 503 with
/// `Retry-After: 1`, never a 500.
class Busy : public Overloaded {
 public:
  /// `why` is the driver's message, logged with the 503.
  explicit Busy(std::string why)
      : Overloaded(std::chrono::seconds(1), "database busy: " + why), why_(std::move(why)) {}
  /// The driver's message alone (`reason()`, which is logged, has it after `database busy: `);
  /// never sent to the client.
  [[nodiscard]] const std::string& why() const noexcept { return why_; }

 private:
  std::string why_;
};

/// The database cannot be reached (after one reconnection attempt): 503 as well.
class Unavailable : public HTTPException {
 public:
  /// `why` is the driver's message; the response says only "Service Unavailable".
  explicit Unavailable(std::string why) : HTTPException(503), why_(std::move(why)) {}
  /// The driver's message (for logs; may name the host, never the password).
  [[nodiscard]] const std::string& why() const noexcept { return why_; }

 private:
  std::string why_;
};

/// A constraint of the database refused a write. Catch the subclass you can answer (a
/// `UniqueViolation` is usually 409, a `ForeignKeyViolation` 400 or 404).
class IntegrityError : public std::runtime_error {
 public:
  /// The kind of constraint: UNIQUE, FOREIGN KEY, NOT NULL or CHECK.
  enum class Kind { unique, foreign_key, not_null, check };
  /// Thrown by `rethrow_translated` as the subclass for `kind`; `message` is the driver's.
  IntegrityError(Kind kind, std::string constraint, const std::string& message)
      : std::runtime_error(message), kind_(kind), constraint_(std::move(constraint)) {}
  /// As thrown by `rethrow_translated`, it matches the subclass (`Kind::unique` for a
  /// `UniqueViolation`, ...): a `switch` on it can replace a `catch` per subclass.
  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// PostgreSQL: the constraint's name (`users_email_key`; the column for NOT NULL).
  /// SQLite: `table.column` for UNIQUE and NOT NULL, the name for CHECK, empty for FOREIGN KEY
  /// (SQLite does not say which).
  [[nodiscard]] const std::string& constraint() const noexcept { return constraint_; }

 private:
  Kind kind_;
  std::string constraint_;
};
/// A UNIQUE (or primary key) constraint: the value is taken.
class UniqueViolation : public IntegrityError {
 public:
  using IntegrityError::IntegrityError;
};
/// A FOREIGN KEY constraint: the row refers to one that does not exist (or is still referred
/// to).
class ForeignKeyViolation : public IntegrityError {
 public:
  using IntegrityError::IntegrityError;
};
/// A NOT NULL constraint: a required column was null.
class NotNullViolation : public IntegrityError {
 public:
  using IntegrityError::IntegrityError;
};
/// A CHECK constraint: the row breaks a condition the table declares (`constraint()` says
/// which).
class CheckViolation : public IntegrityError {
 public:
  using IntegrityError::IntegrityError;
};

/// Rethrows a SOCI error as the typed error above when it is a constraint violation (as
/// `Unavailable` when the connection is gone), else as it is. Call from `catch`.
[[noreturn]] void rethrow_translated();

class Database;
namespace detail {
class statement_cache;
class pg_pipeline;
}  // namespace detail

/// One pooled connection, given back when destroyed. `begin()` notices a connection the server
/// dropped (a restart) and re-opens it once before it is used.
class Connection {
 public:
  /// Takes over `o`'s lease; `o` gives nothing back.
  Connection(Connection&& o) noexcept;
  Connection() = delete;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;
  ~Connection();

  /// Lent by the pool: use it only while this `Connection` lives. No transaction is begun,
  /// and a session the server dropped is not re-opened (`begin()` does both).
  [[nodiscard]] soci::session& sql() const noexcept { return *session_; }
  /// The pool's (`database().backend()`), known without asking the server.
  [[nodiscard]] Backend backend() const noexcept;
  /// The pool this connection goes back to when destroyed: it must outlive the connection.
  [[nodiscard]] Database& database() const noexcept { return *db_; }

  /// Starts a transaction, re-opening the connection first when the server has dropped it.
  /// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken (waiting up to the busy
  /// timeout) when the transaction starts. A deferred transaction that read first and then
  /// writes fails at once with `SQLITE_BUSY_SNAPSHOT` when another writer committed in
  /// between; an immediate one waits its turn instead. Reads that need no transaction use
  /// an autocommit session (`ReadSessionDep`). `Session` calls it with the transaction's
  /// first statement. @throws Busy when the lock is still held after the busy timeout
  void begin();

  /// Internal: this connection's prepared statements (see `DatabaseOptions`).
  [[nodiscard]] detail::statement_cache& statements() const noexcept;

 private:
  friend class Database;
  Connection(Database& db, std::size_t pos);
  Database* db_;
  std::size_t pos_;
  soci::session* session_;
};

/// The pool. Thread-safe; keep one for the application (`app.provide<db::Database>(...)`).
class Database {
 public:
  /// Opens `options.pool_size` connections (SQLite with WAL, `busy_timeout`,
  /// `foreign_keys=ON`, `synchronous=NORMAL`; PostgreSQL in UTC).
  /// @throws std::invalid_argument for a bad URL, soci::soci_error when a connection fails.
  explicit Database(std::string_view url, DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Which database system the URL names.
  [[nodiscard]] Backend backend() const noexcept;
  /// The parsed URL (log `redacted`, never `connect_string`).
  [[nodiscard]] const DatabaseUrl& url() const noexcept;
  /// A copy of the constructor's (changing those afterwards does nothing), with `pool_size`
  /// 1 for an in-memory SQLite database.
  [[nodiscard]] const DatabaseOptions& options() const noexcept;

  /// A free connection, waiting at most `acquire_timeout` (blocking the calling thread).
  /// @throws PoolTimeout
  [[nodiscard]] Connection acquire();
  /// A free connection if there is one now, without waiting.
  [[nodiscard]] std::optional<Connection> try_acquire();
  /// The same without blocking a thread: the coroutine waits on its executor and is handed
  /// a connection given back, in arrival order with the blocking waiters. (A request's
  /// session does not use it: it acquires with its first statement, on the worker that runs
  /// it, and the workers are fewer than the pool's connections by default.)
  [[nodiscard]] Task<Connection> acquire_async();

  /// Internal: re-opens a connection and applies the per-connection settings.
  void reopen(soci::session& s);
  /// Internal: whether reads may go through a pipelined connection (`DatabaseOptions::pipeline`
  /// on PostgreSQL).
  [[nodiscard]] bool pipelining() const noexcept;
  /// Internal: the pipelined connection of `ioc` (made on first use, connected on its first
  /// query).
  [[nodiscard]] std::shared_ptr<detail::pg_pipeline> pipeline(boost::asio::io_context& ioc);

 private:
  friend class Connection;
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vivace::db
