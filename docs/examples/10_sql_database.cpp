// SQL databases: a pool, a session per request, rows as structs, and migrations.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/db.hpp>
#include <vivace/vivace.hpp>

struct HeroCreate {
  vivace::Str<vivace::min_len<1>, vivace::max_len<100>> name;
  std::optional<vivace::Int<vivace::ge<0>>> age;
};
BOOST_DESCRIBE_STRUCT(HeroCreate, (), (name, age))

struct Hero {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> age;
};
BOOST_DESCRIBE_STRUCT(Hero, (), (id, name, age))

// Usually files in a migrations/ folder (Migrations::from_directory); here, in the program.
const auto migrations = vivace::db::Migrations::from_files({
    {"0001_heroes.up.sqlite.sql",
     "CREATE TABLE heroes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, age INTEGER)"},
    {"0001_heroes.up.postgresql.sql",
     "CREATE TABLE heroes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE, age BIGINT)"},
    {"0001_heroes.down.sql", "DROP TABLE heroes"},
});

int main(int argc, char** argv) {
  const char* url = std::getenv("DATABASE_URL");
  auto database = std::make_shared<vivace::db::Database>(url ? url : "sqlite:///heroes.db");
  if (argc > 1 && std::string_view(argv[1]) == "migrate")  // heroes migrate [upgrade|...]
    return migrations.run_cli(*database, std::vector<std::string>(argv + 2, argv + argc), std::cout,
                              std::cerr);
  migrations.upgrade(*database);

  vivace::App app({.title = "Heroes"});
  app.provide<vivace::db::Database>(database);
  app.exception_handler<vivace::db::UniqueViolation>([](vivace::Request&, const auto&) {
    return vivace::Response::error(409, "A hero with this name already exists");
  });

  app.post<"/heroes">(
      [](vivace::Body<HeroCreate> hero, vivace::db::SessionDep db) {
        db->execute("INSERT INTO heroes (name, age) VALUES (:name, :age)", *hero);
        return db->one<Hero>("SELECT id, name, age FROM heroes WHERE name = :name", *hero->name);
      },
      {.status_code = 201});
  app.get<"/heroes">([](vivace::db::ReadSessionDep db, vivace::Query<"offset", int, 0> offset,
                        vivace::Query<"limit", vivace::Int<vivace::le<100>>, 100> limit) {
    return db->all<Hero>("SELECT id, name, age FROM heroes ORDER BY id LIMIT :l OFFSET :o", *limit,
                         *offset);
  });
  app.get<"/heroes/{hero_id}">(
      [](vivace::Path<"hero_id", std::int64_t> id, vivace::db::ReadSessionDep db) {
        return db->one<Hero>("SELECT id, name, age FROM heroes WHERE id = :id", *id);
      },
      {.not_found_if_empty = true});

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
