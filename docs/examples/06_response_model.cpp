// Response models: send only what the client may see; 404 for an empty optional.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

struct UserIn {
  std::string username;
  vivace::SecretStr password;
  vivace::Email email;
  std::optional<std::string> full_name;
};
BOOST_DESCRIBE_STRUCT(UserIn, (), (username, password, email, full_name))

struct UserOut {
  std::string username;
  vivace::Email email;
  std::optional<std::string> full_name;
};
BOOST_DESCRIBE_STRUCT(UserOut, (), (username, email, full_name))

struct Item {
  std::string name;
  std::optional<std::string> description;
  double price = 0;
};
BOOST_DESCRIBE_STRUCT(Item, (), (name, description, price))

const std::map<std::string, Item> items = {{"foo", {"Foo", std::nullopt, 50.2}},
                                           {"bar", {"Bar", "The bartenders", 62}}};

int main() {
  vivace::App app({.title = "Response models"});

  // The handler returns the whole UserIn; the client gets UserOut's fields only.
  app.post<"/users">([](vivace::Body<UserIn> user) { return *user; },
                     {.status_code = 201, .response_model = vivace::response_model<UserOut>()});

  app.get<"/items/{item_id}">(
      [](vivace::Path<"item_id", std::string> id) -> std::optional<Item> {
        auto it = items.find(*id);
        return it == items.end() ? std::nullopt : std::optional<Item>(it->second);
      },
      {.response_model_exclude_none = true, .not_found_if_empty = true});

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
