// expect: unbalanced '{' or '}' in a route path
#include <vivace/vivace.hpp>

int main() {
  vivace::App app;
  app.get<"/users/{user_id">([] { return 1; });
}
