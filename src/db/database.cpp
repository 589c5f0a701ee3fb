// DATABASE_URL parsing (Boost.URL), the SOCI pool with its bounded wait and reconnection, the
// per-connection settings, and the translation of constraint violations.

#include "vivace/db/database.hpp"

#include "pg_pipeline.hpp"

#include "vivace/config.hpp"  // VIVACE_WITH_* (before the optional includes)

#if VIVACE_WITH_POSTGRESQL
#include <soci/postgresql/soci-postgresql.h>
#endif
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>

#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>
#include <optional>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "statement_cache.hpp"
#include "vivace/core/blocking.hpp"
#include "vivace/core/log.hpp"

namespace vivace::db {

namespace {

/// A libpq connection keyword value: quoted, with `\` and `'` escaped.
std::string conninfo_value(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'')
      out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

bool valid_keyword(std::string_view k) {
  if (k.empty())
    return false;
  for (char c : k)
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return false;
  return true;
}

DatabaseUrl parse_sqlite(std::string_view url, std::string_view rest) {
  DatabaseUrl out;
  out.backend = Backend::sqlite;
  out.redacted = std::string(url);
  if (rest == ":memory:" || rest == "/:memory:" || rest == "/") {
    out.sqlite_path = ":memory:";
  } else {
    if (rest.empty() || rest.front() != '/')
      throw std::invalid_argument(
          "database URL: write sqlite:///relative.db, sqlite:////absolute.db or "
          "sqlite://:memory:");
    rest.remove_prefix(1);  // sqlite:///x.db is relative, sqlite:////x.db absolute
    if (auto q = rest.find('?'); q != std::string_view::npos)
      throw std::invalid_argument("database URL: SQLite URLs take no query parameters");
    out.sqlite_path = std::string(rest);
  }
  // SOCI's connection string: double quotes only around a path with spaces.
  if (out.sqlite_path.find_first_of(" \"'") == std::string::npos)
    out.connect_string = "db=" + out.sqlite_path;
  else if (out.sqlite_path.find('"') == std::string::npos)
    out.connect_string = "db=\"" + out.sqlite_path + "\"";
  else
    throw std::invalid_argument("database URL: a SQLite path cannot contain '\"'");
  return out;
}

DatabaseUrl parse_postgresql(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed)
    throw std::invalid_argument("database URL: not a valid URL (" + parsed.error().message() + ")");
  const boost::urls::url_view u = *parsed;
  DatabaseUrl out;
  out.backend = Backend::postgresql;
  std::string conn;
  auto add = [&](std::string_view key, std::string_view value) {
    if (!conn.empty())
      conn += ' ';
    conn += key;
    conn += '=';
    conn += conninfo_value(value);
  };
  if (u.has_authority()) {
    if (!u.encoded_host().empty())
      add("host", u.host());
    if (u.has_port())
      add("port", u.port());
    if (u.has_userinfo()) {
      if (!u.encoded_user().empty())
        add("user", u.user());
      if (u.has_password())
        add("password", u.password());
    }
  }
  std::string db = u.path();
  if (!db.empty() && db.front() == '/')
    db.erase(0, 1);
  if (db.find('/') != std::string::npos)
    throw std::invalid_argument("database URL: the path is the database name, without '/'");
  if (!db.empty())
    add("dbname", db);
  for (auto p : u.params()) {
    if (!valid_keyword(p.key))
      throw std::invalid_argument("database URL: '" + std::string(p.key) +
                                  "' is not a connection parameter name");
    add(p.key, p.has_value ? std::string_view(p.value) : std::string_view{});
  }
  out.connect_string = std::move(conn);
  // The URL as written, with any password replaced.
  boost::urls::url redacted(u);
  if (u.has_password())
    redacted.set_password("***");
  out.redacted = std::string(redacted.buffer());
  return out;
}

}  // namespace

DatabaseUrl DatabaseUrl::parse(std::string_view url) {
  if (url.starts_with("sqlite://"))
    return parse_sqlite(url, url.substr(9));
  if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
    return parse_postgresql(url);
  const auto colon = url.find(':');
  throw std::invalid_argument(
      "database URL: unsupported scheme '" +
      std::string(url.substr(0, colon == std::string_view::npos ? 0 : colon)) +
      "' (use sqlite:// or postgresql://)");
}

// --- errors ------------------------------------------------------------------------------

namespace {

/// The text between the quotes after `marker` in `message`, if any.
std::string quoted_after(std::string_view message, std::string_view marker) {
  auto at = message.find(marker);
  if (at == std::string_view::npos)
    return {};
  at += marker.size();
  auto end = message.find('"', at);
  return end == std::string_view::npos ? std::string{} : std::string(message.substr(at, end - at));
}

/// The text after `marker` up to the end of the line, if any.
std::string rest_after(std::string_view message, std::string_view marker) {
  auto at = message.find(marker);
  if (at == std::string_view::npos)
    return {};
  auto tail = message.substr(at + marker.size());
  auto end = tail.find_first_of("\r\n");
  return std::string(tail.substr(0, end));
}

[[noreturn]] void raise(IntegrityError::Kind kind, std::string constraint, const std::string& msg) {
  switch (kind) {
    case IntegrityError::Kind::unique:
      throw UniqueViolation(kind, std::move(constraint), msg);
    case IntegrityError::Kind::foreign_key:
      throw ForeignKeyViolation(kind, std::move(constraint), msg);
    case IntegrityError::Kind::not_null:
      throw NotNullViolation(kind, std::move(constraint), msg);
    case IntegrityError::Kind::check:
      break;
  }
  throw CheckViolation(kind, std::move(constraint), msg);
}

#if VIVACE_WITH_POSTGRESQL
void translate_postgresql(const soci::postgresql_soci_error& e) {
  const std::string state = e.sqlstate();
  const std::string msg = e.get_error_message();
  if (state == "23505")
    raise(IntegrityError::Kind::unique, quoted_after(msg, "constraint \""), msg);
  if (state == "23503")
    raise(IntegrityError::Kind::foreign_key, quoted_after(msg, "constraint \""), msg);
  if (state == "23502")
    raise(IntegrityError::Kind::not_null, quoted_after(msg, "column \""), msg);
  if (state == "23514")
    raise(IntegrityError::Kind::check, quoted_after(msg, "constraint \""), msg);
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    throw Unavailable(msg);
  if (state == "40001" || state == "40P01")  // serialization failure, deadlock
    throw Busy(msg);
}
#endif

void translate_sqlite(const soci::sqlite3_soci_error& e) {
  const int primary = e.result() & 0xff;
  // On an I/O thread (run_inline) a read neither waits for a lock nor runs past its budget:
  // Session sets a busy timeout of 0 and a progress handler there (SQLITE_INTERRUPT).
  if (must_not_block() && primary == 9)
    throw WouldBlock("a read longer than DatabaseOptions::inline_budget");
  if (must_not_block() && (primary == 5 || primary == 6))
    throw WouldBlock("a locked database");
  if (primary == 5 || primary == 6)  // SQLITE_BUSY (past busy_timeout), SQLITE_LOCKED
    throw Busy(e.get_error_message());
  if (primary != 19)  // SQLITE_CONSTRAINT
    return;
  const std::string msg = e.get_error_message();
  if (msg.find("UNIQUE constraint failed") != std::string::npos)  // primary keys too
    raise(IntegrityError::Kind::unique, rest_after(msg, "UNIQUE constraint failed: "), msg);
  if (msg.find("FOREIGN KEY constraint failed") != std::string::npos)
    raise(IntegrityError::Kind::foreign_key, {}, msg);
  if (msg.find("NOT NULL constraint failed") != std::string::npos)
    raise(IntegrityError::Kind::not_null, rest_after(msg, "NOT NULL constraint failed: "), msg);
  if (msg.find("CHECK constraint failed") != std::string::npos)
    raise(IntegrityError::Kind::check, rest_after(msg, "CHECK constraint failed: "), msg);
}

}  // namespace

void rethrow_translated() {
  try {
    throw;
#if VIVACE_WITH_POSTGRESQL
  } catch (const soci::postgresql_soci_error& e) {
    translate_postgresql(e);
    throw;
#endif
  } catch (const soci::sqlite3_soci_error& e) {
    translate_sqlite(e);
    throw;
  } catch (const soci::soci_error& e) {
    if (e.get_error_category() == soci::soci_error::connection_error)
      throw Unavailable(e.get_error_message());
    throw;
  }
}

// --- the pool ----------------------------------------------------------------------------

// SOCI's pool holds the sessions; leases never block inside it (`try_lease(pos, 0)`): callers
// wait in the queue below, each handed a connection given back, in arrival order.
struct Database::impl {
  DatabaseUrl url;
  DatabaseOptions options;
  const soci::backend_factory* factory = nullptr;
  std::optional<soci::connection_pool> pool;
  // One per connection, by pool position; declared after the pool: its statements are
  // destroyed before the sessions close.
  std::vector<std::unique_ptr<detail::statement_cache>> statements;
  // The pipelined connections, one per io_context (DatabaseOptions::pipeline).
  std::mutex pipes_m;
  std::vector<std::pair<boost::asio::io_context*, std::shared_ptr<detail::pg_pipeline>>> pipes;

  // Waiters in arrival order. A connection given back while some wait is handed to the
  // first one directly, never put back in the pool: a newcomer cannot take it first, and no
  // waiter wakes up for nothing. Hence a free connection and a waiter never coexist.
  struct waiter {
    std::function<void()> wake;
    std::optional<std::size_t> handed;  // under `m`
  };
  std::mutex m;
  std::list<std::shared_ptr<waiter>> waiters;

  bool try_lease(std::size_t& pos) { return pool->try_lease(pos, 0); }
  /// A free connection, or `w` queued (true: `pos` is leased).
  /// @throws PoolTimeout at once when `max_waiters` already wait.
  bool lease_or_enqueue(const std::shared_ptr<waiter>& w, std::size_t& pos) {
    std::lock_guard lock(m);
    if (pool->try_lease(pos, 0))
      return true;
    if (waiters.size() >= options.max_waiters)
      throw PoolTimeout("max_waiters (" + std::to_string(options.max_waiters) +
                        ") requests already wait for a pooled database connection");
    waiters.push_back(w);
    return false;
  }
  /// After a wake-up or the deadline: the connection handed over, if any, else `w` leaves
  /// the queue.
  std::optional<std::size_t> leave(const std::shared_ptr<waiter>& w) {
    if (!w)
      return std::nullopt;
    std::lock_guard lock(m);
    if (w->handed)
      return std::exchange(w->handed, std::nullopt);
    waiters.remove(w);
    return std::nullopt;
  }
  void give_back(std::size_t pos) {
    std::shared_ptr<waiter> w;
    {
      std::lock_guard lock(m);
      if (waiters.empty()) {
        pool->give_back(pos);
        return;
      }
      w = std::move(waiters.front());
      waiters.pop_front();
      w->handed = pos;
    }
    w->wake();
  }
};

namespace {
void configure(soci::session& s, const DatabaseUrl& url, const DatabaseOptions& o) {
  if (url.backend == Backend::sqlite) {
    // busy_timeout first: switching to WAL waits for a lock another process may hold.
    s << "PRAGMA busy_timeout=" + std::to_string(o.sqlite_busy_timeout.count());
    if (!url.in_memory())
      s << "PRAGMA journal_mode=WAL";
    s << "PRAGMA foreign_keys=ON";
    s << "PRAGMA synchronous=NORMAL";
  } else {
    s << "SET TIME ZONE 'UTC'";
    s << "SET client_min_messages TO WARNING";  // no NOTICEs on stderr
  }
}
}  // namespace

Database::Database(std::string_view url, DatabaseOptions options)
    : impl_(std::make_unique<impl>()) {
  impl_->url = DatabaseUrl::parse(url);
  if (impl_->url.backend == Backend::sqlite && impl_->url.in_memory())
    options.pool_size = 1;
  if (options.pool_size == 0)
    throw std::invalid_argument("database: pool_size must be at least 1");
  impl_->options = options;
#if VIVACE_WITH_POSTGRESQL
  impl_->factory =
      impl_->url.backend == Backend::sqlite ? soci::factory_sqlite3() : soci::factory_postgresql();
#else
  if (impl_->url.backend != Backend::sqlite)
    throw std::invalid_argument("database: " + impl_->url.redacted +
                                ": this build of Vivace has no PostgreSQL backend (configure it "
                                "with -DVIVACE_DB_POSTGRESQL=ON)");
  impl_->factory = soci::factory_sqlite3();
#endif
  impl_->pool.emplace(options.pool_size);
  for (std::size_t i = 0; i < options.pool_size; ++i) {
    auto& s = impl_->pool->at(i);
    try {
      s.open(*impl_->factory, impl_->url.connect_string);
    } catch (const soci::soci_error& e) {
      throw std::runtime_error("database: cannot connect to " + impl_->url.redacted + ": " +
                               e.get_error_message());
    }
    configure(s, impl_->url, impl_->options);
    impl_->statements.push_back(
        std::make_unique<detail::statement_cache>(options.statement_cache_size));
  }
  log::info("database: " + std::to_string(options.pool_size) + " connection(s) to " +
            impl_->url.redacted);
}

Database::~Database() = default;

Backend Database::backend() const noexcept {
  return impl_->url.backend;
}
const DatabaseUrl& Database::url() const noexcept {
  return impl_->url;
}
const DatabaseOptions& Database::options() const noexcept {
  return impl_->options;
}

bool Database::pipelining() const noexcept {
#if VIVACE_WITH_POSTGRESQL
  return impl_->options.pipeline && impl_->url.backend == Backend::postgresql;
#else
  return false;
#endif
}

std::shared_ptr<detail::pg_pipeline> Database::pipeline(boost::asio::io_context& ioc) {
  std::lock_guard lock(impl_->pipes_m);
  auto& pipes = impl_->pipes;
  // One whose context is gone (a context made later may have its address) is dropped.
  std::erase_if(pipes, [](const auto& p) { return p.second->abandoned(); });
  for (const auto& [context, pipe] : pipes)
    if (context == &ioc)
      return pipe;
  return pipes.emplace_back(&ioc, detail::pg_pipeline::make(ioc, impl_->url.connect_string)).second;
}

std::optional<Connection> Database::try_acquire() {
  std::size_t pos = 0;
  {
    // A connection is free only while nobody waits (see impl): the queue is not jumped.
    std::lock_guard lock(impl_->m);
    if (!impl_->waiters.empty() || !impl_->try_lease(pos))
      return std::nullopt;
  }
  return Connection(*this, pos);
}

Connection Database::acquire() {
  std::size_t pos = 0;
  if (impl_->try_lease(pos))
    return Connection(*this, pos);
  const auto deadline = std::chrono::steady_clock::now() + impl_->options.acquire_timeout;
  struct signal {
    std::mutex m;
    std::condition_variable cv;
    bool woken = false;
  };
  auto sig = std::make_shared<signal>();
  auto w = std::make_shared<impl::waiter>();
  w->wake = [sig] {
    std::lock_guard lock(sig->m);
    sig->woken = true;
    sig->cv.notify_one();
  };
  if (impl_->lease_or_enqueue(w, pos))
    return Connection(*this, pos);
  {
    std::unique_lock lock(sig->m);
    sig->cv.wait_until(lock, deadline, [&] { return sig->woken; });
  }
  if (auto handed = impl_->leave(w))
    return Connection(*this, *handed);
  throw PoolTimeout("no pooled database connection became free within acquire_timeout (" +
                    std::to_string(impl_->options.acquire_timeout.count()) + " ms)");
}

namespace {
/// A coroutine waiting for a connection: its timer (the deadline) is cancelled by the
/// request that gives a connection back. Every use of the timer object is under the mutex,
/// since the waker runs on another thread.
struct async_waiter {
  explicit async_waiter(const boost::asio::any_io_executor& ex) : timer(ex) {}
  std::mutex m;
  bool woken = false;
  boost::asio::steady_timer timer;

  void wake() {
    std::lock_guard lock(m);
    woken = true;
    timer.cancel();  // a wait not armed yet sees `woken` when it is armed
  }
  /// Waits until woken or `deadline`, whichever comes first.
  static Task<void> wait(std::shared_ptr<async_waiter> self,
                         std::chrono::steady_clock::time_point deadline) {
    co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
        [&](auto handler) {
          std::lock_guard lock(self->m);
          if (self->woken) {  // woken between the lease attempt and now
            boost::asio::post(self->timer.get_executor(), std::move(handler));
            return;
          }
          self->timer.expires_at(deadline);
          // Woken (cancelled) or expired: either way the caller looks at the pool again.
          self->timer.async_wait(
              [h = std::move(handler)](boost::system::error_code) mutable { h(); });
        },
        boost::asio::use_awaitable);
  }
};
}  // namespace

Task<Connection> Database::acquire_async() {
  std::size_t pos = 0;
  if (impl_->try_lease(pos))
    co_return Connection(*this, pos);
  // Queued with the blocking waiters: the request that gives a connection back hands it to the
  // first one and cancels its timer. No thread is held, and nothing polls.
  const auto deadline = std::chrono::steady_clock::now() + impl_->options.acquire_timeout;
  auto w = std::make_shared<async_waiter>(co_await boost::asio::this_coro::executor);
  auto entry = std::make_shared<impl::waiter>();
  entry->wake = [w] { w->wake(); };
  if (impl_->lease_or_enqueue(entry, pos))
    co_return Connection(*this, pos);
  // Leaves the queue however the wait ends, so a coroutine destroyed while it waits (its
  // executor shut down) does not keep a connection handed to it.
  struct queued {
    impl& pool;
    std::shared_ptr<impl::waiter> entry;
    ~queued() {
      if (auto handed = pool.leave(entry))
        pool.give_back(*handed);
    }
    std::optional<std::size_t> leave() { return pool.leave(std::exchange(entry, nullptr)); }
  } in_line{*impl_, entry};
  co_await async_waiter::wait(w, deadline);
  if (auto handed = in_line.leave())
    co_return Connection(*this, *handed);
  throw PoolTimeout("no pooled database connection became free within acquire_timeout (" +
                    std::to_string(impl_->options.acquire_timeout.count()) + " ms)");
}

void Database::reopen(soci::session& s) {
  s.reconnect();
  configure(s, impl_->url, impl_->options);
}

Connection::Connection(Database& db, std::size_t pos)
    : db_(&db), pos_(pos), session_(&db.impl_->pool->at(pos)) {}

Connection::Connection(Connection&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), pos_(o.pos_), session_(o.session_) {}

Connection::~Connection() {
  if (db_)
    db_->impl_->give_back(pos_);
}

Backend Connection::backend() const noexcept {
  return db_->backend();
}

detail::statement_cache& Connection::statements() const noexcept {
  return *db_->impl_->statements[pos_];
}

void Connection::begin() {
  try {
    if (backend() == Backend::sqlite)
      *session_ << "BEGIN IMMEDIATE";  // take the write lock now: see the header
    else
      session_->begin();
    return;
  } catch (const soci::soci_error&) {
    if (backend() == Backend::sqlite)
      rethrow_translated();
  }
  // The server may have dropped the connection (a restart, an idle timeout): re-open it once.
  // Its prepared statements went with it.
  statements().clear();
  try {
    db_->reopen(*session_);
    session_->begin();
    log::info("database: re-opened a connection to " + db_->url().redacted);
  } catch (const soci::soci_error& e) {
    throw Unavailable(e.get_error_message());
  }
}

}  // namespace vivace::db
