#pragma once
/// @file
/// How `Session` binds a statement's parameters and reads its rows: SOCI statements kept in
/// the connection's cache, SQLite's rows read natively, PostgreSQL's rows read with libpq.
/// Private to the db layer (everything here is in `db::detail`); include `session.hpp`.

#include <chrono>
#include <cstddef>
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

#include "vivace/db/database.hpp"
#include "vivace/db/row.hpp"
#include "vivace/schema/default.hpp"
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
struct is_sys_time : std::false_type {};
template <class D>
struct is_sys_time<std::chrono::sys_time<D>> : std::true_type {};

template <class P>
auto stored(const P& p) {
  if constexpr (is_default<P>::value) {
    return stored(*p);
  } else if constexpr (is_std_optional<P>::value) {
    using V = decltype(stored(std::declval<const typename P::value_type&>()));
    return p ? nullable<V>{stored(*p), soci::i_ok} : nullable<V>{V{}, soci::i_null};
  } else if constexpr (std::is_convertible_v<const P&, std::string_view>)
    return std::string(std::string_view(p));
  else if constexpr (std::is_same_v<P, bool>)
    return static_cast<int>(p);
  else if constexpr (std::is_same_v<P, DateTime>)
    return storage_text(p);
  else if constexpr (is_sys_time<P>::value)
    return storage_text(DateTime{std::chrono::floor<std::chrono::microseconds>(p), 0});
  else if constexpr (std::is_same_v<P, Date>)
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
/// struct binds as SOCI `values`, whose holders take the type of the first value bound (a
/// member that is null once and a number later would not fit).
template <class... P>
inline constexpr bool reusable_params = !(mapped_row<P> || ...);

/// A statement and the variables it is bound to. Kept prepared, it is executed again with new
/// parameter values and neither re-bound nor re-described.
struct kept_statement {
  explicit kept_statement(soci::session& s) : st(std::in_place, s) {}
  kept_statement(const kept_statement&) = delete;
  kept_statement& operator=(const kept_statement&) = delete;
  virtual ~kept_statement() = default;
  std::optional<soci::statement> st;  // empty for a statement read natively (SQLite)

 protected:
  kept_statement() = default;
};

template <class Out, class Values>
struct bound_statement final : kept_statement {
  using kept_statement::kept_statement;
  ~bound_statement() override { st.reset(); }  // unbinds before the variables go
  Out row{};
  soci::indicator ind = soci::i_ok;
  Values values{};
};

/// Identifies the bound variables' types in the cache (one kept statement per query and types).
template <class E>
const void* tag_of() noexcept {
  static const char tag = 0;
  return &tag;
}
}  // namespace detail

class Session;

namespace detail {
class native_rows;
/// One run of `query` on a session's connection: the statement kept for it (prepared and bound
/// earlier) or a new one. On destruction a kept statement goes back to the connection's cache;
/// after a failure it is dropped once the transaction has ended.
class statement_use {
 public:
  /// `tag`: the bound variables' types; `cacheable`: false for statements that must be
  /// prepared afresh (see reusable_params).
  statement_use(Session& s, std::string_view query, const void* tag, bool cacheable);
  statement_use(const statement_use&) = delete;
  statement_use& operator=(const statement_use&) = delete;
  ~statement_use();

  /// The kept statement, or null when it is new: then `adopt` one, and bind it.
  [[nodiscard]] kept_statement* kept() const noexcept { return prepared_ ? st_.get() : nullptr; }
  /// Takes a new statement made on `sql()`.
  kept_statement& adopt(std::unique_ptr<kept_statement> st) {
    st_ = std::move(st);
    return *st_;
  }
  /// The connection's SOCI session (in the transaction, unless the session is autocommit).
  [[nodiscard]] soci::session& sql() const noexcept { return *sql_; }
  /// Executes the statement, fetching the first row if any; a new one is prepared first. A
  /// new statement that is not kept is one-time, as `sql << query` is: PostgreSQL runs it in
  /// one round trip.
  void execute();

 private:
  std::string_view query_;
  const void* tag_;
  soci::session* sql_;
  statement_cache* cache_ = nullptr;  // null: one-time
  std::unique_ptr<kept_statement> st_;
  bool prepared_ = false;  // before execute(): taken from the cache
  bool sqlite_ = false;
  int exceptions_;
  Database* db_;
  void* inline_db_ = nullptr;  // SQLite on an I/O thread: its limits are lifted at the end
  // On an I/O thread: a read only, without waiting for a lock, within the inline budget.
  void limit_inline();
  void limit_inline(void* sqlite_stmt);
  bool native_ = false;  // SQLite read natively (native_rows), not through SOCI
  friend class native_rows;
  friend struct pg_direct_access;
};

/// SQLite rows read straight from the statement, not through SOCI's row and its copies: the
/// statement prepared on the session's connection (and kept in its cache like the others),
/// parameters bound by position, each row's columns read by the member that wants them.
class native_rows {
 public:
  /// The statement for `use`'s query, prepared now or kept from before (reset, unbound).
  explicit native_rows(statement_use& use);
  native_rows(const native_rows&) = delete;
  native_rows& operator=(const native_rows&) = delete;
  /// Lets the connection go (its lock; the statement is reset with the `statement_use`).
  ~native_rows();
  /// Binds parameter `i` (from 1).
  void bind(int i, long long v);
  /// Binds parameter `i` (from 1).
  void bind(int i, double v);
  /// Binds parameter `i` (from 1); the text is copied.
  void bind(int i, std::string_view v);
  /// Binds NULL to parameter `i` (from 1).
  void bind_null(int i);
  /// Steps to the next row (the first call runs the statement); false when there is none.
  /// @throws soci::sqlite3_soci_error as SOCI would
  bool next();
  /// The current row as the field source of `schema::decode_fields` (see `row_fields`).
  const boost::json::value* field(std::string_view name, column_kind kind,
                                  const boost::json::storage_ptr& sp, boost::json::value& out);
  /// The index of the column `name` (the first of that name), or -1.
  [[nodiscard]] int column(std::string_view name) noexcept;
  [[nodiscard]] bool null(int c) const noexcept;
  /// Column `c` into `out` when it holds what `field` would give that member without an
  /// error (an integer for an integer or a boolean; text for text and date-times); false
  /// otherwise, `out` untouched.
  bool cell(int c, std::int64_t& out) const noexcept;
  bool cell(int c, bool& out) const noexcept;      ///< As `cell`.
  bool cell(int c, double& out) const noexcept;    ///< As `cell`.
  bool cell(int c, std::string& out) const;        ///< As `cell`.
  bool cell(int c, DateTime& out) const noexcept;  ///< As `cell`.

 private:
  statement_use& use_;
  void* stmt_ = nullptr;
  std::vector<std::string>* names_ = nullptr;  // the kept statement's column names
  bool started_ = false;
  bool named_ = false;     // names_ taken from this run
  void* mutex_ = nullptr;  // the connection's, held while reading
  std::size_t next_column_ = 0;
};

/// The values a parameter binds natively: integers, floating point, text, and those or NULL.
template <class V>
inline constexpr bool native_value =
    std::is_integral_v<V> || std::is_floating_point_v<V> || std::is_same_v<V, std::string>;
template <class V>
inline constexpr bool native_param = native_value<V>;
template <class V>
inline constexpr bool native_param<nullable<V>> = native_value<V>;

template <class V>
void bind_native(native_rows& q, int i, const V& v) {
  if constexpr (std::is_integral_v<V>)
    q.bind(i, static_cast<long long>(v));
  else if constexpr (std::is_floating_point_v<V>)
    q.bind(i, static_cast<double>(v));
  else
    q.bind(i, std::string_view(v));
}
template <class V>
void bind_native(native_rows& q, int i, const nullable<V>& v) {
  if (v.ind == soci::i_null)
    q.bind_null(i);
  else
    bind_native(q, i, v.value);
}

/// Members a row's column is written into directly (`schema::decode_fields`'s `direct`): the
/// plain types, and `std::optional` of them. Others (a constrained string, an enum, a nested
/// model) go through JSON and their codec's checks.
template <class M>
inline constexpr bool direct_cell = std::is_same_v<M, bool> || std::is_same_v<M, double> ||
                                    std::is_same_v<M, std::string> || std::is_same_v<M, DateTime> ||
                                    (std::is_signed_v<M> && std::is_integral_v<M> &&
                                     !std::is_same_v<M, char>);
template <class M>
inline constexpr bool direct_member = direct_cell<M>;
template <class M>
inline constexpr bool direct_member<std::optional<M>> = direct_cell<M>;

/// Column `c` of `row`'s current row into `m`, when that is what the JSON way would decode
/// without an error; false otherwise (then the JSON way runs and reports it).
template <class Row, class M>
bool read_cell(const Row& row, int c, M& m) {
  if constexpr (direct_cell<M> && std::is_integral_v<M> && !std::is_same_v<M, bool> &&
                !std::is_same_v<M, std::int64_t>) {
    std::int64_t v = 0;
    if (!row.cell(c, v) || v < std::numeric_limits<M>::min() || v > std::numeric_limits<M>::max())
      return false;
    m = static_cast<M>(v);
    return true;
  } else if constexpr (direct_cell<M>) {
    return row.cell(c, m);
  } else {  // std::optional of a direct cell
    if (row.null(c)) {
      m.reset();
      return true;
    }
    typename M::value_type v{};
    if (!read_cell(row, c, v))
      return false;
    m = std::move(v);
    return true;
  }
}

/// A row of `native_rows` as the field source of `schema::decode_fields`: the column named
/// like the field, read in the form its member expects; null when none.
class native_fields {
 public:
  native_fields(native_rows& rows, const std::vector<std::pair<std::string, column_kind>>& kinds)
      : rows_(rows), kinds_(kinds), value_(boost::json::storage_ptr(&arena_)) {}
  /// The field `name`'s value (valid until the next call), or null when there is no column.
  const boost::json::value* operator()(std::string_view name);
  /// The columns of the nested model `member` (`member.field`).
  prefixed_fields<native_fields> nested(std::string_view member) { return {*this, member}; }
  /// The column `name` straight into `m` (see `read_cell`); false: take `operator()`'s way.
  template <class M>
  requires direct_member<M>
  bool direct(std::string_view name, M& m) {
    const int c = rows_.column(name);
    return c >= 0 && read_cell(rows_, c, m);
  }

 private:
  native_rows& rows_;
  const std::vector<std::pair<std::string, column_kind>>& kinds_;
  unsigned char buffer_[2048];
  boost::json::monotonic_resource arena_{buffer_, sizeof buffer_};
  boost::json::value value_;
  std::size_t next_member_ = 0;
};

/// Reads rows of `T` natively: binds `params`, then calls `sink(T&&)` for each row.
template <class T, class Sink, class... P>
void native_read(statement_use& use, Sink&& sink, const P&... params) {
  native_rows q(use);
  int i = 0;
  (bind_native(q, ++i, stored(params)), ...);
  while (q.next()) {
    native_fields fields(q, kinds_of<T>());
    auto r = schema::decode_fields<T>(fields);
    if (!r)
      throw RowError(boost::core::demangle(typeid(T).name()), std::move(r.errors));
    if (!sink(std::move(*r.value)))
      return;
  }
}

/// Described structs mapped by Vivace's own `soci::type_conversion` (not by one of the user's).
template <class T>
concept vivace_mapped = mapped_row<T> && requires {
  soci::type_conversion<T>::vivace_mapping;
};
/// Whether rows of `T` with parameters `P...` can be read natively on SQLite (not for a type
/// whose `soci::type_conversion` is the user's own).
template <class T, class... P>
inline constexpr bool native_readable = vivace_mapped<T> && (native_param<stored_t<P>> && ...);

/// The cache's tag of natively read statements.
const void* native_tag() noexcept;

// ---- PostgreSQL reads through the pipelined connection (DatabaseOptions::pipeline) ----------

/// A statement's parameters as PostgreSQL text (empty: NULL).
using pg_params = std::vector<std::optional<std::string>>;
/// A floating-point parameter as text (shortest round-trip form).
std::string pg_number(double v);
template <class V>
void add_pg_param(pg_params& ps, const V& v) {
  if constexpr (std::is_integral_v<V>)
    ps.emplace_back(std::to_string(v));
  else if constexpr (std::is_floating_point_v<V>)
    ps.emplace_back(pg_number(static_cast<double>(v)));
  else
    ps.emplace_back(std::string(v));
}
template <class V>
void add_pg_param(pg_params& ps, const nullable<V>& v) {
  if (v.ind == soci::i_null)
    ps.emplace_back();
  else
    add_pg_param(ps, v.value);
}

/// The cache's tag of PostgreSQL statements read through libpq on the session's connection.
const void* pg_direct_tag() noexcept;
/// Runs `use`'s query with `params` through libpq on the session's own connection (prepared
/// once when the statement is kept): its PGresult, owned. @throws soci::soci_error
std::shared_ptr<void> pg_direct(statement_use& use, const pg_params& params);

/// One pipelined statement's outcome.
struct pg_answer {
  /// How it went: rows (or an error from the server), the connection lost, or not run (the
  /// pipeline is full, or the work does not run on an `io_context`): then it runs on a worker.
  enum class how { done, unavailable, busy, never };
  how status = how::done;
  std::shared_ptr<void> result;  // the PGresult (null after an error)
  std::string error, sqlstate;   // the server's message and SQLSTATE, when it failed
};

/// The rows of a PostgreSQL result: a pipelined statement's, or `pg_direct`'s.
class pg_rows {
 public:
  explicit pg_rows(const void* result) noexcept;
  [[nodiscard]] int size() const noexcept { return rows_; }
  /// Row `row`'s column `name` in the form its member expects (see `native_rows::field`).
  const boost::json::value* field(int row, std::string_view name, column_kind kind,
                                  const boost::json::storage_ptr& sp, boost::json::value& out);
  /// The index of the column `name` (the first of that name), or -1.
  [[nodiscard]] int column(std::string_view name) noexcept;
  [[nodiscard]] bool null(int row, int c) const noexcept;
  /// As `native_rows::cell`, for row `row`.
  bool cell(int row, int c, std::int64_t& out) const noexcept;
  bool cell(int row, int c, bool& out) const noexcept;      ///< As `cell`.
  bool cell(int row, int c, double& out) const noexcept;    ///< As `cell`.
  bool cell(int row, int c, std::string& out) const;        ///< As `cell`.
  bool cell(int row, int c, DateTime& out) const noexcept;  ///< As `cell`.

 private:
  const void* res_;
  int rows_ = 0, columns_ = 0, next_column_ = 0;
};

/// A row of `pg_rows` as the field source of `schema::decode_fields`.
class pg_fields {
 public:
  pg_fields(pg_rows& rows, int row, const std::vector<std::pair<std::string, column_kind>>& kinds)
      : rows_(rows), row_(row), kinds_(kinds), value_(boost::json::storage_ptr(&arena_)) {}
  /// The field `name`'s value (valid until the next call), or null when there is no column.
  const boost::json::value* operator()(std::string_view name);
  /// The columns of the nested model `member` (`member.field`).
  prefixed_fields<pg_fields> nested(std::string_view member) { return {*this, member}; }
  /// The column `name` straight into `m` (see `read_cell`); false: take `operator()`'s way.
  template <class M>
  requires direct_member<M>
  bool direct(std::string_view name, M& m) {
    const int c = rows_.column(name);
    return c >= 0 && read_cell(*this, c, m);
  }
  /// `read_cell`'s view of the row.
  [[nodiscard]] bool null(int c) const noexcept { return rows_.null(row_, c); }
  /// `read_cell`'s view of the row.
  template <class V>
  bool cell(int c, V& out) const {
    return rows_.cell(row_, c, out);
  }

 private:
  pg_rows& rows_;
  int row_;
  const std::vector<std::pair<std::string, column_kind>>& kinds_;
  unsigned char buffer_[2048];
  boost::json::monotonic_resource arena_{buffer_, sizeof buffer_};
  boost::json::value value_;
  std::size_t next_member_ = 0;
};

/// Calls `sink(T&&)` for each row of `result` (until it returns false).
template <class T, class Sink>
void pg_read(const void* result, Sink&& sink) {
  pg_rows rows(result);
  for (int i = 0; i < rows.size(); ++i) {
    pg_fields fields(rows, i, kinds_of<T>());
    auto r = schema::decode_fields<T>(fields);
    if (!r)
      throw RowError(boost::core::demangle(typeid(T).name()), std::move(r.errors));
    if (!sink(std::move(*r.value)))
      return;
  }
}

/// The statement for `use`'s query bound to variables of `Out` and `P...`, with the parameters'
/// new values stored.
template <class Out, class... P>
auto& bind(statement_use& use, const P&... params) {
  using Values = std::tuple<stored_t<P>...>;
  using Entry = bound_statement<Out, Values>;
  auto* e = static_cast<Entry*>(use.kept());
  if (e) {
    e->values = Values{stored(params)...};
    return *e;
  }
  e = &static_cast<Entry&>(use.adopt(std::make_unique<Entry>(use.sql())));
  e->values = Values{stored(params)...};
  bind_all(*e->st, e->values, std::index_sequence_for<P...>{});
  if constexpr (mapped_row<Out>)
    e->st->exchange(soci::into(e->row));
  else if constexpr (!std::is_same_v<Out, std::monostate>)
    e->st->exchange(soci::into(e->row, e->ind));
  return *e;
}
}  // namespace detail

}  // namespace vivace::db
