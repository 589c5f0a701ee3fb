// Request body: a described struct decoded from JSON, alongside path and query parameters.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

struct Item {
  std::string name;
  std::optional<std::string> description;
  double price = 0;
  std::optional<double> tax;
};
BOOST_DESCRIBE_STRUCT(Item, (), (name, description, price, tax))

int main() {
  vivace::App app({.title = "Request body"});

  app.post<"/items">(
      [](vivace::Body<Item> item) {
        boost::json::object out = vivace::schema::encode(*item).as_object();
        if (item->tax)
          out["price_with_tax"] = item->price + *item->tax;
        return out;
      },
      {.status_code = 201});

  app.put<"/items/{item_id}">([](vivace::Path<"item_id", int> item_id, vivace::Body<Item> item,
                                 vivace::Query<"q", std::optional<std::string>> q) {
    boost::json::object out{{"item_id", *item_id}, {"item", vivace::schema::encode(*item)}};
    if (*q)
      out["q"] = **q;
    return out;
  });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
