// Migrations: the steps, their checksums, the lock, the transactions, the command line.

#include "vivace/db/migrate.hpp"

#include <openssl/evp.h>
#include <soci/sqlite3/soci-sqlite3.h>  // SQLite's API, in namespace sqlite_api

#include "vivace/config.hpp"
#if VIVACE_WITH_POSTGRESQL
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>

#include "vivace/core/log.hpp"
#include "vivace/schema/types.hpp"

namespace vivace::db {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Version order: numeric when both are numbers (`2` < `10`), else text.
bool version_less(std::string_view a, std::string_view b) {
  if (all_digits(a) && all_digits(b)) {
    auto strip = [](std::string_view s) {
      auto nz = s.find_first_not_of('0');
      return nz == std::string_view::npos ? std::string_view{} : s.substr(nz);
    };
    a = strip(a);
    b = strip(b);
    if (a.size() != b.size())
      return a.size() < b.size();
  }
  return a < b;
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr))
    throw std::runtime_error("migrations: SHA-256 failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    throw std::runtime_error("migrations: cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A constant key for pg_advisory_lock: "vivace" in ASCII, then 1.
constexpr long long advisory_key = 0x7669766163650001LL;

void exec(soci::session& sql, const std::string& text) {
  sql << text;
}

/// "line L, column C" of a byte offset in a script.
std::string where_in(std::string_view script, std::size_t offset) {
  offset = std::min(offset, script.size());
  const auto before = script.substr(0, offset);
  const auto line_start = before.rfind('\n');
  const std::size_t line =
      1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t column =
      offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// A migration's whole text, run as the database's own client runs a script: one
/// simple-protocol `PQexec` on PostgreSQL, `sqlite3_exec`'s loop on SQLite. The server's lexer
/// reads the statements (nested comments, `E'\''` strings, dollar quotes, trigger bodies), and
/// nothing rewrites the text as SOCI would for its `:name` placeholders.
void exec_script(soci::session& sql, Backend backend, const std::string& script) {
  if (backend == Backend::postgresql) {
#if VIVACE_WITH_POSTGRESQL
    PGconn* conn = static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_;
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn, script.c_str()), &PQclear);
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
      return;
    const char* primary =
        result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = primary ? primary : PQerrorMessage(conn);
    if (const char* pos =
            result ? PQresultErrorField(result.get(), PG_DIAG_STATEMENT_POSITION) : nullptr) {
      // A position in characters (the connection's encoding is UTF-8), from 1.
      std::size_t chars = static_cast<std::size_t>(std::max(1L, std::strtol(pos, nullptr, 10)));
      std::size_t offset = 0;
      for (; offset < script.size(); ++offset)
        if ((static_cast<unsigned char>(script[offset]) & 0xC0) != 0x80 && --chars == 0)
          break;
      message += " (at " + where_in(script, offset) + ")";
    }
    throw std::runtime_error(message);
#else
    throw std::logic_error("migrations: built without PostgreSQL");
#endif
  }
  // sqlite3_exec's own loop, kept here for the error's place in the whole script: SQLite's
  // parser prepares one statement and says where the next begins.
  using namespace sqlite_api;
  sqlite3* conn = static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
  const char* const begin = script.c_str();
  const auto fail = [&](const char* statement, bool at_token) {
    std::string message = sqlite3_errmsg(conn);
    std::size_t offset = static_cast<std::size_t>(statement - begin);
#if SQLITE_VERSION_NUMBER >= 3038000
    if (const int token = sqlite3_error_offset(conn); at_token && token >= 0)
      offset += static_cast<std::size_t>(token);
#else
    (void)at_token;
#endif
    throw std::runtime_error(message + " (at " + where_in(script, offset) + ")");
  };
  for (const char* next = begin; *next;) {
    sqlite3_stmt* st = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(conn, next, -1, &st, &tail) != SQLITE_OK)
      fail(next, true);
    if (st) {  // null for what is only whitespace or comments
      int rc;
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      }
      sqlite3_finalize(st);
      if (rc != SQLITE_DONE)
        fail(next, false);
    }
    next = tail;
  }
}

class migrator {
 public:
  migrator(Database& db) : db_(db), conn_(db.acquire()), sql_(conn_.sql()) {
    if (db.backend() == Backend::postgresql) {
      // Another instance migrating holds the lock: wait for it, then see what it did.
      sql_ << "SELECT pg_advisory_lock(" + std::to_string(advisory_key) + ")";
      locked_ = true;
    }
    in_transaction([&] {
      exec(sql_,
           "CREATE TABLE IF NOT EXISTS schema_migrations ("
           "version VARCHAR(64) PRIMARY KEY, name VARCHAR(255) NOT NULL, "
           "checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(40) NOT NULL)");
    });
  }
  ~migrator() {
    if (locked_) {
      try {
        sql_ << "SELECT pg_advisory_unlock(" + std::to_string(advisory_key) + ")";
      } catch (const std::exception& e) {
        log::warning(std::string("migrations: unlock failed (the lock ends with the "
                                 "connection): ") +
                     e.what());
      }
    }
  }

  /// Runs `f` in a transaction that holds the write lock (SQLite: `BEGIN IMMEDIATE`).
  template <class F>
  void in_transaction(F&& f) {
    exec(sql_, db_.backend() == Backend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    try {
      f();
      exec(sql_, "COMMIT");
    } catch (...) {
      try {
        exec(sql_, "ROLLBACK");
      } catch (const std::exception&) {
      }
      throw;
    }
  }

  std::vector<AppliedMigration> applied() {
    std::vector<AppliedMigration> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT version, name, checksum, applied_at FROM schema_migrations");
    for (const auto& r : rows)
      out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                     r.get<std::string>(3)});
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return version_less(a.version, b.version); });
    return out;
  }

  bool is_applied(const std::string& version) {
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(version),
        soci::into(n);
    return n > 0;
  }

  void run_sql(const std::string& text) { exec_script(sql_, db_.backend(), text); }

  soci::session& sql() { return sql_; }
  Backend backend() const { return db_.backend(); }

 private:
  Database& db_;
  Connection conn_;
  soci::session& sql_;
  bool locked_ = false;
};

std::string describe(const Migration& m) {
  return m.version + (m.name.empty() ? "" : " (" + m.name + ")");
}

}  // namespace

Migrations::Migrations(std::vector<Migration> steps) {
  for (auto& m : steps)
    add(std::move(m));
}

Migrations& Migrations::add(Migration m) {
  if (m.version.empty() || m.version.size() > 64)
    throw std::invalid_argument("migrations: a version is 1 to 64 characters");
  for (const auto& s : steps_)
    if (s.version == m.version)
      throw std::invalid_argument("migrations: version " + m.version + " is there twice");
  auto at = std::upper_bound(steps_.begin(), steps_.end(), m, [](const auto& a, const auto& b) {
    return version_less(a.version, b.version);
  });
  steps_.insert(at, std::move(m));
  return *this;
}

Migrations Migrations::from_files(const std::vector<std::pair<std::string, std::string>>& files) {
  std::map<std::string, Migration> found;
  for (const auto& [file, text] : files) {
    if (!file.ends_with(".sql"))
      continue;
    // <version>_<name>.<up|down>[.<backend>].sql
    std::string stem = file.substr(0, file.size() - 4);
    std::string backend;
    for (const char* b : {"sqlite", "postgresql"})
      if (stem.ends_with(std::string(".") + b)) {
        backend = b;
        stem.resize(stem.size() - backend.size() - 1);
      }
    bool up = stem.ends_with(".up");
    bool down = stem.ends_with(".down");
    if (!up && !down)
      throw std::runtime_error("migrations: " + file +
                               " is not <version>_<name>.up.sql or .down.sql");
    stem.resize(stem.size() - (up ? 3 : 5));
    const auto underscore = stem.find('_');
    const std::string version = stem.substr(0, underscore);
    auto& m = found[version];
    m.version = version;
    m.name = underscore == std::string::npos ? std::string{} : stem.substr(underscore + 1);
    MigrationSql& sql = up ? m.up : m.down;
    (backend == "sqlite"       ? sql.sqlite
     : backend == "postgresql" ? sql.postgresql
                               : sql.common) = text;
  }
  Migrations out;
  for (auto& [v, m] : found) {
    if (m.up.empty())
      throw std::runtime_error("migrations: " + v + " has no .up.sql");
    out.add(std::move(m));
  }
  return out;
}

Migrations Migrations::from_directory(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error("migrations: " + dir.string() + " is not a folder");
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".sql")
      files.emplace_back(entry.path().filename().string(), read_file(entry.path()));
  return from_files(files);
}

std::string Migrations::checksum(const Migration& m, Backend b) {
  std::string data = m.up.for_backend(b);
  data += '\0';
  data += m.step_revision;
  return sha256_hex(data);
}

std::vector<std::string> Migrations::upgrade(Database& db, const std::string& target) const {
  if (!target.empty() && std::none_of(steps_.begin(), steps_.end(),
                                      [&](const auto& m) { return m.version == target; }))
    throw MigrationError("migrations: no version " + target);
  migrator run(db);
  // The applied steps must be the ones we have, unchanged.
  for (const auto& a : run.applied()) {
    auto it = std::find_if(steps_.begin(), steps_.end(),
                           [&](const auto& m) { return m.version == a.version; });
    if (it == steps_.end())
      throw MigrationError("migrations: version " + a.version + " (" + a.name +
                           ") is applied but not known to this program");
    if (checksum(*it, db.backend()) != a.checksum)
      throw MigrationError(
          "migrations: " + describe(*it) + " was changed after it was applied (checksum " +
          a.checksum.substr(0, 12) + "… in the database, " +
          checksum(*it, db.backend()).substr(0, 12) + "… now); add a new migration instead");
  }
  std::vector<std::string> done;
  for (const auto& m : steps_) {
    if (!target.empty() && version_less(target, m.version))
      break;
    bool applied_now = false;
    try {
      run.in_transaction([&] {
        if (run.is_applied(m.version))  // another instance did it while we waited
          return;
        run.run_sql(m.up.for_backend(db.backend()));
        if (m.up_step)
          m.up_step(run.sql());
        const std::string sum = checksum(m, db.backend());
        const std::string at = DateTime::now().to_string();
        run.sql() << "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                     "VALUES (:v, :n, :c, :a)",
            soci::use(m.version), soci::use(m.name), soci::use(sum), soci::use(at);
        applied_now = true;
      });
    } catch (const std::exception& e) {
      throw MigrationError("migrations: " + describe(m) +
                           " failed and was rolled back: " + e.what());
    }
    if (applied_now) {
      log::info("migrations: applied " + describe(m));
      done.push_back(m.version);
    }
  }
  return done;
}

std::vector<std::string> Migrations::downgrade(Database& db, const std::string& target) const {
  migrator run(db);
  auto applied = run.applied();
  std::string stop = target;  // undo everything newer than `stop`
  if (target == "base") {
    stop.clear();
  } else if (target == "-1") {
    stop = applied.size() >= 2 ? applied[applied.size() - 2].version : std::string{};
  } else if (std::none_of(applied.begin(), applied.end(),
                          [&](const auto& a) { return a.version == target; })) {
    throw MigrationError("migrations: version " + target + " is not applied");
  }
  std::vector<const Migration*> undo;
  for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
    if (!stop.empty() && !version_less(stop, it->version))
      break;
    auto m = std::find_if(steps_.begin(), steps_.end(),
                          [&](const auto& s) { return s.version == it->version; });
    if (m == steps_.end())
      throw MigrationError("migrations: version " + it->version + " is not known to this program");
    if (m->down.empty() && !m->down_step)
      throw MigrationError("migrations: " + describe(*m) + " cannot be undone (no down step)");
    undo.push_back(&*m);
  }
  std::vector<std::string> done;
  for (const Migration* m : undo) {
    try {
      run.in_transaction([&] {
        if (!run.is_applied(m->version))
          return;
        if (m->down_step)
          m->down_step(run.sql());
        run.run_sql(m->down.for_backend(db.backend()));
        run.sql() << "DELETE FROM schema_migrations WHERE version = :v", soci::use(m->version);
      });
    } catch (const std::exception& e) {
      throw MigrationError("migrations: undoing " + describe(*m) +
                           " failed and was rolled back: " + e.what());
    }
    log::info("migrations: undid " + describe(*m));
    done.push_back(m->version);
  }
  return done;
}

std::optional<std::string> Migrations::current(Database& db) const {
  auto h = history(db);
  if (h.empty())
    return std::nullopt;
  return h.back().version;
}

std::vector<AppliedMigration> Migrations::history(Database& db) const {
  migrator run(db);
  return run.applied();
}

int Migrations::run_cli(Database& db, std::span<const std::string> args, std::ostream& out,
                        std::ostream& err) const {
  const std::string usage =
      "usage: migrate upgrade [version] | downgrade <version|base|-1> | current | history\n";
  if (args.empty()) {
    err << usage;
    return 2;
  }
  const std::string& cmd = args[0];
  try {
    if (cmd == "upgrade" && args.size() <= 2) {
      auto done = upgrade(db, args.size() == 2 && args[1] != "head" ? args[1] : std::string{});
      for (const auto& v : done)
        out << "applied " << v << "\n";
      if (done.empty())
        out << "up to date\n";
    } else if (cmd == "downgrade" && args.size() == 2) {
      for (const auto& v : downgrade(db, args[1]))
        out << "undid " << v << "\n";
    } else if (cmd == "current" && args.size() == 1) {
      out << current(db).value_or("base") << "\n";
    } else if (cmd == "history" && args.size() == 1) {
      auto applied = history(db);
      for (const auto& m : steps_) {
        auto a = std::find_if(applied.begin(), applied.end(),
                              [&](const auto& x) { return x.version == m.version; });
        out << m.version << " " << m.name << " "
            << (a == applied.end() ? "pending" : "applied " + a->applied_at) << "\n";
      }
    } else {
      err << usage;
      return 2;
    }
  } catch (const std::exception& e) {
    err << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace vivace::db
