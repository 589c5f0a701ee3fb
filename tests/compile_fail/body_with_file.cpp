// expect: a JSON Body<T> and File parameters cannot share a request body
#include <vivace/vivace.hpp>

#include <string>

int main() {
  vivace::App app;
  app.post<"/">(
      [](vivace::Body<std::string> b, vivace::File<"f"> f) { return *b + f->filename(); });
}
