// expect: a handler must return Response (or JSONResponse, FileResponse, ...), a string
#include <vivace/vivace.hpp>

struct not_serialisable {};

int main() {
  vivace::App app;
  app.get<"/x">([] { return not_serialisable{}; });
}
