#pragma once
/// @file
/// Versioned migrations (Alembic's job): ordered steps with `up` and optional `down`, a
/// `schema_migrations` table with a checksum per step (an applied step that was edited is an
/// error), each step in its own transaction, and one migrator at a time (a PostgreSQL
/// advisory lock; SQLite's write lock, taken with `BEGIN IMMEDIATE`).
///
/// @code
/// auto steps = vivace::db::Migrations::from_directory("migrations");
/// steps.upgrade(database);                       // to the latest
/// return steps.run_cli(database, {argv + 2, argv + argc}, std::cout, std::cerr);
/// @endcode

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vivace/db/database.hpp"

namespace vivace::db {

/// SQL for every backend, with an optional replacement per backend (`SERIAL` vs
/// `INTEGER PRIMARY KEY`...). Several statements separated by `;` are fine.
struct MigrationSql {
  /// The SQL for every backend without its own.
  std::string common{};
  /// Runs instead of `common` on SQLite when not empty. An empty string means `common`: for a
  /// step that does nothing on SQLite, write a comment (`-- nothing`).
  std::string sqlite{};
  /// Runs instead of `common` on PostgreSQL when not empty (an empty string means `common`, as
  /// for `sqlite`).
  std::string postgresql{};
  MigrationSql() = default;
  /// The same SQL for every backend (implicit, so `.up = text` works for a `std::string`).
  MigrationSql(std::string sql) : common(std::move(sql)) {}  // NOLINT: implicit on purpose
  /// The same for a literal, so that `.up = "CREATE TABLE ..."` works (from the `std::string`
  /// one alone, that would take two conversions). `sql` must not be null.
  MigrationSql(const char* sql) : common(sql) {}  // NOLINT
  /// The SQL to run on `b`: its own, else the common one.
  [[nodiscard]] const std::string& for_backend(Backend b) const noexcept {
    const std::string& specific = b == Backend::sqlite ? sqlite : postgresql;
    return specific.empty() ? common : specific;
  }
  /// True when none of the three is set: an empty `down` (and no `down_step`) makes the step
  /// irreversible, and `from_files` refuses a step whose `up` is empty.
  [[nodiscard]] bool empty() const noexcept {
    return common.empty() && sqlite.empty() && postgresql.empty();
  }
};

/// One step. `version` orders the steps (numerically when it is all digits); SQL runs first,
/// then the C++ step, in one transaction.
struct Migration {
  /// Orders the steps: numerically when all digits (`1` < `10`), else as text. 1 to 64
  /// characters, unique.
  std::string version;
  /// A few words for people (`create_users`).
  std::string name;
  /// Runs before `up_step`, in the step's transaction. Its text for the backend is part of
  /// the checksum: once the step is applied, editing it makes `upgrade` throw `MigrationError`.
  MigrationSql up{};
  MigrationSql down{};  ///< empty (and no `down_step`): the step cannot be undone
  /// C++ steps, on the migration's connection and inside its transaction.
  std::function<void(soci::session&)> up_step{};
  /// Runs before `down`'s SQL (the reverse of `up`), in the transaction that undoes the step.
  std::function<void(soci::session&)> down_step{};
  /// Part of the checksum for C++ steps: change it when the step's code changes meaning.
  std::string step_revision{};
};

/// A step as the database records it.
struct AppliedMigration {
  /// As recorded in `schema_migrations` (1 to 64 characters); `history` orders by it as
  /// `Migration::version` orders the steps.
  std::string version;
  /// As recorded when the step was applied. It is not part of the checksum: a step renamed
  /// since then goes unnoticed.
  std::string name;
  /// The checksum the step had when applied (compared with the current one).
  std::string checksum;
  std::string applied_at;  ///< UTC, ISO 8601
};

/// Thrown for an edited applied step, an unknown target, an irreversible step to undo.
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An ordered set of migration steps, and what applies and undoes them on a `Database`.
class Migrations {
 public:
  Migrations() = default;
  /// `add`s every step. @throws std::invalid_argument for a duplicate or empty version.
  explicit Migrations(std::vector<Migration> steps);
  /// Adds a step. @throws std::invalid_argument for a duplicate or empty version.
  Migrations& add(Migration m);

  /// Reads a folder of `<version>_<name>.up.sql` and `<version>_<name>.down.sql`, with
  /// `<version>_<name>.up.sqlite.sql` or `.up.postgresql.sql` (likewise `.down`) for one
  /// backend.
  /// @throws std::runtime_error when `dir` is not a folder, a file name does not fit, or a
  /// version has no `.up` file.
  [[nodiscard]] static Migrations from_directory(const std::filesystem::path& dir);
  /// The same from (file name, content) pairs: migrations embedded in a program at build time.
  [[nodiscard]] static Migrations from_files(
      const std::vector<std::pair<std::string, std::string>>& files);

  /// The steps, in version order.
  [[nodiscard]] const std::vector<Migration>& steps() const noexcept { return steps_; }

  /// Applies the steps not yet applied, up to `target` (inclusive; all when empty). Checks the
  /// checksums of the applied steps first. Returns the versions it applied.
  std::vector<std::string> upgrade(Database& db, const std::string& target = {}) const;
  /// Undoes the applied steps after `target` (`"base"`: all of them), newest first. Returns the
  /// versions it undid.
  std::vector<std::string> downgrade(Database& db, const std::string& target) const;
  /// The newest applied version, if any.
  [[nodiscard]] std::optional<std::string> current(Database& db) const;
  /// The applied steps, oldest first.
  [[nodiscard]] std::vector<AppliedMigration> history(Database& db) const;
  /// The checksum of a step for a backend (SHA-256 of its SQL and `step_revision`).
  [[nodiscard]] static std::string checksum(const Migration& m, Backend b);

  /// A command line: `upgrade [target]`, `downgrade <target|base|-1>`, `current`, `history`.
  /// Returns the exit status (0 on success, 1 on failure, 2 for a usage error).
  int run_cli(Database& db, std::span<const std::string> args, std::ostream& out,
              std::ostream& err) const;

 private:
  std::vector<Migration> steps_;
};

}  // namespace vivace::db
