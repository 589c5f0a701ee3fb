#pragma once
/// @file
/// The per-request database session (SQLAlchemy's `get_db`): one pooled connection and one
/// transaction per request, committed before the response is sent when the handler succeeds
/// (a failed commit is the response), rolled back when it fails.
///
/// @code
/// app.provide<vivace::db::Database>([&] { return std::make_shared<vivace::db::Database>(url); });
/// app.get<"/items/{id}">([](vivace::Path<"id", std::int64_t> id, vivace::db::SessionDep db) {
///   return db->one<Item>("select id, name from items where id = :id", *id);  // optional → 404
/// }, {.not_found_if_empty = true});
/// @endcode
///
/// The provider takes no connection: the session acquires one with its first statement (503
/// after the pool's `acquire_timeout`, or at once when `max_waiters` wait) and, on an
/// autocommit session, gives it back after each statement until `begin()`. Plain handlers run
/// on the worker pool and call the session directly. Coroutine handlers run on an I/O thread
/// and reach the database through `co_await db->run([&](db::Session& s) { ... })`, which runs
/// on the pool; between two `run`s they may await anything (a password hash on the CPU pool)
/// with no connection held, unless a transaction is open.

#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "vivace/core/task.hpp"
#include "vivace/db/binding.hpp"
#include "vivace/db/database.hpp"
#include "vivace/db/row.hpp"
#include "vivace/di/depends.hpp"
#include "vivace/di/scope.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/http/request.hpp"
#include "vivace/schema/types.hpp"

namespace vivace::db {

/// A connection and its transaction, taken only while needed. Move-only; obtained through
/// `SessionDep` (or constructed from a `Database` outside a request).
///
/// - The connection is acquired with the first statement, not before: a request that hashes
///   a password, calls another service or fails validation first holds none meanwhile.
/// - An autocommit session (`ReadSessionDep`) gives it back after every statement until
///   `begin()`; then it keeps it until the transaction ends.
/// - `BEGIN` goes with the first statement after `begin()` (SQLite: `BEGIN IMMEDIATE`, the
///   write lock), so no lock is held before the transaction's first statement.
/// - `sql()` hands out the SOCI session itself: from then on the session keeps its connection
///   until it ends.
class Session {
 public:
  /// A session on `db`: nothing is acquired yet.
  explicit Session(Database& db, Request* req = nullptr);
  /// A session on a connection already acquired: it keeps it until it ends, and its first
  /// statement begins a transaction there.
  Session(Connection conn, Request* req);
  /// Takes over another session's connection and transaction.
  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) = delete;
  /// Rolls back what was not committed and gives the connection back.
  ~Session();

  /// The SOCI session, inside the transaction (begun here on first use; a connection the
  /// server dropped is re-opened first). @throws Unavailable, std::logic_error once closed.
  [[nodiscard]] soci::session& sql() const;
  /// `sql()`, for `session->...`.
  soci::session* operator->() const { return &sql(); }
  /// `sql()`, for `*session << "..."`.
  soci::session& operator*() const { return sql(); }
  /// Known without a connection: asking acquires none. (Once the request's transaction has
  /// ended it answers `Backend::sqlite`.)
  [[nodiscard]] Backend backend() const noexcept;

  /// False until the first statement. Then a session that is not autocommit (`SessionDep`, or
  /// after `begin()`) keeps its connection until it ends; an autocommit one gives it back after
  /// each statement, unless `sql()` has handed out the SOCI session.
  [[nodiscard]] bool holds_connection() const noexcept;

  /// Starts a transaction with the next statement (a no-op when one is open). On an
  /// autocommit session (`ReadSessionDep`) this switches to a transaction: statements from
  /// here on are committed before the response, or rolled back on failure, like
  /// `SessionDep`'s. Use it to read first without a transaction (or lock), do the slow work
  /// (hashing) with no connection held, and then write atomically.
  void begin();
  /// Commits what was done so far (the next statement begins a new transaction).
  /// @throws IntegrityError (deferred constraints), Unavailable
  void commit();
  /// Rolls back what was done so far (a no-op outside a transaction). The session stays
  /// usable: as after `commit()`, the next statement begins a new transaction (unless the
  /// session is autocommit).
  void rollback();

  /// Runs `f(*this)` in a transaction of its own and commits it; when the database could not
  /// serialise it (`Busy`: SQLite locked past its busy timeout, a PostgreSQL serialization
  /// failure or deadlock), rolls back and runs `f` again, at most `attempts` times in all,
  /// after a short random pause. `f` must be safe to run again: only database work, no
  /// e-mail sent, no file written. @throws Busy after the last attempt (503)
  template <class F>
  auto transaction(F&& f, int attempts = 3) -> std::invoke_result_t<F&, Session&> {
    const bool was_autocommit = transaction_begin();
    for (int attempt = 1;; ++attempt) {
      try {
        if constexpr (std::is_void_v<std::invoke_result_t<F&, Session&>>) {
          f(*this);
          transaction_end(was_autocommit, true);
          return;
        } else {
          auto out = f(*this);
          transaction_end(was_autocommit, true);
          return out;
        }
      } catch (const Busy&) {
        if (attempt >= attempts) {
          transaction_end(was_autocommit, false);
          throw;
        }
        rollback();
      } catch (...) {
        transaction_end(was_autocommit, false);
        throw;
      }
      retry_pause(attempt);
    }
  }

  /// The first row of `query` as `T` (a described struct or a single column), or nothing.
  /// Parameters bind to the `:placeholders` in order (an empty `std::optional` as NULL); a
  /// described struct binds its members to `:member` placeholders. @throws IntegrityError, RowError
  template <class T, class... P>
  [[nodiscard]] std::optional<T> one(std::string_view query, const P&... params) {
    std::optional<T> out;
    const release_after done{*this};
    if constexpr (detail::native_readable<T, P...>) {
      auto first = [&](T&& row) {
        out.emplace(std::move(row));
        return false;  // the first row only
      };
      if (read_directly<T>(query, first, params...))
        return out;
    }
    guarded([&] {
      using Entry = detail::bound_statement<T, std::tuple<detail::stored_t<P>...>>;
      detail::statement_use use(*this, query, detail::tag_of<Entry>(),
                                detail::reusable_params<P...>);
      auto& e = detail::bind<T>(use, params...);
      use.execute();
      if (e.st->got_data() && e.ind != soci::i_null)
        out.emplace(std::move(e.row));
    });
    return out;
  }

  /// Every row of `query` as `T`. @throws IntegrityError, RowError
  template <class T, class... P>
  [[nodiscard]] std::vector<T> all(std::string_view query, const P&... params) {
    std::vector<T> out;
    const release_after done{*this};
    if constexpr (detail::native_readable<T, P...>) {
      auto each = [&](T&& row) {
        out.push_back(std::move(row));
        return true;
      };
      if (read_directly<T>(query, each, params...))
        return out;
    }
    guarded([&] {
      using Entry = detail::bound_statement<T, std::tuple<detail::stored_t<P>...>>;
      detail::statement_use use(*this, query, detail::tag_of<Entry>(),
                                detail::reusable_params<P...>);
      auto& e = detail::bind<T>(use, params...);
      use.execute();
      for (bool more = e.st->got_data(); more; more = e.st->fetch()) {
        if (e.ind == soci::i_null)  // a NULL single column is an error, as in a rowset
          throw soci::soci_error("row " + std::to_string(out.size() + 1) +
                                 " has NULL in the one column of: " + std::string(query));
        out.push_back(std::move(e.row));
        e.row = T{};
      }
    });
    return out;
  }

  /// Runs a statement; returns the number of rows it changed. @throws IntegrityError
  template <class... P>
  long long execute(std::string_view query, const P&... params) {
    long long n = 0;
    const release_after done{*this};
    guarded([&] {
      using Entry = detail::bound_statement<std::monostate, std::tuple<detail::stored_t<P>...>>;
      detail::statement_use use(*this, query, detail::tag_of<Entry>(),
                                detail::reusable_params<P...>);
      auto& e = detail::bind<std::monostate>(use, params...);
      use.execute();
      n = e.st->get_affected_rows();
    });
    return n;
  }

  /// Runs `f(*this)` on the worker pool: how coroutine handlers use the session.
  template <class F>
  auto run(F f) -> Task<std::invoke_result_t<F&, Session&>> {
    using R = std::invoke_result_t<F&, Session&>;
    if constexpr (std::is_void_v<R>) {
      co_await blocking([&] { f(*this); });
    } else {
      std::optional<R> out;
      co_await blocking([&] { out.emplace(f(*this)); });
      co_return std::move(*out);
    }
  }

  /// What the session shares with the request's hooks (commit, cleanup).
  struct state;

 private:
  friend Task<Session> session(Inject<Database>, Request&);
  friend Task<Session> read_session(Inject<Database>, Request&);
  friend class detail::statement_use;
  // After a statement (its statement_use gone): an idle autocommit session gives its
  // connection back.
  struct release_after {
    Session& s;
    ~release_after() { s.statement_done(); }
  };
  void statement_done() noexcept;
  static void retry_pause(int attempt);
  // transaction(): begin (returns whether the session was autocommit), then commit or roll
  // back and go back to autocommit when it was.
  bool transaction_begin();
  void transaction_end(bool was_autocommit, bool commit);
  template <class F>
  void guarded(F&& f) {
    try {
      f();
    } catch (const soci::soci_error&) {
      rethrow_translated();
    }
  }
  // SQLite, Vivace's own row mapping: the statement stepped and read through SQLite's API,
  // each row handed to `sink` (which returns whether to go on).
  template <class T, class Sink, class... P>
  void read_natively(std::string_view query, Sink&& sink, const P&... params) {
    guarded([&] {
      detail::statement_use use(*this, query, detail::native_tag(), true);
      detail::native_read<T>(use, sink, params...);
    });
  }
  // The rows of `query` to `sink` without SOCI: SQLite natively; PostgreSQL through the
  // pipelined connection, or through libpq on the session's own connection (SOCI's std::tm
  // would cut timestamps to the second). False: take SOCI's way.
  template <class T, class Sink, class... P>
  bool read_directly(std::string_view query, Sink& sink, const P&... params) {
    if (backend() == Backend::sqlite) {
      read_natively<T>(query, sink, params...);
      return true;
    }
    detail::pg_params ps;
    ps.reserve(sizeof...(P));
    (detail::add_pg_param(ps, detail::stored(params)), ...);
    if (pipelinable()) {
      if (const void* result = pipelined(query, ps)) {
        detail::pg_read<T>(result, sink);
        return true;
      }
    }
    std::shared_ptr<void> result;
    guarded([&] {
      detail::statement_use use(*this, query, detail::pg_direct_tag(), true);
      result = detail::pg_direct(use, ps);
    });
    if (!result)
      return false;  // built without PostgreSQL
    detail::pg_read<T>(result.get(), sink);
    return true;
  }
  Task<void> blocking(std::function<void()> work);
  // PostgreSQL with DatabaseOptions::pipeline, an autocommit session holding no connection.
  [[nodiscard]] bool pipelinable() const noexcept;
  // The result of `query` with `params` read through the pipelined connection for this
  // request, or null: then it runs on the session's own connection (pg_direct). On an I/O thread (a
  // run_inline attempt) it throws WouldBlockUntil to have the statement sent; the attempt after it
  // finds the result.
  // @throws the statement's error, translated
  const void* pipelined(std::string_view query, const detail::pg_params& params);

  std::shared_ptr<state> st_;
};

/// The provider: a session for this request (see the file's comment). It takes no connection
/// (the first statement does); the commit runs on the worker pool before the response, the
/// rollback (after a failure) after it.
Task<Session> session(Inject<Database> db, Request& req);

/// A session without a transaction (autocommit): each statement stands alone, and the
/// connection goes back to the pool after each until `begin()`. For endpoints that read, it
/// saves PostgreSQL's BEGIN and COMMIT round trips.
Task<Session> read_session(Inject<Database> db, Request& req);

/// The handler parameter: `vivace::db::SessionDep db` → `db->one<...>(...)`, `db->sql()`.
using SessionDep = Depends<session>;
/// The handler parameter for `read_session`: autocommit until `begin()`, for endpoints that
/// read.
using ReadSessionDep = Depends<read_session>;

}  // namespace vivace::db
