#include <cstdlib>
#include <string>

#include <vivace/vivace.hpp>

struct Item {
  vivace::Str<vivace::min_len<1>, vivace::max_len<50>> name;
  vivace::Float<vivace::gt<0>> price;
  std::optional<std::string> description;
};
BOOST_DESCRIBE_STRUCT(Item, (), (name, price, description))

int main() {
  vivace::App app({.title = "Shop"});
  app.post<"/items/">([](vivace::Body<Item> item) { return *item; }, {.status_code = 201});
  app.get<"/items/{item_id}">(
      [](vivace::Path<"item_id", int> item_id,
         vivace::Query<"q", std::optional<std::string>> q) -> vivace::Task<boost::json::value> {
        co_return boost::json::object{{"item_id", *item_id}, {"q", q->value_or("")}};
      });
  const char* port = std::getenv("PORT");  // Swagger UI at /docs, ReDoc at /redoc
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
