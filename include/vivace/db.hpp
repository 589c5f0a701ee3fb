#pragma once
/// @file
/// The database layer (link `vivace::db`): the pool, the per-request session, row mapping and
/// migrations on SOCI. Not part of `<vivace/vivace.hpp>`, which needs no SOCI.

#include "vivace/db/database.hpp"
#include "vivace/db/migrate.hpp"
#include "vivace/db/row.hpp"
#include "vivace/db/session.hpp"
