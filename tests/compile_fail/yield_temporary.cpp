// expect: co_yield a named local variable from a Yield<T> provider
#include <vivace/vivace.hpp>

#include <string>

vivace::Yield<std::string> provider() {
  co_yield std::string{"temporary"};
}

int main() {
  vivace::App app;
  app.get<"/">([](vivace::Depends<provider> p) { return *p; });
}
