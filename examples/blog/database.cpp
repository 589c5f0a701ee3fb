#include "database.hpp"

#include <vivace/core/log.hpp>

namespace blog {

std::vector<std::pair<std::string, std::string>> embedded_migrations();  // generated

const vivace::db::Migrations& migrations() {
  static const auto m = vivace::db::Migrations::from_files(embedded_migrations());
  return m;
}

std::shared_ptr<vivace::db::Database> open_database(const Settings& settings) {
  auto db = std::make_shared<vivace::db::Database>(settings.database_url);
  for (const auto& v : migrations().upgrade(*db))
    vivace::log::info("database: applied migration " + v);
  return db;
}

}  // namespace blog
