# Writes a C++ source holding every migrations/*.sql file as (name, text) pairs, so that the
# server carries its schema and needs no files at run time.
#   cmake -DSOURCE_DIR=<migrations> -DOUTPUT=<file.cpp> -P embed_migrations.cmake
file(GLOB files RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/*.sql")
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  file(READ "${SOURCE_DIR}/${f}" text)
  string(APPEND body "      {\"${f}\", R\"blog_sql(${text})blog_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from examples/blog/migrations by embed_migrations.cmake. Do not edit.
#include <string>
#include <utility>
#include <vector>

namespace blog {
std::vector<std::pair<std::string, std::string>> embedded_migrations() {
  return {
${body}  };
}
}  // namespace blog
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
