// expect: has no '{name}' in the route path
#include <vivace/vivace.hpp>

int main() {
  vivace::App app;
  app.get<"/users">([](vivace::Path<"user_id", int> id) { return *id; });
}
