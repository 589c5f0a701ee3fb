// expect: an override of a plain provider must be a plain function
#include <vivace/vivace.hpp>

#include <string>

std::string name() {
  return "real";
}

int main() {
  vivace::App app;
  app.get<"/">([](vivace::Depends<name> n) { return *n; });
  app.dependency_overrides().set<name>([]() -> vivace::Task<std::string> { co_return "fake"; });
}
