// Dependencies: shared parameters, sub-dependencies, and checks on a whole group of routes.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include <vivace/vivace.hpp>

struct Page {
  std::int64_t skip;
  std::int64_t limit;
};

// A provider: its parameters are extracted, validated and documented like a handler's.
Page pagination(vivace::Query<"skip", vivace::Int<vivace::ge<0>>, 0> skip,
                vivace::Query<"limit", vivace::Int<vivace::ge<1>, vivace::le<100>>, 100> limit) {
  return {*skip, *limit};
}

// A provider that depends on another one; each runs at most once per request.
std::string search_terms(vivace::Query<"q", std::optional<std::string>> q) {
  return q->value_or("");
}
std::string query_or_cookie(vivace::Depends<search_terms> q,
                            vivace::Cookie<"last_query", std::optional<std::string>> last) {
  return q->empty() ? last->value_or("") : *q;
}

// A check whose value nobody needs: listed in `dependencies`.
bool verify_token(vivace::Header<"X-Token", std::string> token) {
  if (*token != "fake-token")
    throw vivace::HTTPException(400, "X-Token header invalid");
  return true;
}

int main() {
  vivace::App app({.title = "Dependencies", .dependencies = {vivace::dependency<verify_token>()}});

  app.get<"/items">([](vivace::Depends<pagination> page, vivace::Depends<query_or_cookie> q) {
    return boost::json::value{{"skip", page->skip}, {"limit", page->limit}, {"q", *q}};
  });
  app.get<"/users">([](vivace::Depends<pagination> page) {
    return boost::json::value{{"skip", page->skip}, {"limit", page->limit}};
  });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
