// Errors: HTTPException, handlers for your own exception types, and for validation errors.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include <vivace/vivace.hpp>

struct UnicornException : std::runtime_error {
  explicit UnicornException(const std::string& name) : std::runtime_error(name) {}
};

const std::map<std::string, std::string> items = {{"foo", "The Foo Wrestlers"}};

int main() {
  vivace::App app({.title = "Errors"});

  app.get<"/items/{item_id}">([](vivace::Path<"item_id", std::string> item_id) {
    auto it = items.find(*item_id);
    if (it == items.end())
      throw vivace::HTTPException(404, "Item not found", {{"X-Error", "There goes my error"}});
    return boost::json::value{{"item", it->second}};
  });

  app.exception_handler<UnicornException>([](vivace::Request&, const UnicornException& e) {
    std::string message =
        "Oops! " + std::string(e.what()) + " did something. There goes a rainbow...";
    return vivace::JSONResponse(boost::json::value{{"message", message}}, 418);
  });
  app.get<"/unicorns/{name}">([](vivace::Path<"name", std::string> name) {
    if (*name == "yolo")
      throw UnicornException(*name);
    return boost::json::value{{"unicorn_name", *name}};
  });

  // Replaces the built-in 422 for every route: validation errors as plain text.
  app.exception_handler<vivace::RequestValidationError>(
      [](vivace::Request&, const vivace::RequestValidationError& e) {
        std::string text;
        for (const auto& error : e.errors())
          text += boost::json::serialize(error.loc) + ": " + error.msg + "\n";
        return vivace::PlainTextResponse(text, 400);
      });
  app.get<"/numbers/{n}">([](vivace::Path<"n", int> n) { return *n * 2; });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
