// Query parameters: defaults, optional values, booleans, required ones, repeated keys.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <vivace/vivace.hpp>

const std::vector<std::string> fake_items_db = {"Foo", "Bar", "Baz"};

int main() {
  vivace::App app({.title = "Query parameters"});

  app.get<"/items">([](vivace::Query<"skip", unsigned, 0u> skip,
                       vivace::Query<"limit", unsigned, 10u> limit,
                       vivace::Query<"tag", std::vector<std::string>> tags) {
    const auto first = std::min<std::size_t>(*skip, fake_items_db.size());
    const auto last = std::min<std::size_t>(first + *limit, fake_items_db.size());
    boost::json::array names(fake_items_db.begin() + first, fake_items_db.begin() + last);
    return boost::json::value{{"items", names},
                              {"tags", boost::json::array(tags->begin(), tags->end())}};
  });

  app.get<"/items/{item_id}">([](vivace::Path<"item_id", std::string> item_id,
                                 vivace::Query<"needy", std::string> needy,
                                 vivace::Query<"q", std::optional<std::string>> q,
                                 vivace::Query<"short", bool, false> short_) {
    boost::json::object item{{"item_id", *item_id}, {"needy", *needy}};
    if (*q)
      item["q"] = **q;
    if (!*short_)
      item["description"] = "This is an amazing item that has a long description";
    return item;
  });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
