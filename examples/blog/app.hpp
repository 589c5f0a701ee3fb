#pragma once
// The application (the FastAPI app's `main.py`): routes, middleware, exception handlers.

#include <memory>

#include <vivace/app/app.hpp>
#include <vivace/db/database.hpp>

#include "config.hpp"

namespace blog {

/// The app for `settings`. With `database`, that pool is used (tests); without, the pool is
/// opened and migrated at startup (and FIRST_SUPERUSER_* created) and closed at shutdown.
[[nodiscard]] std::unique_ptr<vivace::App> make_app(
    const Settings& settings, std::shared_ptr<vivace::db::Database> database = nullptr);

}  // namespace blog
