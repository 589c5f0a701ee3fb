#pragma once
// The database (the FastAPI app's `db/session.py` and Alembic): the pool, the per-request
// session, and the migrations compiled into the program.

#include <memory>

#include <vivace/db.hpp>

#include "config.hpp"

namespace blog {

/// The per-request session. Autocommit until `begin()`: endpoints read (the current user)
/// without holding a lock, then `begin()` right before they write; what follows is committed
/// before the response, or rolled back when the request fails.
using Db = vivace::db::ReadSessionDep;

/// The schema migrations (migrations/*.sql, embedded at build time).
[[nodiscard]] const vivace::db::Migrations& migrations();

/// Opens the pool for `settings.database_url` and applies pending migrations.
[[nodiscard]] std::shared_ptr<vivace::db::Database> open_database(const Settings& settings);

}  // namespace blog
