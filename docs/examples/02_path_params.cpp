// Path parameters: typed, converted and validated; enums; static segments; whole paths.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

enum class ModelName { alexnet, resnet, lenet };
BOOST_DESCRIBE_ENUM(ModelName, alexnet, resnet, lenet)

int main() {
  vivace::App app({.title = "Path parameters"});

  app.get<"/items/{item_id}">([](vivace::Path<"item_id", int> item_id) {
    return boost::json::value{{"item_id", *item_id}};
  });

  // A static segment wins over a parameter, whatever the order of registration.
  app.get<"/users/{user_id}">([](vivace::Path<"user_id", std::string> user_id) {
    return boost::json::value{{"user_id", *user_id}};
  });
  app.get<"/users/me">([] { return boost::json::value{{"user_id", "the current user"}}; });

  app.get<"/models/{model_name}">([](vivace::Path<"model_name", ModelName> model) {
    const char* message =
        *model == ModelName::alexnet ? "Deep Learning FTW!" : "Have some residuals";
    return boost::json::value{{"model_name", vivace::schema::encode(*model)}, {"message", message}};
  });

  app.get<"/files/{file_path:path}">([](vivace::Path<"file_path", std::string> file_path) {
    return boost::json::value{{"file_path", *file_path}};
  });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
