// expect: a handler must return Response, a string, a boost::json value
#include <vivace/vivace.hpp>

struct not_serialisable {};

int main() {
  vivace::App app;
  app.get<"/x">([] { return not_serialisable{}; });
}
