#pragma once
// Timestamps as the database stores them: UTC, always six fractional digits and `Z`, so that
// text columns (SQLite) sort in time order; PostgreSQL reads the same text as TIMESTAMPTZ.

#include <chrono>
#include <string>

#include <vivace/schema/types.hpp>

namespace blog {

using sys_us = std::chrono::sys_time<std::chrono::microseconds>;

[[nodiscard]] sys_us now();
[[nodiscard]] std::string db_time(sys_us t);
[[nodiscard]] inline std::string db_time(const vivace::DateTime& t) {
  return db_time(t.utc);
}

}  // namespace blog
