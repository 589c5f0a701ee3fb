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
/// The provider waits for a connection on the I/O executor without holding a thread (503
/// after the pool's `acquire_timeout`). Plain handlers run on the worker pool and call the
/// session directly. Coroutine handlers run on an I/O thread and reach the database through
/// `co_await db->run([&](db::Session& s) { ... })`, which runs on the pool.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "vivace/core/task.hpp"
#include "vivace/db/database.hpp"
#include "vivace/db/row.hpp"
#include "vivace/di/depends.hpp"
#include "vivace/di/scope.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/http/request.hpp"
#include "vivace/schema/types.hpp"

namespace vivace::db {

namespace detail {
/// How a query parameter is kept while the statement runs (SOCI binds lvalues only).
template <class P>
auto stored(const P& p);

/// An optional parameter: NULL when empty.
template <class V>
struct nullable {
  V value;
  soci::indicator ind;
};
template <class P>
struct is_std_optional : std::false_type {};
template <class P>
struct is_std_optional<std::optional<P>> : std::true_type {};

template <class P>
auto stored(const P& p) {
  if constexpr (is_std_optional<P>::value) {
    using V = decltype(stored(std::declval<const typename P::value_type&>()));
    return p ? nullable<V>{stored(*p), soci::i_ok} : nullable<V>{V{}, soci::i_null};
  } else if constexpr (std::is_convertible_v<const P&, std::string_view>)
    return std::string(std::string_view(p));
  else if constexpr (std::is_same_v<P, bool>)
    return static_cast<int>(p);
  else if constexpr (std::is_same_v<P, DateTime> || std::is_same_v<P, Date>)
    return p.to_string();
  else if constexpr (std::is_enum_v<P>)
    return std::string(schema::encode(p).as_string());
  else
    return p;
}
template <class P>
using stored_t = decltype(stored(std::declval<const P&>()));

template <class V>
void bind_one(soci::statement& st, V& v) {
  st.exchange(soci::use(std::as_const(v)));  // const: never read back
}
template <class V>
void bind_one(soci::statement& st, nullable<V>& v) {
  st.exchange(soci::use(std::as_const(v.value), v.ind));
}

/// Binds every parameter, positionally, to a statement.
template <class Tuple, std::size_t... I>
void bind_all(soci::statement& st, Tuple& values, std::index_sequence<I...>) {
  (bind_one(st, std::get<I>(values)), ...);
}

/// Whether a statement with parameters of these types can be kept prepared: a described
/// struct binds as SOCI `values`, which SOCI 4.0 cannot unbind without growing the statement.
template <class... P>
inline constexpr bool reusable_params = !(mapped_row<P> || ...);
}  // namespace detail

class Session;

namespace detail {
/// One run of `query` on a session's connection: the statement prepared for it earlier (from
/// the connection's cache) or a new one. Bind parameters and outputs to `get()`, then
/// `execute()`. On destruction a cacheable statement is unbound and goes back to the cache;
/// after a failure it is dropped once the transaction has ended.
class statement_use {
 public:
  /// `cacheable`: false for statements that must be prepared afresh (see reusable_params).
  statement_use(Session& s, std::string_view query, bool cacheable);
  statement_use(const statement_use&) = delete;
  statement_use& operator=(const statement_use&) = delete;
  ~statement_use();

  /// The statement, to exchange parameters and outputs with.
  [[nodiscard]] soci::statement& get() noexcept { return *st_; }
  /// Prepares it when new, binds, and executes it, fetching the first row if any. A new
  /// statement that is not kept is one-time, as `sql << query` is: PostgreSQL runs it in one
  /// round trip.
  void execute();

 private:
  std::string_view query_;
  statement_cache* cache_ = nullptr;  // null: one-time
  std::optional<soci::statement> st_;
  bool prepared_ = false;
  bool sqlite_ = false;
  int exceptions_;
};
}  // namespace detail

/// One connection and its transaction. Move-only; obtained through `SessionDep` (or
/// constructed from a `Database` outside a request). The transaction begins with the first
/// statement, so a request that does not touch the database costs one pool lease, nothing else.
class Session {
 public:
  /// Acquires a connection (blocking, at most the pool's timeout). @throws PoolTimeout
  explicit Session(Database& db, Request* req = nullptr);
  /// Takes a connection already acquired.
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
  /// The database's backend.
  [[nodiscard]] Backend backend() const noexcept;

  /// Begins the transaction now (a no-op when one is open). On an autocommit session
  /// (`ReadSessionDep`) this switches to a transaction: statements from here on are
  /// committed before the response, or rolled back on failure, like `SessionDep`'s. Use it
  /// to read first without a transaction (or lock) and then write atomically.
  void begin();
  /// Commits what was done so far (the next statement begins a new transaction).
  /// @throws IntegrityError (deferred constraints), Unavailable
  void commit();
  /// Rolls back what was done so far.
  void rollback();

  /// The first row of `query` as `T` (a described struct or a single column), or nothing.
  /// Parameters bind to the `:placeholders` in order (an empty `std::optional` as NULL); a
  /// described struct binds its members to `:member` placeholders. @throws IntegrityError, RowError
  template <class T, class... P>
  [[nodiscard]] std::optional<T> one(std::string_view query, const P&... params) {
    std::optional<T> out;
    guarded([&] {
      std::tuple<detail::stored_t<P>...> values{detail::stored(params)...};
      T row{};
      soci::indicator ind = soci::i_ok;
      detail::statement_use use(*this, query, detail::reusable_params<P...>);
      soci::statement& st = use.get();
      detail::bind_all(st, values, std::index_sequence_for<P...>{});
      if constexpr (detail::mapped_row<T>)
        st.exchange(soci::into(row));
      else
        st.exchange(soci::into(row, ind));
      use.execute();
      if (st.got_data() && ind != soci::i_null)
        out.emplace(std::move(row));
    });
    return out;
  }

  /// Every row of `query` as `T`. @throws IntegrityError, RowError
  template <class T, class... P>
  [[nodiscard]] std::vector<T> all(std::string_view query, const P&... params) {
    std::vector<T> out;
    guarded([&] {
      std::tuple<detail::stored_t<P>...> values{detail::stored(params)...};
      T row{};
      detail::statement_use use(*this, query, detail::reusable_params<P...>);
      soci::statement& st = use.get();
      detail::bind_all(st, values, std::index_sequence_for<P...>{});
      st.exchange(soci::into(row));  // a NULL single column is an error, as in a rowset
      use.execute();
      for (bool more = st.got_data(); more; more = st.fetch()) {
        out.push_back(std::move(row));
        row = T{};
      }
    });
    return out;
  }

  /// Runs a statement; returns the number of rows it changed. @throws IntegrityError
  template <class... P>
  long long execute(std::string_view query, const P&... params) {
    long long n = 0;
    guarded([&] {
      std::tuple<detail::stored_t<P>...> values{detail::stored(params)...};
      detail::statement_use use(*this, query, detail::reusable_params<P...>);
      soci::statement& st = use.get();
      detail::bind_all(st, values, std::index_sequence_for<P...>{});
      use.execute();
      n = st.get_affected_rows();
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
  template <class F>
  void guarded(F&& f) {
    try {
      f();
    } catch (const soci::soci_error&) {
      rethrow_translated();
    }
  }
  Task<void> blocking(std::function<void()> work);

  std::shared_ptr<state> st_;
};

/// The provider: a session for this request (see the file's comment). It waits for a
/// connection without holding a thread; the commit runs on the worker pool before the
/// response, the rollback (after a failure) after it.
Task<Session> session(Inject<Database> db, Request& req);

/// A session without a transaction (autocommit): each statement stands alone. For endpoints
/// that only read with one statement, it saves PostgreSQL's BEGIN and COMMIT round trips.
Task<Session> read_session(Inject<Database> db, Request& req);

/// The handler parameter: `vivace::db::SessionDep db` → `db->one<...>(...)`, `db->sql()`.
using SessionDep = Depends<session>;
/// The same for `read_session`.
using ReadSessionDep = Depends<read_session>;

}  // namespace vivace::db
