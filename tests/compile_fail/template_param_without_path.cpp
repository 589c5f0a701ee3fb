// expect: every '{name}' in the route path needs a Path<"name", T> parameter
#include <vivace/vivace.hpp>

int main() {
  vivace::App app;
  app.get<"/users/{user_id}">([] { return 1; });
}
