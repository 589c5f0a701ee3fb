// expect: every handler parameter must be an extractor
#include <vivace/vivace.hpp>

int main() {
  vivace::App app;
  app.get<"/users">([](int user_id) { return user_id; });
}
