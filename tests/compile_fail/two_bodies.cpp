// expect: a handler can take at most one Body<T>
#include <vivace/vivace.hpp>

int main() {
  vivace::App app;
  app.post<"/x">([](vivace::Body<boost::json::value>, vivace::Body<boost::json::value>) {});
}
